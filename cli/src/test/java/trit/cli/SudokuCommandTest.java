package trit.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trit.sudoku.Dataset;
import trit.sudoku.Symmetry;

/** The sudoku commands' contract: per-line errors that do not stop a batch, JSON fields, a leakage-free split. */
class SudokuCommandTest {
    @TempDir Path dir;

    static final String HARD = "8..........36......7..9.2...5...7.......457.....1...3...1....68..85...1..9....4..";
    static final String HARD_SOLUTION = "812753649943682175675491283154237896369845721287169534521974368438526917796318452";

    @Test
    void solveReportsEachBadLineAndSolvesTheRest() throws Exception {
        Path f = dir.resolve("p.txt");
        Files.writeString(f, String.join("\n", HARD, "12345", HARD.replace('8', 'z'), "88" + HARD.substring(2), ".".repeat(81),
                "1" + HARD.substring(1), HARD.replace('.', '0')) + "\n");
        CliTest.Run r = CliTest.trit("sudoku", "solve", f.toString(), "--json", "--out", dir.resolve("pred.txt").toString());
        assertEquals(0, r.code(), r.err());
        String j = r.out();
        assertTrue(j.contains("\"puzzles\":7,\"solved\":2,\"errors\":5"), j);
        assertTrue(j.contains("\"solution\":\"" + HARD_SOLUTION + "\""), j);
        assertTrue(j.contains("\"line\":2,\"puzzle\":\"12345\",\"error\":\"expected 81 cells, got 5 characters\""), j);
        assertTrue(j.contains("bad character 'z'"), j);
        assertTrue(j.contains("contradictory givens: digit 8 appears twice in row 1"), j);
        assertTrue(j.contains("\"error\":\"more than one solution\""), j);
        assertTrue(j.contains("\"error\":\"no solution\""), j);
        List<String> pred = Files.readAllLines(dir.resolve("pred.txt"));
        assertEquals(List.of(HARD_SOLUTION, "", "", "", "", "", HARD_SOLUTION), pred);

        CliTest.Run text = CliTest.trit("sudoku", "solve", f.toString());
        assertEquals(HARD_SOLUTION + "\n" + HARD_SOLUTION, text.out().strip());
        assertEquals(5, text.err().strip().lines().count(), text.err());
        assertTrue(text.err().contains("p.txt:2: expected 81 cells"), text.err());
    }

    @Test
    void missingFileIsOneLineExitTwo() {
        CliTest.Run r = CliTest.trit("sudoku", "solve", dir.resolve("none.txt").toString());
        assertEquals(2, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void generateSplitRateAndEvalWorkTogether() throws Exception {
        Path all = dir.resolve("all.csv.gz");
        CliTest.Run g = CliTest.trit("sudoku", "generate", "--count", "24", "--min-rating", "3", "--samples", "4", "--pool", "6",
                "--seed", "2", "--threads", "2", "--out", all.toString(), "--json", "-q");
        assertEquals(0, g.code(), g.err());
        assertTrue(g.out().contains("\"count\":24"), g.out());
        List<Dataset.Row> rows = Dataset.read(all);
        assertEquals(24, rows.size());
        assertEquals(6, rows.stream().filter(r -> r.source().equals("trit-random")).count());
        assertTrue(rows.stream().filter(r -> r.source().equals("trit-mined")).allMatch(r -> r.rating() >= 3));

        // The same seed gives the same file whatever the thread count.
        Path again = dir.resolve("again.csv.gz");
        assertEquals(0, CliTest.trit("sudoku", "generate", "--count", "24", "--min-rating", "3", "--samples", "4", "--pool", "6",
                "--seed", "2", "--threads", "1", "--out", again.toString(), "-q").code());
        assertEquals(rows.stream().map(r -> Dataset.digits(r.a())).toList(), Dataset.read(again).stream().map(r -> Dataset.digits(r.a())).toList());

        // --exclude keeps a new set off an old one: the same chains again, minus the puzzles of `all`'s first half.
        Path half = dir.resolve("half.csv"), rest = dir.resolve("rest.csv");
        Dataset.write(half, rows.subList(0, 12));
        CliTest.Run x = CliTest.trit("sudoku", "generate", "--count", "24", "--min-rating", "3", "--samples", "4", "--pool", "6",
                "--seed", "2", "--out", rest.toString(), "--exclude", half.toString(), "--json", "-q");
        assertEquals(0, x.code(), x.err());
        List<Dataset.Row> restRows = Dataset.read(rest);
        assertEquals(Dataset.distinctExcept(rows, rows.subList(0, 12)).size(), restRows.size());
        assertTrue(restRows.size() <= 12, "" + restRows.size());
        assertTrue(x.out().contains("\"dropped\":" + (24 - restRows.size())), x.out());
        CliTest.Run missing = CliTest.trit("sudoku", "generate", "--count", "24", "--out", rest.toString(), "--exclude", dir.resolve("nope.csv").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("nope.csv"), missing.err());
        CliTest.Run named = CliTest.trit("sudoku", "generate", "extreme", "--out", dir.toString(), "--exclude", half.toString());
        assertEquals(2, named.code());
        assertTrue(named.err().contains("--exclude is for --count output"), named.err());

        Path tr = dir.resolve("tr.csv"), te = dir.resolve("te.csv");
        CliTest.Run s = CliTest.trit("sudoku", "split", all.toString(), "--train", "8", "--out-train", tr.toString(), "--out-test", te.toString(), "--json");
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("\"train\":8,\"test\":16"), s.out());
        var trainForms = Dataset.read(tr).stream().map(r -> Symmetry.canonicalText(r.q())).toList();
        for (Dataset.Row r : Dataset.read(te)) assertFalse(trainForms.contains(Symmetry.canonicalText(r.q())));

        CliTest.Run rate = CliTest.trit("sudoku", "rate", te.toString(), "--samples", "4", "--json", "-q");
        assertEquals(0, rate.code(), rate.err());
        assertTrue(rate.out().contains("\"rated\":16,\"errors\":0"), rate.out());

        Path pred = dir.resolve("pred.txt");
        assertEquals(0, CliTest.trit("sudoku", "solve", te.toString(), "--out", pred.toString()).code());
        List<String> lines = Files.readAllLines(pred);
        lines.set(0, lines.get(0).substring(0, 80) + (lines.get(0).charAt(80) == '1' ? "2" : "1"));
        lines.set(1, "garbage");
        Files.write(pred, lines);
        CliTest.Run e = CliTest.trit("sudoku", "eval", pred.toString(), "--dataset", te.toString(), "--json");
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().startsWith("{\"bucket\":\"all\",\"puzzles\":16,\"exact\":14,"), e.out());
        assertTrue(e.out().contains("\"missing\":1"), e.out());
    }
}
