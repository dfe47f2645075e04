package trit.sudoku;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The validity-preserving symmetries of Sudoku: transposition, permutations of the bands and of the
 * stacks, of the rows within each band and the columns within each stack, and relabelling of the digits
 * (2 x 6^8 x 9! elements; rotations and reflections are among them). Any of them maps a puzzle with one
 * solution to a puzzle with one solution, and solving the image is exactly as hard in logic, though a
 * fixed solver's guess count can change (which is what {@link Rater} averages over).
 */
public final class Symmetry {
    private Symmetry() {}

    /**
     * One symmetry: output cell i holds input cell {@code cells[i]}, relabelled by {@code digits}
     * (digits[0] = 0 keeps blanks blank).
     */
    public record Transform(int[] cells, int[] digits) {
        public int[] apply(int[] g) {
            int[] out = new int[Grid.CELLS];
            for (int i = 0; i < Grid.CELLS; i++) out[i] = digits[g[cells[i]]];
            return out;
        }
    }

    /** A uniformly random element of the group. */
    public static Transform random(RandomGenerator rng) {
        int[] rows = lineOrder(rng), cols = lineOrder(rng);
        boolean transpose = rng.nextBoolean();
        int[] cells = new int[Grid.CELLS];
        for (int r = 0; r < 9; r++) {
            for (int c = 0; c < 9; c++) {
                int src = rows[r] * 9 + cols[c];
                cells[r * 9 + c] = transpose ? src % 9 * 9 + src / 9 : src;
            }
        }
        int[] perm = shuffled(9, rng);
        int[] digits = new int[10];
        for (int d = 1; d <= 9; d++) digits[d] = perm[d - 1] + 1;
        return new Transform(cells, digits);
    }

    /** Rows (or columns) in an order that keeps bands together: a band order, then an order within each band. */
    private static int[] lineOrder(RandomGenerator rng) {
        int[] bands = shuffled(3, rng);
        int[] out = new int[9];
        for (int b = 0; b < 3; b++) {
            int[] within = shuffled(3, rng);
            for (int i = 0; i < 3; i++) out[b * 3 + i] = bands[b] * 3 + within[i];
        }
        return out;
    }

    private static int[] shuffled(int n, RandomGenerator rng) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    /** Puzzle and solution moved by one random symmetry (training augmentation). */
    public static int[][] augment(int[] puzzle, int[] solution, RandomGenerator rng) {
        Transform t = random(rng);
        return new int[][] {t.apply(puzzle), t.apply(solution)};
    }

    /** All 1296 column orders that keep stacks together. */
    private static final int[][] COLUMN_ORDERS = columnOrders();

    private static int[][] columnOrders() {
        int[][] p3 = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
        int[][] out = new int[1296][];
        int n = 0;
        for (int[] stacks : p3) {
            for (int[] a : p3) {
                for (int[] b : p3) {
                    for (int[] c : p3) {
                        int[][] within = {a, b, c};
                        int[] o = new int[9];
                        for (int s = 0; s < 3; s++) for (int i = 0; i < 3; i++) o[s * 3 + i] = stacks[s] * 3 + within[s][i];
                        out[n++] = o;
                    }
                }
            }
        }
        return out;
    }

    /**
     * The canonical form of a grid or puzzle: the lexicographically smallest image (blank = 0, digits
     * relabelled in order of first appearance) over the whole group. Two grids are equivalent exactly
     * when their canonical forms are equal. Branch and bound over rows: after fixing transposition and
     * column order, rows are chosen one at a time and a branch is dropped as soon as its prefix exceeds
     * the best image found.
     */
    public static int[] canonical(int[] g) {
        return new Canonicalizer().run(g);
    }

    public static String canonicalText(int[] g) {
        return Grid.format(canonical(g));
    }

    private static final class Canonicalizer {
        final int[] best = new int[Grid.CELLS];
        final int[][] rows = new int[9][9];
        final int[][] maps = new int[10][10];
        final int[] row = new int[9];

        int[] run(int[] g) {
            Arrays.fill(best, Integer.MAX_VALUE);
            for (int t = 0; t < 2; t++) {
                for (int[] order : COLUMN_ORDERS) {
                    for (int r = 0; r < 9; r++) {
                        for (int c = 0; c < 9; c++) {
                            int src = t == 0 ? r * 9 + order[c] : order[c] * 9 + r;
                            rows[r][c] = g[src];
                        }
                    }
                    Arrays.fill(maps[0], 0);
                    descend(0, 0, 0, -1, 1);
                }
            }
            return best.clone();
        }

        /** Output row k: rows in {@code usedRows} are taken, the current band is {@code band}. */
        private void descend(int k, int usedRows, int usedBands, int band, int nextLabel) {
            if (k == 9) return;
            for (int r = 0; r < 9; r++) {
                if ((usedRows & (1 << r)) != 0) continue;
                int b = r / 3;
                if (k % 3 == 0 ? (usedBands & (1 << b)) != 0 : b != band) continue;
                int[] map = maps[k + 1];
                System.arraycopy(maps[k], 0, map, 0, 10);
                int next = nextLabel;
                int cmp = 0;
                int base = k * 9;
                for (int c = 0; c < 9; c++) {
                    int v = rows[r][c];
                    if (v != 0) {
                        if (map[v] == 0) map[v] = next++;
                        v = map[v];
                    }
                    row[c] = v;
                    if (cmp == 0) cmp = Integer.compare(v, best[base + c]);
                    if (cmp > 0) break;
                }
                if (cmp > 0) continue;
                if (cmp < 0) {
                    System.arraycopy(row, 0, best, base, 9);
                    Arrays.fill(best, base + 9, Grid.CELLS, Integer.MAX_VALUE);
                }
                descend(k + 1, usedRows | 1 << r, usedBands | 1 << b, b, next);
            }
        }
    }
}
