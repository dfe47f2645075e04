package trit.train;

/**
 * The AdamW update (Loshchilov and Hutter): bias-corrected Adam moments and decoupled weight decay,
 * {@code w -= lr / bc1 * m / (sqrt(v / bc2) + eps) + lr * wd * w}. One loop for every trainer in trit
 * (the transformer's {@link Trainer} and BDH's), so that both compute the same update.
 */
public final class AdamW {
    private AdamW() {}

    /** The step's constants: {@code t} is the 1-based step, {@code decay = lr * wd} (0: none). */
    public record Step(float b1, float b2, float a, float sc2, float eps, float decay) {
        public static Step of(double beta1, double beta2, double eps, int t, double lr, double decay) {
            double bc1 = 1 - Math.pow(beta1, t), bc2 = 1 - Math.pow(beta2, t);
            return new Step((float) beta1, (float) beta2, (float) (lr / bc1), (float) (1 / Math.sqrt(bc2)), (float) eps, (float) decay);
        }
    }

    /** Updates {@code w[from .. to)} from the gradients {@code g} and the moments {@code m}, {@code v} in place. */
    public static void update(float[] w, float[] g, float[] m, float[] v, int from, int to, Step s) {
        float b1 = s.b1, b2 = s.b2, a = s.a, sc2 = s.sc2, eps = s.eps, decay = s.decay;
        for (int i = from; i < to; i++) {
            float gi = g[i];
            m[i] = b1 * m[i] + (1 - b1) * gi;
            v[i] = b2 * v[i] + (1 - b2) * gi * gi;
            w[i] -= a * m[i] / ((float) Math.sqrt(v[i]) * sc2 + eps) + decay * w[i];
        }
    }
}
