package trit.bdh;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import trit.TritException;
import trit.kernel.Parallel;
import trit.sample.SplitMix64;

/**
 * Next-token training of a BDH model on a token stream (bytes for a byte-level model): random windows
 * of {@code seqLen + 1} tokens, mean cross-entropy over a batch, global gradient-norm clipping, an
 * {@link Optimizer} step, learning rate warmed up linearly then decayed on a cosine to a tenth.
 *
 * <p>The sequences of a batch are spread over a fixed number of worker slots (one per pool thread),
 * each with its own activations and gradient buffer, summed in slot order: a run is reproducible for a
 * given seed and thread count (the float summation order depends on the slot count).
 */
public final class BdhTrainer {
    /**
     * @param clip gradient L2-norm limit (0 = none); the reference trains without one, it is a guard
     *             for the short runs here
     */
    public record Settings(int seqLen, int batch, int steps, double learningRate, int warmup, double weightDecay,
                           double clip, long seed, int evalEvery, int evalWindows) {
        public Settings {
            if (seqLen < 1) throw new TritException("sequence length must be positive, got " + seqLen);
            if (batch < 1) throw new TritException("batch must be positive, got " + batch);
            if (steps < 0) throw new TritException("steps must be >= 0, got " + steps);
            if (!(learningRate > 0)) throw new TritException("learning rate must be positive, got " + learningRate);
            if (warmup < 0) throw new TritException("warmup must be >= 0, got " + warmup);
            if (weightDecay < 0) throw new TritException("weight decay must be >= 0, got " + weightDecay);
            if (clip < 0) throw new TritException("clip must be >= 0, got " + clip);
            if (evalEvery < 0 || evalWindows < 0) throw new TritException("eval settings must be >= 0");
        }
    }

    /** Progress callbacks; any may be left empty. */
    public interface Listener {
        default void onStep(int step, double loss, double learningRate, double tokensPerSecond) {}

        default void onEval(int step, double valLoss) {}
    }

    /**
     * One training sequence: its tokens, a target per position (negative: no loss there) and, each may be
     * null, a weight per position in the mean loss (null: all 1) and a target distribution per position
     * that replaces the one-hot target where it is not null ({@link BdhParallel#crossEntropy}).
     */
    public record Example(int[] tokens, int[] targets, float[] weights, BdhParallel.Distribution[] distributions) {
        public Example {
            if (tokens.length != targets.length) throw new TritException("example has " + tokens.length + " tokens and " + targets.length + " targets");
            if (weights != null && weights.length != targets.length) throw new TritException("example has " + targets.length + " targets and " + weights.length + " weights");
            if (distributions != null && distributions.length != targets.length) {
                throw new TritException("example has " + targets.length + " targets and " + distributions.length + " target distributions");
            }
        }

        public Example(int[] tokens, int[] targets) {
            this(tokens, targets, null, null);
        }
    }

    /**
     * Makes example {@code index} of a batch on a worker thread. {@code scratch} is that worker's model
     * instance; a source may run it forward first (e.g. to feed the model's own earlier answers back into
     * the sequence) before the trainer's own forward and backward pass on the returned example.
     */
    public interface ExampleSource {
        Example make(int index, BdhParallel scratch);
    }

    public record Result(double firstLoss, double lastLoss, double valLoss, int steps, double seconds, long tokens) {}

    private final BdhModel model;
    private final Optimizer optimizer;
    private final Parallel pool;
    private final Settings s;
    private final BdhParallel[] slots;
    private final BdhModel[] slotGrads;
    private final double[] slotLoss;

    public BdhTrainer(BdhModel model, Optimizer optimizer, Parallel pool, Settings settings) {
        this.model = model;
        this.optimizer = optimizer;
        this.pool = pool;
        this.s = settings;
        int n = Math.min(pool.threads(), settings.batch());
        slots = new BdhParallel[n];
        slotGrads = new BdhModel[n];
        slotLoss = new double[n];
        for (int i = 0; i < n; i++) {
            slots[i] = new BdhParallel(model);
            slotGrads[i] = model.zerosLike();
        }
    }

