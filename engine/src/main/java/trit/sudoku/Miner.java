package trit.sudoku;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import trit.TritException;

/**
 * Mines hard puzzles by local search, because uniformly drawn minimal puzzles are nearly all easy (mean
 * about 1.7 guesses). A chain keeps a pool of puzzles; each step mutates a random pool member
 * ({@link Generator#mutate}: drop 1-2 givens, re-complete to uniqueness, minimize; one step in ten on a
 * new solution grid), rates the child, lets it replace the easiest pool member when it is at least as
 * hard, and emits it when its rating reaches {@code minRating} and its equivalence class is new to the
 * chain. Chains are independent and seeded from (seed, chain index), so the output does not depend on the
 * thread count; with a work directory each finished chain is saved and skipped on a rerun.
 */
public final class Miner {
    /** Hard puzzles each chain emits; one pool's output shares grids and givens, so chains are kept small. */
    public static final int CHAIN_SIZE = 250;

    public record Settings(long seed, double minRating, int pool, int samples, long maxStepsPerPuzzle) {
        public Settings {
            if (pool < 2) throw new TritException("pool must be at least 2, got " + pool);
            if (samples < 1) throw new TritException("samples must be at least 1, got " + samples);
        }

        public static Settings defaults(long seed, double minRating) {
            return new Settings(seed, minRating, 32, Rater.DEFAULT_SAMPLES, 20_000);
        }

        String tag() {
            return "s" + seed + "-r" + minRating + "-p" + pool + "-k" + samples;
        }
    }

    /** Reports progress: chains done, puzzles emitted so far over all chains. */
    public interface Progress {
        void update(int chainsDone, int chains, int emitted, int wanted);
    }

    /** One chain's output: {@code random} rated random minimal puzzles, then up to {@code hard} mined ones. */
    public static List<Dataset.Row> chain(Settings s, int index, int random, int hard, AtomicInteger emitted) {
        SplittableRandom rng = new SplittableRandom(s.seed() * 0x9E3779B97F4A7C15L + index);
        Generator gen = new Generator(rng);
        Rater rater = new Rater(s.samples());
        Solver solver = new Solver();
        List<Dataset.Row> out = new ArrayList<>();
        for (int i = 0; i < random; i++) {
            int[] p = gen.puzzle();
            out.add(new Dataset.Row("trit-random", p, solver.solve(p, 1).solution(), rater.rate(p)));
            emitted.incrementAndGet();
        }
        if (hard == 0) return out;
        int[][] pool = new int[s.pool()][];
        double[] ratings = new double[s.pool()];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = gen.puzzle();
            ratings[i] = rater.rate(pool[i]);
        }
        Set<String> seen = new HashSet<>();
        int found = 0;
        long maxSteps = s.maxStepsPerPuzzle() * hard;
        for (long step = 0; found < hard && step < maxSteps; step++) {
            int[] child = gen.mutate(pool[rng.nextInt(pool.length)], 1 + rng.nextInt(2), rng.nextInt(10) == 0);
            double r = rater.rate(child);
            int easiest = 0;
            for (int i = 1; i < pool.length; i++) if (ratings[i] < ratings[easiest]) easiest = i;
            if (r >= ratings[easiest] && !contains(pool, child)) {
                pool[easiest] = child;
                ratings[easiest] = r;
            }
            if (r >= s.minRating() && seen.add(Symmetry.canonicalText(child))) {
                out.add(new Dataset.Row("trit-mined", child, solver.solve(child, 1).solution(), r));
                found++;
                emitted.incrementAndGet();
            }
        }
        return out;
    }

    private static boolean contains(int[][] pool, int[] p) {
        for (int[] q : pool) if (Arrays.equals(q, p)) return true;
        return false;
    }

    /** What one chain must produce. */
    public record Job(int index, int random, int hard) {}

    /**
     * Runs the chains on {@code threads} threads and returns their rows in chain order. With a work
     * directory, a chain whose file exists there is read back instead of mined again.
     */
    public static List<List<Dataset.Row>> run(Settings s, List<Job> jobs, int threads, Path workDir, Progress progress)
            throws IOException {
        if (workDir != null) Files.createDirectories(workDir);
        AtomicInteger emitted = new AtomicInteger(), done = new AtomicInteger();
        int wanted = jobs.stream().mapToInt(j -> j.random() + j.hard()).sum();
        List<Future<List<Dataset.Row>>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (Job j : jobs) {
                futures.add(pool.submit(() -> {
                    Path file = workDir == null ? null : workDir.resolve("chain-" + s.tag() + "-" + j.index() + "-" + j.random() + "-" + j.hard() + ".csv");
                    List<Dataset.Row> rows;
                    if (file != null && Files.exists(file)) {
                        rows = Dataset.read(file);
                        emitted.addAndGet(rows.size());
                    } else {
                        rows = chain(s, j.index(), j.random(), j.hard(), emitted);
                        if (file != null) Dataset.write(file, rows);
                    }
                    progress.update(done.incrementAndGet(), jobs.size(), emitted.get(), wanted);
                    return rows;
                }));
            }
            List<List<Dataset.Row>> out = new ArrayList<>();
            while (true) {
                boolean all = true;
                for (var f : futures) all &= f.isDone();
                progress.update(done.get(), jobs.size(), emitted.get(), wanted);
                if (all) break;
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            for (var f : futures) out.add(f.get());
            return out;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /**
     * Jobs for {@code count} puzzles of which a share {@code randomShare} are random minimal puzzles and
     * the rest mined, split into chains of at most {@link #CHAIN_SIZE} mined puzzles, chain indices
     * starting at {@code firstIndex}.
     */
    public static List<Job> jobs(int count, double randomShare, int firstIndex) {
        int random = (int) Math.round(count * randomShare);
        int hard = count - random;
        int chains = Math.max(1, (hard + CHAIN_SIZE - 1) / CHAIN_SIZE);
        List<Job> out = new ArrayList<>();
        for (int i = 0; i < chains; i++) {
            int r = random / chains + (i < random % chains ? 1 : 0);
            int h = hard / chains + (i < hard % chains ? 1 : 0);
            out.add(new Job(firstIndex + i, r, h));
        }
        return out;
    }
}
