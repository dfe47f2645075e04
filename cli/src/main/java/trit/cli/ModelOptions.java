package trit.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import trit.TritException;

/** Options shared by the commands that run a model. */
final class ModelOptions {
    @Option(names = {"-m", "--model"}, paramLabel = "MODEL.gguf", description = "GGUF model to run.")
    Path model;

    @picocli.CommandLine.Mixin ThreadsOption threads = new ThreadsOption();

    @Option(names = "--ctx", paramLabel = "N", description = "Context length in tokens (default: the model's, at most 4096).")
    Integer ctx;

    Path model() {
        if (model == null) {
            throw new TritException("no --model given (trit has no shipped default model yet: pass a GGUF file)");
        }
        return model;
    }

    int threads() {
        return threads.get();
    }

    int context(int modelContext) {
        if (ctx == null) return Math.min(modelContext, 4096);
        if (ctx < 1) throw new TritException("--ctx must be positive, got " + ctx);
        return Math.min(ctx, modelContext);
    }
}
