package trit.sudoku;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GridTest {
    /** Straight from the definitions, one digit and one unit at a time. */
    private static int[] singlesByDefinition(int[] g) {
        int[] kind = new int[Grid.CELLS];
        for (int c = 0; c < Grid.CELLS; c++) {
            if (g[c] != 0) continue;
            int allowed = 0;
            for (int d = 1; d <= 9; d++) if (fits(g, c, d)) allowed++;
            if (allowed == 1) {
                kind[c] = Grid.NAKED_SINGLE;
                continue;
            }
            for (int[] unit : Grid.UNITS) {
                if (!contains(unit, c)) continue;
                for (int d = 1; d <= 9; d++) {
                    if (!fits(g, c, d)) continue;
                    boolean elsewhere = false;
                    for (int o : unit) if (o != c && g[o] == 0 && fits(g, o, d)) elsewhere = true;
                    if (!elsewhere) kind[c] = Grid.HIDDEN_SINGLE;
                }
            }
        }
        return kind;
    }

    private static boolean fits(int[] g, int c, int d) {
        for (int o = 0; o < Grid.CELLS; o++) {
            boolean peer = o != c && (Grid.row(o) == Grid.row(c) || Grid.col(o) == Grid.col(c) || Grid.box(o) == Grid.box(c));
            if (peer && g[o] == d) return false;
        }
        return true;
    }

    private static boolean contains(int[] unit, int c) {
        for (int x : unit) if (x == c) return true;
        return false;
    }

    @Test
    void singlesMatchTheDefinitionsAndAreForcedByTheSolution() {
        SplittableRandom rng = new SplittableRandom(41);
        Generator gen = new Generator(rng);
        int naked = 0, hidden = 0;
        for (int k = 0; k < 200; k++) {
            int[] solution = gen.grid();
            int[] g = solution.clone();
            double blank = 0.3 + 0.6 * rng.nextDouble();
            for (int c = 0; c < Grid.CELLS; c++) if (rng.nextDouble() < blank) g[c] = 0;
            int[] kind = Grid.singles(g);
            assertArrayEquals(singlesByDefinition(g), kind);
            for (int c = 0; c < Grid.CELLS; c++) {
                if (kind[c] == Grid.NAKED_SINGLE) naked++;
                if (kind[c] == Grid.HIDDEN_SINGLE) hidden++;
            }
        }
        assertTrue(naked > 100 && hidden > 100, "the sample exercises both kinds: " + naked + " naked, " + hidden + " hidden");
    }

    @Test
    void aHiddenSingleThatIsNotNaked() {
        // 1s in boxes 1 and 2 and in columns 1 and 2 (below box 0) leave (0,0) the only place for a 1 in
        // row 0, though (0,0) itself still has all nine candidates.
        int[] g = new int[Grid.CELLS];
        g[1 * 9 + 3] = 1;
        g[2 * 9 + 6] = 1;
        g[3 * 9 + 1] = 1;
        g[6 * 9 + 2] = 1;
        assertNull(Grid.conflict(g));
        int[] kind = Grid.singles(g);
        assertEquals(Grid.HIDDEN_SINGLE, kind[0]);
        assertEquals(Grid.NOT_SINGLE, kind[1]);
        assertEquals(Grid.NOT_SINGLE, kind[1 * 9 + 3], "a given is no single");
        int[] full = new Generator(new SplittableRandom(3)).grid();
        int[] one = full.clone();
        one[40] = 0;
        assertEquals(Grid.NAKED_SINGLE, Grid.singles(one)[40]);
    }
}
