package trit.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import trit.TritException;

/** Options shared by the commands that run a model. */
final class ModelOptions {
    @Option(names = {"-m", "--model"}, paramLabel = "MODEL.gguf", description = "GGUF model to run.")
    Path model;

    @Option(names = "--threads", paramLabel = "N", description = "Compute threads (default: all cores).")
    Integer threads;

    @Option(names = "--ctx", paramLabel = "N", description = "Context length in tokens (default: the model's, at most 4096).")
    Integer ctx;

    Path model() {
        if (model == null) {
            throw new TritException("no --model given (trit has no shipped default model yet: pass a GGUF file)");
        }
        return model;
    }

    int threads() {
        return QuantizeCommand.threads(threads);
    }

    int context(int modelContext) {
        if (ctx == null) return Math.min(modelContext, 4096);
        if (ctx < 1) throw new TritException("--ctx must be positive, got " + ctx);
        return Math.min(ctx, modelContext);
    }
}
