package trit.bdh;

import java.util.Arrays;
import trit.TritException;

/**
 * The inference form of BDH-GPU: one token at a time, the attention replaced by a synaptic state per
 * layer and head, rho (N x D), read and then written with a Hebbian rank-1 update.
 *
 * <p>Why it equals the parallel form: there a_t = sum_{s<t} <R_t x_t, R_s x_s> v_s, with R_t the RoPE
 * rotation at position t. Pulling the query out of the sum gives a_t = (R_t x_t)^T rho_t with
 * rho_t = sum_{s<t} (R_s x_s) v_s^T: the state stores each key already rotated to its own position (the
 * "position phase" it carries), the query is rotated to the current one, and after the read the token
 * adds its own outer product, rho_{t+1} = rho_t + (R_t x_t) v_t^T. Read-before-write is the strict
 * causality of the parallel form's tril(-1).
 *
 * <p>Two kernels compute the same step. The dense one walks every neuron. The sparse one uses that x is
 * mostly zero after the ReLU: the state is read and written only in the rows of active neurons (and
 * their RoPE partners), the value encoder is evaluated only for active neurons (its output is gated by
 * x), and the decoder reads only the rows whose gated output is not zero. Only the encoder itself,
 * whose input is the dense residual, stays a full product.
 *
 * <p>Not thread-safe; one instance is one sequence.
 */
public final class BdhRecurrent {
    private final BdhModel m;
    private final BdhConfig c;
    private final Rope rope;
    private final int D, H, N, HN, P, V;
    private final float[] encoderVT; // H x N x D: the value encoder by neuron, for the sparse kernel
    private final float[][] rho;     // per layer: H x N x D
    private boolean sparse;
    private long position;

    private final float[] v, xs, q, a, an, ys, mAcc, mn, logits, cos, sin;
    private final int[] active, pairs;
    private final long[] ropeStamp; // sparse kernel: position + 1 for which cos/sin[k] hold pair k's values
    private final long[] xActive, xyActive; // per layer, summed over steps
    private long steps;

    public BdhRecurrent(BdhModel model, boolean sparse) {
        this(model, transposeEncoderV(model), sparse);
    }

    /** Shares a value encoder already transposed by {@link #transposeEncoderV} (it only depends on the weights). */
    public BdhRecurrent(BdhModel model, float[] encoderVT, boolean sparse) {
        this.m = model;
        this.c = model.config();
        this.D = c.dim();
        this.H = c.heads();
        this.N = c.neurons();
        this.HN = c.totalNeurons();
        this.P = N / 2;
        this.V = c.vocab();
        this.rope = new Rope(N, c.ropeTheta());
        if (encoderVT.length != m.encoderV.length) throw new IllegalArgumentException("encoderVT has the wrong size");
        this.encoderVT = encoderVT;
        this.sparse = sparse;
        this.rho = new float[c.layers()][H * N * D];
        v = new float[D];
        xs = new float[HN];
        q = new float[N];
        a = new float[D];
        an = new float[D];
        ys = new float[N];
        mAcc = new float[D];
        mn = new float[D];
        logits = new float[V];
        cos = new float[P];
        sin = new float[P];
        active = new int[N];
        pairs = new int[P];
        ropeStamp = new long[P];
        xActive = new long[c.layers()];
        xyActive = new long[c.layers()];
    }

    /** E_y rearranged from heads x D x N to heads x N x D. */
    public static float[] transposeEncoderV(BdhModel model) {
        BdhConfig c = model.config();
        int D = c.dim(), N = c.neurons();
        float[] t = new float[model.encoderV.length];
        for (int h = 0; h < c.heads(); h++) {
            for (int d = 0; d < D; d++) {
                for (int j = 0; j < N; j++) t[(h * N + j) * D + d] = model.encoderV[(h * D + d) * N + j];
            }
        }
        return t;
    }

    public BdhModel model() {
        return m;
    }

    public long position() {
        return position;
    }

    public boolean sparse() {
        return sparse;
    }

    public void setSparse(boolean sparse) {
        this.sparse = sparse;
    }

    /** Forgets the sequence: the state goes back to zero. */
    public void reset() {
        for (float[] r : rho) Arrays.fill(r, 0f);
        position = 0;
        Arrays.fill(ropeStamp, 0);
        Arrays.fill(xActive, 0);
        Arrays.fill(xyActive, 0);
        steps = 0;
    }

    /** Bytes of synaptic state kept between tokens (every layer's rho). */
    public long stateBytes() {
        return 4L * c.layers() * H * N * D;
    }

    /** Feeds one token and returns the logits for the next (the array is reused by the next step). */
    public float[] step(int token) {
        if (token < 0 || token >= V) throw new TritException("BDH: token " + token + " outside the vocabulary of " + V);
        Norm.forward(m.embed, token * D, v, 0, D);
        if (!sparse) rope.table(position, cos, sin, 0);
        for (int l = 0; l < c.layers(); l++) {
            if (sparse) sparseLayer(l);
            else denseLayer(l);
        }
        Arrays.fill(logits, 0f);
        for (int d = 0; d < D; d++) Vec.axpy(v[d], m.lmHead, d * V, logits, 0, V);
        position++;
        steps++;
        return logits;
    }

