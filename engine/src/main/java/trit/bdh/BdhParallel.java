package trit.bdh;

import java.util.Arrays;
import trit.TritException;

/**
 * The training form of BDH-GPU: a whole sequence at once, attention as a T x T score matrix. Keeps the
 * activations of its last {@link #forward} so that {@link #backward} can follow the reference graph:
 *
 * <pre>
 *   x = LN(embed[tokens])                                      T x D
 *   per layer (weights shared):
 *     xs  = relu(x E_h)                                        per head, T x N   (sparse: most are 0)
 *     q   = RoPE_t(xs)                                         Q = K, no softmax
 *     a_h = tril(q q^T, -1) x                                  T x D  (strictly causal linear attention, V = x)
 *     ys  = relu(LN(a_h) Ey_h)                                 T x N
 *     m   = (xs * ys) Dec                                      heads concatenated, T x D
 *     x   = LN(x + LN(m))
 *   logits = x W                                               T x vocab
 * </pre>
 *
 * Not thread-safe: one instance per worker. Buffers grow to the longest sequence seen.
 */
public final class BdhParallel {
    private final BdhModel m;
    private final BdhConfig c;
    private final Rope rope;
    private final int D, H, N, HN, P, V;

    private int T;
    private int[] tokens;
    private float[] cos, sin; // T x P
    private float[] x0;       // T x D, LN(embedding)
    private float[] rstd0;
    private Layer[] layers;
    private float[] logits;   // T x V
    private boolean whole;    // the last forward computed every logit (backward needs that)
    private float[] outRows, dRows; // backward's packed rows with a loss, kept between calls (1 MB for a Sudoku answer)

    /** One layer's saved activations. */
    private static final class Layer {
        float[] v;               // input, T x D (aliases the previous layer's out)
        float[] xs, q, ys, xy;   // T x HN
        float[] scores;          // H x T x T (strictly lower part used)
        float[] an;              // T x H x D, LN(attention output)
        float[] rstdA;           // T x H
        float[] mn, out;         // T x D
        float[] rstdM, rstdZ;    // T
    }

    public BdhParallel(BdhModel model) {
        this.m = model;
        this.c = model.config();
        this.D = c.dim();
        this.H = c.heads();
        this.N = c.neurons();
        this.HN = c.totalNeurons();
        this.P = N / 2;
        this.V = c.vocab();
        this.rope = new Rope(N, c.ropeTheta());
    }

    public BdhModel model() {
        return m;
    }

    /** Runs the sequence and returns its logits: the first T x vocab values, row-major (the array is reused). */
    public float[] forward(int[] tokens) {
        return forward(tokens, 0, V);
    }

    /**
     * For inference that reads only some logits: runs the sequence but fills only the logits of positions
     * {@code from} and later, and of them only the first {@code columns} vocabulary entries (T x vocab
     * layout as {@link #forward(int[])}; the other entries are left as they were). Those entries equal the
     * whole forward's bit for bit. The last layer is run only from {@code from} on, since no later layer
     * reads its earlier rows; the sequence's earlier positions still enter every layer's attention.
     * {@link #backward} needs a whole forward and refuses after this one.
     */
    public float[] forward(int[] tokens, int from, int columns) {
        if (tokens.length == 0) throw new TritException("BDH forward: empty sequence");
        if (from < 0 || from >= tokens.length) throw new TritException("BDH forward: logits from position " + from + " of " + tokens.length);
        if (columns < 1 || columns > V) throw new TritException("BDH forward: " + columns + " logit columns of a vocabulary of " + V);
        for (int tok : tokens) {
            if (tok < 0 || tok >= V) throw new TritException("BDH forward: token " + tok + " outside the vocabulary of " + V);
        }
        allocate(tokens.length);
        this.tokens = tokens.clone();
        for (int t = 0; t < T; t++) {
            rope.table(t, cos, sin, t * P);
            rstd0[t] = Norm.forward(m.embed, tokens[t] * D, x0, t * D, D);
        }
        float[] v = x0;
        for (int l = 0; l < layers.length; l++) {
            layerForward(layers[l], v, l == layers.length - 1 ? from : 0);
            v = layers[l].out;
        }
        Vec.matmul(v, from * D, D, T - from, D, m.lmHead, 0, V, logits, from * V, V, columns);
        whole = from == 0 && columns == V;
        return logits;
    }

    public int length() {
        return T;
    }

