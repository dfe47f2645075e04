package trit.sudoku;

import java.util.random.RandomGenerator;

/**
 * Random puzzles: complete grids drawn by the solver's randomized search on an empty board (every
 * guess picks a random candidate, so the grid is not a relabelled copy of a fixed one), carved to a
 * minimal puzzle (no given can be removed without losing uniqueness), and the local move the
 * {@link Miner} uses to walk towards harder puzzles. Not thread-safe.
 */
public final class Generator {
    private final Solver solver = new Solver();
    private final RandomGenerator rng;

    public Generator(RandomGenerator rng) {
        this.rng = rng;
    }

    /** A random complete valid grid. */
    public int[] grid() {
        return solver.solve(new int[Grid.CELLS], 1, rng).solution();
    }

    /** A random minimal puzzle whose unique solution is a fresh random grid. */
    public int[] puzzle() {
        return minimize(grid());
    }

    /**
     * Removes givens in random order, each only if the puzzle stays unique. One pass suffices for
     * minimality: a given that was needed with more givens present is still needed with fewer.
     * The input must have a unique solution.
     */
    public int[] minimize(int[] puzzle) {
        int[] p = puzzle.clone();
        for (int c : shuffledCells()) {
            if (p[c] == 0) continue;
            int v = p[c];
            p[c] = 0;
            if (solver.solve(p, 2).solutions() != 1) p[c] = v;
        }
        return p;
    }

    /**
     * A neighbour of a unique puzzle: {@code remove} random givens are dropped, a solution of what is
     * left is chosen (the old one, or with {@code newSolution} a random one, usually different), givens of
     * that solution are added at random blank cells until the puzzle is unique again, and the result is
     * minimized. Keeping the solution moves givens within one grid (a small step); a new solution is a
     * bigger jump.
     */
    public int[] mutate(int[] puzzle, int remove, boolean newSolution) {
        int[] p = puzzle.clone();
        int[] givens = new int[Grid.CELLS];
        int n = 0;
        for (int c = 0; c < Grid.CELLS; c++) if (p[c] != 0) givens[n++] = c;
        for (int i = 0; i < remove && n > 0; i++) {
            int j = rng.nextInt(n);
            p[givens[j]] = 0;
            givens[j] = givens[--n];
        }
        int[] target = solver.solve(newSolution ? p : puzzle, 1, newSolution ? rng : null).solution();
        for (int c : shuffledCells()) {
            if (p[c] != 0) continue;
            if (solver.solve(p, 2).solutions() == 1) break;
            p[c] = target[c];
        }
        return minimize(p);
    }

    private int[] shuffledCells() {
        int[] a = new int[Grid.CELLS];
        for (int i = 0; i < a.length; i++) a[i] = i;
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
