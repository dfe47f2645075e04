package trit.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import trit.TritException;

/** Options shared by the commands that run a model. */
final class ModelOptions {
    @Option(names = {"-m", "--model"}, paramLabel = "MODEL.gguf", description = "GGUF model to run (default: trit's shipped BitNet b1.58 model, data/models/" + trit.model.DefaultModel.TERNARY + ").")
    Path model;

    @picocli.CommandLine.Mixin ThreadsOption threads = new ThreadsOption();

    @Option(names = "--ctx", paramLabel = "N", description = "Context length in tokens (default: the model's, at most 4096).")
    Integer ctx;

    Path model() {
        return model != null ? model : trit.model.DefaultModel.ternary();
    }

    int threads() {
        return threads.get();
    }

    int context(int modelContext) {
        return context(modelContext, 4096);
    }

    /** The --ctx value, or the model's context capped at {@code defaultCap}; never beyond the model's. */
    int context(int modelContext, int defaultCap) {
        if (ctx == null) return Math.min(modelContext, defaultCap);
        if (ctx < 1) throw new TritException("--ctx must be positive, got " + ctx);
        return Math.min(ctx, modelContext);
    }
}