    /** Per-layer fraction of x neurons (after the first ReLU) that fired in the last forward pass. */
    public double[] density() {
        double[] r = new double[layers.length];
        for (int l = 0; l < layers.length; l++) {
            r[l] = Vec.countPositive(layers[l].xs, 0, T * HN) / (double) ((long) T * HN);
        }
        return r;
    }

    /** Rows {@code from} and later of the layer's attention, value, decoder and output; every row's encoder (the keys). */
    private void layerForward(Layer L, float[] v, int from) {
        L.v = v;
        float[] xs = L.xs, q = L.q, ys = L.ys, xy = L.xy, an = L.an, mn = L.mn, out = L.out;
        float[] tmp = new float[Math.max(D, N)];
        // encoder and the first ReLU
        for (int h = 0; h < H; h++) Vec.matmul(v, 0, D, T, D, m.encoder, h * D * N, N, xs, h * N, HN, N);
        for (int t = 0; t < T; t++) {
            for (int h = 0; h < H; h++) {
                int o = t * HN + h * N;
                Vec.relu(xs, o, N);
                Rope.rotate(xs, o, q, o, cos, sin, t * P, P, false);
            }
        }
        // linear attention in neuron space, strictly causal, values = the layer input
        for (int h = 0; h < H; h++) {
            for (int t = from; t < T; t++) {
                int st = (h * T + t) * T;
                Vec.dots(q, t * HN + h * N, q, h * N, HN, t, N, L.scores, st);
                Vec.matvec(L.scores, st, t, v, 0, D, tmp, 0, D);
                L.rstdA[t * H + h] = Norm.forward(tmp, 0, an, (t * H + h) * D, D);
            }
        }
        // value encoder, second ReLU, gating by x
        for (int h = 0; h < H; h++) Vec.matmul(an, (from * H + h) * D, H * D, T - from, D, m.encoderV, h * D * N, N, ys, from * HN + h * N, HN, N);
        for (int t = from; t < T; t++) {
            for (int h = 0; h < H; h++) {
                int o = t * HN + h * N;
                Vec.relu(ys, o, N);
                for (int j = 0; j < N; j++) xy[o + j] = xs[o + j] * ys[o + j];
            }
        }
        // decoder, norms, residual
        for (int t = from; t < T; t++) {
            Vec.matvec(xy, t * HN, HN, m.decoder, 0, D, tmp, 0, D);
            L.rstdM[t] = Norm.forward(tmp, 0, mn, t * D, D);
            for (int d = 0; d < D; d++) tmp[d] = v[t * D + d] + mn[t * D + d];
            L.rstdZ[t] = Norm.forward(tmp, 0, out, t * D, D);
        }
    }

    /**
     * Mean cross-entropy of the last forward's logits against {@code targets} (one per position; a negative
     * target means no loss at that position, e.g. the puzzle part of a Sudoku sequence), averaged over the
     * positions that have one, and, if {@code dLogits} is not null, its gradient times {@code scale} written
     * there (T x vocab; zero rows where there is no target).
     */
    public double crossEntropy(int[] targets, float[] dLogits, float scale) {
        return crossEntropy(targets, null, null, dLogits, scale);
    }

    /** A target distribution over a few tokens (probabilities >= 0 summing to 1); the others get 0. */
    public record Distribution(int[] tokens, float[] probabilities) {
        public Distribution {
            if (tokens.length != probabilities.length || tokens.length == 0) throw new TritException("BDH loss: a target distribution needs one probability per token");
            double sum = 0;
            for (float q : probabilities) {
                if (!(q >= 0)) throw new TritException("BDH loss: target probability " + q);
                sum += q;
            }
            if (Math.abs(sum - 1) > 1e-4) throw new TritException("BDH loss: target probabilities sum to " + sum + ", not 1");
        }
    }

