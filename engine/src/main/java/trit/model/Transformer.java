package trit.model;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import trit.TritException;
import trit.gguf.GgufFile;
import trit.gguf.GgufTensor;
import trit.kernel.Linear;
import trit.kernel.Linears;
import trit.kernel.Parallel;
import trit.tensor.Formats;
import trit.tensor.GgmlType;
import trit.tensor.TensorCodec;

/**
 * The weights of a llama / BitNet decoder, mapped from a GGUF file: matrices stay in their file
 * encoding behind {@link Linear}s; norms and scales are read into float arrays. Sequences run in
 * {@link Session}s, each with its own KV cache.
 */
public final class Transformer {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** One decoder block. Optional parts are null (biases, sub-norms) or 1 (scales). */
    record Layer(float[] attnNorm, Linear wq, Linear wk, Linear wv, Linear wo,
                 float[] bq, float[] bk, float[] bv, float[] bo,
                 float wqScale, float wkScale, float wvScale, float woScale,
                 float[] qNorm, float[] kNorm, float[] attnSubNorm, float[] ffnNorm, Linear gate, Linear up, Linear down,
                 float gateScale, float upScale, float downScale, float[] ffnSubNorm) {}

    final ModelConfig config;
    final GgufFile file;
    final Parallel pool;
    final GgufTensor embedding;
    final Layer[] layers;
    final float[] outputNorm;
    final Linear output;
    final float[] ropeFreqFactors;

    private Transformer(ModelConfig config, GgufFile file, Parallel pool, GgufTensor embedding, Layer[] layers,
                        float[] outputNorm, Linear output, float[] ropeFreqFactors) {
        this.config = config;
        this.file = file;
        this.pool = pool;
        this.embedding = embedding;
        this.layers = layers;
        this.outputNorm = outputNorm;
        this.output = output;
        this.ropeFreqFactors = ropeFreqFactors;
    }

    public ModelConfig config() {
        return config;
    }

    public GgufFile file() {
        return file;
    }

    public Parallel pool() {
        return pool;
    }

    /** Opens a new sequence with a KV cache of {@code contextLength} positions (at most the model's). */
    public Session newSession(int contextLength) {
        return new Session(this, contextLength);
    }

    /** Models from this many weights up warm their products up while they load ({@code Linears.warmUp}). */
    private static final long WARM_UP_ELEMENTS = 100_000_000L;

    /** Loads the weights of {@code f}; throws {@link TritException} naming any missing or misshapen tensor. */
    public static Transformer load(GgufFile f, Parallel pool) {
        ModelConfig c = ModelConfig.from(f);
        Loader l = new Loader(f, c, pool);
        // the products' code gets compiled while the weights load (big models only)
        if (f.tensors().stream().mapToLong(GgufTensor::elements).sum() >= WARM_UP_ELEMENTS) {
            Linears.warmUp(f.tensors().stream().filter(t -> t.shape().length == 2).map(GgufTensor::type).distinct().toList());
        }
        GgufTensor emb = l.tensor("token_embd.weight", c.dim(), c.vocab());
        if (!Formats.isSupported(emb.type())) {
            throw new TritException(f.path() + ": token_embd.weight is " + emb.type().label() + ", which trit cannot decode");
        }
        Layer[] layers = new Layer[c.layers()];
        Architecture a = c.arch();
        for (int i = 0; i < c.layers(); i++) {
            String p = "blk." + i + ".";
            layers[i] = new Layer(
                    l.vector(p + "attn_norm.weight", c.dim()),
                    l.linear(p + "attn_q.weight", c.dim(), c.qDim()),
                    l.linear(p + "attn_k.weight", c.dim(), c.kvDim()),
                    l.linear(p + "attn_v.weight", c.dim(), c.kvDim()),
                    l.linear(p + "attn_output.weight", c.qDim(), c.dim()),
                    l.optionalVector(p + "attn_q.bias", c.qDim()),
                    l.optionalVector(p + "attn_k.bias", c.kvDim()),
                    l.optionalVector(p + "attn_v.bias", c.kvDim()),
                    l.optionalVector(p + "attn_output.bias", c.dim()),
                    l.scale(p + "attn_q.scale"), l.scale(p + "attn_k.scale"),
                    l.scale(p + "attn_v.scale"), l.scale(p + "attn_output.scale"),
                    a.qkNorm() ? l.vector(p + "attn_q_norm.weight", c.headDim()) : null,
                    a.qkNorm() ? l.vector(p + "attn_k_norm.weight", c.headDim()) : null,
                    a.subNorms ? l.vector(p + "attn_sub_norm.weight", c.qDim()) : null,
                    l.vector(p + "ffn_norm.weight", c.dim()),
                    l.linear(p + "ffn_gate.weight", c.dim(), c.ffn()),
                    l.linear(p + "ffn_up.weight", c.dim(), c.ffn()),
                    l.linear(p + "ffn_down.weight", c.ffn(), c.dim()),
                    l.scale(p + "ffn_gate.scale"), l.scale(p + "ffn_up.scale"), l.scale(p + "ffn_down.scale"),
                    a.subNorms ? l.vector(p + "ffn_sub_norm.weight", c.ffn()) : null);
        }
        float[] outNorm = l.vector("output_norm.weight", c.dim());
        Linear out = !a.alwaysTiedOutput && f.tensor("output.weight") != null
                ? l.linear("output.weight", c.dim(), c.vocab())
                : l.linear("token_embd.weight", c.dim(), c.vocab());
        float[] freqFactors = f.tensor("rope_freqs.weight") != null ? l.vector("rope_freqs.weight", c.ropeDims() / 2) : null;
        return new Transformer(c, f, pool, emb, layers, outNorm, out, freqFactors);
    }

