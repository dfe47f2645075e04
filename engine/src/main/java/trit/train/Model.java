package trit.train;

import java.util.Arrays;
import java.util.List;
import trit.TritException;
import trit.kernel.Parallel;

/**
 * A trainable BitNet decoder: latent float parameters in one array, their gradients in another, and the
 * forward/backward pass over a batch of sequences. In ternary mode every one of the seven matrices of a
 * layer is used as {@code s * ternary(W)} and its input as int8-quantized activations
 * ({@link Quant}); the gradients flow to the latent weights unchanged (straight-through estimator). The
 * embedding, which is also the output matrix, and the norms stay in float. In fp32 mode nothing is
 * quantized.
 *
 * <p>Matrices are stored [out][in] row-major, which is GGUF's layout for a tensor of shape [in, out].
 */
public final class Model {
    /** A named parameter tensor: {@code rows x cols} floats at {@code offset} ({@code rows == 1} for vectors). */
    public record Tensor(String name, int offset, int rows, int cols, boolean ternary) {
        public int size() { return rows * cols; }
        public boolean matrix() { return rows > 1; }
    }

    final ModelShape shape;
    final boolean ternary;
    final int batch;
    final Parallel pool;
    final List<Tensor> tensors;
    /** Latent parameters and their gradients. */
    final float[] w, grad;
    /** The matrices as the forward pass uses them (ternary or copied), [out][in] and transposed [in][out]. */
    private final float[] wq, wt, embT;
    /** Per-matrix absmean scales of the last {@link #prepare()}. */
    final float[] scales;

    final int emb, outNorm;
    final int[] attnNorm, wQ, wK, wV, subA, wO, ffnNorm, gate, up, subF, down;

    // activations kept for the backward pass, per layer
    private final float[][] resid, xq1, q, k, v, probs, ao, xq2, mid, xq3, g, u, h, xq4;
    private final float[][] r1, rs1, r2, rs2;
    private final float[] xnF, rF, logits, logitsT;
    // scratch
    private final float[] tmp, dx, dmid, dA, dB, trans, dq, dk, dv;
    private final float[][] rope;

    /** Floats {@link Model} allocates for a shape and batch, for the memory check before allocating. */
    public static long floatsNeeded(ModelShape s, int batch) {
        long n = (long) batch * s.ctx(), P = s.parameters();
        long params = 4 * P + 2 * s.matrixParameters() + (long) s.vocab() * s.dim();
        long perLayer = n * (4L * s.dim() + 3L * s.qDim() + 2L * s.kvDim() + 4L * s.ffn() + 4)
                + (long) batch * s.heads() * s.ctx() * s.ctx();
        long wide = Math.max(s.ffn(), Math.max(s.dim(), s.qDim()));
        long rest = n * (2L * s.dim() + 1 + 2L * s.vocab()) + n * (wide + 3L * s.dim() + 2L * s.ffn() + wide + s.qDim() + 2L * s.kvDim());
        return params + s.layers() * perLayer + rest;
    }

