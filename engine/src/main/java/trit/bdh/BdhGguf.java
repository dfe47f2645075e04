package trit.bdh;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import trit.TritException;
import trit.gguf.GgufArray;
import trit.gguf.GgufFile;
import trit.gguf.GgufTensor;
import trit.gguf.GgufValue;
import trit.gguf.GgufValueType;
import trit.gguf.GgufWriter;
import trit.tensor.GgmlType;
import trit.tensor.TensorCodec;
import trit.tokenizer.ByteLevel;

/**
 * BDH models in GGUF under architecture {@code bdh}. Metadata: {@code bdh.block_count} (layers),
 * {@code bdh.embedding_length} (D), {@code bdh.head_count}, {@code bdh.neuron_count} (N per head),
 * {@code bdh.vocab_size}, {@code bdh.rope.freq_base}, and {@code bdh.context_length} (the sequence length
 * it was trained on; the recurrent form itself has no limit). Tensors are F32, shapes in ggml order
 * (row length first): {@code token_embd.weight} [D, vocab], {@code enc.weight} and {@code enc_v.weight}
 * [N, D, heads], {@code dec.weight} [D, heads*N], {@code lm_head.weight} [vocab, D]. A byte-level model
 * (vocab 256) also carries a GPT-2-style vocabulary of the 256 bytes with no merges, so that the
 * ordinary tokenizer maps text to byte ids and back. Reading accepts any tensor type trit can decode.
 */
public final class BdhGguf {
    public static final String ARCH = "bdh";

    private BdhGguf() {}

    public static GgufWriter writer(BdhModel m, String name, int trainedContext) {
        BdhConfig c = m.config();
        GgufWriter w = new GgufWriter();
        w.put("general.architecture", GgufValue.ofString(ARCH));
        w.put("general.name", GgufValue.ofString(name));
        w.put("general.file_type", GgufValue.ofU32(0)); // all F32
        w.put(ARCH + ".block_count", GgufValue.ofU32(c.layers()));
        w.put(ARCH + ".embedding_length", GgufValue.ofU32(c.dim()));
        w.put(ARCH + ".head_count", GgufValue.ofU32(c.heads()));
        w.put(ARCH + ".neuron_count", GgufValue.ofU32(c.neurons()));
        w.put(ARCH + ".vocab_size", GgufValue.ofU32(c.vocab()));
        w.put(ARCH + ".rope.freq_base", GgufValue.ofF32((float) c.ropeTheta()));
        w.put(ARCH + ".context_length", GgufValue.ofU32(Math.max(1, trainedContext)));
        if (c.vocab() == 256) putByteVocabulary(w);
        long D = c.dim(), N = c.neurons(), H = c.heads(), V = c.vocab();
        add(w, "token_embd.weight", new long[] {D, V}, m.embed);
        add(w, "enc.weight", new long[] {N, D, H}, m.encoder);
        add(w, "enc_v.weight", new long[] {N, D, H}, m.encoderV);
        add(w, "dec.weight", new long[] {D, H * N}, m.decoder);
        add(w, "lm_head.weight", new long[] {V, D}, m.lmHead);
        return w;
    }

    public static void write(BdhModel m, String name, int trainedContext, Path target) {
        writer(m, name, trainedContext).write(target);
    }

    private static void add(GgufWriter w, String name, long[] shape, float[] data) {
        w.addTensor(name, GgmlType.F32, shape, dst -> MemorySegment.copy(data, 0, dst, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, data.length));
    }

    private static void putByteVocabulary(GgufWriter w) {
        String[] tokens = new String[256];
        int[] types = new int[256];
        for (int b = 0; b < 256; b++) {
            tokens[b] = ByteLevel.tokenOf(b);
            types[b] = 1; // normal
        }
        w.put("tokenizer.ggml.model", GgufValue.ofString("gpt2"));
        w.put("tokenizer.ggml.pre", GgufValue.ofString("default"));
        w.put("tokenizer.ggml.tokens", GgufValue.ofStrings(tokens));
        w.put("tokenizer.ggml.token_type", GgufValue.ofI32s(types));
        w.put("tokenizer.ggml.merges", GgufValue.ofArray(new GgufArray(GgufValueType.STRING, new String[0])));
        w.put("tokenizer.ggml.add_bos_token", GgufValue.ofBool(false));
        w.put("tokenizer.ggml.add_eos_token", GgufValue.ofBool(false));
    }

    public static boolean isBdh(GgufFile f) {
        return ARCH.equals(f.getString("general.architecture", ""));
    }

    /** The configuration a {@code bdh} file declares. */
    public static BdhConfig config(GgufFile f) {
        if (!isBdh(f)) throw new TritException(f.path() + ": architecture is '" + f.getString("general.architecture", "?") + "', not bdh");
        return new BdhConfig(intKey(f, "block_count"), intKey(f, "embedding_length"), intKey(f, "head_count"),
                intKey(f, "neuron_count"), intKey(f, "vocab_size"), f.getDouble(ARCH + ".rope.freq_base", BdhConfig.DEFAULT_THETA));
    }

    /** The sequence length the model was trained on (metadata only; 0 when absent). */
    public static int trainedContext(GgufFile f) {
        return (int) Math.min(Integer.MAX_VALUE, f.getLong(ARCH + ".context_length", 0));
    }

    private static int intKey(GgufFile f, String key) {
        long v = f.getLong(ARCH + "." + key, -1);
        if (v < 1 || v > Integer.MAX_VALUE) throw new TritException(f.path() + ": missing or invalid " + ARCH + "." + key);
        return (int) v;
    }

    /** Loads the weights into float arrays (decoding quantized tensors if the file was re-encoded). */
    public static BdhModel read(GgufFile f) {
        BdhConfig c = config(f);
        long D = c.dim(), N = c.neurons(), H = c.heads(), V = c.vocab();
        return new BdhModel(c,
                tensor(f, "token_embd.weight", new long[] {D, V}),
                tensor(f, "enc.weight", new long[] {N, D, H}),
                tensor(f, "enc_v.weight", new long[] {N, D, H}),
                tensor(f, "dec.weight", new long[] {D, H * N}),
                tensor(f, "lm_head.weight", new long[] {V, D}));
    }

    private static float[] tensor(GgufFile f, String name, long[] shape) {
        GgufTensor t = f.tensor(name);
        if (t == null) throw new TritException(f.path() + ": bdh tensor " + name + " is missing");
        if (!java.util.Arrays.equals(t.shape(), shape)) {
            throw new TritException(f.path() + ": bdh tensor " + name + " has shape " + t.shapeString() + ", the metadata implies "
                    + java.util.Arrays.toString(shape));
        }
        return TensorCodec.dequantize(t.type(), t.data(), t.elements());
    }

    public static BdhModel read(Path path) {
        try (GgufFile f = GgufFile.open(path)) {
            return read(f);
        }
    }
}
