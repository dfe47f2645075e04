package trit.sudoku;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GeneratorTest {
    private static void assertMinimalUnique(int[] p) {
        Solver s = new Solver();
        assertEquals(1, s.solve(p, 2).solutions(), Grid.format(p));
        for (int c = 0; c < 81; c++) {
            if (p[c] == 0) continue;
            int[] q = p.clone();
            q[c] = 0;
            assertEquals(2, s.solve(q, 2).solutions(), "given at " + c + " is not needed in " + Grid.format(p));
        }
    }

    @Test
    void puzzlesAreUniqueAndMinimal() {
        Generator gen = new Generator(new SplittableRandom(1));
        for (int i = 0; i < 10; i++) {
            int[] p = gen.puzzle();
            assertMinimalUnique(p);
            assertTrue(Grid.givens(p) >= 17 && Grid.givens(p) < 40);
        }
    }

    @Test
    void mutationsStayUniqueAndMinimal() {
        SplittableRandom rng = new SplittableRandom(2);
        Generator gen = new Generator(rng);
        int[] p = gen.puzzle();
        for (int i = 0; i < 10; i++) {
            int[] q = gen.mutate(p, 1 + i % 2, i % 3 == 0);
            assertMinimalUnique(q);
            assertNotEquals(Grid.format(p), Grid.format(q));
            p = q;
        }
    }

    @Test
    void sameSeedSamePuzzles() {
        Generator a = new Generator(new SplittableRandom(42)), b = new Generator(new SplittableRandom(42));
        for (int i = 0; i < 3; i++) assertEquals(Grid.format(a.puzzle()), Grid.format(b.puzzle()));
    }
}
