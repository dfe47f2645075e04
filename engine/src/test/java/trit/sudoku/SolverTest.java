package trit.sudoku;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SolverTest {
    static final String EASY = "53..7....6..195....98....6.8...6...34..8.3..17...2...6.6....28....419..5....8..79";
    static final String EASY_SOLUTION = "534678912672195348198342567859761423426853791713924856961537284287419635345286179";
    static final String HARD = "8..........36......7..9.2...5...7.......457.....1...3...1....68..85...1..9....4..";
    static final String HARD_SOLUTION = "812753649943682175675491283154237896369845721287169534521974368438526917796318452";

    @Test
    void solvesKnownPuzzles() {
        Solver s = new Solver();
        Solver.Result easy = s.solve(Grid.parse(EASY), 2);
        assertEquals(1, easy.solutions());
        assertEquals(EASY_SOLUTION, Dataset.digits(easy.solution()));
        assertEquals(0, easy.guesses(), "singles alone solve this one");
        Solver.Result hard = s.solve(Grid.parse(HARD), 2);
        assertEquals(1, hard.solutions());
        assertEquals(HARD_SOLUTION, Dataset.digits(hard.solution()));
        assertTrue(hard.guesses() > 5, "needs search: " + hard.guesses());
    }

    @Test
    void countsMultipleAndNoSolutions() {
        Solver s = new Solver();
        assertEquals(2, s.solve(new int[81], 2).solutions());
        int[] p = Grid.parse(HARD);
        p[0] = 0;
        assertEquals(2, s.solve(p, 2).solutions(), "dropping a given of a minimal puzzle");
        int[] bad = Grid.parse(EASY);
        bad[2] = 5; // row 1 already holds a 5
        assertEquals(0, s.solve(bad, 2).solutions());
        int[] dead = Grid.parse(EASY);
        dead[2] = 1; // legal alone, but no completion exists
        assertEquals(0, s.solve(dead, 2).solutions());
    }

    /** Against a plain backtracking reference on random puzzles, unique or not. */
    @Test
    void agreesWithBruteForceOnRandomPuzzles() {
        SplittableRandom rng = new SplittableRandom(11);
        Generator gen = new Generator(rng);
        Solver s = new Solver();
        for (int t = 0; t < 60; t++) {
            int[] p = gen.puzzle();
            int drop = t % 3; // 0: unique; 1-2 givens dropped: usually several solutions
            for (int i = 0; i < drop; i++) {
                int c;
                do c = rng.nextInt(81); while (p[c] == 0);
                p[c] = 0;
            }
            if (t % 10 == 9) { // an inconsistent one now and then
                int c;
                do c = rng.nextInt(81); while (p[c] != 0);
                p[c] = 1 + rng.nextInt(9);
            }
            int expected = bruteForce(p.clone(), 0, 2);
            Solver.Result r = s.solve(p, 2);
            assertEquals(expected, r.solutions(), Grid.format(p));
            if (r.solutions() > 0) assertTrue(Grid.solves(p, r.solution()));
        }
    }

    static int bruteForce(int[] g, int from, int limit) {
        int c = from;
        while (c < 81 && g[c] != 0) c++;
        if (c == 81) return Grid.conflict(g) == null ? 1 : 0;
        int n = 0;
        for (int v = 1; v <= 9 && n < limit; v++) {
            if (!allowed(g, c, v)) continue;
            g[c] = v;
            n += bruteForce(g, c + 1, limit - n);
            g[c] = 0;
        }
        return n;
    }

    private static boolean allowed(int[] g, int c, int v) {
        for (int p : Grid.PEERS[c]) if (g[p] == v) return false;
        return true;
    }

    @Test
    void randomBranchingDrawsDifferentValidGrids() {
        Solver s = new Solver();
        SplittableRandom rng = new SplittableRandom(3);
        int[] a = s.solve(new int[81], 1, rng).solution(), b = s.solve(new int[81], 1, rng).solution();
        assertTrue(Grid.solves(new int[81], a));
        assertTrue(Grid.solves(new int[81], b));
        assertNotEquals(Dataset.digits(a), Dataset.digits(b));
    }
}
