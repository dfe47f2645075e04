package trit.model;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import trit.TritException;
import trit.gguf.GgufArray;
import trit.gguf.GgufValue;
import trit.gguf.GgufValueType;
import trit.gguf.GgufWriter;
import trit.kernel.Parallel;
import trit.tensor.Formats;
import trit.tensor.GgmlType;
import trit.tensor.TensorFormat;
import trit.tokenizer.ByteLevel;

/**
 * Random-weight models with the exact shape, tensor names and metadata of published models, so that
 * speed and memory can be measured before anything is downloaded (speed does not depend on the values).
 *
 * <p>Weight matrices are ternary {-s, 0, +s} (s = 0.02, a third zero) when the architecture or the
 * requested type is ternary, else Gaussian with a standard deviation of 0.02; norms are 1. Matrices are
 * encoded straight into the requested type, a slice of rows at a time, so no F32 copy of a large model is
 * ever held. With a ternary type the token embedding and output matrix are Q6_K, as llama-quantize makes
 * them for TQ types; trit has no Q6_K encoder, so those blocks are filled with random codes and scales of
 * a realistic magnitude. The vocabulary is byte-level: 256 byte tokens, then control tokens.
 */
public final class SyntheticModel {

    /** A model's shape; {@code tiedOutput} omits output.weight (the embedding is reused). */
    public record Shape(String name, Architecture arch, int vocab, int dim, int layers, int heads, int kvHeads,
                        int headDim, int ffn, int context, boolean tiedOutput, float ropeBase) {
        public int kvDim() { return headDim * kvHeads; }
        public int qDim() { return headDim * heads; }

        public Shape withArch(Architecture a) {
            return new Shape(name, a, vocab, dim, layers, heads, kvHeads, headDim, ffn, context,
                    tiedOutput || a.alwaysTiedOutput, ropeBase);
        }

        /** Parameters (elements of every tensor). */
        public long parameters() {
            long perLayer = 2L * dim + (long) dim * qDim() * 2 + 2L * dim * kvDim() + 3L * dim * ffn;
            if (arch.subNorms) perLayer += qDim() + ffn;
            if (arch.qkNorm()) perLayer += 2L * headDim;
            return (long) vocab * dim * (tiedOutput ? 1 : 2) + dim + layers * perLayer;
        }
    }

    /** A model small enough to write and quantize in a second, with rows that fit every block size. */
    public static final Shape DEMO = new Shape("trit-synthetic-demo", Architecture.LLAMA, 512, 256, 2, 4, 2, 64, 768, 256, false, 10000f);

    /** Shapes of published models, by the names `trit synth` and `trit bench --synthetic` take. */
    public static final Map<String, Shape> PRESETS = new LinkedHashMap<>();

    static {
        // a few-MB model of the 2B4T graph, for smoke tests and quick tries
        preset(new Shape("bitnet-tiny", Architecture.BITNET_B158, 512, 256, 2, 4, 2, 64, 512, 512, true, 500000f));
        // microsoft/bitnet-b1.58-2B-4T (config.json): relu2 FFN, tied embeddings, rope theta 500000
        preset(new Shape("bitnet-b1.58-2b4t", Architecture.BITNET_B158, 128256, 2560, 30, 20, 5, 128, 6912, 4096, true, 500000f));
        // 1bitLLM/bitnet_b1_58-large (0.7B) and -3B, as llama.cpp's "bitnet" architecture runs them
        preset(new Shape("bitnet-b1.58-large", Architecture.BITNET, 32002, 1536, 24, 16, 16, 96, 4096, 2048, true, 10000f));
        preset(new Shape("bitnet-b1.58-3b", Architecture.BITNET, 32002, 3200, 26, 32, 32, 100, 8640, 2048, true, 10000f));
        // meta-llama/Meta-Llama-3-8B
        preset(new Shape("llama3-8b", Architecture.LLAMA, 128256, 4096, 32, 32, 8, 128, 14336, 8192, false, 500000f));
        // Qwen/Qwen3-4B: head size 128 (queries 4096 wide on a 2560 model), tied embeddings
        preset(new Shape("qwen3-4b", Architecture.QWEN3, 151936, 2560, 36, 32, 8, 128, 9728, 40960, true, 1000000f));
        // a 13B BitNet b1.58 with Llama-2-13B's dimensions
        preset(new Shape("bitnet-13b", Architecture.BITNET_B158, 32000, 5120, 40, 40, 40, 128, 13824, 4096, false, 10000f));
    }

