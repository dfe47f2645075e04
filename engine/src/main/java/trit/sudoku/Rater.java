package trit.sudoku;

import java.util.SplittableRandom;

/**
 * Difficulty: the mean number of guesses the fixed {@link Solver} (lowest candidate first) needs to find
 * the solution, over K random symmetric images of the puzzle. One image alone measures luck as much as
 * difficulty (whether the first candidate tried happens to be right); the images relabel digits and
 * reorder cells, so the average approaches the expected guess count of the branching rule. The images
 * are drawn from a seed taken from the puzzle text, so a rating is a function of the puzzle alone.
 * Not thread-safe.
 */
public final class Rater {
    public static final int DEFAULT_SAMPLES = 16;

    private final Solver solver = new Solver();
    private final int samples;

    public Rater(int samples) {
        if (samples < 1) throw new IllegalArgumentException("samples " + samples);
        this.samples = samples;
    }

    public int samples() { return samples; }

    /** Mean guesses over the images; the puzzle must have a solution. */
    public double rate(int[] puzzle) {
        SplittableRandom rng = new SplittableRandom(seedOf(puzzle));
        long total = 0;
        for (int k = 0; k < samples; k++) {
            int[] image = Symmetry.random(rng).apply(puzzle);
            Solver.Result r = solver.solve(image, 1);
            if (r.solutions() == 0) throw new IllegalArgumentException("puzzle has no solution: " + Grid.format(puzzle));
            total += r.guesses();
        }
        return (double) total / samples;
    }

    /** The rating rounded as the datasets store it (one decimal). */
    public static double round(double rating) {
        return Math.round(rating * 10) / 10.0;
    }

    private static long seedOf(int[] puzzle) {
        long h = 0x9E3779B97F4A7C15L;
        for (int v : puzzle) h = (h ^ v) * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        return h;
    }
}
