package trit.tokenizer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import trit.TritException;
import trit.gguf.GgufFile;
import trit.gguf.GgufValue;
import trit.gguf.GgufWriter;

/**
 * A byte-level BPE vocabulary trained by {@link BpeTrainer}, as the GGUF tokenizer metadata llama.cpp
 * reads for {@code tokenizer.ggml.model = "gpt2"}: ids 0..255 are the bytes (GPT-2's byte characters),
 * then one token per merge in the order learned (the merge rank), then BOS and EOS as control tokens.
 * BOS is added to encoded text ({@code add_bos_token}), EOS is not.
 */
public final class TrainedTokenizer {
    private final String pre;
    private final String[] tokens;
    private final int[] types;
    private final String[] merges;
    private final int bos, eos;
    private final Map<String, int[]> segmentation;
    private final int distinctWords;

    private TrainedTokenizer(String pre, String[] tokens, int[] types, String[] merges, int bos, int eos,
                             Map<String, int[]> segmentation, int distinctWords) {
        this.pre = pre;
        this.tokens = tokens;
        this.types = types;
        this.merges = merges;
        this.bos = bos;
        this.eos = eos;
        this.segmentation = segmentation;
        this.distinctWords = distinctWords;
    }

    static TrainedTokenizer of(BpeTrainer.Options opt, List<byte[]> tokenBytes, List<int[]> merges,
                               Map<String, int[]> segmentation, int distinctWords) {
        int n = tokenBytes.size() + 2;
        String[] tokens = new String[n];
        int[] types = new int[n];
        for (int i = 0; i < tokenBytes.size(); i++) {
            tokens[i] = ByteLevel.encode(tokenBytes.get(i));
            types[i] = Vocabulary.TYPE_NORMAL;
        }
        int bos = n - 2, eos = n - 1;
        tokens[bos] = opt.bosText();
        tokens[eos] = opt.eosText();
        types[bos] = types[eos] = Vocabulary.TYPE_CONTROL;
        String[] m = new String[merges.size()];
        for (int i = 0; i < m.length; i++) m[i] = tokens[merges.get(i)[0]] + " " + tokens[merges.get(i)[1]];
        return new TrainedTokenizer(opt.preTokenizer(), tokens, types, m, bos, eos, segmentation, distinctWords);
    }

    public int vocabSize() { return tokens.length; }

    public int mergeCount() { return merges.length; }

    public int bos() { return bos; }

    public int eos() { return eos; }

    /** The {@code tokenizer.ggml.pre} value. */
    public String preTokenizer() { return pre; }

    /** Distinct pre-tokenizer words in the training text. */
    public int distinctWords() { return distinctWords; }

    /** The vocabulary's text of a token (GPT-2 byte characters, or the special token's text). */
    public String token(int id) { return tokens[id]; }

    /** The merges, rank order, as GGUF stores them ("left right" in byte characters). */
    public List<String> merges() { return List.of(merges); }

    /**
     * The tokens the trainer itself assigned to {@code text}: the pre-tokenizer's words, each as its
     * segmentation at the end of training. Only words of the training text are known.
     *
     * @throws TritException for a word the training text did not contain
     */
    public int[] trainingEncoding(String text) {
        IntList out = new IntList(text.length() / 3 + 4);
        for (String w : PreTokenizer.forName(pre).split(text)) {
            int[] ids = segmentation.get(w);
            if (ids == null) throw new TritException("word " + Vocabulary.quote(w) + " was not in the training text");
            out.addAll(ids);
        }
        return out.toArray();
    }

    /** The {@code tokenizer.*} metadata (plus nothing else), in the order llama.cpp's converters write it. */
    public Map<String, GgufValue> toGgufMetadata() {
        Map<String, GgufValue> m = new LinkedHashMap<>();
        m.put("tokenizer.ggml.model", GgufValue.ofString("gpt2"));
        m.put("tokenizer.ggml.pre", GgufValue.ofString(pre));
        m.put("tokenizer.ggml.tokens", GgufValue.ofStrings(tokens));
        m.put("tokenizer.ggml.token_type", GgufValue.ofI32s(types));
        m.put("tokenizer.ggml.merges", GgufValue.ofStrings(merges));
        m.put("tokenizer.ggml.bos_token_id", GgufValue.ofU32(bos));
        m.put("tokenizer.ggml.eos_token_id", GgufValue.ofU32(eos));
        m.put("tokenizer.ggml.add_bos_token", GgufValue.ofBool(true));
        m.put("tokenizer.ggml.add_eos_token", GgufValue.ofBool(false));
        return m;
    }

