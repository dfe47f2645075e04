package trit.model;

import java.util.Arrays;
import trit.TritException;
import trit.kernel.Linear;

/**
 * One sequence running through a {@link Transformer}: the KV cache and the activation buffers.
 * Not thread-safe; the matrix products inside use the model's thread pool.
 *
 * <p>The arithmetic follows llama.cpp's CPU graph where that decides results: RMSNorm sums squares in
 * double, K and V are cached as F16, queries meet keys and attention weights meet values in F16
 * (the precision of llama.cpp's F16 KV cache products without flash attention), and RoPE builds its
 * angles by the same float recurrence.
 */
public final class Session implements TokenSession {
    /** Tokens processed per forward pass during prompt processing. */
    public static final int MAX_BATCH = 64;

    private final Transformer m;
    private final ModelConfig c;
    private final int contextLength;
    private final short[][] keys;
    private final short[][] values;
    private int position;

    private final float[] x, xb, xb2, q, k, v, att, hb, hb2, logits, last;
    private final float[] ropeCos, ropeSin;
    private final float[][] scores; // per head, reused across tokens
    private float[] batchNormed, batchLogits; // for forwardAll, allocated on first use
    private LogitsSink sink;
    private int sinkBase;

    Session(Transformer m, int contextLength) {
        this.m = m;
        this.c = m.config;
        if (contextLength <= 0) throw new TritException("context length must be positive, got " + contextLength);
        this.contextLength = Math.min(contextLength, c.context());
        long cacheElems = (long) this.contextLength * c.kvDim();
        if (cacheElems > Integer.MAX_VALUE - 8) throw new TritException("context " + contextLength + " is too long for one KV cache array");
        keys = new short[c.layers()][(int) cacheElems];
        values = new short[c.layers()][(int) cacheElems];
        int b = MAX_BATCH;
        x = new float[b * c.dim()];
        xb = new float[b * Math.max(c.dim(), c.qDim())];
        xb2 = new float[b * c.dim()];
        q = new float[b * c.qDim()];
        k = new float[b * c.kvDim()];
        v = new float[b * c.kvDim()];
        att = new float[b * c.qDim()];
        hb = new float[b * c.ffn()];
        hb2 = new float[b * c.ffn()];
        logits = new float[c.vocab()];
        last = new float[c.dim()];
        ropeCos = new float[b * c.ropeDims() / 2];
        ropeSin = new float[b * c.ropeDims() / 2];
        scores = new float[c.heads()][this.contextLength];
    }

    @Override
    public int position() {
        return position;
    }

    @Override
    public int contextLength() {
        return contextLength;
    }

    /** Bytes held by the KV cache (F16 keys and values for every layer and position). */
    @Override
    public long kvCacheBytes() {
        return 2L * 2 * c.layers() * contextLength * c.kvDim();
    }

    /** Forgets the sequence; the cache is overwritten by the next tokens. */
    public void reset() {
        position = 0;
    }

    /** Keeps only the first {@code length} positions (a shared prefix), dropping the rest. */
    public void rewind(int length) {
        if (length < 0 || length > position) throw new IllegalArgumentException("cannot rewind to " + length + " from " + position);
        position = length;
    }

    /**
     * Runs {@code tokens} through the model (in batches of {@link #MAX_BATCH}) and returns the logits
     * after the last one. The returned array is reused by the next call.
     */
    @Override
    public float[] forward(int[] tokens) {
        if (tokens.length == 0) throw new IllegalArgumentException("no tokens");
        if (position + tokens.length > contextLength) {
            throw new TritException("the sequence needs " + (position + tokens.length) + " positions but the context holds "
                    + contextLength + " (use a longer --ctx or fewer tokens)");
        }
        for (int start = 0; start < tokens.length; start += MAX_BATCH) {
            int n = Math.min(MAX_BATCH, tokens.length - start);
            batch(tokens, start, n, start + n == tokens.length);
        }
        return logits;
    }

    /** Receives the logits after each token of a {@link #forwardAll} call. */
    public interface LogitsSink {
        /**
         * @param index  the token's index in the array given to {@code forwardAll}
         * @param logits the logits predicting the token after it, at {@code [offset, offset + vocab)};
         *               the array is reused, so copy what you keep
         */
        void accept(int index, float[] logits, int offset);
    }

