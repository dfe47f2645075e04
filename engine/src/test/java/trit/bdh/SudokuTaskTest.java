package trit.bdh;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import trit.TritException;
import trit.kernel.Parallel;
import trit.sudoku.Dataset;
import trit.sudoku.Grid;

class SudokuTaskTest {
    static final String PUZZLE = "8..........36......7..9.2...5...7.......457.....1...3...1....68..85...1..9....4..";
    static final String SOLUTION = "812753649943682175675491283154237896369845721287169534521974368438526917796318452";

    static int[] digits(String s) {
        int[] a = new int[81];
        for (int i = 0; i < 81; i++) a[i] = s.charAt(i) == '.' ? 0 : s.charAt(i) - '0';
        return a;
    }

    @Test
    void encodingLaysOutPuzzleThenPassesAndRoundTrips() {
        int[] q = Grid.parse(PUZZLE), a = digits(SOLUTION);
        for (SudokuTask.Encoding enc : SudokuTask.Encoding.values()) {
            int[] t = SudokuTask.encode(enc, q, 3);
            assertEquals(81 * 4, t.length);
            assertArrayEquals(q, SudokuTask.puzzleOf(enc, t));
            java.util.Set<Integer> distinct = new java.util.HashSet<>();
            for (int k = 0; k <= 3; k++) {
                for (int i = 0; i < 81; i++) {
                    int tok = t[k * 81 + i];
                    assertTrue(tok >= 0 && tok < enc.vocab);
                    assertEquals(q[i], enc.value(tok));
                    if (k <= 1) distinct.add(tok);
                }
            }
            // the puzzle and a pass never share a token; cell tokens also differ between cells
            assertEquals(enc == SudokuTask.Encoding.CELL ? 162 : 2 * (int) java.util.Arrays.stream(q).distinct().count(), distinct.size());
            assertEquals(enc, SudokuTask.Encoding.of(enc.vocab));
        }
        assertThrows(TritException.class, () -> SudokuTask.Encoding.of(256));
        int[] t = SudokuTask.encode(SudokuTask.Encoding.PLAIN, q, 3);
        for (int i = 0; i < 81; i++) assertEquals(10 + q[i], t[81 + i]);
        int[] y = SudokuTask.targets(a, 3);
        for (int i = 0; i < 81; i++) assertEquals(-1, y[i]);
        for (int k = 1; k <= 3; k++) assertArrayEquals(a, Arrays.copyOfRange(y, k * 81, k * 81 + 81));
        assertThrows(TritException.class, () -> SudokuTask.encode(SudokuTask.Encoding.CELL, new int[80], 1));
        assertThrows(TritException.class, () -> SudokuTask.length(0));
        assertThrows(TritException.class, () -> SudokuTask.targets(q, 1)); // blanks are not answers
    }

