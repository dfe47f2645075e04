package trit.model;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.SplittableRandom;
import trit.gguf.GgufArray;
import trit.gguf.GgufValue;
import trit.gguf.GgufValueType;
import trit.gguf.GgufWriter;
import trit.tensor.GgmlType;
import trit.tokenizer.ByteLevel;

/**
 * Writes a random-weight model with llama.cpp's tensor names and metadata, so that speed, memory and
 * format trade-offs can be measured before any real model is at hand. Weights are F32: Gaussians with
 * a standard deviation of 0.02 for llama, ternary {-s, 0, +s} (s = 0.02, a third of them zero) for the
 * BitNet architectures, whose matrices are ternary by construction; norms are 1. The vocabulary is
 * byte-level: 256 byte tokens, then control tokens up to the vocabulary size.
 */
public final class SyntheticModel {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** The shape of a model; {@code tiedOutput} omits output.weight (the embedding is reused). */
    public record Shape(String name, Architecture arch, int vocab, int dim, int layers, int heads, int kvHeads, int ffn,
                        int context, boolean tiedOutput) {
        public int headDim() { return dim / heads; }
        public int kvDim() { return headDim() * kvHeads; }

        public Shape withArch(Architecture a) {
            return new Shape(name, a, vocab, dim, layers, heads, kvHeads, ffn, context, tiedOutput || a.alwaysTiedOutput);
        }
    }

    /** A model small enough to write and quantize in a second, with rows that fit every block size. */
    public static final Shape DEMO = new Shape("trit-synthetic-demo", Architecture.LLAMA, 512, 256, 2, 4, 2, 768, 256, false);

    private SyntheticModel() {}

    public static void write(Shape s, long seed, Path out) {
        if (s.vocab() < 259) throw new IllegalArgumentException("vocabulary must hold the 256 bytes and 3 specials");
        GgufWriter w = new GgufWriter();
        String a = s.arch().ggufName();
        w.put("general.architecture", GgufValue.ofString(a));
        w.put("general.name", GgufValue.ofString(s.name()));
        w.put("general.file_type", GgufValue.ofU32(0));
        w.put(a + ".vocab_size", GgufValue.ofU32(s.vocab()));
        w.put(a + ".context_length", GgufValue.ofU32(s.context()));
        w.put(a + ".embedding_length", GgufValue.ofU32(s.dim()));
        w.put(a + ".block_count", GgufValue.ofU32(s.layers()));
        w.put(a + ".feed_forward_length", GgufValue.ofU32(s.ffn()));
        w.put(a + ".attention.head_count", GgufValue.ofU32(s.heads()));
        w.put(a + ".attention.head_count_kv", GgufValue.ofU32(s.kvHeads()));
        w.put(a + ".rope.dimension_count", GgufValue.ofU32(s.headDim()));
        w.put(a + ".rope.freq_base", GgufValue.ofF32(10000f));
        w.put(a + ".attention.layer_norm_rms_epsilon", GgufValue.ofF32(1e-5f));
        putByteVocab(w, s.vocab());

        boolean ternary = s.arch() != Architecture.LLAMA;
        SplittableRandom root = new SplittableRandom(seed);
        matrix(w, "token_embd.weight", s.dim(), s.vocab(), root.split(), false);
        vector(w, "output_norm.weight", s.dim());
        if (!s.tiedOutput()) matrix(w, "output.weight", s.dim(), s.vocab(), root.split(), false);
        for (int l = 0; l < s.layers(); l++) {
            String p = "blk." + l + ".";
            vector(w, p + "attn_norm.weight", s.dim());
            matrix(w, p + "attn_q.weight", s.dim(), s.dim(), root.split(), ternary);
            matrix(w, p + "attn_k.weight", s.dim(), s.kvDim(), root.split(), ternary);
            matrix(w, p + "attn_v.weight", s.dim(), s.kvDim(), root.split(), ternary);
            if (s.arch().subNorms) vector(w, p + "attn_sub_norm.weight", s.dim());
            matrix(w, p + "attn_output.weight", s.dim(), s.dim(), root.split(), ternary);
            vector(w, p + "ffn_norm.weight", s.dim());
            matrix(w, p + "ffn_gate.weight", s.dim(), s.ffn(), root.split(), ternary);
            matrix(w, p + "ffn_up.weight", s.dim(), s.ffn(), root.split(), ternary);
            if (s.arch().subNorms) vector(w, p + "ffn_sub_norm.weight", s.ffn());
            matrix(w, p + "ffn_down.weight", s.ffn(), s.dim(), root.split(), ternary);
        }
        w.write(out);
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

    private static void matrix(GgufWriter w, String name, int cols, int rows, SplittableRandom rnd, boolean ternary) {
        long n = (long) cols * rows;
        w.addTensor(name, GgmlType.F32, new long[] {cols, rows},
                dst -> { if (ternary) fillTernary(dst, n, rnd, 0.02f); else fillGaussian(dst, n, rnd, 0.02); });
    }

    private static void vector(GgufWriter w, String name, int n) {
        w.addTensor(name, GgmlType.F32, new long[] {n}, dst -> {
            for (long i = 0; i < n; i++) dst.setAtIndex(F32, i, 1f);
        });
    }

    static void fillGaussian(MemorySegment dst, long n, SplittableRandom rnd, double std) {
        for (long i = 0; i < n; i += 2) {
            // Box-Muller: two normals per pair of uniforms
            double u1 = 1.0 - rnd.nextDouble();
            double u2 = rnd.nextDouble();
            double r = Math.sqrt(-2.0 * Math.log(u1)) * std;
            dst.setAtIndex(F32, i, (float) (r * Math.cos(2 * Math.PI * u2)));
            if (i + 1 < n) dst.setAtIndex(F32, i + 1, (float) (r * Math.sin(2 * Math.PI * u2)));
        }
    }

    static void fillTernary(MemorySegment dst, long n, SplittableRandom rnd, float scale) {
        for (long i = 0; i < n; i++) dst.setAtIndex(F32, i, (rnd.nextInt(3) - 1) * scale);
    }
}