    /** Learning rate at step (0-based): linear warmup, then cosine from the peak to a tenth of it. */
    public static double learningRate(Settings s, int step) {
        if (step < s.warmup()) return s.learningRate() * (step + 1) / s.warmup();
        int span = Math.max(1, s.steps() - s.warmup());
        double progress = Math.min(1.0, (step - s.warmup()) / (double) span);
        return s.learningRate() * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * progress)));
    }

    /**
     * Trains on {@code train} (token ids) and measures held-out loss on {@code val} (may be empty: no
     * evaluation). Both must be longer than the sequence length.
     */
    public Result train(int[] train, int[] val, Listener listener) {
        return train(train, val, RunState.start(s.seed()), null, listener);
    }

    /**
     * Where a run stands after {@code step} steps: with the model and the optimizer, all an exact resume
     * needs ({@code rng} is the window sampler's state).
     */
    public record RunState(int step, long rng, double firstLoss, double lastLoss, double valLoss, long tokens) {
        public static RunState start(long seed) {
            return new RunState(0, new SplitMix64(seed).state(), Double.NaN, Double.NaN, Double.NaN, 0);
        }

        public Map<String, String> toMap() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("step", Integer.toString(step));
            m.put("rng", Long.toString(rng));
            m.put("first_loss", Double.toString(firstLoss));
            m.put("last_loss", Double.toString(lastLoss));
            m.put("val_loss", Double.toString(valLoss));
            m.put("tokens", Long.toString(tokens));
            return m;
        }

        public static RunState fromMap(Map<String, String> m) {
            try {
                return new RunState(Integer.parseInt(m.get("step")), Long.parseLong(m.get("rng")), Double.parseDouble(m.get("first_loss")),
                        Double.parseDouble(m.get("last_loss")), Double.parseDouble(m.get("val_loss")), Long.parseLong(m.get("tokens")));
            } catch (RuntimeException e) {
                throw new TritException("checkpoint's run state is unreadable (" + e.getMessage() + ")");
            }
        }
    }

    /** Saves a run's state; called after every held-out evaluation. */
    public interface Checkpointer {
        void save(RunState state);
    }

    /** Settings as strings, for a checkpoint. */
    public static Map<String, String> settingsMap(Settings s) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("seq", Integer.toString(s.seqLen()));
        m.put("batch", Integer.toString(s.batch()));
        m.put("steps", Integer.toString(s.steps()));
        m.put("lr", Double.toString(s.learningRate()));
        m.put("warmup", Integer.toString(s.warmup()));
        m.put("weight_decay", Double.toString(s.weightDecay()));
        m.put("clip", Double.toString(s.clip()));
        m.put("seed", Long.toString(s.seed()));
        m.put("eval_every", Integer.toString(s.evalEvery()));
        m.put("eval_windows", Integer.toString(s.evalWindows()));
        return m;
    }

    public static Settings settingsOf(Map<String, String> m) {
        try {
            return new Settings(Integer.parseInt(m.get("seq")), Integer.parseInt(m.get("batch")), Integer.parseInt(m.get("steps")),
                    Double.parseDouble(m.get("lr")), Integer.parseInt(m.get("warmup")), Double.parseDouble(m.get("weight_decay")),
                    Double.parseDouble(m.get("clip")), Long.parseLong(m.get("seed")), Integer.parseInt(m.get("eval_every")),
                    Integer.parseInt(m.get("eval_windows")));
        } catch (RuntimeException e) {
            throw new TritException("checkpoint's settings are unreadable (" + e.getMessage() + ")");
        }
    }

    /** Trains from {@code from} to {@code settings().steps()}, saving through {@code checkpointer} (may be null) after each evaluation. */
    public Result train(int[] train, int[] val, RunState from, Checkpointer checkpointer, Listener listener) {
        if (train.length <= s.seqLen()) {
            throw new TritException("training data has " + train.length + " tokens; a window needs " + (s.seqLen() + 1));
        }
        if (from.step() > s.steps()) throw new TritException("the run is at step " + from.step() + ", past its " + s.steps() + " steps");
        Listener l = listener == null ? new Listener() {} : listener;
        SplitMix64 rng = new SplitMix64(0);
        rng.setState(from.rng());
        double first = from.firstLoss(), last = from.lastLoss(), valLoss = from.valLoss();
        long tokens = from.tokens();
        long t0 = System.nanoTime();
        for (int step = from.step(); step < s.steps(); step++) {
            long ts = System.nanoTime();
            int[] starts = new int[s.batch()];
            for (int b = 0; b < starts.length; b++) starts[b] = (int) (rng.nextDouble() * (train.length - s.seqLen()));
            double lr = learningRate(s, step);
            double loss = step(lr, windows(train, starts));
            tokens += (long) s.batch() * s.seqLen();
            if (step == 0) first = loss;
            last = loss;
            double secs = (System.nanoTime() - ts) / 1e9;
            l.onStep(step + 1, loss, lr, s.batch() * s.seqLen() / secs);
            boolean evalNow = s.evalEvery() > 0 && ((step + 1) % s.evalEvery() == 0) || step + 1 == s.steps();
            if (evalNow && val.length > s.seqLen() && s.evalWindows() > 0) {
                valLoss = evaluate(val, s.evalWindows());
                l.onEval(step + 1, valLoss);
            }
            if (evalNow && checkpointer != null) checkpointer.save(new RunState(step + 1, rng.state(), first, last, valLoss, tokens));
        }
        return new Result(first, last, valLoss, s.steps() - from.step(), (System.nanoTime() - t0) / 1e9, tokens - from.tokens());
    }

    private ExampleSource windows(int[] data, int[] starts) {
        return (b, scratch) -> new Example(Arrays.copyOfRange(data, starts[b], starts[b] + s.seqLen()),
                Arrays.copyOfRange(data, starts[b] + 1, starts[b] + s.seqLen() + 1));
    }

    /**
     * One optimizer step on {@code settings().batch()} examples from {@code source} (each the mean loss
     * over its targeted positions, the batch weighted equally): gradient, clipping, update. Returns the
     * batch's mean loss.
     */
    public double step(double learningRate, ExampleSource source) {
        double loss = batchGradient(source, s.batch());
        List<float[]> params = new ArrayList<>();
        for (BdhModel.Param p : model.params()) params.add(p.data());
        List<float[]> grads = new ArrayList<>();
        for (BdhModel.Param p : slotGrads[0].params()) grads.add(p.data());
        clip(grads);
        optimizer.step(params, grads, learningRate);
        return loss;
    }

    public Settings settings() {
        return s;
    }

    /** Mean loss of the batch; leaves the mean gradient in slot 0's buffer. */
    private double batchGradient(ExampleSource source, int batch) {
        int n = slots.length;
        pool.forRange(n, (from, to) -> {
            for (int w = from; w < to; w++) {
                BdhModel g = slotGrads[w];
                for (BdhModel.Param p : g.params()) Arrays.fill(p.data(), 0f);
                double sum = 0;
                for (int b = w; b < batch; b += n) {
                    BdhParallel p = slots[w];
                    Example e = source.make(b, p);
                    p.forward(e.tokens());
                    float[] dLogits = new float[e.tokens().length * model.config().vocab()];
                    sum += p.crossEntropy(e.targets(), e.weights(), e.distributions(), dLogits, 1f / batch);
                    p.backward(dLogits, g);
                }
                slotLoss[w] = sum;
            }
        });
        double loss = 0;
        for (int w = 0; w < n; w++) loss += slotLoss[w];
        List<BdhModel.Param> total = slotGrads[0].params();
        for (int w = 1; w < n; w++) {
            List<BdhModel.Param> gw = slotGrads[w].params();
            for (int k = 0; k < total.size(); k++) {
                float[] dst = total.get(k).data(), src = gw.get(k).data();
                for (int i = 0; i < dst.length; i++) dst[i] += src[i];
            }
        }
        return loss / batch;
    }

    private void clip(List<float[]> grads) {
        if (s.clip() <= 0) return;
        double sq = 0;
        for (float[] g : grads) for (float x : g) sq += (double) x * x;
        double norm = Math.sqrt(sq);
        if (norm > s.clip()) {
            float f = (float) (s.clip() / norm);
            for (float[] g : grads) for (int i = 0; i < g.length; i++) g[i] *= f;
        }
    }

    /** Mean next-token loss (nats) over {@code windows} evenly spaced windows of {@code data}. */
    public double evaluate(int[] data, int windows) {
        int span = data.length - s.seqLen() - 1;
        double[] sums = new double[windows];
        int n = slots.length;
        pool.forRange(n, (from, to) -> {
            for (int w = from; w < to; w++) {
                for (int i = w; i < windows; i += n) {
                    int start = windows == 1 ? 0 : (int) ((long) span * i / (windows - 1));
                    slots[w].forward(Arrays.copyOfRange(data, start, start + s.seqLen()));
                    sums[i] = slots[w].crossEntropy(Arrays.copyOfRange(data, start + 1, start + s.seqLen() + 1), null, 1f);
                }
            }
        });
        double total = 0;
        for (double x : sums) total += x;
        return total / windows;
    }

    /** Bytes as token ids 0..255. */
    public static int[] bytesToTokens(byte[] b) {
        int[] t = new int[b.length];
        for (int i = 0; i < b.length; i++) t[i] = b[i] & 0xFF;
        return t;
    }
}
