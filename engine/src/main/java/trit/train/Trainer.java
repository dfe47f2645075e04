package trit.train;

import java.nio.file.Path;
import java.util.Arrays;
import trit.TritException;
import trit.kernel.Parallel;

/**
 * The training loop: batches of random windows of ctx + 1 tokens drawn from a seeded generator,
 * forward/backward, gradient clipping by global norm, AdamW with the configured schedule, validation
 * loss on fixed windows, checkpoints. Every reduction runs in a fixed order, so a run is bit-reproducible
 * for a seed, across thread counts and across a save and resume.
 */
public final class Trainer {
    public static final double BETA1 = 0.9, BETA2 = 0.95, ADAM_EPS = 1e-8;
    private static final int CHUNK = 1 << 14;

    /** One progress report, after every step. {@code valLoss} is NaN until the first evaluation. */
    public record Progress(int step, int steps, double loss, double valLoss, double tokensPerSecond, double mfu, double etaSeconds) {}

    public interface Listener {
        void progress(Progress p);
    }

    /** Figures of a finished run (this process's part of it, when resumed). */
    public record Result(int steps, double finalLoss, double valLoss, long tokens, double tokensPerSecond, double mfu,
                         double seconds, double peakFlops, long parameters) {}

    final TrainConfig config;
    final ModelShape shape;
    final Model model;
    final float[] adamM, adamV;
    final String tokenizerHash;
    final Rng rng;
    int step;
    double lastLoss = Double.NaN, lastValLoss = Double.NaN;
    private final int[] train, valid;
    private final Parallel pool;
    private final int[] inputs, targets;

    /** Checks sizes and memory before allocating anything. */
    public Trainer(TrainConfig c, int vocab, int[] train, int[] valid, String tokenizerHash, Parallel pool) {
        this.config = c;
        this.shape = c.shape(vocab);
        int window = shape.ctx() + 1;
        if (train.length < window) {
            throw new TritException("the training text has " + train.length + " tokens, fewer than ctx + 1 = " + window + " (empty or too short corpus)");
        }
        if (valid.length < window) {
            throw new TritException("the validation text has " + valid.length + " tokens, fewer than ctx + 1 = " + window);
        }
        checkMemory(shape, c.batch());
        this.train = train;
        this.valid = valid;
        this.tokenizerHash = tokenizerHash;
        this.pool = pool;
        this.model = new Model(shape, c.ternary(), c.batch(), pool);
        this.adamM = new float[model.w.length];
        this.adamV = new float[model.w.length];
        this.rng = new Rng(c.seed());
        this.inputs = new int[model.rows()];
        this.targets = new int[model.rows()];
        model.initialize(c.seed() ^ 0x5DEECE66DL);
        model.prepare();
    }

    /** Bytes the trainer will allocate for a shape and batch size (parameters, optimizer state, activations). */
    public static long bytesNeeded(ModelShape s, int batch) {
        return 4 * (Model.floatsNeeded(s, batch) + 2 * s.parameters());
    }

    static void checkMemory(ModelShape s, int batch) {
        long need = bytesNeeded(s, batch);
        Runtime rt = Runtime.getRuntime();
        long available = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (need > available) {
            throw new TritException(String.format(java.util.Locale.ROOT,
                    "this configuration needs %.2f GiB (estimated: %,d parameters, batch %d x ctx %d) but the JVM has %.2f GiB free"
                            + " (use a smaller --batch/--ctx/--dim, or raise the heap with TRIT_JAVA_OPTS=-Xmx...)",
                    need / 1073741824.0, s.parameters(), batch, s.ctx(), available / 1073741824.0));
        }
    }

    public Model model() { return model; }
    public TrainConfig config() { return config; }
    public int step() { return step; }

    /** Fills inputs/targets with {@code batch} windows starting at the given positions of {@code tokens}. */
    private void fill(int[] tokens, int[] starts) {
        int T = shape.ctx();
        for (int b = 0; b < starts.length; b++) {
            System.arraycopy(tokens, starts[b], inputs, b * T, T);
            System.arraycopy(tokens, starts[b] + 1, targets, b * T, T);
        }
    }

    /** One optimizer step; returns the training loss of its batch. */
    public double trainStep() {
        int[] starts = new int[config.batch()];
        int range = train.length - shape.ctx();
        for (int b = 0; b < starts.length; b++) starts[b] = rng.nextInt(range);
        fill(train, starts);
        double loss = model.step(inputs, targets, true);
        if (!Double.isFinite(loss)) throw new TritException("the loss became " + loss + " at step " + (step + 1) + " (lower --lr)");
        clip();
        update(config.learningRate(step), config.weightDecayAt(step));
        model.prepare();
        step++;
        lastLoss = loss;
        return loss;
    }

