package trit.cli;

import picocli.CommandLine.Option;
import trit.TritException;

/** {@code --threads N}, shared by every command that computes. */
final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "N", description = "Compute threads (default: all cores).")
    Integer threads;

    /** The validated count, all cores when not given. */
    int get() {
        if (threads == null) return Runtime.getRuntime().availableProcessors();
        if (threads < 1 || threads > 1024) throw new TritException("--threads must be between 1 and 1024, got " + threads);
        return threads;
    }
}
