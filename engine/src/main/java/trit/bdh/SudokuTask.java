package trit.bdh;

import java.util.Arrays;
import java.util.SplittableRandom;
import trit.TritException;
import trit.sudoku.Grid;
import trit.sudoku.Symmetry;

/**
 * Sudoku as a BDH sequence task. BDH's attention is strictly causal, so a cell's answer must come after
 * every given: the sequence is the puzzle once, then K answer passes over the 81 cells.
 *
 * <pre>
 *   positions 0..80          the puzzle: cell i's value v (0 blank, 1-9 given)              (no loss)
 *   pass k = 1..K, 81 each   cell i's current value v (0 = still unknown);
 *                            the output at (pass k, cell i) is the answer for cell i         (loss: the solution digit)
 * </pre>
 *
 * Pass 1 reads the puzzle again (givens and blanks). Pass k > 1 reads the model's own answer of pass k-1
 * (givens kept as given): a recurrent refinement in which each cell can look at every cell's earlier
 * answer, and, within a pass, at the answers the pass has already written into the state. One answer per
 * puzzle comes out of the last pass: the most likely digit 1-9 per blank cell (logits of tokens 1-9), the
 * givens copied; no search, no backtracking, no check of the result.
 *
 * <p>Two token encodings ({@link Encoding}); a model's vocabulary size says which one it was trained with.
 * {@code PLAIN} (20 tokens): v in the puzzle, 10 + v in a pass; the cell is known to the model only
 * through its position, and BDH's only position signal is RoPE, a function of the distance between two
 * positions: same column is a distance that is a multiple of 9, but same row or box is no function of
 * distance. {@code CELL} (1620 tokens): (cell, value) pairs, i·10 + v in the puzzle and 810 + i·10 + v in
 * a pass, so that each embedding knows its row, column and box.
 */
public final class SudokuTask {
    private SudokuTask() {}

    public static final int CELLS = Grid.CELLS;
    /** Answers are read from the logits of token ids 1-9 (the targets are the digits themselves), so inference computes only the first ten. */
    static final int ANSWER_COLUMNS = 10;

    public enum Encoding {
        PLAIN(20), CELL(2 * CELLS * 10);

        public final int vocab;

        Encoding(int vocab) {
            this.vocab = vocab;
        }

        /** Token of value v at cell i of the puzzle (pass 0) or of an answer pass (pass >= 1). */
        public int token(int pass, int cell, int v) {
            return this == PLAIN ? (pass == 0 ? v : 10 + v) : (pass == 0 ? 0 : CELLS * 10) + cell * 10 + v;
        }

        /** The value (0-9) a token carries. */
        public int value(int token) {
            return token % 10;
        }

        public static Encoding of(int vocab) {
            for (Encoding e : values()) if (e.vocab == vocab) return e;
            throw new TritException("not a Sudoku BDH model: vocabulary " + vocab + ", the task needs 20 (plain) or 1620 (cell tokens)");
        }
    }

    /** Sequence length for {@code passes} answer passes. */
    public static int length(int passes) {
        checkPasses(passes);
        return CELLS * (passes + 1);
    }

    static void checkPasses(int passes) {
        if (passes < 1 || passes > 16) throw new TritException("sudoku passes must be 1..16, got " + passes);
    }

    /**
     * A fresh model for the task. With {@code CELL} tokens the embedding of (part, cell i, value v) starts
     * as the sum of three random vectors, one per part (puzzle or pass), cell and value, instead of 1,620
     * unrelated ones: every token of digit v then shares a direction from the first step (what the
     * digit is), as does every token of cell i (where it is). Training moves each row freely afterwards.
     */
    public static BdhModel newModel(Encoding enc, int layers, int dim, int heads, int neurons, double ropeTheta, long seed) {
        BdhModel m = BdhModel.random(new BdhConfig(layers, dim, heads, neurons, enc.vocab, ropeTheta), seed);
        if (enc == Encoding.CELL) {
            float[] part = new float[2 * dim], cell = new float[CELLS * dim], value = new float[10 * dim];
            trit.sample.SplitMix64 rng = new trit.sample.SplitMix64(seed ^ 0x5EED5EEDL);
            BdhModel.gaussian(part, rng, 0.02f);
            BdhModel.gaussian(cell, rng, 0.02f);
            BdhModel.gaussian(value, rng, 0.02f);
            float[] e = m.embed();
            for (int p = 0; p < 2; p++) {
                for (int i = 0; i < CELLS; i++) {
                    for (int v = 0; v < 10; v++) {
                        int row = enc.token(p, i, v) * dim;
                        for (int d = 0; d < dim; d++) e[row + d] = part[p * dim + d] + cell[i * dim + d] + value[v * dim + d];
                    }
                }
            }
        }
        return m;
    }

