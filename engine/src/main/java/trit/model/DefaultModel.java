package trit.model;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import trit.TritException;

/**
 * The models trit ships in {@code data/models/} of its source tree: the default ternary model that
 * commands use when no model is given, and the FP32 baseline of the same shape and token budget (see
 * docs/QUALITY.md). They stay files (not jar resources) because models are memory-mapped. The folder is
 * found from {@code -Dtrit.home} (the launcher sets it), {@code $TRIT_HOME}, or by walking up from where
 * trit's classes were loaded.
 */
public final class DefaultModel {
    private DefaultModel() {}

    /** The shipped BitNet b1.58 model, TQ2_0. */
    public static final String TERNARY = "trit-default-tq2_0.gguf";
    /** The FP32 baseline trained with the same shape and tokens. */
    public static final String BASELINE = "trit-baseline-f32.gguf";

    /** The shipped BDH Sudoku model (trit sudoku predict's default). */
    public static final String BDH_SUDOKU = "bdh-sudoku.gguf";

    public static Path bdhSudoku() {
        return file(BDH_SUDOKU);
    }

    /** The default model's file. */
    public static Path ternary() {
        return file(TERNARY);
    }

    /** The FP32 baseline's file. */
    public static Path baseline() {
        return file(BASELINE);
    }

    private static Path file(String name) {
        Path dir = dir();
        Path f = dir == null ? null : dir.resolve(name);
        if (f == null || !Files.isRegularFile(f)) {
            throw new TritException("the shipped model " + name + " was not found (looked in "
                    + (dir == null ? "data/models of the trit source tree" : dir)
                    + "); pass --model, or set TRIT_HOME to the trit folder");
        }
        return f;
    }

    /** {@code data/models} of the trit tree, or null. */
    static Path dir() {
        String home = System.getProperty("trit.home");
        if (home == null || home.isBlank()) home = System.getenv("TRIT_HOME");
        if (home != null && !home.isBlank()) return Path.of(home, "data", "models");
        try {
            Path p = Path.of(DefaultModel.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (; p != null; p = p.getParent()) {
                Path d = p.resolve("data").resolve("models");
                if (Files.isDirectory(d)) return d;
            }
        } catch (URISyntaxException | SecurityException | NullPointerException | java.nio.file.FileSystemNotFoundException e) {
            return null;
        }
        return null;
    }
}
