package trit.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import trit.TritException;
import trit.model.Session;
import trit.model.Transformer;

/**
 * Whole-model speed as llama-bench measures it: pp = a prompt of {@code p} tokens processed at once
 * (tokens/s), tg = {@code n} tokens decoded one at a time from an empty context (tokens/s). One warm-up
 * run of each, then {@code reps} timed repetitions; medians and spread are reported.
 */
public final class ModelBench {
    public record Options(int promptTokens, int genTokens, int reps, long seed) {
        public Options {
            if (promptTokens < 0 || genTokens < 0) throw new TritException("-p and -n must be >= 0");
            if (promptTokens == 0 && genTokens == 0) throw new TritException("nothing to measure: -p and -n are both 0");
            if (reps < 1) throw new TritException("-r must be >= 1, got " + reps);
        }
    }

    /** Summary of repeated measurements (tokens/s or milliseconds). */
    public record Stats(double median, double min, double max, double stddev, double[] samples) {
        static Stats of(double[] x) {
            double[] s = x.clone();
            Arrays.sort(s);
            double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
            double mean = Arrays.stream(s).average().orElse(0);
            double var = Arrays.stream(s).map(v -> (v - mean) * (v - mean)).sum() / Math.max(1, s.length - 1);
            return new Stats(median, s[0], s[s.length - 1], Math.sqrt(var), x);
        }
    }

    /**
     * @param pp tokens/s of prompt processing (null when -p 0)
     * @param tg tokens/s of decoding (null when -n 0)
     * @param ttftMs time to first token: processing the prompt until its logits exist, ms
     * @param tpotMs time per output token while decoding, ms
     * @param runs   runs made, warm-ups included
     */
    public record Result(Stats pp, Stats tg, Stats ttftMs, Stats tpotMs, long weightBytesPerToken, long kvCacheBytes,
                         int runs) {
        /** Prompt and generated tokens of every run, warm-ups included (what energy readings cover). */
        public long tokensProcessed(Options o) {
            return (long) (o.promptTokens() + o.genTokens()) * runs;
        }
    }

    private ModelBench() {}

    /** The warm-up runs at least this long (or {@link #MAX_WARM_UPS} times). */
    private static final long WARM_UP_NANOS = 1_000_000_000L;
    private static final int MAX_WARM_UPS = 200;

    public static Result run(Transformer m, Options o, Consumer<String> progress) {
        int vocab = m.config().vocab();
        SplittableRandom rnd = new SplittableRandom(o.seed());
        int[] prompt = rnd.ints(o.promptTokens(), 0, vocab).toArray();
        int[] gen = rnd.ints(o.genTokens(), 0, vocab).toArray();
        int ctx = Math.max(o.promptTokens(), o.genTokens()) + 1;
        if (ctx > m.config().context()) {
            throw new TritException("-p/-n of " + (ctx - 1) + " tokens exceed the model's context of " + m.config().context());
        }
        Session s = m.newSession(ctx);
        double[] pp = new double[o.reps()], tg = new double[o.reps()], ttft = new double[o.reps()], tpot = new double[o.reps()];
        // rep -1 is the warm-up: repeated for at least WARM_UP_NANOS (small models run in milliseconds, before
        // the JIT has compiled their kernels; one warm-up left their figures varying 10x between runs)
        long warmUpStart = System.nanoTime();
        int warmUps = 1;
        for (int rep = -1; rep < o.reps(); rep++) {
            if (rep == 0 && warmUps < MAX_WARM_UPS && System.nanoTime() - warmUpStart < WARM_UP_NANOS) {
                rep = -1;
                warmUps++;
            }
            String label = rep < 0 ? "warm-up" : "run " + (rep + 1) + "/" + o.reps();
            if (o.promptTokens() > 0) {
                if (progress != null) progress.accept(label + ": pp" + o.promptTokens());
                s.reset();
                long t0 = System.nanoTime();
                s.forward(prompt);
                long t = System.nanoTime() - t0;
                if (rep >= 0) {
                    pp[rep] = o.promptTokens() / (t / 1e9);
                    ttft[rep] = t / 1e6;
                }
            }
            if (o.genTokens() > 0) {
                if (progress != null) progress.accept(label + ": tg" + o.genTokens());
                s.reset();
                long t0 = System.nanoTime();
                for (int tok : gen) s.forward(tok);
                long t = System.nanoTime() - t0;
                if (rep >= 0) {
                    tg[rep] = o.genTokens() / (t / 1e9);
                    tpot[rep] = t / 1e6 / o.genTokens();
                }
            }
        }
        return new Result(o.promptTokens() > 0 ? Stats.of(pp) : null, o.genTokens() > 0 ? Stats.of(tg) : null,
                o.promptTokens() > 0 ? Stats.of(ttft) : null, o.genTokens() > 0 ? Stats.of(tpot) : null,
                m.weightBytesPerToken(), s.kvCacheBytes(), warmUps + o.reps());
    }
}