    @Test
    void decodeTakesTheBestDigitAndKeepsGivens() {
        int[] q = Grid.parse(PUZZLE), a = digits(SOLUTION);
        int V = SudokuTask.Encoding.PLAIN.vocab;
        float[] logits = new float[81 * 3 * V];
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < logits.length; i++) logits[i] = (float) rng.nextDouble();
        for (int i = 0; i < 81; i++) {
            int o = (2 * 81 + i) * V;
            logits[o + a[i]] = 5f;
            logits[o] = 50f;                      // blank and pass tokens are never answers
            logits[o + 13] = 50f;
            if (q[i] != 0) logits[o + (q[i] % 9) + 1] = 9f; // a given wins even against a confident model
        }
        assertArrayEquals(a, SudokuTask.decode(logits, V, 2, q));
    }

    @Test
    void refinementFeedsEachAnswerIntoTheNextPass() {
        for (SudokuTask.Encoding enc : SudokuTask.Encoding.values()) refinement(enc);
    }

    private static void refinement(SudokuTask.Encoding enc) {
        int V = enc.vocab;
        BdhModel m = BdhModel.random(new BdhConfig(2, 16, 2, 16, V, BdhConfig.DEFAULT_THETA), 5, 0.3f);
        BdhParallel p = new BdhParallel(m);
        int[] q = Grid.parse(PUZZLE);
        int[] t = SudokuTask.encode(enc, q, 3);
        int[] last = SudokuTask.refine(p, t, 3);
        // pass 1 alone, from a one-pass encoding
        int[] first = SudokuTask.decode(p.forward(Arrays.copyOf(SudokuTask.encode(enc, q, 1), 162)), V, 1, q);
        for (int i = 0; i < 81; i++) assertEquals(enc.token(2, i, first[i]), t[2 * 81 + i]);
        int[] second = SudokuTask.decode(p.forward(Arrays.copyOf(t, 243)), V, 2, q);
        for (int i = 0; i < 81; i++) assertEquals(enc.token(3, i, second[i]), t[3 * 81 + i]);
        assertArrayEquals(SudokuTask.decode(p.forward(t), V, 3, q), last);
        assertArrayEquals(last, SudokuTask.solve(p, q, 3));
        for (int i = 0; i < 81; i++) if (q[i] != 0) assertEquals(q[i], last[i]);
        // a training example's later passes are the model's own answers
        BdhTrainer.Example e = SudokuTask.example(p, q, digits(SOLUTION), 3);
        assertArrayEquals(t, e.tokens());
    }

    @Test
    void trainingLowersTheLossAndRecordsACurve() {
        int[] q = Grid.parse(PUZZLE), a = digits(SOLUTION);
        List<Dataset.Row> rows = List.of(new Dataset.Row("t", q, a, 1.0));
        BdhModel m = BdhModel.random(new BdhConfig(1, 16, 2, 16, SudokuTask.Encoding.CELL.vocab, BdhConfig.DEFAULT_THETA), 2);
        SudokuTraining.Settings s = new SudokuTraining.Settings(2, 2, 30, 1e-2, 3, 0.0, 1.0, 4, 15, true);
        try (Parallel pool = Parallel.create(2)) {
            SudokuTraining.Result r = SudokuTraining.train(m, rows, rows, pool, s, null);
            assertEquals(2, r.curve().size());
            assertEquals(30, r.curve().get(1).step());
            assertEquals(60, r.puzzlesSeen());
            assertTrue(r.lastLoss() < r.firstLoss() - 0.3, "loss " + r.firstLoss() + " -> " + r.lastLoss());
            SudokuTraining.Accuracy acc = r.curve().get(1).heldOut();
            assertEquals(1, acc.puzzles());
            assertEquals(81, acc.cells());
            assertTrue(acc.cellsRight() >= Grid.givens(q), "givens are copied");
            SudokuTraining.Predictions p = SudokuTraining.predict(m, List.of(q, q, q), 2, pool, null);
            assertEquals(3, p.answers().size());
            assertArrayEquals(p.answers().get(0), p.answers().get(2));
            assertEquals(1, p.density().length);
            assertTrue(p.density()[0] > 0 && p.density()[0] < 1, "density " + p.density()[0]);
        }
    }

    @Test
    void accuracyCountsExactGridsCellsAndBlanks() {
        int[] q = Grid.parse(PUZZLE), a = digits(SOLUTION);
        int[] wrong = a.clone();
        int blank = 1; // cell 1 is blank in PUZZLE
        wrong[blank] = wrong[blank] % 9 + 1;
        var acc = SudokuTraining.Accuracy.of(List.of(new Dataset.Row("t", q, a, 1), new Dataset.Row("t", q, a, 1)), List.of(a, wrong));
        assertEquals(1, acc.exact());
        assertEquals(161, acc.cellsRight());
        assertEquals(2L * (81 - Grid.givens(q)), acc.blanks());
        assertEquals(acc.blanks() - 1, acc.blanksRight());
    }

    @Test
    void cellEmbeddingsStartAsPartPlusCellPlusValue() {
        SudokuTask.Encoding enc = SudokuTask.Encoding.CELL;
        BdhModel m = SudokuTask.newModel(enc, 1, 6, 1, 8, BdhConfig.DEFAULT_THETA, 3);
        assertEquals(enc.vocab, m.config().vocab());
        float[] e = m.embed();
        int D = 6;
        // (p, i, v) - (p, j, v) depends on i and j only; (p, i, v) - (q, i, v) on p and q only
        for (int d = 0; d < D; d++) {
            float cellDiff = e[enc.token(0, 5, 0) * D + d] - e[enc.token(0, 70, 0) * D + d];
            float partDiff = e[enc.token(0, 5, 0) * D + d] - e[enc.token(1, 5, 0) * D + d];
            for (int v = 1; v <= 9; v++) {
                assertEquals(cellDiff, e[enc.token(1, 5, v) * D + d] - e[enc.token(1, 70, v) * D + d], 1e-6f);
                assertEquals(partDiff, e[enc.token(0, 40, v) * D + d] - e[enc.token(1, 40, v) * D + d], 1e-6f);
            }
        }
        assertNotEquals(e[enc.token(0, 5, 1) * D], e[enc.token(0, 5, 2) * D]);
        BdhModel plain = SudokuTask.newModel(SudokuTask.Encoding.PLAIN, 1, 6, 1, 8, BdhConfig.DEFAULT_THETA, 3);
        assertEquals(20, plain.config().vocab());
    }

    @Test
    void aByteModelIsRejected() {
        BdhModel m = BdhModel.random(new BdhConfig(1, 8, 1, 8, 256, BdhConfig.DEFAULT_THETA), 1);
        assertThrows(TritException.class, () -> SudokuTask.checkModel(m));
    }

    /** A run cut off after its first checkpoint and resumed from it ends with the same model as one run straight through. */
    @Test
    void aResumedRunEqualsAnUninterruptedOne(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        int[] q = Grid.parse(PUZZLE), a = digits(SOLUTION);
        List<Dataset.Row> rows = List.of(new Dataset.Row("t", q, a, 1.0), new Dataset.Row("u", Grid.parse(PUZZLE.replace('8', '.')), a, 2.0));
        BdhConfig c = new BdhConfig(2, 8, 2, 8, SudokuTask.Encoding.CELL.vocab, BdhConfig.DEFAULT_THETA);
        SudokuTraining.Settings s = new SudokuTraining.Settings(2, 3, 8, 1e-2, 2, 0.1, 1.0, 9, 4, true, 0.8, true, 0.9, 3, 0.4);
        java.nio.file.Path ck = dir.resolve("run.ckpt.gguf");
        class Stop extends RuntimeException {}
        try (Parallel pool = Parallel.create(2)) {
            BdhModel straight = BdhModel.random(c, 5);
            SudokuTraining.Result whole = SudokuTraining.train(straight, new AdamW(s.weightDecay()), SudokuTraining.RunState.START, rows, rows, pool, s, null, null);

            BdhModel cut = BdhModel.random(c, 5);
            assertThrows(Stop.class, () -> SudokuTraining.train(cut, new AdamW(s.weightDecay()), SudokuTraining.RunState.START, rows, rows, pool, s,
                    (opt, st) -> {
                        java.util.Map<String, String> state = new java.util.LinkedHashMap<>(s.toMap());
                        state.putAll(st.toMap());
                        BdhCheckpoint.save(BdhGguf.writer(cut, "t", 0), cut, opt, state, ck);
                        throw new Stop();
                    }, null));
            BdhCheckpoint.Loaded l = BdhCheckpoint.load(ck);
            assertEquals(s, SudokuTraining.Settings.fromMap(l.state()));
            SudokuTraining.RunState from = SudokuTraining.RunState.fromMap(l.state());
            assertEquals(4, from.step());
            assertEquals(4, l.adamSteps());
            SudokuTraining.Result rest = SudokuTraining.train(l.model(), l.optimizer(s.weightDecay()), from, rows, rows, pool, s, null, null);

            for (int k = 0; k < straight.params().size(); k++) {
                assertArrayEquals(straight.params().get(k).data(), l.model().params().get(k).data(), straight.params().get(k).name());
            }
            assertEquals(whole.lastLoss(), rest.lastLoss());
            assertEquals(whole.firstLoss(), rest.firstLoss());
            assertEquals(whole.puzzlesSeen(), rest.puzzlesSeen());
            assertEquals(whole.curve().size(), rest.curve().size());
            assertEquals(whole.curve().get(1).heldOut(), rest.curve().get(1).heldOut());
        }
    }

    @Test
    void aDamagedCheckpointIsRefused(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        BdhModel m = BdhModel.random(new BdhConfig(1, 8, 1, 8, SudokuTask.Encoding.CELL.vocab, BdhConfig.DEFAULT_THETA), 1);
        AdamW opt = new AdamW(0.1);
        java.nio.file.Path ck = dir.resolve("c.gguf");
        BdhCheckpoint.save(BdhGguf.writer(m, "t", 0), m, opt, java.util.Map.of("step", "0"), ck);
        assertEquals("0", BdhCheckpoint.load(ck).get("step"));
        byte[] b = java.nio.file.Files.readAllBytes(ck);
        b[b.length - 5] ^= 0x40; // inside the last moment tensor
        java.nio.file.Files.write(ck, b);
        TritException e = assertThrows(TritException.class, () -> BdhCheckpoint.load(ck));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        java.nio.file.Path model = dir.resolve("m.gguf");
        BdhGguf.write(m, "t", 0, model);
        assertThrows(TritException.class, () -> BdhCheckpoint.load(model), "a plain model is no checkpoint");
    }

    @Test
    void blankOnlyTargetsSkipTheGivens() {
        int[] q = Grid.parse(PUZZLE), a = digits(SOLUTION);
        int[] y = SudokuTask.targets(q, a, 2);
        for (int k = 1; k <= 2; k++) {
            for (int i = 0; i < 81; i++) assertEquals(q[i] == 0 ? a[i] : -1, y[k * 81 + i]);
        }
        for (int i = 0; i < 81; i++) assertEquals(-1, y[i]);
    }

    @Test
    void singlesWeightsMarkTheCellsASingleSettlesInEveryPass() {
        int[] q = Grid.parse(PUZZLE), a = digits(SOLUTION);
        SplittableRandom rng = new SplittableRandom(12);
        SudokuTraining.reveal(q, a, 0.6, rng);
        int[] kind = Grid.singles(q);
        assertNull(SudokuTask.singlesWeights(q, 2, 1), "weight 1 is the plain mean");
        float[] w = SudokuTask.singlesWeights(q, 2, 8);
        int singles = 0;
        for (int i = 0; i < SudokuTask.CELLS; i++) {
            assertEquals(1f, w[i], "the puzzle part has no loss to weight");
            float want = kind[i] == Grid.NOT_SINGLE ? 1f : 8f;
            assertEquals(want, w[SudokuTask.CELLS + i]);
            assertEquals(want, w[2 * SudokuTask.CELLS + i]);
            if (kind[i] != Grid.NOT_SINGLE) singles++;
        }
        assertTrue(singles > 0, "the revealed grid has singles");
        assertThrows(trit.TritException.class, () -> SudokuTask.singlesWeights(q, 1, 0));
        Map<String, String> old = new SudokuTraining.Settings(1, 2, 3, 1e-3, 1, 0, 1, 1, 1, true).toMap();
        old.remove("singles_weight");
        old.remove("spread");
        assertEquals(1.0, SudokuTraining.Settings.fromMap(old).singlesWeight(), "checkpoints from before the setting read as weight 1");
        assertEquals(0.0, SudokuTraining.Settings.fromMap(old).spread());
    }

    @Test
    void spreadTargetsShareTheirMassAmongTheCandidatesOfUnsettledCells() {
        int[] q = Grid.parse(PUZZLE), a = digits(SOLUTION);
        assertNull(SudokuTask.spreadTargets(q, a, 1, 0));
        BdhParallel.Distribution[] d = SudokuTask.spreadTargets(q, a, 2, 0.5);
        int[] kind = Grid.singles(q), cand = Grid.candidates(q);
        int spread = 0;
        for (int i = 0; i < SudokuTask.CELLS; i++) {
            assertNull(d[i], "the puzzle part has no target");
            BdhParallel.Distribution x = d[SudokuTask.CELLS + i];
            assertSame(x, d[2 * SudokuTask.CELLS + i]);
            if (q[i] != 0 || kind[i] != Grid.NOT_SINGLE) {
                assertNull(x, "givens and singles keep their one-hot target");
                continue;
            }
            spread++;
            int k = Integer.bitCount(cand[i]);
            assertEquals(k, x.tokens().length);
            for (int j = 0; j < k; j++) {
                int digit = x.tokens()[j];
                assertTrue((cand[i] >> digit & 1) != 0, "only candidates get mass");
                assertEquals(digit == a[i] ? 0.5 + 0.5 / k : 0.5 / k, x.probabilities()[j], 1e-6);
            }
        }
        assertTrue(spread > 40, "most blanks of an extreme puzzle are unsettled: " + spread);
    }

    @Test
    void revealFillsBlanksFromTheSolutionOnly() {
        int[] q = Grid.parse(PUZZLE), a = digits(SOLUTION);
        int[] none = q.clone(), all = q.clone(), half = q.clone();
        SudokuTraining.reveal(none, a, 0, new SplittableRandom(1));
        SudokuTraining.reveal(all, a, 1, new SplittableRandom(1));
        SudokuTraining.reveal(half, a, 0.5, new SplittableRandom(1));
        assertArrayEquals(q, none);
        assertArrayEquals(a, all);
        int filled = 0;
        for (int i = 0; i < 81; i++) {
            assertTrue(half[i] == q[i] || q[i] == 0 && half[i] == a[i]);
            if (q[i] == 0 && half[i] != 0) filled++;
        }
        int blanks = 81 - Grid.givens(q);
        assertTrue(filled > blanks / 5 && filled < blanks * 4 / 5, filled + " of " + blanks);
    }

    @Test
    void symmetryViewsMapEachImagesAnswerBackToTheGrid() {
        int[] q = Grid.parse(PUZZLE);
        BdhModel m = SudokuTask.newModel(SudokuTask.Encoding.CELL, 1, 8, 1, 8, BdhConfig.DEFAULT_THETA, 5);
        BdhParallel p = new BdhParallel(m);
        trit.sudoku.Symmetry.Transform[] v = SudokuTask.views(3);
        assertEquals(Arrays.toString(v[2].cells()), Arrays.toString(SudokuTask.views(3)[2].cells()), "the views are fixed");
        trit.sudoku.Symmetry.Transform[] id = {v[0]};
        double[][] alone = SudokuTask.digitProbabilities(p, q, 1, id);
        for (int i = 0; i < 81; i++) assertEquals(q[i] == 0 ? 1.0 : 0.0, Arrays.stream(alone[i]).sum(), 1e-9);
        // one view alone: the image's probabilities, read back at the cell and digit they stand for
        trit.sudoku.Symmetry.Transform t = v[2];
        double[][] viaView = SudokuTask.digitProbabilities(p, q, 1, new trit.sudoku.Symmetry.Transform[] {t});
        double[][] image = SudokuTask.digitProbabilities(p, t.apply(q), 1, id);
        for (int i = 0; i < 81; i++) {
            for (int d = 1; d <= 9; d++) assertEquals(image[i][t.digits()[d]], viaView[t.cells()[i]][d], 1e-12);
        }
        double[][] mean = SudokuTask.digitProbabilities(p, q, 1, new trit.sudoku.Symmetry.Transform[] {v[0], t});
        for (int i = 0; i < 81; i++) for (int d = 1; d <= 9; d++) assertEquals((alone[i][d] + viaView[i][d]) / 2, mean[i][d], 1e-12);
        assertArrayEquals(SudokuTask.solve(p, q, 1), SudokuTask.solve(p, q, 1, SudokuTask.views(1)));
        int[] a = SudokuTask.solve(p, q, 1, v);
        for (int i = 0; i < 81; i++) if (q[i] != 0) assertEquals(q[i], a[i]);
        assertThrows(TritException.class, () -> SudokuTask.views(0));
    }

    /** Committing cells fills the grid, keeps the givens, commits at least one cell a round and never more rounds than blanks. */
    @Test
    void committingFillsEveryBlankWithinOneRoundPerCell() {
        int[] q = Grid.parse(PUZZLE);
        BdhModel m = SudokuTask.newModel(SudokuTask.Encoding.CELL, 1, 8, 1, 8, BdhConfig.DEFAULT_THETA, 3);
        BdhParallel p = new BdhParallel(m);
        int blanks = 81 - Grid.givens(q);
        int[] rounds = new int[2];
        int[] one = SudokuTask.solveCommitting(p, q, 1, 1.0, rounds); // threshold 1: one cell a round
        assertEquals(blanks, rounds[0]);
        assertEquals(blanks, rounds[1], "an untrained model is never sure: every commit is forced");
        int[] many = SudokuTask.solveCommitting(p, q, 2, 0.0, rounds); // threshold 0: all at once, as one pass would
        assertEquals(1, rounds[0]);
        assertEquals(0, rounds[1]);
        assertArrayEquals(SudokuTask.solve(p, q, 2), many);
        for (int[] g : new int[][] {one, many}) {
            for (int i = 0; i < 81; i++) {
                assertTrue(g[i] >= 1 && g[i] <= 9);
                if (q[i] != 0) assertEquals(q[i], g[i]);
            }
        }
    }

    /** Checking against a solution stops at the first wrong round and agrees with the whole committing answer. */
    @Test
    void checkingStopsAtTheFirstWrongCommit() {
        int[] q = Grid.parse(PUZZLE), solution = digits(SOLUTION);
        BdhModel m = SudokuTask.newModel(SudokuTask.Encoding.CELL, 1, 8, 1, 8, BdhConfig.DEFAULT_THETA, 3);
        BdhParallel p = new BdhParallel(m);
        int blanks = 81 - Grid.givens(q);
        trit.sudoku.Symmetry.Transform[] one = SudokuTask.views(1);
        int[] st = new int[2];
        int[] answer = SudokuTask.solveCommitting(p, q, 1, 1.0, st);
        assertEquals(SudokuTask.Outcome.SOLVED, SudokuTask.checkCommitting(p, q, answer, 1, 1.0, one, st), "its own answer is exact");
        assertEquals(blanks, st[0]);
        assertEquals(Arrays.equals(answer, solution), SudokuTask.checkCommitting(p, q, solution, 1, 1.0, one, st) == SudokuTask.Outcome.SOLVED);
        // at threshold 1 an untrained model commits one forced cell a round: a wrong digit in cell c stops at c's round
        java.util.TreeSet<Integer> stopRounds = new java.util.TreeSet<>();
        for (int c = 0; c < 81; c++) {
            if (q[c] != 0) continue;
            int[] other = answer.clone();
            other[c] = answer[c] % 9 + 1;
            assertEquals(SudokuTask.Outcome.FORCED_ERROR, SudokuTask.checkCommitting(p, q, other, 1, 1.0, one, st));
            assertEquals(st[0], st[1]);
            stopRounds.add(st[0]);
        }
        assertEquals(blanks, stopRounds.size(), "each round commits one cell, each cell stops at its own round");
        assertEquals(1, (int) stopRounds.first());
        assertEquals(blanks, (int) stopRounds.last());
        // at threshold 0 every cell is committed, sure, in the first round
        int[] all = SudokuTask.solveCommitting(p, q, 1, 0.0, st), wrong = all.clone();
        int blank = 0;
        while (q[blank] != 0) blank++;
        wrong[blank] = all[blank] % 9 + 1;
        assertEquals(SudokuTask.Outcome.CONFIDENT_ERROR, SudokuTask.checkCommitting(p, q, wrong, 1, 0.0, one, st));
        assertEquals(1, st[0]);
        assertEquals(0, st[1]);
        assertThrows(TritException.class, () -> SudokuTask.checkCommitting(p, q, new int[80], 1, 0.5, one, null));
    }

    @Test
    void aModelRunsAtAnotherDepthOnTheSameWeights() {
        BdhModel m = SudokuTask.newModel(SudokuTask.Encoding.CELL, 2, 8, 1, 8, BdhConfig.DEFAULT_THETA, 3);
        BdhModel deep = m.withLayers(5);
        assertEquals(5, deep.config().layers());
        assertSame(m.encoder(), deep.encoder());
        assertEquals(m.config().parameterCount(), deep.config().parameterCount());
        int[] tokens = SudokuTask.encode(SudokuTask.Encoding.CELL, Grid.parse(PUZZLE), 1);
        BdhParallel shallow = new BdhParallel(m), p = new BdhParallel(deep);
        float[] a = shallow.forward(tokens).clone(), b = p.forward(tokens);
        assertEquals(5, p.density().length);
        assertFalse(Arrays.equals(Arrays.copyOf(a, 162 * m.config().vocab()), Arrays.copyOf(b, 162 * m.config().vocab())), "more applications change the output");
    }
}
