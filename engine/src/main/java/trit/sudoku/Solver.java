package trit.sudoku;

import java.util.random.RandomGenerator;

/**
 * Exact solver: candidates as 9-bit masks, constraint propagation with naked singles (a cell with one
 * candidate) and hidden singles (a digit with one place in a unit), then binary branching on a cell with
 * the fewest candidates: either the cell takes its first candidate (one <em>guess</em>) or that candidate
 * is struck out and propagation resumes. Counts solutions up to a limit and the guesses spent.
 *
 * <p>Guesses are counted like tdoku's: one per binary decision "this cell is d", the alternative branch
 * being an elimination, not a guess. The numbers are not tdoku's (it also propagates locked candidates,
 * which settles more cells without guessing, and branches differently), so compare them only with each
 * other. Not thread-safe: one instance per thread.
 */
public final class Solver {
    private static final int ALL = 0x1FF;
    /** Set on a cell whose value has been struck from its peers. */
    private static final int PLACED = 0x200;

    /** The outcome of one search: solutions found (at most the limit), guesses made, the first solution found. */
    public record Result(int solutions, long guesses, int[] solution) {
        public boolean unique() { return solutions == 1; }
    }

    /** Peers of cell c at PEERS[20c .. 20c+19]; cells of unit u at UNITS[9u .. 9u+8]. */
    private static final int[] PEERS = new int[Grid.CELLS * 20];
    private static final int[] UNITS = new int[27 * 9];
    /** Bit u is set for the three units u a cell belongs to. */
    private static final int[] UNITS_OF = new int[Grid.CELLS];

    static {
        for (int c = 0; c < Grid.CELLS; c++) System.arraycopy(Grid.PEERS[c], 0, PEERS, c * 20, 20);
        for (int u = 0; u < 27; u++) {
            System.arraycopy(Grid.UNITS[u], 0, UNITS, u * 9, 9);
            for (int c : Grid.UNITS[u]) UNITS_OF[c] |= 1 << u;
        }
    }

    private final int[][] stack = new int[Grid.CELLS + 2][Grid.CELLS];
    /**
     * Units whose cells changed since their last hidden-single scan: a unit none of whose cells changed
     * cannot hold a new hidden single or a new contradiction, so skipping it reaches the same fixed point.
     */
    private int dirty;
    private final int[] queue = new int[4 * Grid.CELLS];
    private int head, tail;
    private int limit, solutions;
    private long guesses;
    private int[] first;
    private RandomGenerator random;

    /** Solves with the lowest candidate tried first (deterministic). */
    public Result solve(int[] puzzle, int limit) {
        return solve(puzzle, limit, null);
    }

    /**
     * Solves, counting up to {@code limit} solutions; with {@code random}, each guess picks a random
     * candidate (used to draw random complete grids), otherwise the lowest.
     */
    public Result solve(int[] puzzle, int limit, RandomGenerator random) {
        if (puzzle.length != Grid.CELLS) throw new IllegalArgumentException("puzzle of " + puzzle.length + " cells");
        if (limit < 1) throw new IllegalArgumentException("limit " + limit);
        this.limit = limit;
        this.random = random;
        solutions = 0;
        guesses = 0;
        first = null;
        int[] s = stack[0];
        java.util.Arrays.fill(s, ALL);
        head = tail = 0;
        dirty = (1 << 27) - 1;
        boolean ok = true;
        for (int c = 0; c < Grid.CELLS && ok; c++) {
            int v = puzzle[c];
            if (v == 0) continue;
            if (v < 1 || v > 9) throw new IllegalArgumentException("cell value " + v);
            int bit = 1 << (v - 1);
            if ((s[c] & bit) == 0) ok = false;
            s[c] = bit;
            queue[tail++] = c;
        }
        // A puzzle repeating a digit in a unit fails in propagation: the second copy finds its bit struck out.
        if (ok) search(0, true);
        return new Result(solutions, guesses, first);
    }

