package trit.model;

import trit.gguf.GgufFile;
import trit.gguf.GgufTensor;
import trit.tensor.TensorCodec;

/**
 * The plain, obviously-correct forward pass the fast path is checked against: every weight decoded
 * to float, every sum in double, no activation quantization, no F16 cache, RoPE angles from pow().
 * Slow and memory-hungry by design; for small test models only.
 */
final class ReferenceTransformer {
    private final GgufFile f;
    private final ModelConfig c;

    ReferenceTransformer(GgufFile f) {
        this.f = f;
        this.c = ModelConfig.from(f);
    }

    private double[] vec(String name) {
        GgufTensor t = f.tensor(name);
        if (t == null) return null;
        float[] x = TensorCodec.dequantize(t.type(), t.data(), t.elements());
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) d[i] = x[i];
        return d;
    }

    private double scalar(String name) {
        double[] v = vec(name);
        return v == null ? 1.0 : v[0];
    }

    /** y = W x for a matrix of ggml shape [cols, rows] (row r holds cols consecutive values). */
    private double[] matmul(String name, double[] x) {
        double[] w = vec(name);
        int cols = x.length, rows = w.length / cols;
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int i = 0; i < cols; i++) s += w[r * cols + i] * x[i];
            y[r] = s;
        }
        return y;
    }

    private double[] linear(String prefix, double[] x) {
        double[] y = matmul(prefix + ".weight", x);
        double s = scalar(prefix + ".scale");
        double[] b = vec(prefix + ".bias");
        for (int i = 0; i < y.length; i++) y[i] = y[i] * s + (b == null ? 0 : b[i]);
        return y;
    }

    private double[] rmsNorm(double[] x, String weight) {
        double[] w = vec(weight);
        double ss = 0;
        for (double v : x) ss += v * v;
        double k = 1.0 / Math.sqrt(ss / x.length + c.rmsEps());
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = x[i] * k * w[i];
        return y;
    }

    private double[] perHeadNorm(double[] v, int heads, String weight) {
        double[] out = new double[v.length];
        int hd = c.headDim();
        for (int h = 0; h < heads; h++) {
            double[] head = java.util.Arrays.copyOfRange(v, h * hd, (h + 1) * hd);
            System.arraycopy(rmsNorm(head, weight), 0, out, h * hd, hd);
        }
        return out;
    }

    private void rope(double[] v, int heads, int pos) {
        int hd = c.headDim(), rd = c.ropeDims(), half = rd / 2;
        boolean neox = c.arch().rope == Architecture.RopeStyle.NEOX;
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < half; i++) {
                double angle = c.ropeFreqScale() * pos * Math.pow(c.ropeBase(), -2.0 * i / rd);
                int a = h * hd + (neox ? i : 2 * i);
                int b = h * hd + (neox ? i + half : 2 * i + 1);
                double x0 = v[a], x1 = v[b];
                v[a] = x0 * Math.cos(angle) - x1 * Math.sin(angle);
                v[b] = x0 * Math.sin(angle) + x1 * Math.cos(angle);
            }
        }
    }

    /** Logits after the last of {@code tokens}. */
    double[] logits(int[] tokens) {
        int T = tokens.length, hd = c.headDim(), group = c.heads() / c.kvHeads();
        double[][][] K = new double[c.layers()][T][], V = new double[c.layers()][T][];
        double[] emb = vec("token_embd.weight");
        double[] x = null;
        for (int pos = 0; pos < T; pos++) {
            x = new double[c.dim()];
            System.arraycopy(emb, tokens[pos] * c.dim(), x, 0, c.dim());
            for (int l = 0; l < c.layers(); l++) {
                String p = "blk." + l + ".";
                double[] h = rmsNorm(x, p + "attn_norm.weight");
                double[] q = linear(p + "attn_q", h);
                double[] k = linear(p + "attn_k", h);
                double[] v = linear(p + "attn_v", h);
                if (c.arch().qkNorm()) {
                    q = perHeadNorm(q, c.heads(), p + "attn_q_norm.weight");
                    k = perHeadNorm(k, c.kvHeads(), p + "attn_k_norm.weight");
                }
                rope(q, c.heads(), pos);
                rope(k, c.kvHeads(), pos);
                K[l][pos] = k;
                V[l][pos] = v;
                double[] att = new double[c.qDim()];
                for (int head = 0; head < c.heads(); head++) {
                    int kv = (head / group) * hd;
                    double[] s = new double[pos + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int t = 0; t <= pos; t++) {
                        double d = 0;
                        for (int i = 0; i < hd; i++) d += q[head * hd + i] * K[l][t][kv + i];
                        s[t] = d / Math.sqrt(hd);
                        max = Math.max(max, s[t]);
                    }
                    double sum = 0;
                    for (int t = 0; t <= pos; t++) sum += (s[t] = Math.exp(s[t] - max));
                    for (int t = 0; t <= pos; t++) {
                        for (int i = 0; i < hd; i++) att[head * hd + i] += s[t] / sum * V[l][t][kv + i];
                    }
                }
                if (c.arch().subNorms) att = rmsNorm(att, p + "attn_sub_norm.weight");
                double[] o = linear(p + "attn_output", att);
                for (int i = 0; i < x.length; i++) x[i] += o[i];

                h = rmsNorm(x, p + "ffn_norm.weight");
                double[] g = linear(p + "ffn_gate", h);
                double[] u = linear(p + "ffn_up", h);
                double[] a = new double[g.length];
                for (int i = 0; i < g.length; i++) {
                    double act = c.arch().activation == Architecture.Activation.SWIGLU
                            ? g[i] / (1 + Math.exp(-g[i]))
                            : Math.pow(Math.max(g[i], 0), 2);
                    a[i] = act * u[i];
                }
                if (c.arch().subNorms) a = rmsNorm(a, p + "ffn_sub_norm.weight");
                double[] d = linear(p + "ffn_down", a);
                for (int i = 0; i < x.length; i++) x[i] += d[i];
            }
        }
        double[] h = rmsNorm(x, "output_norm.weight");
        boolean separate = !c.arch().alwaysTiedOutput && f.tensor("output.weight") != null;
        return matmul(separate ? "output.weight" : "token_embd.weight", h);
    }
}
