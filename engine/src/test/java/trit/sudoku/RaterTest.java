package trit.sudoku;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RaterTest {
    @Test
    void singlesOnlyPuzzleRatesZeroAndHardOneHigh() {
        Rater r = new Rater(16);
        assertEquals(0.0, r.rate(Grid.parse(SolverTest.EASY)));
        double hard = r.rate(Grid.parse(SolverTest.HARD));
        assertTrue(hard > 20, "Inkala's puzzle: " + hard);
    }

    @Test
    void ratingIsAFunctionOfThePuzzle() {
        int[] p = new Generator(new SplittableRandom(4)).puzzle();
        assertEquals(new Rater(8).rate(p), new Rater(8).rate(p.clone()));
    }

    @Test
    void averageIsNearTheMeanOfManyImages() {
        // The rating over 16 images should sit within the spread of single-image guess counts.
        int[] p = Grid.parse(SolverTest.HARD);
        SplittableRandom rng = new SplittableRandom(7);
        Solver s = new Solver();
        long sum = 0;
        int n = 200;
        for (int i = 0; i < n; i++) sum += s.solve(Symmetry.random(rng).apply(p), 1).guesses();
        double mean = (double) sum / n, rated = new Rater(64).rate(p);
        assertEquals(mean, rated, mean * 0.35, "rating " + rated + " vs mean of " + n + " images " + mean);
    }
}