    /**
     * As {@link #crossEntropy(int[], float[], float)}, generalised: the mean is weighted by {@code weights}
     * (one per position, >= 0; null: all 1), sum of w_t CE_t over sum of w_t; and where
     * {@code distributions[t]} is not null (the array may be null) the position's target is that
     * distribution q instead of the one-hot {@code targets[t]} (which must still be >= 0 to count):
     * CE_t = -sum_i q_i log p_i, gradient p - q.
     */
    public double crossEntropy(int[] targets, float[] weights, Distribution[] distributions, float[] dLogits, float scale) {
        if (targets.length != T) throw new TritException("BDH loss: " + targets.length + " targets for " + T + " positions");
        if (weights != null && weights.length != T) throw new TritException("BDH loss: " + weights.length + " weights for " + T + " positions");
        if (distributions != null && distributions.length != T) throw new TritException("BDH loss: " + distributions.length + " distributions for " + T + " positions");
        double total = 0;
        for (int t = 0; t < T; t++) {
            int y = targets[t];
            if (y >= V) throw new TritException("BDH loss: target " + y + " outside the vocabulary of " + V);
            if (distributions != null && distributions[t] != null) {
                for (int k : distributions[t].tokens()) if (k < 0 || k >= V) throw new TritException("BDH loss: target " + k + " outside the vocabulary of " + V);
            }
            float w = weights == null ? 1f : weights[t];
            if (!(w >= 0)) throw new TritException("BDH loss: weight " + w + " at position " + t);
            if (y >= 0) total += w;
        }
        double loss = 0;
        for (int t = 0; t < T; t++) {
            int y = targets[t];
            int o = t * V;
            if (y < 0) {
                if (dLogits != null) Arrays.fill(dLogits, o, o + V, 0f);
                continue;
            }
            Distribution q = distributions == null ? null : distributions[t];
            double w = weights == null ? 1 : weights[t];
            float g = total == 0 ? 0f : (float) (scale * w / total);
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < V; i++) max = Math.max(max, logits[o + i]);
            double z = 0;
            for (int i = 0; i < V; i++) z += Math.exp(logits[o + i] - max);
            double target = 0; // sum_i q_i logit_i
            if (q == null) target = logits[o + y];
            else for (int k = 0; k < q.tokens().length; k++) target += q.probabilities()[k] * logits[o + q.tokens()[k]];
            loss += w * (Math.log(z) + max - target);
            if (dLogits != null) {
                for (int i = 0; i < V; i++) dLogits[o + i] = (float) (Math.exp(logits[o + i] - max) / z) * g;
                if (q == null) dLogits[o + y] -= g;
                else for (int k = 0; k < q.tokens().length; k++) dLogits[o + q.tokens()[k]] -= q.probabilities()[k] * g;
            }
        }
        return total == 0 ? 0 : loss / total;
    }

    /** The logits of the last forward pass (T x vocab, row-major; reused by the next call). */
    public float[] logits() {
        return logits;
    }

    /**
     * Adds to {@code grads} (shaped like the model) the gradient of a loss whose gradient with respect to
     * the last forward's logits is {@code dLogits} (T x vocab).
     */
    public void backward(float[] dLogits, BdhModel grads) {
        if (!whole) throw new TritException("BDH backward: the last forward ran only part of the sequence's logits");
        float[] dOut = new float[T * D];
        float[] out = layers.length == 0 ? x0 : layers[layers.length - 1].out;
        // positions with a loss, packed: the others (a Sudoku's puzzle part) have dLogits 0 and would add exact zeros
        if (dRows == null || dRows.length < T * V) {
            outRows = new float[T * D];
            dRows = new float[T * V];
        }
        int rows = 0;
        for (int t = 0; t < T; t++) {
            if (Vec.countNonZero(dLogits, t * V, V) == 0) continue;
            Vec.dots(dLogits, t * V, m.lmHead, 0, V, D, V, dOut, t * D);
            System.arraycopy(out, t * D, outRows, rows * D, D);
            System.arraycopy(dLogits, t * V, dRows, rows * V, V);
            rows++;
        }
        Vec.addOuter(outRows, 0, D, dRows, 0, V, rows, grads.lmHead, 0, V, D, V);
        for (int l = layers.length - 1; l >= 0; l--) dOut = layerBackward(layers[l], dOut, grads);
        for (int t = 0; t < T; t++) Norm.backward(x0, t * D, rstd0[t], dOut, t * D, grads.embed, tokens[t] * D, D);
    }

    /** Returns the gradient with respect to the layer's input. */
    private float[] layerBackward(Layer L, float[] dOut, BdhModel g) {
        float[] v = L.v, xs = L.xs, q = L.q, ys = L.ys, xy = L.xy, an = L.an;
        float[] dv = new float[T * D];
        float[] dz = new float[D], dm = new float[T * D];
        float[] dxy = new float[T * HN];
        // out = LN(v + LN(m)); m = xy Dec
        for (int t = 0; t < T; t++) {
            Arrays.fill(dz, 0f);
            Norm.backward(L.out, t * D, L.rstdZ[t], dOut, t * D, dz, 0, D);
            for (int d = 0; d < D; d++) dv[t * D + d] += dz[d];
            Norm.backward(L.mn, t * D, L.rstdM[t], dz, 0, dm, t * D, D);
            Vec.dots(dm, t * D, m.decoder, 0, D, HN, D, dxy, t * HN);
        }
        Vec.addOuter(xy, 0, HN, dm, 0, D, T, g.decoder, 0, D, HN, D);
        // xy = xs * relu(yl); yl = an Ey_h; an = LN(a)
        float[] dxs = new float[T * HN];
        float[] dyl = new float[T * HN];
        float[] dan = new float[D];
        float[] da = new float[T * H * D];
        for (int t = 0; t < T; t++) {
            for (int h = 0; h < H; h++) {
                int o = t * HN + h * N;
                boolean any = false;
                for (int j = 0; j < N; j++) {
                    dxs[o + j] = dxy[o + j] * ys[o + j];
                    dyl[o + j] = ys[o + j] > 0 ? dxy[o + j] * xs[o + j] : 0f;
                    any |= dyl[o + j] != 0;
                }
                if (!any) continue;
                int ao = (t * H + h) * D;
                Vec.dots(dyl, o, m.encoderV, h * D * N, N, D, N, dan, 0);
                Norm.backward(an, ao, L.rstdA[t * H + h], dan, 0, da, ao, D);
            }
        }
        for (int h = 0; h < H; h++) Vec.addOuter(an, h * D, H * D, dyl, h * N, HN, T, g.encoderV, h * D * N, N, D, N);
        // a_t = sum_{s<t} <q_t, q_s> v_s, with q = RoPE(xs)
        // Each row's sums run in the order of the loop over (h, t, s < t) that defines them, so the bits are the
        // ones of one axpy per pair: dv_s += sc[t][s] da_t over t > s; dq_r += dS[r][k] q_k over k < r, then
        // dS[k][r] q_k over k > r.
        float[] dq = new float[T * HN];
        float[] dS = new float[T * T], coef = new float[T];
        for (int h = 0; h < H; h++) {
            for (int t = 1; t < T; t++) Vec.dots(da, (t * H + h) * D, v, 0, D, t, D, dS, t * T);
            for (int s = 0; s + 1 < T; s++) {
                Vec.matvecAdd(L.scores, (h * T + s + 1) * T + s, T, T - 1 - s, da, ((s + 1) * H + h) * D, H * D, dv, s * D, D);
            }
            for (int r = 0; r < T; r++) {
                System.arraycopy(dS, r * T, coef, 0, r);
                coef[r] = 0f;
                for (int k = r + 1; k < T; k++) coef[k] = dS[k * T + r];
                Vec.matvecAdd(coef, 0, 1, T, q, h * N, HN, dq, r * HN + h * N, N);
            }
        }
        float[] rot = new float[N];
        float[] dvh = new float[D];
        for (int t = 0; t < T; t++) {
            for (int h = 0; h < H; h++) {
                int o = t * HN + h * N;
                Rope.rotate(dq, o, rot, 0, cos, sin, t * P, P, true);
                for (int j = 0; j < N; j++) {
                    dxs[o + j] = xs[o + j] > 0 ? dxs[o + j] + rot[j] : 0f; // through the first ReLU
                }
                Vec.dots(dxs, o, m.encoder, h * D * N, N, D, N, dvh, 0);
                for (int d = 0; d < D; d++) dv[t * D + d] += dvh[d];
            }
        }
        for (int h = 0; h < H; h++) Vec.addOuter(v, 0, D, dxs, h * N, HN, T, g.encoder, h * D * N, N, D, N);
        return dv;
    }

    private void allocate(int t) {
        T = t;
        if (cos != null && cos.length >= T * P) return;
        cos = new float[T * P];
        sin = new float[T * P];
        x0 = new float[T * D];
        rstd0 = new float[T];
        logits = new float[T * V];
        layers = new Layer[c.layers()];
        for (int l = 0; l < layers.length; l++) {
            Layer L = new Layer();
            L.xs = new float[T * HN];
            L.q = new float[T * HN];
            L.ys = new float[T * HN];
            L.xy = new float[T * HN];
            L.scores = new float[H * T * T];
            L.an = new float[T * H * D];
            L.rstdA = new float[T * H];
            L.mn = new float[T * D];
            L.out = new float[T * D];
            L.rstdM = new float[T];
            L.rstdZ = new float[T];
            layers[l] = L;
        }
    }
}