    /**
     * Runs {@code tokens} through the model like {@link #forward(int[])}, but computes the logits after
     * every token (the output layer over a whole batch at once) and hands each to {@code sink}, in order.
     * What perplexity needs; generation only needs the last.
     */
    public void forwardAll(int[] tokens, LogitsSink sink) {
        if (tokens.length == 0) throw new IllegalArgumentException("no tokens");
        if (position + tokens.length > contextLength) {
            throw new TritException("the sequence needs " + (position + tokens.length) + " positions but the context holds "
                    + contextLength + " (use a longer --ctx or fewer tokens)");
        }
        if (batchLogits == null) {
            batchNormed = new float[MAX_BATCH * c.dim()];
            batchLogits = new float[MAX_BATCH * c.vocab()];
        }
        this.sink = sink;
        try {
            for (int start = 0; start < tokens.length; start += MAX_BATCH) {
                int n = Math.min(MAX_BATCH, tokens.length - start);
                sinkBase = start;
                batch(tokens, start, n, false);
            }
        } finally {
            this.sink = null;
        }
    }

    /** One token in, logits out. */
    @Override
    public float[] forward(int token) {
        return forward(new int[] {token});
    }

    private void batch(int[] tokens, int from, int n, boolean wantLogits) {
        int dim = c.dim(), qDim = c.qDim(), kvDim = c.kvDim(), ffn = c.ffn();
        for (int t = 0; t < n; t++) m.embed(tokens[from + t], x, t * dim);
        ropeTables(n);
        for (int l = 0; l < c.layers(); l++) {
            Transformer.Layer L = m.layers[l];
            rmsNorm(x, xb, L.attnNorm(), n, dim);
            project(L.wq(), xb, q, n, L.wqScale(), L.bq());
            project(L.wk(), xb, k, n, L.wkScale(), L.bk());
            project(L.wv(), xb, v, n, L.wvScale(), L.bv());
            if (L.qNorm() != null) {
                rmsNorm(q, q, L.qNorm(), n * c.heads(), c.headDim());
                rmsNorm(k, k, L.kNorm(), n * c.kvHeads(), c.headDim());
            }
            for (int t = 0; t < n; t++) {
                rope(q, t * qDim, c.heads(), t);
                rope(k, t * kvDim, c.kvHeads(), t);
                int p = position + t;
                for (int i = 0; i < kvDim; i++) {
                    keys[l][p * kvDim + i] = Float.floatToFloat16(k[t * kvDim + i]);
                    values[l][p * kvDim + i] = Float.floatToFloat16(v[t * kvDim + i]);
                }
            }
            attention(l, n);
            if (L.attnSubNorm() != null) rmsNorm(att, att, L.attnSubNorm(), n, qDim);
            project(L.wo(), att, xb2, n, L.woScale(), L.bo());
            add(x, xb2, n * dim);

            rmsNorm(x, xb, L.ffnNorm(), n, dim);
            project(L.gate(), xb, hb, n, L.gateScale(), null);
            project(L.up(), xb, hb2, n, L.upScale(), null);
            gatedActivation(n * ffn);
            if (L.ffnSubNorm() != null) rmsNorm(hb, hb, L.ffnSubNorm(), n, ffn);
            project(L.down(), hb, xb2, n, L.downScale(), null);
            add(x, xb2, n * dim);
        }
        position += n;
        if (sink != null) {
            rmsNorm(x, batchNormed, m.outputNorm, n, dim);
            if (n == 1) m.output.apply(batchNormed, batchLogits);
            else m.output.applyBatch(batchNormed, batchLogits, n);
            int vocab = c.vocab();
            for (int t = 0; t < n; t++) sink.accept(sinkBase + t, batchLogits, t * vocab);
        }
        if (wantLogits) {
            // only the last token's logits are needed (llama.cpp's inp_out_ids does the same)
            System.arraycopy(x, (n - 1) * dim, last, 0, dim);
            rmsNorm(last, last, m.outputNorm, 1, dim);
            m.output.apply(last, logits);
        }
    }

    private static void project(Linear w, float[] in, float[] out, int n, float scale, float[] bias) {
        if (n == 1) w.apply(in, out);
        else w.applyBatch(in, out, n);
        int rows = w.rows();
        if (scale != 1f) for (int i = 0; i < n * rows; i++) out[i] *= scale;
        if (bias != null) for (int t = 0; t < n; t++) for (int i = 0; i < rows; i++) out[t * rows + i] += bias[i];
    }