    /** Puts the tokenizer metadata into a GGUF being written (e.g. a trained model's). */
    public void writeMetadata(GgufWriter w) {
        w.putAll(toGgufMetadata());
    }

    /**
     * Writes a GGUF file holding only this tokenizer (no tensors), with {@code general.architecture =
     * llama} so that llama.cpp's tools load it as a vocabulary ({@code llama-tokenize}).
     */
    public void write(Path target, String name) {
        writer(name).write(target, null);
    }

    private GgufWriter writer(String name) {
        GgufWriter w = new GgufWriter();
        w.put("general.architecture", GgufValue.ofString("llama"));
        w.put("general.name", GgufValue.ofString(name));
        writeMetadata(w);
        return w;
    }

    /** A {@link Tokenizer} for this vocabulary, built from its GGUF metadata as any model's would be. */
    public Tokenizer tokenizer() {
        GgufWriter w = writer("trit-bpe-" + tokens.length);
        Arena arena = Arena.ofConfined();
        MemorySegment seg = arena.allocate(w.size(), 32);
        w.writeTo(seg, null);
        try (GgufFile f = GgufFile.fromMemory("trained tokenizer", seg, arena)) {
            return Tokenizer.fromGguf(f);
        }
    }

    /** Class-path location of the tokenizer shipped with trit (data/tokenizer/ in the repository). */
    public static final String SHIPPED_RESOURCE = "/trit/data/tokenizer/trit-bpe-4096.gguf";

    /**
     * The shipped tokenizer's GGUF (tokenizer metadata only), read from the class path into memory.
     *
     * @throws TritException if this build carries no shipped tokenizer
     */
    public static GgufFile shippedGguf() {
        byte[] bytes;
        try (java.io.InputStream in = TrainedTokenizer.class.getResourceAsStream(SHIPPED_RESOURCE)) {
            if (in == null) throw new TritException("no shipped tokenizer on the class path (" + SHIPPED_RESOURCE + ")");
            bytes = in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new TritException(SHIPPED_RESOURCE + ": cannot read (" + e.getMessage() + ")", e);
        }
        Arena arena = Arena.ofShared();
        MemorySegment seg = arena.allocate(bytes.length, 32);
        seg.copyFrom(MemorySegment.ofArray(bytes));
        return GgufFile.fromMemory(SHIPPED_RESOURCE, seg, arena);
    }

    /** The shipped tokenizer's {@code tokenizer.*} metadata, to copy into a model's GGUF. */
    public static Map<String, GgufValue> shippedMetadata() {
        try (GgufFile f = shippedGguf()) {
            Map<String, GgufValue> m = new LinkedHashMap<>();
            for (Map.Entry<String, GgufValue> e : f.metadata().entrySet()) {
                if (e.getKey().startsWith("tokenizer.")) m.put(e.getKey(), e.getValue());
            }
            return m;
        }
    }

    /** The shipped tokenizer (trained by {@code trit tokenizer train --vocab 4096} on the shipped corpus). */
    public static Tokenizer shipped() {
        try (GgufFile f = shippedGguf()) {
            return Tokenizer.fromGguf(f);
        }
    }

    /** The tokenizer stored in a GGUF file's metadata (a model or a tokenizer-only file). */
    public static Tokenizer load(Path gguf) {
        try (GgufFile f = GgufFile.open(gguf)) {
            return Tokenizer.fromGguf(f);
        }
    }

    /** Bytes of the UTF-8 text per token, the usual measure of how well a vocabulary compresses. */
    public static double bytesPerToken(Tokenizer t, String text) {
        int[] ids = t.encode(text, false, false);
        return ids.length == 0 ? 0 : text.getBytes(StandardCharsets.UTF_8).length / (double) ids.length;
    }
}
