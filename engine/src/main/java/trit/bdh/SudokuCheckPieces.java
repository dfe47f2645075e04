package trit.bdh;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import trit.AtomicFiles;
import trit.TritException;
import trit.kernel.Parallel;

/**
 * An exact-match check ({@link SudokuTraining#check}) done in pieces that are kept in a work directory, so a
 * check of hours that is stopped goes on where it was: a rerun with the same model, puzzles and settings
 * reads the finished pieces back instead of checking them again. Each puzzle's outcome does not depend on
 * the others or on the thread count, so the merged result equals one uninterrupted check.
 */
public final class SudokuCheckPieces {
    private SudokuCheckPieces() {}

    /** Puzzles per piece: about two minutes of one core with four views, the most a stop can lose. */
    public static final int PIECE = 200;

    private static final String HEADER = "# trit sudoku exact piece v1";

    /** The merged check, and how many of its puzzles were read back from earlier runs. */
    public record Result(SudokuTraining.Check check, int reused) {}

    /** As {@link SudokuTraining#check}, saving each finished piece of {@link #PIECE} puzzles in {@code dir} (created if missing). */
    public static Result check(BdhModel model, List<int[]> puzzles, List<int[]> solutions, int passes, double commitThreshold, int views,
                               Parallel pool, Path dir, SudokuTraining.Progress progress) throws IOException {
        return check(model, puzzles, solutions, passes, commitThreshold, views, pool, dir, PIECE, progress);
    }

    /** As above with pieces of {@code piece} puzzles (tests use small ones). */
    static Result check(BdhModel model, List<int[]> puzzles, List<int[]> solutions, int passes, double commitThreshold, int views,
                        Parallel pool, Path dir, int piece, SudokuTraining.Progress progress) throws IOException {
        if (solutions.size() != puzzles.size()) throw new TritException(puzzles.size() + " puzzles but " + solutions.size() + " solutions");
        if (piece < 1) throw new IllegalArgumentException("piece " + piece);
        Files.createDirectories(dir);
        String key = key(model, puzzles, solutions, passes, commitThreshold, views, piece);
        int n = puzzles.size(), layers = model.config().layers(), reused = 0;
        List<SudokuTask.Outcome> outcomes = new ArrayList<>(n);
        double[] density = new double[layers];
        double seconds = 0, coreSeconds = 0, rounds = 0, forced = 0;
        for (int from = 0; from < n; from += piece) {
            int to = Math.min(n, from + piece), base = from;
            Path file = dir.resolve("exact-" + key + "-" + from + ".txt");
            SudokuTraining.Check c;
            if (Files.exists(file)) {
                c = read(file, to - from, layers);
                reused += to - from;
            } else {
                c = SudokuTraining.check(model, puzzles.subList(from, to), solutions.subList(from, to), passes, commitThreshold, views, pool,
                        progress == null ? null : k -> progress.done(base + k));
                SudokuTraining.Check done = c;
                AtomicFiles.replace(file, tmp -> Files.writeString(tmp, write(done), StandardCharsets.UTF_8));
            }
            if (progress != null) progress.done(to);
            int size = to - from;
            outcomes.addAll(c.outcomes());
            for (int k = 0; k < layers; k++) density[k] += c.density()[k] * size;
            seconds += c.seconds();
            coreSeconds += c.coreSeconds();
            rounds += c.rounds() * size;
            forced += c.forcedCommits() * size;
        }
        double per = n == 0 ? Double.NaN : 1.0 / n;
        for (int k = 0; k < layers; k++) density[k] *= per;
        return new Result(new SudokuTraining.Check(outcomes, density, seconds, coreSeconds, rounds * per, forced * per), reused);
    }

    /** Names a check's pieces: everything its outcomes depend on (weights, shape, puzzles, solutions, settings). */
    static String key(BdhModel model, List<int[]> puzzles, List<int[]> solutions, int passes, double commitThreshold, int views, int piece) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((model.config() + " passes=" + passes + " commit=" + commitThreshold + " views=" + views + " piece=" + piece)
                    .getBytes(StandardCharsets.UTF_8));
            for (BdhModel.Param p : model.params()) {
                ByteBuffer b = ByteBuffer.allocate(p.data().length * Float.BYTES);
                b.asFloatBuffer().put(p.data());
                md.update(b);
            }
            for (List<int[]> grids : List.of(puzzles, solutions)) {
                for (int[] g : grids) {
                    for (int v : g) md.update((byte) v);
                    md.update((byte) 255); // grid boundary, so lengths cannot shift between grids
                }
            }
            return HexFormat.of().formatHex(md.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    private static String write(SudokuTraining.Check c) {
        StringBuilder s = new StringBuilder(HEADER).append('\n');
        s.append(String.format(Locale.ROOT, "%s %s %s %s", c.seconds(), c.coreSeconds(), c.rounds(), c.forcedCommits()));
        for (double d : c.density()) s.append(' ').append(d);
        s.append('\n');
        for (SudokuTask.Outcome o : c.outcomes()) s.append(o.name()).append('\n');
        return s.toString();
    }

    private static SudokuTraining.Check read(Path file, int size, int layers) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        try {
            if (lines.size() != size + 2 || !lines.get(0).equals(HEADER)) throw new IllegalArgumentException("wrong shape");
            String[] f = lines.get(1).trim().split(" ");
            if (f.length != 4 + layers) throw new IllegalArgumentException("wrong shape");
            double[] density = new double[layers];
            for (int k = 0; k < layers; k++) density[k] = Double.parseDouble(f[4 + k]);
            List<SudokuTask.Outcome> outcomes = new ArrayList<>(size);
            for (int i = 0; i < size; i++) outcomes.add(SudokuTask.Outcome.valueOf(lines.get(2 + i)));
            return new SudokuTraining.Check(outcomes, density, Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3]));
        } catch (IllegalArgumentException e) {
            throw new TritException("work file " + file + " is not a finished piece of this check; delete it and run again");
        }
    }
}
