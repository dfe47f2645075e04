package trit.train;

import trit.kernel.Parallel;

/**
 * Forward and backward passes of the transformer's pieces, on row-major float arrays of n rows.
 * The forward arithmetic is that of trit's runtime ({@code trit.model.Session}), which follows llama.cpp:
 * RMSNorm sums squares in double, RoPE angles come from the same float recurrence, SwiGLU is
 * {@code g / (1 + exp(-g)) * u} in float. Each backward is checked against finite differences in the tests.
 * Parameter gradients are accumulated ({@code +=}) in an order that does not depend on the thread count.
 */
public final class Ops {
    private Ops() {}

    static void rows(Parallel pool, int n, Parallel.RangeBody body) {
        if (pool == null) body.run(0, n);
        else pool.forRange(n, 8, body);
    }

    // ---- RMSNorm ---------------------------------------------------------------------------------

    /** {@code out = x / rms(x) * w} per row of d; {@code rinv[t]} keeps 1 / rms for the backward. */
    public static void rmsNorm(float[] x, float[] w, int wOff, float[] out, float[] rinv, int n, int d, float eps, Parallel pool) {
        rows(pool, n, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int o = t * d;
                double sum = 0;
                for (int i = 0; i < d; i++) sum += (double) (x[o + i] * x[o + i]);
                float mean = (float) (sum / d);
                float r = 1.0f / (float) Math.sqrt(mean + eps);
                rinv[t] = r;
                for (int i = 0; i < d; i++) out[o + i] = (x[o + i] * r) * w[wOff + i];
            }
        });
    }

    /**
     * Backward of {@link #rmsNorm}: {@code dx = r w dy - x r^3 / d * sum(dy w x)} (written into dx,
     * which may alias dy), {@code dw += sum_t dy x r}.
     */
    public static void rmsNormBackward(float[] x, float[] w, int wOff, float[] rinv, float[] dy, float[] dx, float[] dw, int dwOff,
                                       int n, int d, Parallel pool) {
        // the weight gradient first (dx may overwrite dy), column by column so that each sum runs over t in order
        rows(pool, d, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                float s = 0f;
                for (int t = 0; t < n; t++) s += dy[t * d + i] * x[t * d + i] * rinv[t];
                dw[dwOff + i] += s;
            }
        });
        rows(pool, n, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int o = t * d;
                float r = rinv[t];
                double dot = 0;
                for (int i = 0; i < d; i++) dot += dy[o + i] * w[wOff + i] * x[o + i];
                float c = (float) (dot * r * r * r / d);
                for (int i = 0; i < d; i++) dx[o + i] = r * w[wOff + i] * dy[o + i] - x[o + i] * c;
            }
        });
    }

    // ---- RoPE (NeoX: pairs (i, i + half)) ---------------------------------------------------------

    /** cos and sin per position and pair, [positions][half], built as ggml_rope_cache_init does. */
    public static float[][] ropeTables(int positions, int headDim, float base) {
        int half = headDim / 2;
        float[] cos = new float[positions * half], sin = new float[positions * half];
        float thetaScale = (float) Math.pow(base, -2.0f / headDim);
        for (int p = 0; p < positions; p++) {
            float theta = p;
            for (int i = 0; i < half; i++) {
                cos[p * half + i] = (float) Math.cos(theta);
                sin[p * half + i] = (float) Math.sin(theta);
                theta *= thetaScale;
            }
        }
        return new float[][] {cos, sin};
    }

    /**
     * Rotates every head of each row in place; row t is at position {@code t % seq}. {@code inverse}
     * rotates by the opposite angle, which is the backward (the rotation is orthogonal).
     */
    public static void rope(float[] x, int n, int heads, int headDim, int seq, float[][] tables, boolean inverse, Parallel pool) {
        int half = headDim / 2, width = heads * headDim;
        float[] cos = tables[0], sin = tables[1];
        rows(pool, n, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int pos = t % seq;
                for (int h = 0; h < heads; h++) {
                    int base = t * width + h * headDim;
                    for (int i = 0; i < half; i++) {
                        float c = cos[pos * half + i], s = inverse ? -sin[pos * half + i] : sin[pos * half + i];
                        float x0 = x[base + i], x1 = x[base + i + half];
                        x[base + i] = x0 * c - x1 * s;
                        x[base + i + half] = x0 * s + x1 * c;
                    }
                }
            }
        });
    }

    // ---- SwiGLU ----------------------------------------------------------------------------------

    /** {@code h = silu(g) * u}, element-wise over m values. */
    public static void swiglu(float[] g, float[] u, float[] h, int m, Parallel pool) {
        rows(pool, m / 1024 + 1, (c0, c1) -> {
            for (int i = c0 * 1024; i < Math.min(m, c1 * 1024); i++) {
                float x = g[i];
                h[i] = x / (1.0f + (float) Math.exp(-x)) * u[i];
            }
        });
    }

    /** Backward of {@link #swiglu}: dg and du from dh (dg may alias g, du may alias u). */
    public static void swigluBackward(float[] g, float[] u, float[] dh, float[] dg, float[] du, int m, Parallel pool) {
        rows(pool, m / 1024 + 1, (c0, c1) -> {
            for (int i = c0 * 1024; i < Math.min(m, c1 * 1024); i++) {
                float x = g[i], s = 1.0f / (1.0f + (float) Math.exp(-x));
                float silu = x * s, ui = u[i], d = dh[i];
                dg[i] = d * ui * s * (1.0f + x * (1.0f - s));
                du[i] = d * silu;
            }
        });
    }

    // ---- causal attention ------------------------------------------------------------------------

    /**
     * Causal softmax attention for {@code batch} sequences of {@code seq} rows. q is [n, heads*hd], k and v
     * [n, kvHeads*hd]; out [n, heads*hd]; probs keeps the softmax, [batch][heads][seq][seq].
     */
    public static void attention(float[] q, float[] k, float[] v, float[] out, float[] probs, int batch, int seq,
                                 int heads, int kvHeads, int hd, Parallel pool) {
        int qDim = heads * hd, kvDim = kvHeads * hd, group = heads / kvHeads;
        float scale = 1.0f / (float) Math.sqrt(hd);
        parallel(pool, batch * heads, (j0, j1) -> {
            float[] qh = new float[seq * hd], kt = new float[hd * seq], vh = new float[seq * hd], oh = new float[seq * hd];
            for (int j = j0; j < j1; j++) {
                int b = j / heads, h = j % heads, kvh = h / group;
                int pOff = j * seq * seq;
                gather(q, b * seq, seq, qDim, h * hd, hd, qh);
                gather(v, b * seq, seq, kvDim, kvh * hd, hd, vh);
                for (int t = 0; t < seq; t++) for (int i = 0; i < hd; i++) kt[i * seq + t] = k[(b * seq + t) * kvDim + kvh * hd + i];
                MatMul.nn(qh, 0, hd, kt, 0, seq, probs, pOff, seq, seq, hd, seq, false, null);
                for (int t = 0; t < seq; t++) {
                    int r = pOff + t * seq;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int p = 0; p <= t; p++) {
                        float s = probs[r + p] * scale;
                        probs[r + p] = s;
                        if (s > max) max = s;
                    }
                    double sum = 0;
                    for (int p = 0; p <= t; p++) {
                        float e = (float) Math.exp(probs[r + p] - max);
                        probs[r + p] = e;
                        sum += e;
                    }
                    float inv = (float) (1.0 / sum);
                    for (int p = 0; p <= t; p++) probs[r + p] *= inv;
                    for (int p = t + 1; p < seq; p++) probs[r + p] = 0f;
                }
                MatMul.nn(probs, pOff, seq, vh, 0, hd, oh, 0, hd, seq, seq, hd, false, null);
                scatter(oh, hd, out, b * seq, seq, qDim, h * hd);
            }
        });
    }

    /**
     * Backward of {@link #attention}: from dout, writes dq, dk, dv (all overwritten). Heads sharing a KV
     * head are handled by one task in head order, so their dk/dv sums are deterministic.
     */
    public static void attentionBackward(float[] q, float[] k, float[] v, float[] probs, float[] dout,
                                         float[] dq, float[] dk, float[] dv, int batch, int seq, int heads, int kvHeads, int hd,
                                         Parallel pool) {
        int qDim = heads * hd, kvDim = kvHeads * hd, group = heads / kvHeads;
        float scale = 1.0f / (float) Math.sqrt(hd);
        parallel(pool, batch * kvHeads, (j0, j1) -> {
            int sq = seq * seq, sh = seq * hd;
            float[] doh = new float[sh], vt = new float[hd * seq], dp = new float[sq], pt = new float[sq];
            float[] kh = new float[sh], qh = new float[sh], dqh = new float[sh], dkh = new float[sh], dvh = new float[sh];
            for (int j = j0; j < j1; j++) {
                int b = j / kvHeads, kvh = j % kvHeads;
                gather(k, b * seq, seq, kvDim, kvh * hd, hd, kh);
                for (int t = 0; t < seq; t++) for (int i = 0; i < hd; i++) vt[i * seq + t] = v[(b * seq + t) * kvDim + kvh * hd + i];
                java.util.Arrays.fill(dkh, 0f);
                java.util.Arrays.fill(dvh, 0f);
                for (int h = kvh * group; h < (kvh + 1) * group; h++) {
                    int pOff = (b * heads + h) * sq;
                    gather(dout, b * seq, seq, qDim, h * hd, hd, doh);
                    gather(q, b * seq, seq, qDim, h * hd, hd, qh);
                    // dV += P^T dO
                    MatMul.transpose(probs, pOff, seq, pt, 0, seq, seq, seq, null);
                    MatMul.nn(pt, 0, seq, doh, 0, hd, dvh, 0, hd, seq, seq, hd, true, null);
                    // dP = dO V^T; dS = P (dP - sum(dP P)) * scale
                    MatMul.nn(doh, 0, hd, vt, 0, seq, dp, 0, seq, seq, hd, seq, false, null);
                    for (int t = 0; t < seq; t++) {
                        int r = t * seq;
                        float dot = 0f;
                        for (int p = 0; p <= t; p++) dot += dp[r + p] * probs[pOff + r + p];
                        for (int p = 0; p <= t; p++) dp[r + p] = probs[pOff + r + p] * (dp[r + p] - dot) * scale;
                        for (int p = t + 1; p < seq; p++) dp[r + p] = 0f;
                    }
                    // dQ = dS K; dK += dS^T Q
                    MatMul.nn(dp, 0, seq, kh, 0, hd, dqh, 0, hd, seq, seq, hd, false, null);
                    scatter(dqh, hd, dq, b * seq, seq, qDim, h * hd);
                    MatMul.transpose(dp, 0, seq, pt, 0, seq, seq, seq, null);
                    MatMul.nn(pt, 0, seq, qh, 0, hd, dkh, 0, hd, seq, seq, hd, true, null);
                }
                scatter(dkh, hd, dk, b * seq, seq, kvDim, kvh * hd);
                scatter(dvh, hd, dv, b * seq, seq, kvDim, kvh * hd);
            }
        });
    }

    private static void parallel(Parallel pool, int n, Parallel.RangeBody body) {
        if (pool == null) body.run(0, n);
        else pool.forRange(n, 1, body);
    }

    /** Copies columns {@code [col, col + w)} of rows {@code [row0, row0 + n)} of a [*, width] array into dst [n, w]. */
    private static void gather(float[] src, int row0, int n, int width, int col, int w, float[] dst) {
        for (int t = 0; t < n; t++) System.arraycopy(src, (row0 + t) * width + col, dst, t * w, w);
    }

    private static void scatter(float[] src, int w, float[] dst, int row0, int n, int width, int col) {
        for (int t = 0; t < n; t++) System.arraycopy(src, t * w, dst, (row0 + t) * width + col, w);
    }

    // ---- embedding, cross-entropy ----------------------------------------------------------------

    public static void embed(float[] table, int[] tokens, int tokOff, int n, int d, float[] out) {
        for (int t = 0; t < n; t++) System.arraycopy(table, tokens[tokOff + t] * d, out, t * d, d);
    }

    /** Scatter-adds the rows of dx into the embedding gradient, in token order (deterministic). */
    public static void embedBackward(int[] tokens, int tokOff, int n, int d, float[] dx, float[] dTable, int tableOff) {
        for (int t = 0; t < n; t++) {
            int o = tableOff + tokens[tokOff + t] * d;
            for (int i = 0; i < d; i++) dTable[o + i] += dx[t * d + i];
        }
    }

    /**
     * Mean cross-entropy of n rows of logits [n, vocab] against targets; when {@code grad} is set, the
     * logits are replaced by d(loss)/d(logits) = (softmax - onehot) / n. Returns the loss; per-row
     * losses are summed in double in row order.
     */
    public static double crossEntropy(float[] logits, int[] targets, int tgtOff, int n, int vocab, boolean grad, Parallel pool) {
        double[] rowLoss = new double[n];
        rows(pool, n, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int o = t * vocab;
                float max = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < vocab; i++) max = Math.max(max, logits[o + i]);
                double sum = 0;
                for (int i = 0; i < vocab; i++) sum += Math.exp(logits[o + i] - max);
                int y = targets[tgtOff + t];
                rowLoss[t] = Math.log(sum) - (logits[o + y] - max);
                if (grad) {
                    float inv = (float) (1.0 / sum), scale = 1.0f / n;
                    for (int i = 0; i < vocab; i++) logits[o + i] = (float) Math.exp(logits[o + i] - max) * inv * scale;
                    logits[o + y] -= scale;
                }
            }
        });
        double loss = 0;
        for (double l : rowLoss) loss += l;
        return loss / n;
    }
}