    /** The encoding a model was trained with (from its vocabulary size); throws if it is not a Sudoku model. */
    public static Encoding checkModel(BdhModel m) {
        return Encoding.of(m.config().vocab());
    }

    /** The puzzle part and every pass reading the puzzle (later passes are overwritten by {@link #refine}). */
    public static int[] encode(Encoding enc, int[] puzzle, int passes) {
        if (puzzle.length != CELLS) throw new TritException("a puzzle has 81 cells, got " + puzzle.length);
        int[] t = new int[length(passes)];
        for (int i = 0; i < CELLS; i++) {
            int v = puzzle[i];
            if (v < 0 || v > 9) throw new TritException("cell value " + v + " outside 0..9 at cell " + i);
            t[i] = enc.token(0, i, v);
            for (int k = 1; k <= passes; k++) t[k * CELLS + i] = enc.token(k, i, v);
        }
        return t;
    }

    /** Targets: none on the puzzle part, the solution digit at every pass position. */
    public static int[] targets(int[] solution, int passes) {
        return targets(null, solution, passes);
    }

    /**
     * Targets: none on the puzzle part; at every pass position the solution digit, only at the puzzle's
     * blank cells if {@code puzzle} is given (the givens are copied at inference, learning to copy them
     * only dilutes the gradient), at every cell if it is null.
     */
    public static int[] targets(int[] puzzle, int[] solution, int passes) {
        int[] y = new int[length(passes)];
        Arrays.fill(y, -1);
        for (int i = 0; i < CELLS; i++) {
            if (solution[i] < 1 || solution[i] > 9) throw new TritException("solution cell " + i + " is " + solution[i] + ", not 1..9");
            if (puzzle != null && puzzle[i] != 0) continue;
            for (int k = 1; k <= passes; k++) y[k * CELLS + i] = solution[i];
        }
        return y;
    }

    /** Reads back the puzzle from an encoded sequence (the inverse of the puzzle part of {@link #encode}). */
    public static int[] puzzleOf(Encoding enc, int[] tokens) {
        int[] q = new int[CELLS];
        for (int i = 0; i < CELLS; i++) q[i] = enc.value(tokens[i]);
        return q;
    }

    /**
     * The answer written by pass {@code pass} in {@code logits} (positions x {@code vocab}, at least up to
     * that pass): per blank cell the digit 1-9 with the highest logit (ties: the smaller digit), the givens copied.
     */
    public static int[] decode(float[] logits, int vocab, int pass, int[] puzzle) {
        int[] a = new int[CELLS];
        for (int i = 0; i < CELLS; i++) {
            if (puzzle[i] != 0) {
                a[i] = puzzle[i];
                continue;
            }
            int o = (pass * CELLS + i) * vocab;
            int best = 1;
            for (int d = 2; d <= 9; d++) if (logits[o + d] > logits[o + best]) best = d;
            a[i] = best;
        }
        return a;
    }

    /**
     * Runs passes 1..{@code passes} on {@code tokens} (from {@link #encode}, with at least that many passes),
     * writing each pass's answer into the input of the next one if the sequence has it; returns the last
     * answer. Each pass is one forward run over the sequence so far, computing only that pass's digit logits
     * ({@link BdhParallel#forward(int[], int, int)}), which {@link BdhParallel#logits()} then holds.
     */
    public static int[] refine(BdhParallel p, int[] tokens, int passes) {
        Encoding enc = checkModel(p.model());
        int vocab = enc.vocab;
        int[] puzzle = puzzleOf(enc, tokens);
        int[] answer = null;
        for (int k = 1; k <= passes; k++) {
            float[] logits = p.forward(Arrays.copyOf(tokens, (k + 1) * CELLS), k * CELLS, ANSWER_COLUMNS);
            answer = decode(logits, vocab, k, puzzle);
            int next = (k + 1) * CELLS;
            if (next < tokens.length) for (int i = 0; i < CELLS; i++) tokens[next + i] = enc.token(k + 1, i, answer[i]);
        }
        return answer;
    }