    private static void preset(Shape s) {
        PRESETS.put(s.name(), s);
    }

    public static Shape preset(String name) {
        Shape s = PRESETS.get(name);
        if (s == null) {
            throw new TritException("unknown synthetic model '" + name + "' (choose one of " + String.join(", ", PRESETS.keySet()) + ")");
        }
        return s;
    }

    private SyntheticModel() {}

    /** Writes an all-F32 model (small shapes only). */
    public static void write(Shape s, long seed, Path out) {
        write(s, GgmlType.F32, seed, out, 1, null);
    }

    /**
     * Writes {@code s} with its matrices in {@code type} (falling back per tensor as `trit quantize`
     * does when a row length does not fit the block).
     */
    public static void write(Shape s, GgmlType type, long seed, Path out, int threads, Consumer<String> progress) {
        writer(s, type, seed, threads).write(out, progress);
    }

    /** The writer of {@link #write}; fillers run when the writer writes. */
    public static GgufWriter writer(Shape s, GgmlType type, long seed, int threads) {
        if (!Formats.isSupported(type) || !Formats.of(type).canQuantize()) {
            throw new TritException("cannot write synthetic weights as " + type.label());
        }
        if (s.vocab() < 259) throw new IllegalArgumentException("vocabulary must hold the 256 bytes and 3 specials");
        GgufWriter w = new GgufWriter();
        String a = s.arch().ggufName();
        Hparams.write(w, a, s.name() + " (synthetic, random weights)", type, s.vocab(), s.context(), s.dim(), s.layers(),
                s.ffn(), s.heads(), s.kvHeads(), s.headDim(), s.ropeBase(), 1e-5f);
        putByteVocab(w, s.vocab());

        boolean ternary = type.isTernary() || s.arch() != Architecture.LLAMA && s.arch() != Architecture.QWEN3;
        GgmlType embType = type.isTernary() ? GgmlType.Q6_K : type;
        Tensors t = new Tensors(w, type, ternary, seed, threads);
        t.embedding("token_embd.weight", s.dim(), s.vocab(), embType);
        t.vector("output_norm.weight", s.dim());
        if (!s.tiedOutput()) t.embedding("output.weight", s.dim(), s.vocab(), embType);
        for (int l = 0; l < s.layers(); l++) {
            String p = "blk." + l + ".";
            t.vector(p + "attn_norm.weight", s.dim());
            t.matrix(p + "attn_q.weight", s.dim(), s.qDim());
            t.matrix(p + "attn_k.weight", s.dim(), s.kvDim());
            t.matrix(p + "attn_v.weight", s.dim(), s.kvDim());
            if (s.arch().qkNorm()) {
                t.vector(p + "attn_q_norm.weight", s.headDim());
                t.vector(p + "attn_k_norm.weight", s.headDim());
            }
            if (s.arch().subNorms) t.vector(p + "attn_sub_norm.weight", s.qDim());
            t.matrix(p + "attn_output.weight", s.qDim(), s.dim());
            t.vector(p + "ffn_norm.weight", s.dim());
            t.matrix(p + "ffn_gate.weight", s.dim(), s.ffn());
            t.matrix(p + "ffn_up.weight", s.dim(), s.ffn());
            if (s.arch().subNorms) t.vector(p + "ffn_sub_norm.weight", s.ffn());
            t.matrix(p + "ffn_down.weight", s.ffn(), s.dim());
        }
        return w;
    }

    /** Byte-level vocabulary: 256 byte tokens, BOS/EOS/PAD, then unused control tokens. */
    private static void putByteVocab(GgufWriter w, int vocab) {
        String[] tokens = new String[vocab];
        int[] types = new int[vocab];
        for (int b = 0; b < 256; b++) {
            tokens[b] = ByteLevel.tokenOf(b);
            types[b] = 1; // normal
        }
        tokens[256] = "<|begin_of_text|>";
        tokens[257] = "<|end_of_text|>";
        tokens[258] = "<|pad|>";
        for (int i = 259; i < vocab; i++) tokens[i] = "<|reserved_" + (i - 259) + "|>";
        for (int i = 256; i < vocab; i++) types[i] = 3; // control
        w.put("tokenizer.ggml.model", GgufValue.ofString("gpt2"));
        w.put("tokenizer.ggml.pre", GgufValue.ofString("default"));
        w.put("tokenizer.ggml.tokens", GgufValue.ofStrings(tokens));
        w.put("tokenizer.ggml.token_type", GgufValue.ofI32s(types));
        w.put("tokenizer.ggml.merges", GgufValue.ofArray(new GgufArray(GgufValueType.STRING, new String[0])));
        w.put("tokenizer.ggml.bos_token_id", GgufValue.ofU32(256));
        w.put("tokenizer.ggml.eos_token_id", GgufValue.ofU32(257));
        w.put("tokenizer.ggml.padding_token_id", GgufValue.ofU32(258));
    }

