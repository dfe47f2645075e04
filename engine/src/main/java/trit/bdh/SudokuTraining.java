package trit.bdh;

import java.util.ArrayList;
import java.util.List;
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

    public record Settings(int passes, int batch, int steps, double learningRate, int warmup, double weightDecay, double clip,
                           long seed, int evalEvery, boolean augment) {
        public Settings {
            SudokuTask.checkPasses(passes);
            if (evalEvery < 0) throw new TritException("eval interval must be >= 0, got " + evalEvery);
            new BdhTrainer.Settings(SudokuTask.length(passes), batch, steps, learningRate, warmup, weightDecay, clip, seed, 0, 0); // validates
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
    public record Predictions(List<int[]> answers, double[] density, double seconds) {}

    public static Result train(BdhModel model, List<Dataset.Row> train, List<Dataset.Row> heldOut, Parallel pool, Settings s, Listener listener) {
        SudokuTask.checkModel(model);
        if (train.isEmpty()) throw new TritException("no training puzzles");
        Listener l = listener == null ? new Listener() {} : listener;
        BdhTrainer trainer = new BdhTrainer(model, new AdamW(s.weightDecay()), pool, s.trainer());
        SplittableRandom rng = new SplittableRandom(s.seed());
        List<Point> curve = new ArrayList<>();
        double first = Double.NaN, last = Double.NaN, sinceSum = 0;
        int since = 0;
        long seen = 0;
        long t0 = System.nanoTime();
        double trainSeconds = 0; // excludes held-out evaluation
        for (int step = 0; step < s.steps(); step++) {
            long ts = System.nanoTime();
            int[][] q = new int[s.batch()][], a = new int[s.batch()][];
            for (int b = 0; b < s.batch(); b++) {
                Dataset.Row r = train.get(rng.nextInt(train.size()));
                if (s.augment()) {
                    int[][] qa = Symmetry.augment(r.q(), r.a(), rng);
                    q[b] = qa[0];
                    a[b] = qa[1];
                } else {
                    q[b] = r.q();
                    a[b] = r.a();
                }
            }
            double lr = BdhTrainer.learningRate(s.trainer(), step);
            double loss = trainer.step(lr, (b, scratch) -> SudokuTask.example(scratch, q[b], a[b], s.passes()));
            seen += s.batch();
            double dt = (System.nanoTime() - ts) / 1e9;
            trainSeconds += dt;
            if (step == 0) first = loss;
            last = loss;
            sinceSum += loss;
            since++;
            l.onStep(step + 1, loss, lr, dt);
            boolean evalNow = s.evalEvery() > 0 && (step + 1) % s.evalEvery() == 0 || step + 1 == s.steps();
            if (evalNow && !heldOut.isEmpty()) {
                List<int[]> puzzles = new ArrayList<>();
                for (Dataset.Row r : heldOut) puzzles.add(r.q());
                Predictions p = predict(model, puzzles, s.passes(), pool, null);
                Point pt = new Point(step + 1, trainSeconds, seen, sinceSum / since, Accuracy.of(heldOut, p.answers()));
                curve.add(pt);
                sinceSum = 0;
                since = 0;
                l.onEval(pt);
            }
        }
        return new Result(curve, first, last, (System.nanoTime() - t0) / 1e9, seen);
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
        SudokuTask.checkModel(model);
        SudokuTask.checkPasses(passes);
        int n = puzzles.size();
        int[][] out = new int[n][];
        int workers = Math.max(1, Math.min(pool.threads(), n));
        int layers = model.config().layers();
        double[][] dens = new double[workers][layers];
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        long t0 = System.nanoTime();
        pool.forRange(workers, (from, to) -> {
            for (int w = from; w < to; w++) {
                BdhParallel p = new BdhParallel(model);
                for (int i = w; i < n; i += workers) {
                    out[i] = SudokuTask.solve(p, puzzles.get(i), passes);
                    double[] d = p.density();
                    for (int k = 0; k < layers; k++) dens[w][k] += d[k];
                    int c = done.incrementAndGet();
                    if (progress != null) progress.done(c);
                }
            }
        });
        double[] density = new double[layers];
        for (double[] d : dens) for (int k = 0; k < layers; k++) density[k] += n == 0 ? Double.NaN : d[k] / n;
        List<int[]> answers = new ArrayList<>(n);
        for (int[] a : out) answers.add(a);
        return new Predictions(answers, density, (System.nanoTime() - t0) / 1e9);
    }
}
