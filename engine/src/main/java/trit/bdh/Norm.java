package trit.bdh;

/**
 * LayerNorm without scale or bias (the reference's {@code nn.LayerNorm(D, elementwise_affine=False)}):
 * y = (x - mean) / sqrt(var + eps), with the biased variance as PyTorch computes it.
 */
final class Norm {
    private Norm() {}

    /**
     * Normalises x[xo..xo+n) into y[yo..) (x and y may be the same slice) and returns 1/sqrt(var+eps),
     * which the backward pass needs.
     */
    static float forward(float[] x, int xo, float[] y, int yo, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) sum += x[xo + i];
        float mean = (float) (sum / n);
        double sq = 0;
        for (int i = 0; i < n; i++) {
            float d = x[xo + i] - mean;
            sq += (double) d * d;
        }
        float rstd = (float) (1.0 / Math.sqrt(sq / n + BdhConfig.LN_EPS));
        for (int i = 0; i < n; i++) y[yo + i] = (x[xo + i] - mean) * rstd;
        return rstd;
    }

    /**
     * Adds to dx the gradient through the norm, given its output y, rstd and the output's gradient dy:
     * dx = rstd * (dy - mean(dy) - y * mean(dy * y)).
     */
    static void backward(float[] y, int yo, float rstd, float[] dy, int dyo, float[] dx, int dxo, int n) {
        double sd = 0, sdy = 0;
        for (int i = 0; i < n; i++) {
            sd += dy[dyo + i];
            sdy += (double) dy[dyo + i] * y[yo + i];
        }
        float md = (float) (sd / n), mdy = (float) (sdy / n);
        for (int i = 0; i < n; i++) dx[dxo + i] += rstd * (dy[dyo + i] - md - y[yo + i] * mdy);
    }
}