    /** Adds tensors whose contents are generated, in parallel slices of rows, when the writer fills them. */
    private static final class Tensors {
        private static final float SCALE = 0.02f;
        private static final int SLICE_ELEMENTS = 1 << 20;
        private final GgufWriter w;
        private final GgmlType type;
        private final boolean ternary;
        private final long seed;
        private final int threads;
        private int index;

        Tensors(GgufWriter w, GgmlType type, boolean ternary, long seed, int threads) {
            this.w = w;
            this.type = type;
            this.ternary = ternary;
            this.seed = seed;
            this.threads = threads;
        }

        void vector(String name, int n) {
            w.addTensor(name, GgmlType.F32, new long[] {n}, dst -> {
                float[] ones = new float[n];
                java.util.Arrays.fill(ones, 1f);
                Formats.of(GgmlType.F32).quantize(ones, 0, n, dst, 0);
            });
            index++;
        }

        void matrix(String name, int cols, int rows) {
            GgmlType t = fitting(type, cols);
            fill(name, cols, rows, t, ternary);
        }

        void embedding(String name, int cols, int rows, GgmlType t) {
            if (t == GgmlType.Q6_K) {
                long tensorSeed = seed * 1_000_003L + index++;
                w.addTensor(name, t, new long[] {cols, rows}, dst -> randomQ6K(dst, tensorSeed));
            } else {
                fill(name, cols, rows, fitting(t, cols), false);
            }
        }

        private static GgmlType fitting(GgmlType t, int cols) {
            if (cols % t.blockSize() == 0) return t;
            return cols % GgmlType.Q8_0.blockSize() == 0 ? GgmlType.Q8_0 : GgmlType.F16;
        }

        private void fill(String name, int cols, int rows, GgmlType t, boolean ternaryValues) {
            long tensorSeed = seed * 1_000_003L + index++;
            long n = (long) cols * rows;
            w.addTensor(name, t, new long[] {cols, rows}, dst -> {
                TensorFormat f = Formats.of(t);
                int rowsPerSlice = Math.max(1, SLICE_ELEMENTS / cols);
                int slices = (rows + rowsPerSlice - 1) / rowsPerSlice;
                try (Parallel pool = Parallel.create(threads)) {
                    pool.forRange(slices, 1, (s0, s1) -> {
                        float[] buf = new float[rowsPerSlice * cols];
                        for (int sl = s0; sl < s1; sl++) {
                            SplittableRandom rnd = new SplittableRandom(tensorSeed * 7919 + sl);
                            int r0 = sl * rowsPerSlice, r1 = Math.min(rows, r0 + rowsPerSlice);
                            int len = (r1 - r0) * cols;
                            for (int i = 0; i < len; i++) {
                                buf[i] = ternaryValues ? (rnd.nextInt(3) - 1) * SCALE : (float) (rnd.nextGaussian() * SCALE);
                            }
                            f.quantize(buf, 0, len, dst, (long) r0 * cols);
                        }
                    });
                }
                f.finish(dst, n, SCALE);
            });
        }

        /** Random Q6_K blocks: codes uniform, sub-block scales 1..31 with random signs, d so that |w| ~ 0.02. */
        private static void randomQ6K(MemorySegment dst, long seed) {
            SplittableRandom rnd = new SplittableRandom(seed);
            long blocks = dst.byteSize() / GgmlType.Q6_K.blockBytes();
            byte[] block = new byte[GgmlType.Q6_K.blockBytes()];
            short d = Float.floatToFloat16(SCALE / (16 * 16));
            for (long b = 0; b < blocks; b++) {
                for (int i = 0; i < 192; i++) block[i] = (byte) rnd.nextInt(256);            // ql, qh
                for (int i = 192; i < 208; i++) block[i] = (byte) ((1 + rnd.nextInt(31)) * (rnd.nextBoolean() ? 1 : -1));
                block[208] = (byte) d;
                block[209] = (byte) (d >> 8);
                MemorySegment.copy(block, 0, dst, java.lang.foreign.ValueLayout.JAVA_BYTE, b * block.length, block.length);
            }
        }
    }
}