    /** Mean loss over {@code evalBatches} batches of windows spread evenly over the validation tokens. */
    public double validate() {
        int n = config.evalBatches() * config.batch();
        int range = valid.length - shape.ctx();
        double sum = 0;
        int[] starts = new int[config.batch()];
        for (int e = 0; e < config.evalBatches(); e++) {
            for (int b = 0; b < starts.length; b++) starts[b] = (int) ((long) range * (e * config.batch() + b) / n);
            fill(valid, starts);
            sum += model.step(inputs, targets, false);
        }
        lastValLoss = sum / config.evalBatches();
        return lastValLoss;
    }

    /** Scales the gradients so that their global L2 norm is at most {@code clip}; returns the norm before. */
    double clip() {
        float[] g = model.grad;
        int chunks = (g.length + CHUNK - 1) / CHUNK;
        double[] part = new double[chunks];
        pool.forRange(chunks, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                double s = 0;
                for (int i = c * CHUNK; i < Math.min(g.length, (c + 1) * CHUNK); i++) s += (double) g[i] * g[i];
                part[c] = s;
            }
        });
        double sum = 0;
        for (double p : part) sum += p;
        double norm = Math.sqrt(sum);
        if (config.clip() > 0 && norm > config.clip()) {
            float f = (float) (config.clip() / norm);
            pool.forRange(chunks, (c0, c1) -> {
                for (int i = c0 * CHUNK; i < Math.min(g.length, c1 * CHUNK); i++) g[i] *= f;
            });
        }
        return norm;
    }

    /** AdamW (decoupled weight decay on matrices and the embedding, none on norms). */
    private void update(double lr, double wd) {
        float[] w = model.w, g = model.grad, m = adamM, v = adamV;
        for (Model.Tensor x : model.tensors) {
            AdamW.Step s = AdamW.Step.of(BETA1, BETA2, ADAM_EPS, step + 1, lr, x.matrix() ? lr * wd : 0);
            int off = x.offset(), size = x.size();
            pool.forRange((size + CHUNK - 1) / CHUNK,
                    (c0, c1) -> AdamW.update(w, g, m, v, off + c0 * CHUNK, off + Math.min(size, c1 * CHUNK), s));
        }
    }

    /**
     * Trains until {@code config.steps()}, validating every {@code evalEvery} steps and at the end, and
     * checkpointing every {@code every} steps (0: only at the end) when {@code checkpoint} is set.
     */
    public Result run(Path checkpoint, int every, double peakFlops, Listener listener) {
        long t0 = System.nanoTime();
        int first = step;
        double flopsPerToken = shape.flopsPerToken();
        long tokensPerStep = (long) config.batch() * shape.ctx();
        while (step < config.steps()) {
            trainStep();
            if (step % config.evalEvery() == 0 || step == config.steps()) validate();
            if (checkpoint != null && (step == config.steps() || every > 0 && step % every == 0)) Checkpoint.save(this, checkpoint);
            if (listener != null) {
                double s = (System.nanoTime() - t0) / 1e9;
                double tps = (step - first) * tokensPerStep / s;
                listener.progress(new Progress(step, config.steps(), lastLoss, lastValLoss, tps,
                        peakFlops > 0 ? tps * flopsPerToken / peakFlops : Double.NaN,
                        (config.steps() - step) * tokensPerStep / tps));
            }
        }
        if (Double.isNaN(lastValLoss)) validate();
        double seconds = (System.nanoTime() - t0) / 1e9;
        long tokens = (step - first) * tokensPerStep;
        double tps = seconds > 0 ? tokens / seconds : 0;
        return new Result(step, lastLoss, lastValLoss, tokens, tps, peakFlops > 0 ? tps * flopsPerToken / peakFlops : Double.NaN,
                seconds, peakFlops, shape.parameters());
    }

    /** Checkpoint state restore (used by {@link Checkpoint#load}). */
    void restore(int step, long rngState, float[] w, float[] m, float[] v, double lastLoss, double lastValLoss) {
        this.step = step;
        this.rng.setState(rngState);
        System.arraycopy(w, 0, model.w, 0, w.length);
        System.arraycopy(m, 0, adamM, 0, m.length);
        System.arraycopy(v, 0, adamV, 0, v.length);
        this.lastLoss = lastLoss;
        this.lastValLoss = lastValLoss;
        Arrays.fill(model.grad, 0f);
        model.prepare();
    }
}