    public Model(ModelShape s, boolean ternary, int batch, Parallel pool) {
        this.shape = s;
        this.ternary = ternary;
        this.batch = batch;
        this.pool = pool;
        long total = s.parameters();
        if (total > Integer.MAX_VALUE - 8) throw new TritException("the model has " + total + " parameters, more than one array holds");
        int L = s.layers();
        ModelLayout lay = new ModelLayout(s);
        tensors = lay.tensors;
        emb = lay.emb; outNorm = lay.outNorm; attnNorm = lay.attnNorm; wQ = lay.wQ; wK = lay.wK; wV = lay.wV; subA = lay.subA;
        wO = lay.wO; ffnNorm = lay.ffnNorm; gate = lay.gate; up = lay.up; subF = lay.subF; down = lay.down;
        w = new float[lay.size];
        grad = new float[lay.size];
        wq = new float[lay.size];
        wt = new float[lay.size];
        embT = new float[s.vocab() * s.dim()];
        scales = new float[tensors.size()];

        int n = batch * s.ctx(), d = s.dim(), f = s.ffn();
        resid = new float[L + 1][n * d];
        xq1 = new float[L][n * d];
        q = new float[L][n * s.qDim()];
        k = new float[L][n * s.kvDim()];
        v = new float[L][n * s.kvDim()];
        probs = new float[L][batch * s.heads() * s.ctx() * s.ctx()];
        ao = new float[L][n * s.qDim()];
        xq2 = new float[L][n * s.qDim()];
        mid = new float[L][n * d];
        xq3 = new float[L][n * d];
        g = new float[L][n * f];
        u = new float[L][n * f];
        h = new float[L][n * f];
        xq4 = new float[L][n * f];
        r1 = new float[L][n]; rs1 = new float[L][n]; r2 = new float[L][n]; rs2 = new float[L][n];
        xnF = new float[n * d];
        rF = new float[n];
        logits = new float[n * s.vocab()];
        logitsT = new float[n * s.vocab()];
        int wide = Math.max(f, Math.max(d, s.qDim()));
        tmp = new float[n * wide];
        dx = new float[n * d];
        dmid = new float[n * d];
        dA = new float[n * f];
        dB = new float[n * f];
        trans = new float[n * wide];
        dq = new float[n * s.qDim()];
        dk = new float[n * s.kvDim()];
        dv = new float[n * s.kvDim()];
        rope = Ops.ropeTables(s.ctx(), s.headDim(), s.ropeBase());
    }

    public ModelShape shape() { return shape; }
    public boolean ternary() { return ternary; }
    public List<Tensor> tensors() { return tensors; }
    public float[] parameters() { return w; }
    public float[] gradients() { return grad; }

    /** Initial weights: N(0, 0.02) for matrices and the embedding, 0.02/sqrt(2 layers) for the residual outputs, 1 for norms. */
    public void initialize(long seed) {
        Rng r = new Rng(seed);
        double residScale = 1.0 / Math.sqrt(2.0 * shape.layers());
        for (Tensor t : tensors) {
            if (!t.matrix() && !t.name().equals("token_embd.weight")) {
                Arrays.fill(w, t.offset(), t.offset() + t.size(), 1f);
                continue;
            }
            boolean residual = t.name().endsWith("attn_output.weight") || t.name().endsWith("ffn_down.weight");
            double std = 0.02 * (residual ? residScale : 1.0);
            for (int i = t.offset(); i < t.offset() + t.size(); i++) w[i] = (float) (r.nextGaussian() * std);
        }
    }

