package trit.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import trit.kernel.Parallel;

/**
 * Every backward pass against central finite differences. The forward passes run in float, so the
 * differences use a step of 1e-2 on inputs of order 1 (truncation error ~1e-4) and the loss is a
 * random projection summed in double; gradients must agree within 2% of their scale plus 2e-3
 * absolute, far tighter than any sign or factor mistake (which gives errors of order 1).
 */
class GradCheckTest {
    private static final float H = 1e-2f;

    private static float[] gaussian(Random r, int n, double std) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (r.nextGaussian() * std);
        return x;
    }

    private static double project(float[] out, float[] proj) {
        double s = 0;
        for (int i = 0; i < proj.length; i++) s += (double) out[i] * proj[i];
        return s;
    }

    /** Checks analytic[i] against the finite difference of loss() in x[i] for every i. */
    private static void check(String what, float[] x, float[] analytic, Supplier<Double> loss) {
        double scale = 0;
        for (float a : analytic) scale = Math.max(scale, Math.abs(a));
        for (int i = 0; i < x.length; i++) {
            float keep = x[i];
            x[i] = keep + H;
            double up = loss.get();
            x[i] = keep - H;
            double down = loss.get();
            x[i] = keep;
            double fd = (up - down) / (2 * H);
            assertEquals(fd, analytic[i], 0.02 * scale + 2e-3, what + "[" + i + "]");
        }
    }

    @Test
    void rmsNorm() {
        Random r = new Random(1);
        int n = 3, d = 7;
        float[] x = gaussian(r, n * d, 1), w = gaussian(r, d, 1), proj = gaussian(r, n * d, 1);
        float[] out = new float[n * d], rinv = new float[n];
        Supplier<Double> loss = () -> {
            Ops.rmsNorm(x, w, 0, out, rinv, n, d, 1e-5f, null);
            return project(out, proj);
        };
        loss.get();
        float[] dx = new float[n * d], dw = new float[d];
        Ops.rmsNormBackward(x, w, 0, rinv, proj.clone(), dx, dw, 0, n, d, null);
        check("dx", x, dx, loss);
        check("dw", w, dw, loss);
    }

    @Test
    void rope() {
        Random r = new Random(2);
        int n = 6, heads = 2, hd = 8, seq = 3;
        float[][] tables = Ops.ropeTables(seq, hd, 10000f);
        float[] x = gaussian(r, n * heads * hd, 1), proj = gaussian(r, x.length, 1);
        Supplier<Double> loss = () -> {
            float[] y = x.clone();
            Ops.rope(y, n, heads, hd, seq, tables, false, null);
            return project(y, proj);
        };
        float[] dx = proj.clone();
        Ops.rope(dx, n, heads, hd, seq, tables, true, null);
        check("dx", x, dx, loss);
    }

    @Test
    void attentionWithGroupedHeads() {
        Random r = new Random(3);
        int batch = 2, seq = 5, heads = 4, kvHeads = 2, hd = 4, n = batch * seq;
        float[] q = gaussian(r, n * heads * hd, 1), k = gaussian(r, n * kvHeads * hd, 1), v = gaussian(r, n * kvHeads * hd, 1);
        float[] proj = gaussian(r, n * heads * hd, 1), out = new float[proj.length], probs = new float[batch * heads * seq * seq];
        Supplier<Double> loss = () -> {
            Ops.attention(q, k, v, out, probs, batch, seq, heads, kvHeads, hd, null);
            return project(out, proj);
        };
        loss.get();
        float[] dq = new float[q.length], dk = new float[k.length], dv = new float[v.length];
        try (Parallel pool = Parallel.create(2)) {
            Ops.attentionBackward(q, k, v, probs, proj, dq, dk, dv, batch, seq, heads, kvHeads, hd, pool);
        }
        check("dq", q, dq, loss);
        check("dk", k, dk, loss);
        check("dv", v, dv, loss);
        // causality: the first position attends only to itself
        for (int h = 0; h < heads; h++) assertEquals(1f, probs[h * seq * seq], 1e-6f);
    }

    @Test
    void swiglu() {
        Random r = new Random(4);
        int m = 37;
        float[] g = gaussian(r, m, 2), u = gaussian(r, m, 1), proj = gaussian(r, m, 1), h = new float[m];
        Supplier<Double> loss = () -> {
            Ops.swiglu(g, u, h, m, null);
            return project(h, proj);
        };
        float[] dg = new float[m], du = new float[m];
        Ops.swigluBackward(g, u, proj, dg, du, m, null);
        check("dg", g, dg, loss);
        check("du", u, du, loss);
    }

    @Test
    void embeddingAndCrossEntropy() {
        Random r = new Random(5);
        int vocab = 11, d = 3, n = 7;
        int[] tokens = new int[n], targets = new int[n];
        for (int i = 0; i < n; i++) { tokens[i] = r.nextInt(vocab); targets[i] = r.nextInt(vocab); }
        tokens[3] = tokens[1]; // a repeated token sums its gradients
        float[] table = gaussian(r, vocab * d, 1), proj = gaussian(r, n * d, 1), out = new float[n * d];
        Supplier<Double> embLoss = () -> {
            Ops.embed(table, tokens, 0, n, d, out);
            return project(out, proj);
        };
        float[] dTable = new float[table.length];
        Ops.embedBackward(tokens, 0, n, d, proj, dTable, 0);
        check("dTable", table, dTable, embLoss);

        float[] logits = gaussian(r, n * vocab, 2);
        Supplier<Double> ce = () -> Ops.crossEntropy(logits.clone(), targets, 0, n, vocab, false, null);
        float[] dl = logits.clone();
        double loss = Ops.crossEntropy(dl, targets, 0, n, vocab, true, null);
        assertEquals(ce.get(), loss, 1e-12);
        check("dlogits", logits, dl, ce);
    }

    private static ModelShape tiny() {
        return new ModelShape(13, 8, 2, 2, 1, 12, 5, 10000f, 1e-5f);
    }

    /**
     * The whole model, one tensor at a time: the directional derivative along a random direction
     * restricted to that tensor against (L(w + h v) - L(w - h v)) / 2h. Weights are drawn larger than
     * at initialisation so that every gradient is well above the float noise of the loss.
     */
    private static void checkModel(Model m, int[] in, int[] tgt, boolean frozen) {
        Random r = new Random(6);
        float[] w = m.parameters();
        for (int i = 0; i < w.length; i++) w[i] = (float) (r.nextGaussian() * 0.5);
        for (Model.Tensor t : m.tensors()) {
            if (!t.matrix() && !t.name().equals("token_embd.weight")) for (int i = 0; i < t.size(); i++) w[t.offset() + i] = 1f + 0.3f * w[t.offset() + i];
        }
        m.prepare();
        if (frozen) m.freezeQuantization();
        m.step(in, tgt, true);
        float[] grad = m.gradients().clone();
        for (Model.Tensor t : m.tensors()) {
            float[] dir = gaussian(r, t.size(), 1);
            double analytic = 0;
            for (int i = 0; i < t.size(); i++) analytic += (double) grad[t.offset() + i] * dir[i];
            double h = 1e-3;
            double[] l = new double[2];
            for (int sgn = 0; sgn < 2; sgn++) {
                float[] keep = new float[t.size()];
                System.arraycopy(w, t.offset(), keep, 0, t.size());
                for (int i = 0; i < t.size(); i++) w[t.offset() + i] = (float) (keep[i] + (sgn == 0 ? h : -h) * dir[i]);
                m.prepare();
                l[sgn] = m.step(in, tgt, false);
                System.arraycopy(keep, 0, w, t.offset(), t.size());
            }
            double fd = (l[0] - l[1]) / (2 * h);
            assertEquals(fd, analytic, 0.02 * Math.abs(fd) + 1e-4, t.name() + " (fd " + fd + ", analytic " + analytic + ")");
        }
        m.prepare();
    }

    private static int[][] data(ModelShape s, int batch) {
        Random r = new Random(7);
        int n = batch * s.ctx();
        int[] in = new int[n], tgt = new int[n];
        for (int i = 0; i < n; i++) { in[i] = r.nextInt(s.vocab()); tgt[i] = r.nextInt(s.vocab()); }
        return new int[][] {in, tgt};
    }

    @Test
    void wholeModelFp32() {
        ModelShape s = tiny();
        int[][] d = data(s, 2);
        try (Parallel pool = Parallel.create(2)) {
            checkModel(new Model(s, false, 2, pool), d[0], d[1], false);
        }
    }

    /**
     * Ternary mode with the straight-through estimator: its gradients are exactly those of
     * {@code x + (q(x) - x).detach()} for weights and activations, i.e. of the model with this point's
     * quantization errors frozen, which is smooth and can be differenced.
     */
    @Test
    void wholeModelTernaryStraightThrough() {
        ModelShape s = tiny();
        int[][] d = data(s, 2);
        try (Parallel pool = Parallel.create(2)) {
            Model m = new Model(s, true, 2, pool);
            checkModel(m, d[0], d[1], true);
            // and the forward really is ternary: three values per matrix
            m = new Model(s, true, 2, pool);
            m.initialize(3);
            m.prepare();
            for (int i = 0; i < m.tensors().size(); i++) {
                Model.Tensor t = m.tensors().get(i);
                if (!t.ternary()) continue;
                java.util.Set<Float> values = new java.util.HashSet<>();
                for (int j = t.offset(); j < t.offset() + t.size(); j++) values.add(m.effectiveWeights()[j] + 0f);
                assertTrue(values.size() <= 3 && values.contains(m.scales[i]), t.name() + " " + values);
            }
        }
    }
}
