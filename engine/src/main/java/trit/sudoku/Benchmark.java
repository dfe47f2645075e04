package trit.sudoku;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The named datasets. {@code extreme}: a train and a test set shaped like Sudoku-Extreme (a quarter
 * easy puzzles, the rest hard), drawn from disjoint mining chains (so train and test share no pool, no
 * solution grid from a pool and no equivalence class) and deduplicated by canonical form.
 */
public final class Benchmark {
    private Benchmark() {}

    /** Sudoku-Extreme's share of easy puzzles: 1.1M of its 4.2M come from easy sources. */
    public static final double EXTREME_RANDOM_SHARE = 0.26;
    public static final double EXTREME_MIN_RATING = 20;

    public record Sets(List<Dataset.Row> train, List<Dataset.Row> test) {}

    public static Sets extreme(Miner.Settings s, int trainCount, int testCount, int threads, Path workDir, Miner.Progress progress)
            throws IOException {
        // A few percent extra cover puzzles dropped as duplicates across chains.
        int trainWant = trainCount + Math.max(10, trainCount / 50), testWant = testCount + Math.max(10, testCount / 50);
        List<Miner.Job> trainJobs = Miner.jobs(trainWant, EXTREME_RANDOM_SHARE, 0);
        List<Miner.Job> testJobs = Miner.jobs(testWant, EXTREME_RANDOM_SHARE, 100_000);
        List<Miner.Job> all = new ArrayList<>(trainJobs);
        all.addAll(testJobs);
        List<List<Dataset.Row>> chains = Miner.run(s, all, threads, workDir, progress);
        List<Dataset.Row> train = new ArrayList<>(), test = new ArrayList<>();
        for (int i = 0; i < chains.size(); i++) (i < trainJobs.size() ? train : test).addAll(chains.get(i));
        train = Dataset.distinct(train);
        Set<String> trainForms = new HashSet<>();
        for (Dataset.Row r : train) trainForms.add(Symmetry.canonicalText(r.q()));
        List<Dataset.Row> testKept = new ArrayList<>();
        for (Dataset.Row r : Dataset.distinct(test)) if (!trainForms.contains(Symmetry.canonicalText(r.q()))) testKept.add(r);
        return new Sets(sample(train, trainCount, s.seed()), sample(testKept, testCount, s.seed() + 1));
    }

    /** {@code n} rows in a seeded random order (mixing chains and sources). */
    private static List<Dataset.Row> sample(List<Dataset.Row> rows, int n, long seed) {
        if (rows.size() < n) throw new trit.TritException("mining gave " + rows.size() + " distinct puzzles, fewer than the " + n + " asked for");
        List<Dataset.Row> copy = new ArrayList<>(rows);
        java.util.Collections.shuffle(copy, new java.util.Random(seed));
        return new ArrayList<>(copy.subList(0, n));
    }
}
