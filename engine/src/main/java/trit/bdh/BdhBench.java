package trit.bdh;

import java.util.Arrays;

/**
 * Dense against sparse recurrent kernels on the same model and tokens: per-token time of each (median
 * and fastest over repetitions, after a warm-up), the largest difference between their logits, and the activation
 * density per layer. All figures are measured; both kernels run on one thread.
 */
public final class BdhBench {
    /**
     * @param denseNanosPerToken  median over repetitions of (time to feed every token) / tokens
     * @param maxRelativeDiff     over every step: max |dense - sparse| / max |dense| of the logits
     * @param xDensity            per layer: fraction of neurons active after the first ReLU
     * @param xyDensity           per layer: fraction whose gated output x * relu(y) is not zero
     */
    public record Result(int tokens, int repetitions, double denseNanosPerToken, double sparseNanosPerToken,
                         double denseBestNanosPerToken, double sparseBestNanosPerToken,
                         double maxRelativeDiff, double[] xDensity, double[] xyDensity) {
        /** Ratio of the medians. */
        public double speedup() {
            return denseNanosPerToken / sparseNanosPerToken;
        }

        /** Ratio of the fastest repetitions: steadier than the medians on a machine shared with other work. */
        public double bestSpeedup() {
            return denseBestNanosPerToken / sparseBestNanosPerToken;
        }
    }

    private BdhBench() {}

    public static Result run(BdhModel model, int[] tokens, int repetitions) {
        if (tokens.length == 0) throw new IllegalArgumentException("no tokens");
        float[] evT = BdhRecurrent.transposeEncoderV(model);
        BdhRecurrent dense = new BdhRecurrent(model, evT, false);
        BdhRecurrent sparse = new BdhRecurrent(model, evT, true);
        // equal outputs first (untimed), which also warms both kernels up
        double maxDiff = 0;
        for (int t : tokens) {
            float[] d = dense.step(t).clone();
            float[] s = sparse.step(t);
            double diff = 0, scale = 0;
            for (int i = 0; i < d.length; i++) {
                diff = Math.max(diff, Math.abs(d[i] - s[i]));
                scale = Math.max(scale, Math.abs(d[i]));
            }
            maxDiff = Math.max(maxDiff, scale == 0 ? diff : diff / scale);
        }
        double[] xd = sparse.xDensity(), xyd = sparse.xyDensity();
        int reps = Math.max(1, repetitions);
        long[] dn = new long[reps], sn = new long[reps];
        for (int r = 0; r < reps; r++) {
            // the kernels take turns token by token, so that load from other processes falls on both alike
            dense.reset();
            sparse.reset();
            for (int t : tokens) {
                long t0 = System.nanoTime();
                dense.step(t);
                long t1 = System.nanoTime();
                sparse.step(t);
                long t2 = System.nanoTime();
                dn[r] += t1 - t0;
                sn[r] += t2 - t1;
            }
        }
        double n = tokens.length;
        return new Result(tokens.length, reps, median(dn) / n, median(sn) / n,
                Arrays.stream(dn).min().getAsLong() / n, Arrays.stream(sn).min().getAsLong() / n, maxDiff, xd, xyd);
    }

    private static double median(long[] a) {
        long[] s = a.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }
}