    /**
     * {@code k} views of a grid for {@link #digitProbabilities}: the identity first, then Sudoku symmetries
     * (transposition, band/stack and row/column permutations, digit relabelling) drawn from a fixed seed, so
     * that the same k gives the same answers on every run.
     */
    public static Symmetry.Transform[] views(int k) {
        if (k < 1 || k > 64) throw new TritException("symmetry views must be 1..64, got " + k);
        Symmetry.Transform[] v = new Symmetry.Transform[k];
        int[] cells = new int[CELLS], digits = new int[10];
        for (int i = 0; i < CELLS; i++) cells[i] = i;
        for (int d = 0; d < 10; d++) digits[d] = d;
        v[0] = new Symmetry.Transform(cells, digits);
        SplittableRandom rng = new SplittableRandom(0x5D0C0_71E5L);
        for (int i = 1; i < k; i++) v[i] = Symmetry.random(rng);
        return v;
    }

    /**
     * Per cell of {@code grid}, the probability of each digit 1-9 (softmax over the digits' logits of the last
     * of {@code passes} passes), averaged over {@code views}: the model answers every symmetric image of the
     * grid, and each image's answer is mapped back to the grid's cells and digits. A Sudoku symmetry maps
     * puzzles to equivalent puzzles, so a deduction holds in every view, while a guess the model has only
     * learned in one orientation does not: averaging keeps the first confident and makes the second doubtful.
     * Rows {@code [cell][0]} and the rows of given cells are 0.
     */
    public static double[][] digitProbabilities(BdhParallel p, int[] grid, int passes, Symmetry.Transform[] views) {
        Encoding enc = checkModel(p.model());
        double[][] prob = new double[CELLS][10];
        for (Symmetry.Transform view : views) {
            refine(p, encode(enc, view.apply(grid), passes), passes);
            float[] logits = p.logits();
            for (int i = 0; i < CELLS; i++) {
                int cell = view.cells()[i];
                if (grid[cell] != 0) continue;
                int o = (passes * CELLS + i) * enc.vocab;
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int d = 1; d <= 9; d++) max = Math.max(max, logits[o + d]);
                for (int d = 1; d <= 9; d++) sum += Math.exp(logits[o + d] - max);
                for (int d = 1; d <= 9; d++) prob[cell][d] += Math.exp(logits[o + view.digits()[d]] - max) / sum / views.length;
            }
        }
        return prob;
    }

    /** Per blank cell the digit of highest probability (ties: the smaller), the givens copied. */
    static int[] mostLikely(int[] grid, double[][] prob) {
        int[] a = grid.clone();
        for (int i = 0; i < CELLS; i++) {
            if (grid[i] != 0) continue;
            int best = 1;
            for (int d = 2; d <= 9; d++) if (prob[i][d] > prob[i][best]) best = d;
            a[i] = best;
        }
        return a;
    }

    /**
     * Answers by committing cells (a round-by-round use of the same model, still one answer and no search):
     * each round runs the {@code passes} answer passes on the current grid, then writes into the grid, as
     * givens, every blank cell whose most likely digit has probability at least {@code threshold} (softmax
     * over digits 1-9), or the single most confident blank cell if none reaches it. A committed cell is
     * never revised: no backtracking, no check against the rules. Stops when no cell is blank; at most one
     * round per blank cell. {@code stats} (if given) receives the number of rounds run in {@code stats[0]}
     * and, if it has room, the number of forced commits (rounds where no cell reached the threshold) in {@code stats[1]}.
     */
    public static int[] solveCommitting(BdhParallel p, int[] puzzle, int passes, double threshold, int[] stats) {
        return solveCommitting(p, puzzle, passes, threshold, views(1), stats);
    }

    /**
     * As {@link #solveCommitting(BdhParallel, int[], int, double, int[])}, each round's probabilities averaged
     * over {@code views} ({@link #digitProbabilities}): one forward run of all passes per view and round.
     */
    public static int[] solveCommitting(BdhParallel p, int[] puzzle, int passes, double threshold, Symmetry.Transform[] views, int[] stats) {
        int[] grid = puzzle.clone();
        commit(p, grid, null, passes, threshold, views, stats);
        return grid;
    }

    /** How answering by committing cells ended against the known solution ({@link #checkCommitting}). */
    public enum Outcome {
        /** Every commit right: the answer is the solution. */
        SOLVED,
        /** The first wrong commit was sure: its probability reached the threshold. */
        CONFIDENT_ERROR,
        /** The first wrong commit was forced: no cell reached the threshold and the most likely one was wrong. */
        FORCED_ERROR
    }

    /**
     * Runs {@link #solveCommitting} on {@code puzzle} and stops at the first round that commits a digit other
     * than {@code solution}'s: a committed cell is never revised, so from there the answer cannot be exact,
     * and the rounds left would only cost time. The outcome is the same {@code solveCommitting} gives
     * (solved or not), for a fraction of its cost on the puzzles it fails. {@code stats} as there, the rounds
     * counted up to the stop.
     */
    public static Outcome checkCommitting(BdhParallel p, int[] puzzle, int[] solution, int passes, double threshold,
                                          Symmetry.Transform[] views, int[] stats) {
        if (solution.length != CELLS) throw new TritException("a solution has 81 cells, got " + solution.length);
        return commit(p, puzzle.clone(), solution, passes, threshold, views, stats);
    }

    /** The committing loop on {@code grid} (filled in place); with a {@code solution}, stops at the first wrong round. */
    private static Outcome commit(BdhParallel p, int[] grid, int[] solution, int passes, double threshold, Symmetry.Transform[] views,
                                  int[] stats) {
        int n = 0, forced = 0;
        Outcome outcome = Outcome.SOLVED;
        while (outcome == Outcome.SOLVED && Arrays.stream(grid).anyMatch(v -> v == 0)) {
            double[][] prob = digitProbabilities(p, grid, passes, views);
            int[] answer = mostLikely(grid, prob);
            int best = -1;
            double bestP = -1;
            boolean any = false;
            double[] conf = new double[CELLS];
            for (int i = 0; i < CELLS; i++) {
                if (grid[i] != 0) continue;
                conf[i] = prob[i][answer[i]];
                if (conf[i] > bestP) {
                    bestP = conf[i];
                    best = i;
                }
            }
            n++;
            for (int i = 0; i < CELLS; i++) {
                if (grid[i] == 0 && conf[i] >= threshold) {
                    grid[i] = answer[i];
                    any = true;
                    if (solution != null && answer[i] != solution[i]) outcome = Outcome.CONFIDENT_ERROR;
                }
            }
            if (!any) {
                grid[best] = answer[best];
                forced++;
                if (solution != null && answer[best] != solution[best]) outcome = Outcome.FORCED_ERROR;
            }
        }
        if (stats != null) {
            stats[0] = n;
            if (stats.length > 1) stats[1] = forced;
        }
        return outcome;
    }

    /** The model's one answer to {@code puzzle} after {@code passes} passes. */
    public static int[] solve(BdhParallel p, int[] puzzle, int passes) {
        return refine(p, encode(checkModel(p.model()), puzzle, passes), passes);
    }

    /** The one answer of {@code views} averaged ({@link #digitProbabilities}); one view is {@link #solve(BdhParallel, int[], int)}. */
    public static int[] solve(BdhParallel p, int[] puzzle, int passes, Symmetry.Transform[] views) {
        if (views.length == 1 && isIdentity(views[0])) return solve(p, puzzle, passes);
        return mostLikely(puzzle, digitProbabilities(p, puzzle, passes, views));
    }

    private static boolean isIdentity(Symmetry.Transform t) {
        for (int i = 0; i < CELLS; i++) if (t.cells()[i] != i) return false;
        for (int d = 0; d < 10; d++) if (t.digits()[d] != d) return false;
        return true;
    }

    /**
     * A training example: the sequence of {@code passes} passes whose inputs after the first are the
     * model's own answers (computed with {@code scratch}, no gradient through them), and its targets.
     */
    public static BdhTrainer.Example example(BdhParallel scratch, int[] puzzle, int[] solution, int passes) {
        return example(scratch, puzzle, solution, passes, false, 1, 0);
    }

    /**
     * As {@link #example(BdhParallel, int[], int[], int)}; with {@code blanksOnly} the loss is on the blank
     * cells alone; the answers of the cells that a naked or hidden single settles in {@code puzzle} weigh
     * {@code singlesWeight} times the others ({@link #singlesWeights}); a share {@code spread} of the target
     * of every other blank cell is spread over the digits its peers leave it ({@link #spreadTargets}).
     */
    public static BdhTrainer.Example example(BdhParallel scratch, int[] puzzle, int[] solution, int passes, boolean blanksOnly,
                                             double singlesWeight, double spread) {
        int[] tokens = encode(checkModel(scratch.model()), puzzle, passes);
        if (passes > 1) refine(scratch, tokens, passes - 1);
        return new BdhTrainer.Example(tokens, targets(blanksOnly ? puzzle : null, solution, passes), singlesWeights(puzzle, passes, singlesWeight),
                spreadTargets(puzzle, solution, passes, spread));
    }

    /**
     * Target distributions for the blank cells of {@code puzzle} that no naked or hidden single settles:
     * {@code 1 - spread} on the solution digit plus {@code spread} shared evenly by the k digits the cell's
     * peers leave it (the solution among them), at every pass position; null entries (one-hot targets)
     * elsewhere, and null when {@code spread} is 0. Answering by committing cells needs confidence to mean
     * "known from this grid": a one-hot target on a cell the grid does not settle yet teaches certainty
     * where the answer can only be a good guess, and those confident guesses are the commits that go wrong.
     */
    public static BdhParallel.Distribution[] spreadTargets(int[] puzzle, int[] solution, int passes, double spread) {
        if (!(spread >= 0 && spread < 1)) throw new TritException("spread must be in [0, 1), got " + spread);
        if (spread == 0) return null;
        int[] kind = Grid.singles(puzzle), candidates = Grid.candidates(puzzle);
        BdhParallel.Distribution[] q = new BdhParallel.Distribution[length(passes)];
        for (int i = 0; i < CELLS; i++) {
            if (puzzle[i] != 0 || kind[i] != Grid.NOT_SINGLE) continue;
            int k = Integer.bitCount(candidates[i]);
            if ((candidates[i] >> solution[i] & 1) == 0) throw new TritException("cell " + i + ": the solution's " + solution[i] + " is struck out by a peer");
            int[] digits = new int[k];
            float[] p = new float[k];
            for (int d = 1, j = 0; d <= 9; d++) {
                if ((candidates[i] >> d & 1) == 0) continue;
                digits[j] = d;
                p[j++] = (float) (spread / k + (d == solution[i] ? 1 - spread : 0));
            }
            BdhParallel.Distribution dist = new BdhParallel.Distribution(digits, p);
            for (int pass = 1; pass <= passes; pass++) q[pass * CELLS + i] = dist;
        }
        return q;
    }

    /**
     * Loss weights: {@code singlesWeight} at every pass position of a cell that a naked or hidden single
     * settles in {@code puzzle} ({@link Grid#singles}), 1 elsewhere; null (all 1) when the weight is 1.
     * Answering by committing cells needs the cells that can be known now to be known surely; these are
     * a few per extreme puzzle, so in the plain mean they carry a few percent of the gradient.
     */
    public static float[] singlesWeights(int[] puzzle, int passes, double singlesWeight) {
        if (!(singlesWeight > 0) || Double.isInfinite(singlesWeight)) throw new TritException("singles weight must be > 0, got " + singlesWeight);
        if (singlesWeight == 1) return null;
        int[] kind = Grid.singles(puzzle);
        float[] w = new float[length(passes)];
        Arrays.fill(w, 1f);
        for (int i = 0; i < CELLS; i++) {
            if (kind[i] == Grid.NOT_SINGLE) continue;
            for (int k = 1; k <= passes; k++) w[k * CELLS + i] = (float) singlesWeight;
        }
        return w;
    }
}
