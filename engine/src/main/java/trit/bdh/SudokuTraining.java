package trit.bdh;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import trit.TritException;
import trit.kernel.Parallel;
import trit.sudoku.Dataset;
import trit.sudoku.Grid;
import trit.sudoku.Symmetry;

/**
 * Trains a BDH model on {@link SudokuTask} and measures it: each step draws {@code batch} training
 * puzzles at random, moves each by a random Sudoku symmetry (transposition, band/stack and row/column
 * permutations, digit relabelling) and trains on the solution digits of every pass. Every
 * {@code evalEvery} steps the held-out puzzles are answered (one answer each, no search) and a point of
 * the learning curve is recorded.
 */
public final class SudokuTraining {
    private SudokuTraining() {}

    /**
     * @param reveal     curriculum: each training puzzle gets a random fraction, uniform in [0, reveal), of its
     *                   blank cells filled in from the solution (0: trained as given). The grids half-way to
     *                   a solution are what answering by committing cells ({@link SudokuTask#solveCommitting}) meets.
     * @param blanksOnly loss on the blank cells only (else on every cell, givens included)
     * @param evalCommit the held-out puzzles are answered by committing cells at this threshold
     *                   ({@link SudokuTask#solveCommitting}); NaN: in one round
     * @param singlesWeight loss weight of the cells a naked or hidden single settles in the (revealed) training
     *                   grid, relative to 1 for the others ({@link SudokuTask#singlesWeights})
     * @param spread     share of the target of each other blank cell spread over its candidates ({@link SudokuTask#spreadTargets}; 0: none)
     */
    public record Settings(int passes, int batch, int steps, double learningRate, int warmup, double weightDecay, double clip,
                           long seed, int evalEvery, boolean augment, double reveal, boolean blanksOnly, double evalCommit,
                           double singlesWeight, double spread) {
        public Settings(int passes, int batch, int steps, double learningRate, int warmup, double weightDecay, double clip,
                        long seed, int evalEvery, boolean augment) {
            this(passes, batch, steps, learningRate, warmup, weightDecay, clip, seed, evalEvery, augment, 0, false, Double.NaN, 1, 0);
        }

        public Settings {
            SudokuTask.checkPasses(passes);
            if (!(reveal >= 0 && reveal <= 1)) throw new TritException("reveal fraction must be in [0, 1], got " + reveal);
            if (!Double.isNaN(evalCommit) && !(evalCommit > 0 && evalCommit <= 1)) throw new TritException("commit threshold must be in (0, 1], got " + evalCommit);
            if (evalEvery < 0) throw new TritException("eval interval must be >= 0, got " + evalEvery);
            if (!(singlesWeight > 0) || Double.isInfinite(singlesWeight)) throw new TritException("singles weight must be > 0, got " + singlesWeight);
            if (!(spread >= 0 && spread < 1)) throw new TritException("spread must be in [0, 1), got " + spread);
            new BdhTrainer.Settings(SudokuTask.length(passes), batch, steps, learningRate, warmup, weightDecay, clip, seed, 0, 0); // validates
        }

        /** As strings, for a checkpoint ({@link #fromMap} reads them back). */
        public Map<String, String> toMap() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("passes", Integer.toString(passes));
            m.put("batch", Integer.toString(batch));
            m.put("steps", Integer.toString(steps));
            m.put("lr", Double.toString(learningRate));
            m.put("warmup", Integer.toString(warmup));
            m.put("weight_decay", Double.toString(weightDecay));
            m.put("clip", Double.toString(clip));
            m.put("seed", Long.toString(seed));
            m.put("eval_every", Integer.toString(evalEvery));
            m.put("augment", Boolean.toString(augment));
            m.put("reveal", Double.toString(reveal));
            m.put("blanks_only", Boolean.toString(blanksOnly));
            m.put("eval_commit", Double.toString(evalCommit));
            m.put("singles_weight", Double.toString(singlesWeight));
            m.put("spread", Double.toString(spread));
            return m;
        }