    /** Builds the forward-pass matrices from the latent weights; call after every update. */
    public void prepare() {
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (!t.ternary()) continue;
            if (frozenW != null) for (int j = t.offset(); j < t.offset() + t.size(); j++) wq[j] = w[j] + frozenW[j];
            else if (ternary) scales[i] = Quant.ternary(w, t.offset(), t.size(), wq, pool);
            else System.arraycopy(w, t.offset(), wq, t.offset(), t.size());
            MatMul.transpose(wq, t.offset(), t.cols(), wt, t.offset(), t.rows(), t.rows(), t.cols(), pool);
        }
        MatMul.transpose(w, emb, shape.dim(), embT, 0, shape.vocab(), shape.vocab(), shape.dim(), pool);
    }

    /** The matrix the forward pass used for tensor {@code i} (after {@link #prepare()}). */
    float[] effectiveWeights() { return wq; }

    /** The number of token rows in a batch. */
    public int rows() { return batch * shape.ctx(); }

    /**
     * Runs the batch ({@code batch} sequences of ctx tokens in {@code inputs}) and returns the mean
     * cross-entropy against {@code targets}. With {@code backward}, also fills the gradients
     * (overwriting them). {@link #prepare()} must have run since the weights last changed.
     */
    public double step(int[] inputs, int[] targets, boolean backward) {
        forward(inputs);
        double loss = Ops.crossEntropy(logits, targets, 0, rows(), shape.vocab(), backward, pool);
        if (backward) backward(inputs);
        return loss;
    }

    /** The logits of the last {@link #step} / {@link #forward} (before a backward overwrites them), [rows][vocab]. */
    public float[] logits() { return logits; }

    private void act(float[] in, float[] out, int n, int d) {
        int site = actSite++;
        if (frozenAct != null && frozenAct[site] != null && !recordAct) {
            float[] delta = frozenAct[site];
            for (int i = 0; i < n * d; i++) out[i] = in[i] + delta[i];
            return;
        }
        if (ternary) Quant.activations(in, out, n, d, pool);
        else System.arraycopy(in, 0, out, 0, n * d);
        if (recordAct) {
            float[] delta = new float[n * d];
            for (int i = 0; i < n * d; i++) delta[i] = out[i] - in[i];
            frozenAct[site] = delta;
        }
    }

    // Test hook: PyTorch's STE form x + (q(x) - x).detach(), with the quantization errors of one point frozen,
    // is a smooth function whose finite differences the straight-through gradients must match.
    private float[][] frozenAct;
    private float[] frozenW;
    private boolean recordAct;
    private int actSite;

    /** Freezes the weight quantization errors of the last {@link #prepare()} and the activation errors of the next forward. */
    void freezeQuantization() {
        frozenW = new float[w.length];
        for (Tensor t : tensors) {
            if (t.ternary()) for (int i = t.offset(); i < t.offset() + t.size(); i++) frozenW[i] = wq[i] - w[i];
        }
        frozenAct = new float[4 * shape.layers()][];
        recordAct = true;
    }

    /** {@code y[n, out] = x[n, in] W^T} with the prepared matrix at {@code off}. */
    private void linear(float[] x, int off, int out, int in, float[] y, boolean accumulate) {
        MatMul.nn(x, 0, in, wt, off, out, y, 0, out, rows(), in, out, accumulate, pool);
    }

    public void forward(int[] inputs) {
        ModelShape s = shape;
        int n = rows(), d = s.dim(), qd = s.qDim(), kvd = s.kvDim(), f = s.ffn();
        for (int t = 0; t < n; t++) {
            if (inputs[t] < 0 || inputs[t] >= s.vocab()) throw new TritException("token id " + inputs[t] + " is outside the vocabulary");
        }
        actSite = 0;
        Ops.embed(w, inputs, 0, n, d, resid[0]);
        for (int l = 0; l < s.layers(); l++) {
            float[] x = resid[l];
            Ops.rmsNorm(x, w, attnNorm[l], tmp, r1[l], n, d, s.eps(), pool);
            act(tmp, xq1[l], n, d);
            linear(xq1[l], wQ[l], qd, d, q[l], false);
            linear(xq1[l], wK[l], kvd, d, k[l], false);
            linear(xq1[l], wV[l], kvd, d, v[l], false);
            Ops.rope(q[l], n, s.heads(), s.headDim(), s.ctx(), rope, false, pool);
            Ops.rope(k[l], n, s.kvHeads(), s.headDim(), s.ctx(), rope, false, pool);
            Ops.attention(q[l], k[l], v[l], ao[l], probs[l], batch, s.ctx(), s.heads(), s.kvHeads(), s.headDim(), pool);
            Ops.rmsNorm(ao[l], w, subA[l], tmp, rs1[l], n, qd, s.eps(), pool);
            act(tmp, xq2[l], n, qd);
            System.arraycopy(x, 0, mid[l], 0, n * d);
            linear(xq2[l], wO[l], d, qd, mid[l], true);
            Ops.rmsNorm(mid[l], w, ffnNorm[l], tmp, r2[l], n, d, s.eps(), pool);
            act(tmp, xq3[l], n, d);
            linear(xq3[l], gate[l], f, d, g[l], false);
            linear(xq3[l], up[l], f, d, u[l], false);
            Ops.swiglu(g[l], u[l], h[l], n * f, pool);
            Ops.rmsNorm(h[l], w, subF[l], tmp, rs2[l], n, f, s.eps(), pool);
            act(tmp, xq4[l], n, f);
            System.arraycopy(mid[l], 0, resid[l + 1], 0, n * d);
            linear(xq4[l], down[l], d, f, resid[l + 1], true);
        }
        recordAct = false;
        Ops.rmsNorm(resid[s.layers()], w, outNorm, xnF, rF, n, d, s.eps(), pool);
        MatMul.nn(xnF, 0, d, embT, 0, s.vocab(), logits, 0, s.vocab(), n, d, s.vocab(), false, pool);
    }

    /** Gradient of a linear layer: {@code dx (+)= dy W}, {@code dW += dy^T x}. */
    private void linearBackward(float[] dy, float[] x, int off, int out, int in, float[] dxOut, boolean accumulate) {
        int n = rows();
        MatMul.nn(dy, 0, out, wq, off, in, dxOut, 0, in, n, out, in, accumulate, pool);
        MatMul.transpose(dy, 0, out, trans, 0, n, n, out, pool);
        MatMul.nn(trans, 0, n, x, 0, in, grad, off, in, out, n, in, true, pool);
    }

    private static void addTo(float[] a, float[] b, int n) {
        for (int i = 0; i < n; i++) a[i] += b[i];
    }

    private void backward(int[] inputs) {
        ModelShape s = shape;
        int n = rows(), d = s.dim(), qd = s.qDim(), kvd = s.kvDim(), f = s.ffn(), V = s.vocab();
        Arrays.fill(grad, 0f);
        // logits = xnF E^T: dxnF = dlogits E, dE += dlogits^T xnF
        MatMul.nn(logits, 0, V, w, emb, d, tmp, 0, d, n, V, d, false, pool);
        MatMul.transpose(logits, 0, V, logitsT, 0, n, n, V, pool);
        MatMul.nn(logitsT, 0, n, xnF, 0, d, grad, emb, d, V, n, d, true, pool);
        Ops.rmsNormBackward(resid[s.layers()], w, outNorm, rF, tmp, dx, grad, outNorm, n, d, pool);
        for (int l = s.layers() - 1; l >= 0; l--) {
            // FFN: resid[l+1] = mid + down(Q(subnorm(swiglu(gate(Q(norm(mid))), up(...)))))
            linearBackward(dx, xq4[l], down[l], d, f, tmp, false);
            Ops.rmsNormBackward(h[l], w, subF[l], rs2[l], tmp, tmp, grad, subF[l], n, f, pool);
            Ops.swigluBackward(g[l], u[l], tmp, dA, dB, n * f, pool);
            linearBackward(dA, xq3[l], gate[l], f, d, tmp, false);
            linearBackward(dB, xq3[l], up[l], f, d, tmp, true);
            Ops.rmsNormBackward(mid[l], w, ffnNorm[l], r2[l], tmp, tmp, grad, ffnNorm[l], n, d, pool);
            System.arraycopy(dx, 0, dmid, 0, n * d);
            addTo(dmid, tmp, n * d);
            // attention: mid = resid[l] + wo(Q(subnorm(attn(rope(q), rope(k), v))))
            linearBackward(dmid, xq2[l], wO[l], d, qd, tmp, false);
            Ops.rmsNormBackward(ao[l], w, subA[l], rs1[l], tmp, tmp, grad, subA[l], n, qd, pool);
            Ops.attentionBackward(q[l], k[l], v[l], probs[l], tmp, dq, dk, dv, batch, s.ctx(), s.heads(), s.kvHeads(), s.headDim(), pool);
            Ops.rope(dq, n, s.heads(), s.headDim(), s.ctx(), rope, true, pool);
            Ops.rope(dk, n, s.kvHeads(), s.headDim(), s.ctx(), rope, true, pool);
            linearBackward(dq, xq1[l], wQ[l], qd, d, tmp, false);
            linearBackward(dk, xq1[l], wK[l], kvd, d, tmp, true);
            linearBackward(dv, xq1[l], wV[l], kvd, d, tmp, true);
            Ops.rmsNormBackward(resid[l], w, attnNorm[l], r1[l], tmp, tmp, grad, attnNorm[l], n, d, pool);
            System.arraycopy(dmid, 0, dx, 0, n * d);
            addTo(dx, tmp, n * d);
        }
        Ops.embedBackward(inputs, 0, n, d, dx, grad, emb);
    }
}
