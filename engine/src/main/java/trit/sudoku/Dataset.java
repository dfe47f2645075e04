package trit.sudoku;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import trit.TritException;

/**
 * Benchmark rows ({@code source,q,a,rating}, Sudoku-Extreme's CSV layout), their atomic writing and the
 * leakage-free train/test split: puzzles are grouped by canonical form and a whole group goes to one side,
 * so no puzzle in one split is a relabelled, transposed or permuted copy of one in the other.
 */
public final class Dataset {
    private Dataset() {}

    public static final String HEADER = "source,q,a,rating";

    public record Row(String source, int[] q, int[] a, double rating) {
        String csv() {
            return source + "," + Grid.format(q) + "," + digits(a) + "," + Rater.round(rating);
        }
    }

    /** The answer as 81 digits. */
    public static String digits(int[] a) {
        char[] s = new char[Grid.CELLS];
        for (int i = 0; i < Grid.CELLS; i++) s[i] = (char) ('0' + a[i]);
        return new String(s);
    }

    /** Rows from a dataset file; every row must parse and carry an answer and a rating. */
    public static List<Row> read(Path file) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (PuzzleFile.Entry e : PuzzleFile.read(file)) {
            if (!e.ok()) throw new TritException(file + ":" + e.line() + ": " + e.error());
            if (e.answer() == null) throw new TritException(file + ":" + e.line() + ": no answer column (a dataset needs source,q,a,rating)");
            rows.add(new Row(e.source() == null ? "" : e.source(), e.puzzle(), e.answer(), e.rating() == null ? Double.NaN : e.rating()));
        }
        return rows;
    }

    /** Writes the rows atomically (temp file, then rename); gzipped when the name ends in .gz. */
    public static void write(Path file, Collection<Row> rows) throws IOException {
        Path abs = file.toAbsolutePath();
        if (abs.getParent() != null) Files.createDirectories(abs.getParent());
        trit.AtomicFiles.replace(abs, tmp -> {
            try (OutputStream raw = Files.newOutputStream(tmp);
                 OutputStream out = file.toString().endsWith(".gz") ? new GZIPOutputStream(raw) : raw;
                 BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))) {
                w.write(HEADER);
                w.write('\n');
                for (Row r : rows) {
                    w.write(r.csv());
                    w.write('\n');
                }
            }
        });
    }

    /** Train and test rows; no canonical form occurs on both sides. */
    public record Split(List<Row> train, List<Row> test) {}

    /**
     * Groups the rows by canonical form, shuffles the groups with {@code seed}, and fills the train side
     * with whole groups until it holds {@code trainCount} rows (a group that would overshoot goes to test);
     * the rest is test, cut to {@code testCount} rows when that is not negative.
     */
    public static Split split(List<Row> rows, int trainCount, int testCount, long seed) {
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        for (Row r : rows) groups.computeIfAbsent(Symmetry.canonicalText(r.q()), k -> new ArrayList<>()).add(r);
        List<List<Row>> order = new ArrayList<>(groups.values());
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = order.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            var t = order.get(i);
            order.set(i, order.get(j));
            order.set(j, t);
        }
        List<Row> train = new ArrayList<>(), test = new ArrayList<>();
        for (List<Row> g : order) {
            if (train.size() + g.size() <= trainCount) train.addAll(g);
            else test.addAll(g);
        }
        if (train.size() < trainCount) {
            throw new TritException("only " + train.size() + " rows fit the train split of " + trainCount + " (from " + rows.size() + " rows in "
                    + groups.size() + " equivalence classes)");
        }
        if (testCount >= 0) {
            if (test.size() < testCount) throw new TritException("only " + test.size() + " rows left for a test split of " + testCount);
            test = new ArrayList<>(test.subList(0, testCount));
        }
        return new Split(train, test);
    }

    /** Keeps the first row of each equivalence class. */
    public static List<Row> distinct(List<Row> rows) {
        return distinctExcept(rows, List.of());
    }

    /**
     * Keeps the first row of each equivalence class that has no member in {@code excluded}: how a new
     * training set is kept off a test set even where a mining chain re-finds one of its puzzles.
     */
    public static List<Row> distinctExcept(List<Row> rows, Collection<Row> excluded) {
        Set<String> seen = new HashSet<>();
        for (Row r : excluded) seen.add(Symmetry.canonicalText(r.q()));
        List<Row> out = new ArrayList<>();
        for (Row r : rows) if (seen.add(Symmetry.canonicalText(r.q()))) out.add(r);
        return out;
    }
}