    private void encode() {
        Arrays.fill(xs, 0f);
        for (int h = 0; h < H; h++) {
            for (int d = 0; d < D; d++) Vec.axpy(v[d], m.encoder, (h * D + d) * N, xs, h * N, N);
        }
        for (int i = 0; i < HN; i++) if (!(xs[i] > 0)) xs[i] = 0f;
    }

    /** v = LN(v + LN(m)): the residual update shared by both kernels. */
    private void residual() {
        Norm.forward(mAcc, 0, mn, 0, D);
        for (int d = 0; d < D; d++) v[d] += mn[d];
        Norm.forward(v, 0, v, 0, D);
    }

    /** The reference kernel: every neuron, every state row. */
    private void denseLayer(int l) {
        float[] r = rho[l];
        encode();
        Arrays.fill(mAcc, 0f);
        long nx = 0, nxy = 0;
        for (int h = 0; h < H; h++) {
            int ho = h * N;
            Rope.rotate(xs, ho, q, 0, cos, sin, 0, P, false);
            Arrays.fill(a, 0f);
            for (int j = 0; j < N; j++) Vec.axpy(q[j], r, (ho + j) * D, a, 0, D);   // read
            for (int j = 0; j < N; j++) Vec.axpy(q[j], v, 0, r, (ho + j) * D, D);   // Hebbian write
            Norm.forward(a, 0, an, 0, D);
            Arrays.fill(ys, 0f);
            for (int d = 0; d < D; d++) Vec.axpy(an[d], m.encoderV, (h * D + d) * N, ys, 0, N);
            for (int j = 0; j < N; j++) {
                float x = xs[ho + j];
                float xy = x * (ys[j] > 0 ? ys[j] : 0f);
                if (x > 0) nx++;
                if (xy > 0) nxy++;
                Vec.axpy(xy, m.decoder, (ho + j) * D, mAcc, 0, D);
            }
        }
        xActive[l] += nx;
        xyActive[l] += nxy;
        residual();
    }

    /** The sparse kernel: only active neurons' state rows, value-encoder columns and decoder rows. */
    private void sparseLayer(int l) {
        float[] r = rho[l];
        encode();
        Arrays.fill(mAcc, 0f);
        long nx = 0, nxy = 0;
        for (int h = 0; h < H; h++) {
            int ho = h * N;
            int na = 0, np = 0;
            for (int j = 0; j < N; j++) {
                if (xs[ho + j] > 0) {
                    active[na++] = j;
                    int k = j >> 1;
                    if (np == 0 || pairs[np - 1] != k) pairs[np++] = k;
                }
            }
            nx += na;
            Arrays.fill(a, 0f);
            for (int i = 0; i < np; i++) {
                int k = pairs[i];
                if (ropeStamp[k] != position + 1) { // each pair's rotation is computed once per token, when first needed
                    double ang = rope.angle(position, k);
                    cos[k] = (float) Math.cos(ang);
                    sin[k] = (float) Math.sin(ang);
                    ropeStamp[k] = position + 1;
                }
                float cs = cos[k], sn = sin[k];
                float x0 = xs[ho + 2 * k], x1 = xs[ho + 2 * k + 1];
                float q0 = x0 * cs - x1 * sn, q1 = x1 * cs + x0 * sn;
                int r0 = (ho + 2 * k) * D, r1 = r0 + D;
                Vec.axpy(q0, r, r0, a, 0, D);
                Vec.axpy(q1, r, r1, a, 0, D);
                Vec.axpy(q0, v, 0, r, r0, D);
                Vec.axpy(q1, v, 0, r, r1, D);
            }
            Norm.forward(a, 0, an, 0, D);
            for (int i = 0; i < na; i++) {
                int j = active[i];
                float y = Vec.dot(an, 0, encoderVT, (ho + j) * D, D);
                if (y > 0) {
                    nxy++;
                    Vec.axpy(xs[ho + j] * y, m.decoder, (ho + j) * D, mAcc, 0, D);
                }
            }
        }
        xActive[l] += nx;
        xyActive[l] += nxy;
        residual();
    }

    /** Per layer: fraction of x neurons active (after the first ReLU), averaged over the steps so far. */
    public double[] xDensity() {
        return density(xActive);
    }

    /** Per layer: fraction of neurons whose gated output x * relu(y) is not zero (the decoder rows read). */
    public double[] xyDensity() {
        return density(xyActive);
    }

    private double[] density(long[] counts) {
        double[] d = new double[counts.length];
        for (int l = 0; l < d.length; l++) d[l] = steps == 0 ? 0 : counts[l] / ((double) steps * HN);
        return d;
    }
}