    /** RMSNorm of each of n vectors of size d (in may equal out), as ggml: squares summed in double. */
    static void rmsNorm(float[] in, float[] out, float[] weight, int n, int d, float eps) {
        for (int t = 0; t < n; t++) {
            int o = t * d;
            double sum = 0;
            for (int i = 0; i < d; i++) sum += (double) (in[o + i] * in[o + i]);
            float mean = (float) (sum / d);
            float scale = 1.0f / (float) Math.sqrt(mean + eps);
            for (int i = 0; i < d; i++) out[o + i] = (in[o + i] * scale) * weight[i];
        }
    }

    private void rmsNorm(float[] in, float[] out, float[] weight, int n, int d) {
        rmsNorm(in, out, weight, n, d, c.rmsEps());
    }

    private static void add(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) x[i] += y[i];
    }

    private void gatedActivation(int n) {
        if (c.arch().activation == Architecture.Activation.SWIGLU) {
            for (int i = 0; i < n; i++) {
                float g = hb[i];
                hb[i] = g / (1.0f + (float) Math.exp(-g)) * hb2[i];
            }
        } else {
            for (int i = 0; i < n; i++) {
                float g = Math.max(hb[i], 0f);
                hb[i] = g * g * hb2[i];
            }
        }
    }

    /** cos/sin per rotated pair for each token of the batch, built as ggml_rope_cache_init does. */
    private void ropeTables(int n) {
        int half = c.ropeDims() / 2;
        float thetaScale = (float) Math.pow(c.ropeBase(), -2.0f / c.ropeDims());
        float[] ff = m.ropeFreqFactors;
        for (int t = 0; t < n; t++) {
            float theta = position + t;
            for (int i = 0; i < half; i++) {
                float extrap = ff == null ? theta : theta / ff[i];
                float angle = c.ropeFreqScale() * extrap;
                ropeCos[t * half + i] = (float) Math.cos(angle);
                ropeSin[t * half + i] = (float) Math.sin(angle);
                theta *= thetaScale;
            }
        }
    }

    private void rope(float[] vec, int off, int heads, int t) {
        int hd = c.headDim(), rd = c.ropeDims(), half = rd / 2;
        boolean neox = c.arch().rope == Architecture.RopeStyle.NEOX;
        for (int h = 0; h < heads; h++) {
            int base = off + h * hd;
            for (int i = 0; i < half; i++) {
                int a = neox ? base + i : base + 2 * i;
                int b = neox ? base + i + half : base + 2 * i + 1;
                float cos = ropeCos[t * half + i], sin = ropeSin[t * half + i];
                float x0 = vec[a], x1 = vec[b];
                vec[a] = x0 * cos - x1 * sin;
                vec[b] = x0 * sin + x1 * cos;
            }
        }
    }

    private void attention(int layer, int n) {
        int hd = c.headDim(), kvDim = c.kvDim(), qDim = c.qDim();
        int group = c.heads() / c.kvHeads();
        float scale = 1.0f / (float) Math.sqrt(hd);
        short[] K = keys[layer], V = values[layer];
        m.pool.forRange(c.heads(), (h0, h1) -> {
            float[] q16 = new float[hd];
            for (int h = h0; h < h1; h++) {
                float[] s = scores[h];
                int kvOff = (h / group) * hd;
                for (int t = 0; t < n; t++) {
                    int end = position + t; // causal: attend to positions 0..end
                    int qo = t * qDim + h * hd;
                    for (int i = 0; i < hd; i++) q16[i] = Float.float16ToFloat(Float.floatToFloat16(q[qo + i]));
                    float max = Float.NEGATIVE_INFINITY;
                    for (int p = 0; p <= end; p++) {
                        int ko = p * kvDim + kvOff;
                        float dot = 0f;
                        for (int i = 0; i < hd; i++) dot += q16[i] * Float.float16ToFloat(K[ko + i]);
                        s[p] = dot * scale;
                        if (s[p] > max) max = s[p];
                    }
                    double sum = 0;
                    for (int p = 0; p <= end; p++) {
                        float e = (float) Math.exp(s[p] - max);
                        s[p] = e;
                        sum += e;
                    }
                    float inv = (float) (1.0 / sum);
                    int ao = t * qDim + h * hd;
                    Arrays.fill(att, ao, ao + hd, 0f);
                    for (int p = 0; p <= end; p++) {
                        float w = Float.float16ToFloat(Float.floatToFloat16(s[p] * inv));
                        int vo = p * kvDim + kvOff;
                        for (int i = 0; i < hd; i++) att[ao + i] += w * Float.float16ToFloat(V[vo + i]);
                    }
                }
            }
        });
    }
}
