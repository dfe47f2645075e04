package trit.sudoku;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trit.TritException;

class DatasetTest {
    @TempDir Path dir;

    @Test
    void writesAndReadsGzippedCsv() throws Exception {
        int[] q = Grid.parse(SolverTest.HARD), a = Grid.parse(SolverTest.HARD_SOLUTION);
        Path f = dir.resolve("x.csv.gz");
        Dataset.write(f, List.of(new Dataset.Row("trit-mined", q, a, 12.34)));
        List<Dataset.Row> back = Dataset.read(f);
        assertEquals(1, back.size());
        assertArrayEquals(q, back.get(0).q());
        assertArrayEquals(a, back.get(0).a());
        assertEquals(12.3, back.get(0).rating());
        assertEquals("trit-mined", back.get(0).source());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void badLinesComeBackAsErrorsAndTheRestIsRead() throws Exception {
        Path f = dir.resolve("p.txt");
        Files.writeString(f, String.join("\n", SolverTest.EASY, "123", SolverTest.EASY.replace('.', 'x'), "", "# comment",
                SolverTest.HARD.replace('.', '0')) + "\n");
        List<PuzzleFile.Entry> e = PuzzleFile.read(f);
        assertEquals(4, e.size());
        assertTrue(e.get(0).ok());
        assertEquals("expected 81 cells, got 3 characters", e.get(1).error());
        assertEquals(2, e.get(1).line());
        assertTrue(e.get(2).error().startsWith("bad character 'x' at position 3"), e.get(2).error());
        assertTrue(e.get(3).ok());
        assertEquals(6, e.get(3).line());
    }

    @Test
    void readsCsvColumnsByHeaderName() throws Exception {
        Path f = dir.resolve("d.csv");
        Files.writeString(f, "q,rating,a\n" + SolverTest.EASY + ",0.5," + SolverTest.EASY_SOLUTION + "\n" + SolverTest.EASY + ",x," + SolverTest.EASY_SOLUTION + "\n");
        List<PuzzleFile.Entry> e = PuzzleFile.read(f);
        assertEquals(0.5, e.get(0).rating());
        assertEquals(SolverTest.EASY_SOLUTION, Dataset.digits(e.get(0).answer()));
        assertEquals("rating is not a number: x", e.get(1).error());
        assertThrows(TritException.class, () -> Dataset.read(f));
    }

    /** Equivalent copies (random symmetric images) must all land on one side of the split. */
    @Test
    void splitNeverSharesAnEquivalenceClass() {
        SplittableRandom rng = new SplittableRandom(12);
        Generator gen = new Generator(rng);
        Solver s = new Solver();
        List<Dataset.Row> rows = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            int[] p = gen.puzzle();
            int copies = 1 + rng.nextInt(3);
            for (int k = 0; k < copies; k++) {
                int[] img = k == 0 ? p : Symmetry.random(rng).apply(p);
                rows.add(new Dataset.Row("t", img, s.solve(img, 1).solution(), 0));
            }
        }
        Dataset.Split split = Dataset.split(rows, 20, -1, 3);
        assertEquals(20, split.train().size());
        assertEquals(rows.size() - 20, split.test().size());
        Set<String> train = new HashSet<>();
        for (Dataset.Row r : split.train()) train.add(Symmetry.canonicalText(r.q()));
        for (Dataset.Row r : split.test()) assertFalse(train.contains(Symmetry.canonicalText(r.q())), "leak: " + Grid.format(r.q()));
        assertEquals(30, Dataset.distinct(rows).size());
    }

    /** A row equivalent to an excluded one goes, whatever symmetry moved it; of equivalent rows the first stays. */
    @Test
    void distinctExceptDropsEquivalentsOfTheExcludedAndRepeats() {
        SplittableRandom rng = new SplittableRandom(7);
        Generator gen = new Generator(rng);
        Solver s = new Solver();
        List<Dataset.Row> rows = new ArrayList<>(), excluded = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            int[] p = gen.puzzle();
            rows.add(new Dataset.Row("r" + i, p, s.solve(p, 1).solution(), 0));
        }
        int[] image = Symmetry.random(rng).apply(rows.get(3).q());
        excluded.add(new Dataset.Row("x", image, s.solve(image, 1).solution(), 0));
        int[] again = Symmetry.random(rng).apply(rows.get(5).q());
        rows.add(new Dataset.Row("again", again, s.solve(again, 1).solution(), 0));

        List<Dataset.Row> kept = Dataset.distinctExcept(rows, excluded);
        assertEquals(11, kept.size());
        assertEquals(List.of("r0", "r1", "r2", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11"), kept.stream().map(Dataset.Row::source).toList());
        assertEquals(12, Dataset.distinct(rows).size());
    }

    @Test
    void minerIsDeterministicRespectsTheThresholdAndResumes() throws Exception {
        Miner.Settings s = new Miner.Settings(5, 3, 8, 4, 20_000);
        List<Dataset.Row> a = Miner.chain(s, 0, 2, 6, new AtomicInteger());
        List<Dataset.Row> b = Miner.chain(s, 0, 2, 6, new AtomicInteger());
        assertEquals(8, a.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(Grid.format(a.get(i).q()), Grid.format(b.get(i).q()));
            assertEquals(1, new Solver().solve(a.get(i).q(), 2).solutions());
            assertArrayEquals(new Solver().solve(a.get(i).q(), 1).solution(), a.get(i).a());
            if (i >= 2) {
                assertEquals("trit-mined", a.get(i).source());
                assertTrue(a.get(i).rating() >= 3);
            }
        }
        List<Miner.Job> jobs = List.of(new Miner.Job(0, 2, 6));
        List<List<Dataset.Row>> first = Miner.run(s, jobs, 2, dir, (d, n, e, w) -> {});
        long files;
        try (var l = Files.list(dir)) {
            files = l.count();
        }
        assertEquals(1, files);
        List<List<Dataset.Row>> again = Miner.run(s, jobs, 1, dir, (d, n, e, w) -> {});
        assertEquals(Grid.format(first.get(0).get(7).q()), Grid.format(again.get(0).get(7).q()));
    }

    @Test
    void jobsCoverTheCountInSmallChains() {
        List<Miner.Job> jobs = Miner.jobs(1010, 0.26, 0);
        assertEquals(1010, jobs.stream().mapToInt(j -> j.random() + j.hard()).sum());
        assertEquals(263, jobs.stream().mapToInt(Miner.Job::random).sum());
        assertTrue(jobs.stream().allMatch(j -> j.hard() <= Miner.CHAIN_SIZE));
    }
}
