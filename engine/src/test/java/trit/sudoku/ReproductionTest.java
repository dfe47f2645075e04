package trit.sudoku;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The shipped datasets are reproducible only while the solver, generator, rater and miner make exactly
 * the same choices: this pins a small chain's output (recorded when data/sudoku was mined), and checks
 * the shipped files themselves.
 */
class ReproductionTest {
    @Test
    void smallChainIsUnchanged() {
        List<Dataset.Row> rows = Miner.chain(new Miner.Settings(5, 3, 8, 4, 20_000), 0, 1, 2, new AtomicInteger());
        assertEquals(List.of(
                "trit-random ........1..7..2.8..6.3.......3.4......6....97.....5.1.3.....87...95.....7..13.46. 0.0",
                "trit-mined ..9....2.5..9.7...61..42.......3.58295............1.6..8......4..3..47.....16.... 5.25",
                "trit-mined .7...........9...46....75.9...1..46.53....8.7......9..8..5......56..9...3....462. 4.25"),
                rows.stream().map(r -> r.source() + " " + Grid.format(r.q()) + " " + r.rating()).toList());
    }

    @Test
    void shippedDatasetsAreValidAndDisjoint() throws Exception {
        Path dir = Path.of("..", "data", "sudoku");
        Path train = dir.resolve("extreme-train.csv.gz"), test = dir.resolve("extreme-test.csv.gz");
        assumeTrue(Files.exists(train) && Files.exists(test), "datasets not present");
        List<Dataset.Row> tr = Dataset.read(train), te = Dataset.read(test);
        assertEquals(1000, tr.size());
        assertTrue(te.size() >= 10_000);
        Solver s = new Solver();
        for (List<Dataset.Row> set : List.of(tr, te)) {
            for (Dataset.Row r : set) {
                Solver.Result res = s.solve(r.q(), 2);
                assertEquals(1, res.solutions(), Grid.format(r.q()));
                assertArrayEquals(r.a(), res.solution());
            }
        }
        // Canonical forms cost ~1.5 ms each: all of train against a slice of test keeps this test short.
        Set<String> forms = new HashSet<>();
        for (Dataset.Row r : tr) assertTrue(forms.add(Symmetry.canonicalText(r.q())), "duplicate class in train");
        for (Dataset.Row r : te.subList(0, 1500)) assertFalse(forms.contains(Symmetry.canonicalText(r.q())), "train/test leak");
    }
}