    /** True when the search should stop (the solution limit is reached). */
    private boolean search(int depth, boolean queued) {
        int[] s = stack[depth];
        if (!queued) head = tail = 0;
        while (true) {
            if (!propagate(s)) return false;
            int cell = fewestCandidates(s);
            if (cell < 0) {
                if (first == null) first = values(s);
                return ++solutions >= limit;
            }
            int m = s[cell];
            int bit = random == null ? Integer.lowestOneBit(m) : nthBit(m, random.nextInt(Integer.bitCount(m)));
            guesses++;
            int[] child = stack[depth + 1];
            System.arraycopy(s, 0, child, 0, Grid.CELLS);
            child[cell] = bit;
            head = tail = 0;
            queue[tail++] = cell;
            dirty = UNITS_OF[cell];
            if (search(depth + 1, true)) return true;
            head = tail = 0;
            dirty = UNITS_OF[cell];
            s[cell] = m & ~bit;
            if (Integer.bitCount(s[cell]) == 1) queue[tail++] = cell;
        }
    }

    /** Naked and hidden singles to a fixed point; false on a contradiction. */
    private boolean propagate(int[] s) {
        while (true) {
            while (head < tail) {
                int c = queue[head++];
                int v = s[c];
                if ((v & PLACED) != 0) continue;
                if (v == 0) return false;
                s[c] = v | PLACED;
                for (int i = c * 20, end = i + 20; i < end; i++) {
                    int p = PEERS[i];
                    int m = s[p];
                    if ((m & v) == 0) continue;
                    if ((m & PLACED) != 0) return false;
                    m &= ~v;
                    s[p] = m;
                    dirty |= UNITS_OF[p];
                    if (m == 0) return false;
                    if ((m & (m - 1)) == 0) queue[tail++] = p;
                }
            }
            head = tail = 0;
            int found = hiddenSingles(s);
            if (found < 0) return false;
            if (found == 0) return true;
        }
    }

    /** Queues each cell that is the only place for a digit in some unit: -1 on a contradiction, else how many. */
    private int hiddenSingles(int[] s) {
        int found = 0;
        while (dirty != 0) {
            int u = Integer.numberOfTrailingZeros(dirty);
            dirty &= dirty - 1;
            int base = u * 9;
            int once = 0, twice = 0;
            for (int i = base; i < base + 9; i++) {
                int m = s[UNITS[i]] & ALL;
                twice |= once & m;
                once |= m;
            }
            if (once != ALL) return -1;
            int single = once & ~twice;
            while (single != 0) {
                int bit = single & -single;
                single &= single - 1;
                for (int i = base; i < base + 9; i++) {
                    int c = UNITS[i];
                    int m = s[c];
                    if ((m & bit) != 0) {
                        if ((m & ALL) != bit) {
                            s[c] = bit;
                            queue[tail++] = c;
                            dirty |= UNITS_OF[c];
                            found++;
                        }
                        break;
                    }
                }
            }
            if (tail > queue.length - 2 * Grid.CELLS) break; // drain before the queue can fill
        }
        return found;
    }

    /** The unsolved cell with the fewest candidates (the first such), or -1 when all are placed. */
    private static int fewestCandidates(int[] s) {
        int best = -1, bestCount = 10;
        for (int c = 0; c < Grid.CELLS; c++) {
            int m = s[c];
            if ((m & PLACED) != 0) continue;
            int n = Integer.bitCount(m);
            if (n < bestCount) {
                best = c;
                bestCount = n;
                if (n <= 2) break;
            }
        }
        return best;
    }

    private static int nthBit(int m, int n) {
        for (int i = 0; i < n; i++) m &= m - 1;
        return m & -m;
    }

    private static int[] values(int[] s) {
        int[] g = new int[Grid.CELLS];
        for (int c = 0; c < Grid.CELLS; c++) g[c] = Integer.numberOfTrailingZeros(s[c] & ALL) + 1;
        return g;
    }
}
