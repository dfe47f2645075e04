package trit.tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import trit.gguf.GgufArray;
import trit.gguf.GgufFile;
import trit.gguf.GgufValue;
import trit.gguf.GgufValueType;
import trit.gguf.GgufWriter;

/** Small hand-made vocabularies, written to a GGUF file and read back as a {@link Tokenizer}. */
final class TestVocab {
    private final GgufWriter w = new GgufWriter();
    private final List<String> tokens = new ArrayList<>();
    private final List<Float> scores = new ArrayList<>();
    private final List<Integer> types = new ArrayList<>();
    private final List<String> merges = new ArrayList<>();
    private final Set<String> custom = new HashSet<>();
    private boolean bpe;

    /**
     * A SentencePiece vocabulary: {@code <unk> <s> </s>}, then the 256 byte tokens (ids 3..258);
     * add_space_prefix is off unless set.
     */
    static TestVocab spm() {
        TestVocab v = new TestVocab();
        v.w.put("tokenizer.ggml.model", GgufValue.ofString("llama"));
        v.w.put("tokenizer.ggml.add_space_prefix", GgufValue.ofBool(false));
        v.token("<unk>", 0, Vocabulary.TYPE_UNKNOWN);
        v.token("<s>", 0, Vocabulary.TYPE_CONTROL);
        v.token("</s>", 0, Vocabulary.TYPE_CONTROL);
        for (int b = 0; b < 256; b++) v.token(String.format("<0x%02X>", b), 0, Vocabulary.TYPE_BYTE);
        return v;
    }

    /** A byte-level BPE vocabulary: the 256 byte characters (id = byte), then {@code <|bos|> <|eos|>}. */
    static TestVocab bpe(String pre) {
        TestVocab v = new TestVocab();
        v.bpe = true;
        v.w.put("tokenizer.ggml.model", GgufValue.ofString("gpt2"));
        if (pre != null) v.w.put("tokenizer.ggml.pre", GgufValue.ofString(pre));
        for (int b = 0; b < 256; b++) v.token(ByteLevel.tokenOf(b), 0, Vocabulary.TYPE_NORMAL);
        v.token("<|bos|>", 0, Vocabulary.TYPE_CONTROL);
        v.token("<|eos|>", 0, Vocabulary.TYPE_CONTROL);
        v.w.put("tokenizer.ggml.bos_token_id", GgufValue.ofU32(256));
        v.w.put("tokenizer.ggml.eos_token_id", GgufValue.ofU32(257));
        return v;
    }

    /** Adds a token; returns its id. */
    int token(String text, float score, int type) {
        tokens.add(text);
        scores.add(score);
        types.add(type);
        return tokens.size() - 1;
    }

    int normal(String text, float score) {
        return token(text, score, Vocabulary.TYPE_NORMAL);
    }

    /** Adds a merge and the token it makes (for byte-level vocabularies, in byte characters); returns the token's id. */
    int merge(String left, String right) {
        merges.add(left + " " + right);
        return normal(left + right, 0);
    }

    /** Sets a metadata value (including one of the arrays this class would otherwise write). */
    TestVocab put(String key, GgufValue value) {
        custom.add(key);
        w.put(key, value);
        return this;
    }

    /** Leaves out a metadata value (including one of the arrays this class would otherwise write). */
    TestVocab remove(String key) {
        custom.add(key);
        w.remove(key);
        return this;
    }

    private void putDefault(String key, GgufValue value) {
        if (!custom.contains(key)) w.put(key, value);
    }

    Path write(Path dir) {
        putDefault("tokenizer.ggml.tokens", GgufValue.ofStrings(tokens.toArray(String[]::new)));
        float[] s = new float[scores.size()];
        for (int i = 0; i < s.length; i++) s[i] = scores.get(i);
        putDefault("tokenizer.ggml.scores", GgufValue.ofFloats(s));
        putDefault("tokenizer.ggml.token_type", GgufValue.ofI32s(types.stream().mapToInt(Integer::intValue).toArray()));
        if (bpe) {
            putDefault("tokenizer.ggml.merges",
                    GgufValue.ofArray(new GgufArray(GgufValueType.STRING, merges.toArray(String[]::new))));
        }
        try {
            Path p = Files.createTempFile(dir, "vocab-", ".gguf");
            w.write(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Tokenizer build(Path dir) {
        try (GgufFile f = GgufFile.open(write(dir))) {
            return Tokenizer.fromGguf(f);
        }
    }
}
