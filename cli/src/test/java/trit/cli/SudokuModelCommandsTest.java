package trit.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import trit.sudoku.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sudoku train / predict: a smoke run of training, predict's per-line errors and JSON, and eval reading predict's output. */
class SudokuModelCommandsTest {
    @TempDir Path dir;

    static final String HARD = SudokuCommandTest.HARD;
    static final String HARD_SOLUTION = SudokuCommandTest.HARD_SOLUTION;
    static final String EASY = "..3.2.6..9..3.5..1..18.64....81.29..7.......8..67.82....26.95..8..2.3..9..5.1.3..";
    static final String EASY_SOLUTION = "483921657967345821251876493548132976729564138136798245372689514814253769695417382";

    /** A dataset of three rows (one hard, the same easy one twice). */
    private Path threePuzzles() throws java.io.IOException {
        Path data = dir.resolve("d.csv");
        Files.writeString(data, "source,q,a,rating\n" + "x," + HARD + "," + HARD_SOLUTION + ",30\n" + "x," + EASY + "," + EASY_SOLUTION + ",0\n"
                + "x," + EASY + "," + EASY_SOLUTION + ",0\n");
        return data;
    }

    @Test
    void trainThenPredictThenEval() throws Exception {
        Path data = threePuzzles();
        Path model = dir.resolve("m.gguf"), curve = dir.resolve("curve.json");
        CliTest.Run t = CliTest.trit("sudoku", "train", "--train", data.toString(), "--holdout", "1", "--out", model.toString(),
                "--layers", "1", "--dim", "16", "--heads", "1", "--neurons", "16", "--steps", "4", "--batch", "2", "--eval-every", "2",
                "--passes", "2", "--threads", "2", "--curve", curve.toString(), "--json", "-q");
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("\"passes\":2"), t.out());
        assertTrue(t.out().contains("\"train_puzzles\":2,\"held_out_puzzles\":1"), t.out());
        assertTrue(t.out().contains("\"core_hours\":") && t.out().contains("\"cpu_hours\":"), t.out());
        assertTrue(t.out().contains("\"encoding\":\"cell\""), t.out());
        assertTrue(Files.readString(curve).contains("\"step\":4"), Files.readString(curve));
        assertTrue(Files.size(model) > 1000);
        // --init with more --heads grows the model (new heads start silent); fewer is a one-line error
        Path wide = dir.resolve("wide.gguf");
        CliTest.Run w = CliTest.trit("sudoku", "train", "--train", data.toString(), "--holdout", "1", "--out", wide.toString(), "--init", model.toString(),
                "--heads", "2", "--steps", "2", "--batch", "2", "--eval-every", "2", "--threads", "1", "--json", "-q");
        assertEquals(0, w.code(), w.err());
        assertTrue(w.out().contains("\"heads\":2,\"neurons_per_head\":16"), w.out());
        CliTest.Run narrow = CliTest.trit("sudoku", "train", "--train", data.toString(), "--holdout", "1", "--out", model.toString(), "--init", wide.toString(),
                "--heads", "1", "--steps", "2");
        assertEquals(2, narrow.code());
        assertTrue(narrow.err().contains("can grow to more, not shrink to 1"), narrow.err());