        public static Settings fromMap(Map<String, String> m) {
            try {
                return new Settings(Integer.parseInt(m.get("passes")), Integer.parseInt(m.get("batch")), Integer.parseInt(m.get("steps")),
                        Double.parseDouble(m.get("lr")), Integer.parseInt(m.get("warmup")), Double.parseDouble(m.get("weight_decay")),
                        Double.parseDouble(m.get("clip")), Long.parseLong(m.get("seed")), Integer.parseInt(m.get("eval_every")),
                        Boolean.parseBoolean(m.get("augment")), Double.parseDouble(m.get("reveal")), Boolean.parseBoolean(m.get("blanks_only")),
                        Double.parseDouble(m.get("eval_commit")),
                        // absent in checkpoints from before these settings existed
                        Double.parseDouble(m.getOrDefault("singles_weight", "1.0")), Double.parseDouble(m.getOrDefault("spread", "0.0")));
            } catch (RuntimeException e) {
                throw new TritException("checkpoint's settings are unreadable (" + e.getMessage() + ")");
            }
        }

        BdhTrainer.Settings trainer() {
            return new BdhTrainer.Settings(SudokuTask.length(passes), batch, steps, learningRate, warmup, weightDecay, clip, seed, 0, 0);
        }
    }

    /** Exact matches and cell accuracy of a set of answers. */
    public record Accuracy(int puzzles, int exact, long cells, long cellsRight, long blanks, long blanksRight) {
        public double exactRate() { return puzzles == 0 ? Double.NaN : (double) exact / puzzles; }
        public double cellAccuracy() { return cells == 0 ? Double.NaN : (double) cellsRight / cells; }
        public double blankAccuracy() { return blanks == 0 ? Double.NaN : (double) blanksRight / blanks; }

        public static Accuracy of(List<Dataset.Row> rows, List<int[]> answers) {
            int exact = 0;
            long right = 0, blanks = 0, blanksRight = 0;
            for (int i = 0; i < rows.size(); i++) {
                int[] q = rows.get(i).q(), a = rows.get(i).a(), p = answers.get(i);
                int r = 0;
                for (int c = 0; c < Grid.CELLS; c++) {
                    boolean ok = p[c] == a[c];
                    if (ok) r++;
                    if (q[c] == 0) {
                        blanks++;
                        if (ok) blanksRight++;
                    }
                }
                if (r == Grid.CELLS) exact++;
                right += r;
            }
            return new Accuracy(rows.size(), exact, (long) rows.size() * Grid.CELLS, right, blanks, blanksRight);
        }
    }

    /** A learning-curve point: step, seconds of training so far, mean train loss since the last point, held-out accuracy. */
    public record Point(int step, double seconds, long puzzlesSeen, double trainLoss, Accuracy heldOut) {}

    public interface Listener {
        default void onStep(int step, double loss, double learningRate, double secondsPerStep) {}

        default void onEval(Point p) {}
    }

    public record Result(List<Point> curve, double firstLoss, double lastLoss, double seconds, long puzzlesSeen) {}

    /** Answers and activation density of a batch of puzzles. */
    public record Predictions(List<int[]> answers, double[] density, double seconds, double rounds, double forcedCommits) {}

    public static Result train(BdhModel model, List<Dataset.Row> train, List<Dataset.Row> heldOut, Parallel pool, Settings s, Listener listener) {
        return train(model, new AdamW(s.weightDecay()), RunState.START, train, heldOut, pool, s, null, listener);
    }

    /** Where a run stands after {@code step} steps: with the model and the optimizer, all an exact resume needs. */
    public record RunState(int step, long puzzlesSeen, double trainSeconds, double firstLoss, double lastLoss, double sinceSum, int since,
                           List<Point> curve) {
        public static final RunState START = new RunState(0, 0, 0, Double.NaN, Double.NaN, 0, 0, List.of());

        /** As strings, for a checkpoint's metadata ({@link #fromMap} reads them back exactly). */
        public Map<String, String> toMap() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("step", Integer.toString(step));
            m.put("puzzles_seen", Long.toString(puzzlesSeen));
            m.put("train_seconds", Double.toString(trainSeconds));
            m.put("first_loss", Double.toString(firstLoss));
            m.put("last_loss", Double.toString(lastLoss));
            m.put("since_sum", Double.toString(sinceSum));
            m.put("since", Integer.toString(since));
            StringBuilder c = new StringBuilder();
            for (Point p : curve) {
                Accuracy a = p.heldOut();
                if (!c.isEmpty()) c.append(';');
                c.append(p.step()).append(',').append(p.seconds()).append(',').append(p.puzzlesSeen()).append(',').append(p.trainLoss())
                        .append(',').append(a.puzzles()).append(',').append(a.exact()).append(',').append(a.cells()).append(',')
                        .append(a.cellsRight()).append(',').append(a.blanks()).append(',').append(a.blanksRight());
            }
            m.put("curve", c.toString());
            return m;
        }

        public static RunState fromMap(Map<String, String> m) {
            try {
                List<Point> curve = new ArrayList<>();
                String c = m.getOrDefault("curve", "");
                if (!c.isEmpty()) {
                    for (String pt : c.split(";")) {
                        String[] f = pt.split(",");
                        curve.add(new Point(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Long.parseLong(f[2]), Double.parseDouble(f[3]),
                                new Accuracy(Integer.parseInt(f[4]), Integer.parseInt(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]),
                                        Long.parseLong(f[8]), Long.parseLong(f[9]))));
                    }
                }
                return new RunState(Integer.parseInt(m.get("step")), Long.parseLong(m.get("puzzles_seen")), Double.parseDouble(m.get("train_seconds")),
                        Double.parseDouble(m.get("first_loss")), Double.parseDouble(m.get("last_loss")), Double.parseDouble(m.get("since_sum")),
                        Integer.parseInt(m.get("since")), curve);
            } catch (RuntimeException e) {
                throw new TritException("checkpoint's run state is unreadable (" + e.getMessage() + ")");
            }
        }
    }

    /** Saves a run's state (called at every learning-curve point and at the end). */
    public interface Checkpointer {
        void save(AdamW optimizer, RunState state);
    }

    /**
     * Trains from {@code from} (step 0 for a new run, else a checkpoint's state with the optimizer saved
     * beside it) to {@code s.steps()}. The batches of step k come from a generator seeded by (seed, k), so a
     * resumed run draws the same puzzles, symmetries and reveals as an uninterrupted one and, with the same
     * thread count, ends with the same model bit for bit.
     */
    public static Result train(BdhModel model, AdamW optimizer, RunState from, List<Dataset.Row> train, List<Dataset.Row> heldOut, Parallel pool,
                               Settings s, Checkpointer checkpointer, Listener listener) {
        SudokuTask.checkModel(model);
        if (train.isEmpty()) throw new TritException("no training puzzles");
        if (from.step() > s.steps()) throw new TritException("the run is at step " + from.step() + ", past its " + s.steps() + " steps");
        Listener l = listener == null ? new Listener() {} : listener;
        BdhTrainer trainer = new BdhTrainer(model, optimizer, pool, s.trainer());
        List<Point> curve = new ArrayList<>(from.curve());
        double first = from.firstLoss(), last = from.lastLoss(), sinceSum = from.sinceSum();
        int since = from.since();
        long seen = from.puzzlesSeen();
        long t0 = System.nanoTime();
        double trainSeconds = from.trainSeconds(); // excludes held-out evaluation
        for (int step = from.step(); step < s.steps(); step++) {
            long ts = System.nanoTime();
            SplittableRandom rng = new SplittableRandom(s.seed() ^ (step + 1) * 0x9E37_79B9_7F4A_7C15L);
            int[][] q = new int[s.batch()][], a = new int[s.batch()][];
            for (int b = 0; b < s.batch(); b++) {
                Dataset.Row r = train.get(rng.nextInt(train.size()));
                if (s.augment()) {
                    int[][] qa = Symmetry.augment(r.q(), r.a(), rng);
                    q[b] = qa[0];
                    a[b] = qa[1];
                } else {
                    q[b] = r.q().clone();
                    a[b] = r.a();
                }
                if (s.reveal() > 0) reveal(q[b], a[b], rng.nextDouble() * s.reveal(), rng);
            }
            double lr = BdhTrainer.learningRate(s.trainer(), step);
            double loss = trainer.step(lr, (b, scratch) -> SudokuTask.example(scratch, q[b], a[b], s.passes(), s.blanksOnly(), s.singlesWeight(), s.spread()));
            seen += s.batch();
            double dt = (System.nanoTime() - ts) / 1e9;
            trainSeconds += dt;
            if (step == 0) first = loss;
            last = loss;
            sinceSum += loss;
            since++;
            l.onStep(step + 1, loss, lr, dt);
            boolean evalNow = s.evalEvery() > 0 && (step + 1) % s.evalEvery() == 0 || step + 1 == s.steps();
            if (evalNow) {
                if (!heldOut.isEmpty()) {
                    List<int[]> puzzles = new ArrayList<>();
                    for (Dataset.Row r : heldOut) puzzles.add(r.q());
                    Predictions p = predict(model, puzzles, s.passes(), s.evalCommit(), pool, null);
                    Point pt = new Point(step + 1, trainSeconds, seen, sinceSum / since, Accuracy.of(heldOut, p.answers()));
                    curve.add(pt);
                    sinceSum = 0;
                    since = 0;
                    l.onEval(pt);
                }
                if (checkpointer != null) {
                    checkpointer.save(optimizer, new RunState(step + 1, seen, trainSeconds, first, last, sinceSum, since, List.copyOf(curve)));
                }
            }
        }
        return new Result(curve, first, last, (System.nanoTime() - t0) / 1e9, seen);
    }

    /** Fills each blank cell of {@code puzzle} from {@code solution} with probability {@code fraction}. */
    static void reveal(int[] puzzle, int[] solution, double fraction, SplittableRandom rng) {
        for (int i = 0; i < puzzle.length; i++) if (puzzle[i] == 0 && rng.nextDouble() < fraction) puzzle[i] = solution[i];
    }

    /** Progress of {@link #predict}: puzzles answered so far. */
    public interface Progress {
        void done(int n);
    }

    /**
     * One answer per puzzle ({@link SudokuTask#solve}), puzzles spread over the pool's threads, and the
     * mean per-layer fraction of x neurons that fired over every position of each puzzle's last pass.
     */
    public static Predictions predict(BdhModel model, List<int[]> puzzles, int passes, Parallel pool, Progress progress) {
        return predict(model, puzzles, passes, Double.NaN, pool, progress);
    }

    /**
     * As {@link #predict(BdhModel, List, int, Parallel, Progress)}; with a {@code commitThreshold} (not NaN)
     * each puzzle is answered by {@link SudokuTask#solveCommitting} instead, and {@link Predictions#rounds}
     * holds the mean number of rounds (forward runs of all passes) per puzzle, {@link Predictions#forcedCommits}
     * the mean number of rounds in which no cell reached the threshold (NaN in one round).
     */
    public static Predictions predict(BdhModel model, List<int[]> puzzles, int passes, double commitThreshold, Parallel pool, Progress progress) {
        return predict(model, puzzles, passes, commitThreshold, 1, pool, progress);
    }

    /**
     * As {@link #predict(BdhModel, List, int, double, Parallel, Progress)}, every round's digit probabilities
     * averaged over {@code views} symmetric images of the grid ({@link SudokuTask#digitProbabilities}; 1: the grid alone).
     */
    public static Predictions predict(BdhModel model, List<int[]> puzzles, int passes, double commitThreshold, int views, Parallel pool,
                                      Progress progress) {
        Run r = run(model, puzzles, null, passes, commitThreshold, views, pool, progress);
        return new Predictions(Arrays.asList(r.answers), r.density, r.seconds, r.rounds, r.forced);
    }

    /**
     * What answering by committing cells ({@link SudokuTask#checkCommitting}) gives on puzzles with known
     * solutions: per puzzle, solved or the kind of its first wrong commit. {@code rounds} and {@code forcedCommits}
     * are means per puzzle up to each puzzle's stop; {@code density} as in {@link Predictions};
     * {@code coreSeconds} is the wall time times the threads that worked.
     */
    public record Check(List<SudokuTask.Outcome> outcomes, double[] density, double seconds, double coreSeconds, double rounds,
                        double forcedCommits) {}

    /**
     * Exact match of answering by committing cells at {@code commitThreshold} over {@code views}, each puzzle
     * stopped at its first wrong commit: the same count {@link #predict} and {@link trit.sudoku.Evaluation}
     * give, far cheaper on the puzzles the model fails. Cell accuracies are not measured (a stopped answer is
     * not a whole grid).
     */
    public static Check check(BdhModel model, List<int[]> puzzles, List<int[]> solutions, int passes, double commitThreshold, int views,
                              Parallel pool, Progress progress) {
        if (solutions.size() != puzzles.size()) throw new TritException(puzzles.size() + " puzzles but " + solutions.size() + " solutions");
        if (Double.isNaN(commitThreshold)) throw new TritException("checking against solutions needs a commit threshold");
        Run r = run(model, puzzles, solutions, passes, commitThreshold, views, pool, progress);
        int workers = Math.max(1, Math.min(pool.threads(), puzzles.size()));
        return new Check(Arrays.asList(r.outcomes), r.density, r.seconds, r.seconds * workers, r.rounds, r.forced);
    }

    private record Run(int[][] answers, SudokuTask.Outcome[] outcomes, double[] density, double seconds, double rounds, double forced) {}

    /** Puzzles spread over the pool's threads; with {@code solutions}, each checked ({@link SudokuTask#checkCommitting}) instead of answered. */
    private static Run run(BdhModel model, List<int[]> puzzles, List<int[]> solutions, int passes, double commitThreshold, int views,
                           Parallel pool, Progress progress) {
        SudokuTask.checkModel(model);
        Symmetry.Transform[] v = SudokuTask.views(views);
        SudokuTask.checkPasses(passes);
        int n = puzzles.size();
        int[][] out = new int[n][];
        SudokuTask.Outcome[] outcomes = new SudokuTask.Outcome[n];
        int workers = Math.max(1, Math.min(pool.threads(), n));
        int layers = model.config().layers();
        double[][] dens = new double[workers][layers];
        long[] rounds = new long[workers], forced = new long[workers];
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        long t0 = System.nanoTime();
        pool.forRange(workers, (from, to) -> {
            for (int w = from; w < to; w++) {
                BdhParallel p = new BdhParallel(model);
                for (int i = w; i < n; i += workers) {
                    if (Double.isNaN(commitThreshold)) {
                        out[i] = SudokuTask.solve(p, puzzles.get(i), passes, v);
                        rounds[w] += 1;
                    } else {
                        int[] r = new int[2];
                        if (solutions == null) out[i] = SudokuTask.solveCommitting(p, puzzles.get(i), passes, commitThreshold, v, r);
                        else outcomes[i] = SudokuTask.checkCommitting(p, puzzles.get(i), solutions.get(i), passes, commitThreshold, v, r);
                        rounds[w] += r[0];
                        forced[w] += r[1];
                    }
                    double[] d = p.density();
                    for (int k = 0; k < layers; k++) dens[w][k] += d[k];
                    int c = done.incrementAndGet();
                    if (progress != null) progress.done(c);
                }
            }
        });
        double[] density = new double[layers];
        for (double[] d : dens) for (int k = 0; k < layers; k++) density[k] += n == 0 ? Double.NaN : d[k] / n;
        double perPuzzle = n == 0 ? Double.NaN : 1.0 / n;
        return new Run(out, outcomes, density, (System.nanoTime() - t0) / 1e9, Arrays.stream(rounds).sum() * perPuzzle,
                Double.isNaN(commitThreshold) ? Double.NaN : Arrays.stream(forced).sum() * perPuzzle);
    }
}
