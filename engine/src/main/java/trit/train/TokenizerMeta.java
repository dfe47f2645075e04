package trit.train;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import trit.TritException;
import trit.gguf.GgufArray;
import trit.gguf.GgufFile;
import trit.gguf.GgufValue;
import trit.gguf.GgufValueType;
import trit.tokenizer.ByteLevel;

/**
 * The tokenizer a model is trained with, as the {@code tokenizer.*} metadata that goes into an exported
 * GGUF: read from a tokenizer GGUF, or the built-in byte-level vocabulary (256 byte tokens, BOS, EOS; GPT-2
 * style with no merges). Its hash ties a checkpoint to the tokenizer it was trained with.
 */
public final class TokenizerMeta {
    private TokenizerMeta() {}

    /** The name that selects {@link #byteLevel()} where a tokenizer file is expected. */
    public static final String BUILT_IN_BYTES = "bytes";

    /** The {@code tokenizer.*} entries of a GGUF file (which needs nothing else). */
    public static Map<String, GgufValue> from(GgufFile f) {
        Map<String, GgufValue> m = new LinkedHashMap<>();
        for (var e : f.metadata().entrySet()) if (e.getKey().startsWith("tokenizer.")) m.put(e.getKey(), e.getValue());
        if (!m.containsKey("tokenizer.ggml.tokens")) throw new TritException(f.path() + ": has no tokenizer.ggml.tokens (not a tokenizer GGUF)");
        return m;
    }

    /** 256 byte tokens (GPT-2's byte-to-character map) then BOS and EOS: vocabulary 258. */
    public static Map<String, GgufValue> byteLevel() {
        String[] tokens = new String[258];
        int[] types = new int[258];
        for (int b = 0; b < 256; b++) {
            tokens[b] = ByteLevel.tokenOf(b);
            types[b] = 1;
        }
        tokens[256] = "<|begin_of_text|>";
        tokens[257] = "<|end_of_text|>";
        types[256] = types[257] = 3;
        Map<String, GgufValue> m = new LinkedHashMap<>();
        m.put("tokenizer.ggml.model", GgufValue.ofString("gpt2"));
        m.put("tokenizer.ggml.pre", GgufValue.ofString("default"));
        m.put("tokenizer.ggml.tokens", GgufValue.ofStrings(tokens));
        m.put("tokenizer.ggml.token_type", GgufValue.ofI32s(types));
        m.put("tokenizer.ggml.merges", GgufValue.ofArray(new GgufArray(GgufValueType.STRING, new String[0])));
        m.put("tokenizer.ggml.bos_token_id", GgufValue.ofU32(256));
        m.put("tokenizer.ggml.eos_token_id", GgufValue.ofU32(257));
        m.put("tokenizer.ggml.add_bos_token", GgufValue.ofBool(false));
        return m;
    }

    public static int vocabSize(Map<String, GgufValue> meta) {
        return meta.get("tokenizer.ggml.tokens").asArray().length();
    }

    /** SHA-256 (first 16 hex digits) over the entries in key order, arrays element by element. */
    public static String hash(Map<String, GgufValue> meta) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (var e : new TreeMap<>(meta).entrySet()) {
                md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                update(md, e.getValue().value());
                md.update((byte) 1);
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(MessageDigest md, Object v) {
        if (v instanceof GgufArray a) {
            Object vs = a.values();
            int n = java.lang.reflect.Array.getLength(vs);
            for (int i = 0; i < n; i++) {
                update(md, java.lang.reflect.Array.get(vs, i));
                md.update((byte) 2);
            }
        } else {
            md.update(String.valueOf(v).getBytes(StandardCharsets.UTF_8));
        }
    }
}