    /** Reads tensors by name with shape checks that name the file and tensor. */
    private record Loader(GgufFile f, ModelConfig c, Parallel pool) {
        GgufTensor tensor(String name, long cols, long rows) {
            GgufTensor t = f.tensor(name);
            if (t == null) throw new TritException(f.path() + ": missing tensor " + name + " (architecture " + c.arch().ggufName() + ")");
            long[] s = t.shape();
            boolean ok = rows == 1 ? t.elements() == cols : s.length >= 2 && s[0] == cols && t.elements() == cols * rows;
            if (!ok) {
                throw new TritException(f.path() + ": tensor " + name + " has shape " + t.shapeString() + ", expected ["
                        + cols + (rows == 1 ? "" : ", " + rows) + "]");
            }
            return t;
        }

        Linear linear(String name, int cols, int rows) {
            GgufTensor t = tensor(name, cols, rows);
            return Linears.of(t.type(), t.data(), rows, cols, pool);
        }

        float[] vector(String name, int n) {
            GgufTensor t = tensor(name, n, 1);
            return TensorCodec.dequantize(t.type(), t.data(), n);
        }

        float[] optionalVector(String name, int n) {
            return f.tensor(name) == null ? null : vector(name, n);
        }

        float scale(String name) {
            GgufTensor t = f.tensor(name);
            if (t == null) return 1f;
            if (t.type() != GgmlType.F32 || t.elements() != 1) {
                throw new TritException(f.path() + ": tensor " + name + " must be a single f32 scale");
            }
            return t.data().get(F32, 0);
        }
    }

    /**
     * Weight bytes one decode step reads: every matrix once, plus one embedding row. (The KV cache
     * read grows with the position and is not included.)
     */
    public long weightBytesPerToken() {
        long b = embedding.type().rowBytes(config.dim()) + bytes(output);
        for (Layer l : layers) {
            for (Linear w : new Linear[] {l.wq(), l.wk(), l.wv(), l.wo(), l.gate(), l.up(), l.down()}) b += bytes(w);
        }
        return b;
    }

    private static long bytes(Linear w) {
        return w.type().tensorBytes((long) w.rows() * w.cols());
    }

    /** Writes the embedding of {@code token} into {@code out[off .. off + dim)}. */
    void embed(int token, float[] out, int off) {
        if (token < 0 || token >= config.vocab()) {
            throw new TritException("token id " + token + " is outside the vocabulary (0.." + (config.vocab() - 1) + ")");
        }
        MemorySegment data = embedding.data();
        Formats.of(embedding.type()).dequantize(data, (long) token * config.dim(), out, off, config.dim());
    }
}