        Path in = dir.resolve("p.txt");
        Files.writeString(in, String.join("\n", HARD, "12345", EASY.replace('.', '0'), HARD.replace('8', 'z')) + "\n");
        Path out = dir.resolve("pred.txt");
        CliTest.Run p = CliTest.trit("sudoku", "predict", in.toString(), "--model", model.toString(), "--out", out.toString(), "--threads", "2", "-q");
        assertEquals(0, p.code(), p.err());
        List<String> printed = p.out().strip().lines().toList();
        assertEquals(2, printed.size(), p.out());
        for (String s : printed) assertTrue(s.matches("[1-9]{81}"), s);
        assertTrue(p.err().contains("p.txt:2: expected 81 cells, got 5 characters"), p.err());
        assertTrue(p.err().contains("p.txt:4: bad character 'z'"), p.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals(List.of(printed.get(0), "", printed.get(1), ""), lines);
        // givens are copied into the answer
        for (int i = 0; i < 81; i++) if (HARD.charAt(i) != '.') assertEquals(HARD.charAt(i), printed.get(0).charAt(i));

        CliTest.Run j = CliTest.trit("sudoku", "predict", in.toString(), "--model", model.toString(), "--json");
        assertEquals(0, j.code(), j.err());
        assertTrue(j.out().contains("\"puzzles\":4,\"predicted\":2,\"errors\":2"), j.out());
        assertTrue(j.out().contains("\"passes\":2"), j.out());
        assertTrue(j.out().contains("\"x_density\":"), j.out());
        assertTrue(j.out().contains("\"prediction\":\"" + printed.get(0) + "\""), j.out());

        // eval scores predict's output in dataset order
        Path ds = dir.resolve("eval.csv");
        Files.writeString(ds, "source,q,a,rating\n" + "x," + HARD + "," + HARD_SOLUTION + ",30\n" + "x," + HARD + "," + HARD_SOLUTION + ",30\n"
                + "x," + EASY + "," + EASY_SOLUTION + ",0\n" + "x," + EASY + "," + EASY_SOLUTION + ",0\n");
        CliTest.Run e = CliTest.trit("sudoku", "eval", out.toString(), "--dataset", ds.toString(), "--json");
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("\"missing\":2"), e.out());
    }

    @Test
    void predictUsesTheShippedModelByDefault() throws Exception {
        Path in = dir.resolve("p.txt");
        Files.writeString(in, HARD + "\n" + EASY + "\n");
        CliTest.Run p = CliTest.trit("sudoku", "predict", in.toString(), "--json", "--threads", "1");
        assertEquals(0, p.code(), p.err());
        assertTrue(p.out().contains("bdh-sudoku.gguf"), p.out());
        assertTrue(p.out().contains("\"predicted\":2,\"errors\":0"), p.out());
    }

    @Test
    void trainingResumesFromItsCheckpointAndPredictCommitsCells() throws Exception {
        Path data = threePuzzles();
        Path model = dir.resolve("m.gguf"), ck = dir.resolve("m.ckpt.gguf");
        CliTest.Run t = CliTest.trit("sudoku", "train", "--train", data.toString(), "--holdout", "1", "--out", model.toString(),
                "--layers", "1", "--dim", "8", "--heads", "1", "--neurons", "8", "--steps", "2", "--batch", "2", "--eval-every", "2",
                "--reveal", "0.5", "--loss-on", "blanks", "--eval-commit", "0.9", "--threads", "1", "--json", "-q");
        assertEquals(0, t.code(), t.err());
        assertTrue(Files.exists(ck), "checkpoint beside --out");
        CliTest.Run r = CliTest.trit("sudoku", "train", "--train", data.toString(), "--holdout", "1", "--out", model.toString(),
                "--resume", ck.toString(), "--steps", "4", "--threads", "1", "--json", "-q");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"resumed_from_step\":2"), r.out());
        assertTrue(r.out().contains("\"puzzles_seen\":4"), r.out());
        assertTrue(r.out().matches("(?s).*\"curve\":\\[\\{\"step\":2,.*\\{\"step\":4,.*"), r.out()); // the curve goes on
        // Repeated --train files are one dataset, their rows in the order given: the same rows split in two resume it.
        List<Dataset.Row> rows = Dataset.read(data);
        Path first = dir.resolve("first.csv"), last = dir.resolve("last.csv");
        Dataset.write(first, rows.subList(0, 2));
        Dataset.write(last, rows.subList(2, 3));
        CliTest.Run two = CliTest.trit("sudoku", "train", "--train", first.toString(), "--train", last.toString(), "--holdout", "1",
                "--out", model.toString(), "--resume", ck.toString(), "--steps", "6", "--threads", "1", "--json", "-q");
        assertEquals(0, two.code(), two.err());
        assertTrue(two.out().contains("\"resumed_from_step\":4"), two.out());
        CliTest.Run swapped = CliTest.trit("sudoku", "train", "--train", last.toString(), "--train", first.toString(), "--holdout", "1",
                "--out", model.toString(), "--resume", ck.toString(), "--steps", "8", "-q");
        assertEquals(2, swapped.code(), swapped.out());
        assertTrue(swapped.err().contains("give the same --train/--holdout/--valid"), swapped.err());
        CliTest.Run bad = CliTest.trit("sudoku", "train", "--train", data.toString(), "--holdout", "1", "--out", model.toString(),
                "--resume", ck.toString(), "--loss-on", "cells");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("blanks_only = true, not false"), bad.err());
        CliTest.Run shape = CliTest.trit("sudoku", "train", "--train", data.toString(), "--holdout", "1", "--out", model.toString(),
                "--resume", ck.toString(), "--layers", "3");
        assertEquals(2, shape.code());
        assertTrue(shape.err().contains("leave --layers out"), shape.err());
        CliTest.Run both = CliTest.trit("sudoku", "train", "--train", data.toString(), "--out", model.toString(), "--resume", ck.toString(),
                "--init", model.toString());
        assertEquals(2, both.code());

        CliTest.Run p = CliTest.trit("sudoku", "predict", data.toString(), "--model", ck.toString(), "--commit", "0.95", "--json", "-q");
        assertEquals(0, p.code(), p.err());
        assertTrue(p.out().contains("\"commit_threshold\":0.95"), p.out());
        assertTrue(p.out().matches("(?s).*\"rounds_per_puzzle\":[1-9].*"), p.out());
        // exact: a dataset whose "solution" is the model's own committing answer is solved; the count agrees with predict
        Path pred = dir.resolve("c.txt");
        CliTest.Run c = CliTest.trit("sudoku", "predict", data.toString(), "--model", ck.toString(), "--commit", "0.95", "--views", "2",
                "--out", pred.toString(), "-q");
        assertEquals(0, c.code(), c.err());
        List<String> answers = Files.readAllLines(pred);
        Path own = dir.resolve("own.csv");
        Files.writeString(own, "source,q,a,rating\n" + "x," + HARD + "," + answers.get(0) + ",30\n" + "x," + HARD + "," + HARD_SOLUTION + ",30\n"
                + "x," + EASY + "," + answers.get(1) + ",0\n");
        Path outcomes = dir.resolve("outcomes.txt");
        CliTest.Run x = CliTest.trit("sudoku", "exact", own.toString(), "--model", ck.toString(), "--commit", "0.95", "--views", "2",
                "--out", outcomes.toString(), "--threads", "2", "--json", "-q");
        assertEquals(0, x.code(), x.err());
        List<String> o = Files.readAllLines(outcomes);
        assertEquals(3, o.size());
        assertEquals("solved", o.get(0));
        assertEquals(answers.get(0).equals(HARD_SOLUTION), o.get(1).equals("solved"));
        assertTrue(o.get(1).matches("solved|sure-error|forced-error"), o.get(1));
        assertEquals("solved", o.get(2));
        int solved = answers.get(0).equals(HARD_SOLUTION) ? 3 : 2;
        assertTrue(x.out().contains("\"bucket\":\"all\",\"puzzles\":3,\"exact\":" + solved + ","), x.out());
        assertTrue(x.out().contains("\"views\":2") && x.out().contains("\"first_error_forced\":"), x.out());
        // --work: the same count, and a rerun reads every piece back
        Path work = dir.resolve("work");
        for (int reused : new int[] {0, 3}) {
            CliTest.Run w = CliTest.trit("sudoku", "exact", own.toString(), "--model", ck.toString(), "--commit", "0.95", "--views", "2",
                    "--work", work.toString(), "--json", "-q");
            assertEquals(0, w.code(), w.err());
            assertTrue(w.out().contains("\"bucket\":\"all\",\"puzzles\":3,\"exact\":" + solved + ","), w.out());
            assertTrue(w.out().contains("\"reused_puzzles\":" + reused), w.out());
        }
        CliTest.Run workIsFile = CliTest.trit("sudoku", "exact", own.toString(), "--model", ck.toString(), "--commit", "0.9", "--work", own.toString());
        assertEquals(2, workIsFile.code());
        assertTrue(workIsFile.err().contains("is a file, not a directory"), workIsFile.err());
        CliTest.Run noCommit = CliTest.trit("sudoku", "exact", own.toString(), "--model", ck.toString());
        assertEquals(2, noCommit.code());
        assertTrue(noCommit.err().contains("--commit"), noCommit.err());
        CliTest.Run badViews = CliTest.trit("sudoku", "exact", own.toString(), "--model", ck.toString(), "--commit", "0.9", "--views", "0");
        assertEquals(2, badViews.code());
        assertTrue(badViews.err().contains("--views must be 1..64"), badViews.err());
        CliTest.Run badCommit = CliTest.trit("sudoku", "predict", data.toString(), "--model", ck.toString(), "--commit", "1.5");
        assertEquals(2, badCommit.code());
        assertTrue(badCommit.err().contains("--commit must be in (0, 1]"), badCommit.err());
    }

    @Test
    void predictRejectsANonSudokuModelInOneLine() throws Exception {
        Path text = dir.resolve("t.txt");
        Files.writeString(text, "abcabcabc ".repeat(50));
        Path model = dir.resolve("b.gguf");
        CliTest.Run b = CliTest.trit("bdh", "train", "--text", text.toString(), "--out", model.toString(), "--layers", "1", "--dim", "8",
                "--heads", "1", "--neurons", "8", "--steps", "1", "--seq", "8", "--batch", "1", "--threads", "1", "-q");
        assertEquals(0, b.code(), b.err());
        Path in = dir.resolve("p.txt");
        Files.writeString(in, HARD + "\n");
        CliTest.Run p = CliTest.trit("sudoku", "predict", in.toString(), "--model", model.toString());
        assertEquals(2, p.code());
        assertEquals(1, p.err().strip().lines().count(), p.err());
        assertTrue(p.err().contains("not a Sudoku BDH model"), p.err());
    }
}
