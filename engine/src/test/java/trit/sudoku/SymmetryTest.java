package trit.sudoku;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SymmetryTest {
    @Test
    void transformsKeepPuzzlesValidAndUnique() {
        SplittableRandom rng = new SplittableRandom(5);
        Solver s = new Solver();
        int[] p = Grid.parse(SolverTest.HARD);
        int[] a = Grid.parse(SolverTest.HARD_SOLUTION);
        for (int i = 0; i < 50; i++) {
            int[][] pa = Symmetry.augment(p, a, rng);
            assertEquals(Grid.givens(p), Grid.givens(pa[0]));
            Solver.Result r = s.solve(pa[0], 2);
            assertEquals(1, r.solutions());
            assertArrayEquals(pa[1], r.solution(), "the image of the solution solves the image of the puzzle");
        }
    }

    @Test
    void canonicalFormIsInvariantAndAnImage() {
        SplittableRandom rng = new SplittableRandom(6);
        Generator gen = new Generator(rng);
        for (int i = 0; i < 12; i++) {
            int[] p = i % 4 == 0 ? gen.grid() : gen.puzzle();
            String c = Symmetry.canonicalText(p);
            for (int k = 0; k < 3; k++) assertEquals(c, Symmetry.canonicalText(Symmetry.random(rng).apply(p)));
            int[] cf = Symmetry.canonical(p);
            assertEquals(Grid.givens(p), Grid.givens(cf));
            assertEquals(c, Symmetry.canonicalText(cf), "the canonical form is its own canonical form");
            assertNull(Grid.conflict(cf));
        }
    }

    /** Brute force over a subgroup (transpose x band order x stack order x digits by first appearance) on a grid. */
    @Test
    void canonicalFormIsNoLargerThanAnyImage() {
        SplittableRandom rng = new SplittableRandom(8);
        int[] p = new Generator(rng).puzzle();
        String c = Symmetry.canonicalText(p).replace('.', '0');
        for (int i = 0; i < 300; i++) {
            int[] img = Symmetry.random(rng).apply(p);
            int[] relabelled = relabel(img);
            assertTrue(c.compareTo(Grid.format(relabelled).replace('.', '0')) <= 0);
        }
    }

    private static int[] relabel(int[] g) {
        int[] map = new int[10];
        int next = 1;
        int[] out = new int[81];
        for (int i = 0; i < 81; i++) {
            if (g[i] == 0) continue;
            if (map[g[i]] == 0) map[g[i]] = next++;
            out[i] = map[g[i]];
        }
        return out;
    }

    @Test
    void differentPuzzlesUsuallyDifferInForm() {
        SplittableRandom rng = new SplittableRandom(9);
        Generator gen = new Generator(rng);
        Set<String> forms = new HashSet<>();
        for (int i = 0; i < 20; i++) forms.add(Symmetry.canonicalText(gen.puzzle()));
        assertEquals(20, forms.size());
    }
}
