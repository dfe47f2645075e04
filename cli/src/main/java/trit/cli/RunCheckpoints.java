package trit.cli;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import trit.TritException;

/** What `trit bdh train` and `trit sudoku train` share about checkpoints: where they go and what a resume must keep. */
final class RunCheckpoints {
    private RunCheckpoints() {}

    /** {@code --checkpoint} and {@code --resume}, shared by the trainers. */
    static final class Options {
        @Option(names = "--checkpoint", paramLabel = "FILE.gguf", description = {"Where to save the run after every evaluation: model, optimizer, step",
                "(default: --out with .ckpt.gguf in place of .gguf; `none`: no checkpoint)."})
        String checkpoint;

        @Option(names = "--resume", paramLabel = "CKPT.gguf", description = {"Go on with the run saved in this checkpoint, exactly (same batches; bit for bit",
                "with the same --threads). Its settings and shape hold; giving a different one is an error, except --steps,",
                "which moves the run's end (its learning-rate schedule stretched to it)."})
        Path resume;

        Path path(Path out) {
            return RunCheckpoints.path(checkpoint, out);
        }
    }

    /** {@code --checkpoint}: the given path, none for `none`, else OUT with .ckpt.gguf in place of .gguf. */
    static Path path(String option, Path out) {
        if ("none".equals(option)) return null;
        if (option != null) return Path.of(option);
        String f = out.getFileName().toString();
        return out.resolveSibling((f.endsWith(".gguf") ? f.substring(0, f.length() - 5) : f) + ".ckpt.gguf");
    }

    /**
     * A resumed run keeps its recipe: each setting given again on the command line ({@code flags}: settings
     * key, option name) must equal the checkpoint's.
     */
    static void checkSameSettings(Path resume, Map<String, String> stored, Map<String, String> given, String[][] flags, ParseResult parsed) {
        for (String[] f : flags) {
            if (parsed.hasMatchedOption(f[1]) && !stored.get(f[0]).equals(given.get(f[0]))) {
                throw new TritException(resume + ": the run was started with " + f[0] + " = " + stored.get(f[0]) + ", not " + given.get(f[0])
                        + " (a resumed run keeps its settings; leave " + f[1] + " out)");
            }
        }
    }

    /** A resumed run's model shape is the checkpoint's: any shape flag given is refused, by name. */
    static void refuseShapeFlags(ParseResult parsed, String... flags) {
        for (String f : flags) {
            if (parsed.hasMatchedOption(f)) throw new TritException("--resume takes the model's shape from the checkpoint; leave " + f + " out");
        }
    }

    /**
     * {@code --steps} given with {@code --resume} moves the run's end: the stored settings with the new step
     * count (the learning-rate schedule is stretched to it from here on, said on stderr).
     */
    static Map<String, String> withSteps(Map<String, String> stored, ParseResult parsed, int steps, java.io.PrintWriter err) {
        if (!parsed.hasMatchedOption("--steps") || Integer.toString(steps).equals(stored.get("steps"))) return stored;
        Map<String, String> m = new java.util.LinkedHashMap<>(stored);
        m.put("steps", Integer.toString(steps));
        err.println("trit: the run now ends at step " + steps + "; its learning-rate schedule is stretched to it"
                + " (not the same as a run started with --steps " + steps + ")");
        return m;
    }

    /** The data a resumed run reads must be what it was trained on ({@code now}: identity entries as the checkpoint stores them). */
    static void checkSameData(Path resume, Map<String, String> state, Map<String, String> now, String hint) {
        for (var e : now.entrySet()) {
            if (!e.getValue().equals(state.get(e.getKey()))) {
                throw new TritException(resume + ": the run was trained on other data (" + e.getKey() + " " + state.get(e.getKey())
                        + ", now " + e.getValue() + "); " + hint);
            }
        }
    }

    static String crc(byte[] b) {
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        c.update(b);
        return Long.toHexString(c.getValue());
    }
}
