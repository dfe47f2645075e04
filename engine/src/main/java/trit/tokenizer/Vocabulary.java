package trit.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import trit.TritException;
import trit.gguf.GgufArray;
import trit.gguf.GgufFile;
import trit.gguf.GgufValue;
import trit.gguf.GgufValueType;

/**
 * A tokenizer vocabulary read from GGUF metadata, with the special-token rules llama.cpp applies on
 * load (llama_vocab::impl::load): default special ids per tokenizer model, end-of-turn/end-of-generation
 * tokens recognised by their text, attribute fix-ups, and the list of tokens matched verbatim in text.
 */
final class Vocabulary {
    static final int NONE = -1;

    // token attributes (llama_token_attr)
    static final int ATTR_UNKNOWN = 1;
    static final int ATTR_UNUSED = 1 << 1;
    static final int ATTR_NORMAL = 1 << 2;
    static final int ATTR_CONTROL = 1 << 3;
    static final int ATTR_USER_DEFINED = 1 << 4;
    static final int ATTR_BYTE = 1 << 5;
    static final int ATTR_LSTRIP = 1 << 7;
    static final int ATTR_RSTRIP = 1 << 8;

    // token types stored in tokenizer.ggml.token_type (llama_token_type)
    static final int TYPE_UNDEFINED = 0;
    static final int TYPE_NORMAL = 1;
    static final int TYPE_UNKNOWN = 2;
    static final int TYPE_CONTROL = 3;
    static final int TYPE_USER_DEFINED = 4;
    static final int TYPE_UNUSED = 5;
    static final int TYPE_BYTE = 6;

    enum Kind { SPM, BPE }

    /** Texts that mark an end-of-turn token when tokenizer.ggml.eot_token_id is absent, in order of preference. */
    private static final List<String> EOT_TEXTS = List.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>",
            "<|endoftext|>", "<|end_of_text|>", "<EOT>", "_<EOT>", "[EOT]", "<\uFF5Cend\u2581of\u2581sentence\uFF5C>",
            "<end_of_utterance>");
    private static final List<String> FIM_PRE_TEXTS = List.of("<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>",
            "<\uFF5Cfim\u2581begin\uFF5C>", "<PRE>", "\u2581<PRE>", "<|code_prefix|>", "<|prefix|>");
    private static final List<String> FIM_SUF_TEXTS = List.of("<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>",
            "<\uFF5Cfim\u2581hole\uFF5C>", "<SUF>", "\u2581<SUF>", "<|code_suffix|>", "<|suffix|>");
    private static final List<String> FIM_MID_TEXTS = List.of("<|fim_middle|>", "<fim-middle>", "<fim_middle>",
            "<\uFF5Cfim\u2581end\uFF5C>", "<MID>", "\u2581<MID>", "<|code_middle|>", "<|middle|>");
    private static final List<String> FIM_PAD_TEXTS = List.of("<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]");
    private static final List<String> FIM_REP_TEXTS = List.of("<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>",
            "<reponame>");
    private static final List<String> FIM_SEP_TEXTS = List.of("<|file_sep|>");
    /** Texts of tokens that end generation whatever the metadata says. */
    private static final List<String> EOG_TEXTS = List.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>",
            "<|call|>", "<|flush|>", "<|calls|>", "<end_of_turn>", "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>",
            "_<EOT>", "[EOT]", "[EOS]", "<|end_of_text|>", "<end_of_utterance>", "<eos>", "<turn|>",
            "<|tool_response>", "<\uFF5Cend\u2581of\u2581sentence\uFF5C>", "[e~[");

    final Kind kind;
    final String model;
    final PreTokenizer pre;          // null for SPM
    final String[] text;
    final float[] score;
    final int[] attr;
    private final Map<String, Integer> ids;
    final Map<MergeKey, Integer> mergeRanks; // null for SPM

    int bos, eos, eot, eom, unk, pad;
    private int fimPre = NONE, fimSuf = NONE, fimMid = NONE, fimPad = NONE, fimRep = NONE, fimSep = NONE;
    boolean addBos, addEos, addSpacePrefix;
    final BitSet eog = new BitSet();
    /** Control, user-defined and unknown tokens, longest text first: matched verbatim in input text. */
    int[] specialTokens;
    final String chatTemplate;

    /** A BPE merge: the pair of strings it joins. */
    record MergeKey(String left, String right) {}

    private Vocabulary(Kind kind, String model, PreTokenizer pre, String[] text, float[] score, int[] attr,
                       Map<String, Integer> ids, Map<MergeKey, Integer> mergeRanks, String chatTemplate) {
        this.kind = kind;
        this.model = model;
        this.pre = pre;
        this.text = text;
        this.score = score;
        this.attr = attr;
        this.ids = ids;
        this.mergeRanks = mergeRanks;
        this.chatTemplate = chatTemplate;
    }

    int size() {
        return text.length;
    }

    /** The id of the token whose text is exactly {@code s}, or {@link #NONE}. */
    int id(String s) {
        Integer id = ids.get(s);
        return id == null ? NONE : id;
    }

    boolean has(int id, int attribute) {
        return (attr[id] & attribute) != 0;
    }

    // ---------------------------------------------------------------------------------------------

    static Vocabulary load(GgufFile gguf) {
        String where = gguf.path() == null ? "tokenizer" : gguf.path().getFileName() + ": tokenizer";
        String model = string(gguf, "tokenizer.ggml.model", where);
        if (model == null) throw new TritException(where + ": no tokenizer.ggml.model in the metadata");
        String preName = string(gguf, "tokenizer.ggml.pre", where);

        Kind kind;
        PreTokenizer pre = null;
        int bos, eos, unk;
        boolean addBos, addSpacePrefix;
        switch (model) {
            case "llama" -> {
                kind = Kind.SPM;
                bos = 1;
                eos = 2;
                unk = 0;
                addBos = true;
                addSpacePrefix = true;
            }
            case "gpt2", "gemma4" -> {
                kind = Kind.BPE;
                try {
                    pre = PreTokenizer.forName(model.equals("gemma4") ? "gemma4" : preName);
                } catch (TritException e) {
                    throw new TritException(where + ": " + e.getMessage(), e);
                }
                bos = pre.hasNoDefaultBos() ? NONE : 11;
                eos = 11;
                unk = NONE;
                addBos = pre.addsBosByDefault();
                addSpacePrefix = false;
                if (model.equals("gemma4")) bos = eos = NONE;
            }
            default -> throw new TritException(where + ": unsupported tokenizer model '" + model
                    + "' (tokenizer.ggml.model); supported: llama (SentencePiece), gpt2 (byte-level BPE), gemma4");
        }
        Boolean prefix = bool(gguf, "tokenizer.ggml.add_space_prefix", where);
        if (prefix != null) addSpacePrefix = prefix;

        String[] tokens = stringArray(gguf, "tokenizer.ggml.tokens", where);
        if (tokens == null) throw new TritException(where + ": no tokenizer.ggml.tokens in the metadata");
        int n = tokens.length;
        if (n == 0) throw new TritException(where + ": tokenizer.ggml.tokens is empty");
        float[] scores = scores(gguf, n, where);
        int[] types = types(gguf, n, where);

        String[] text = new String[n];
        int[] attr = new int[n];
        Map<String, Integer> ids = HashMap.newHashMap(n);
        for (int i = 0; i < n; i++) {
            String t = tokens[i].isEmpty() ? "[EMPTY_" + i + "]" : tokens[i];
            Integer previous = ids.putIfAbsent(t, i);
            if (previous != null) {
                throw new TritException(where + ": tokens " + previous + " and " + i + " are both " + quote(t)
                        + " (tokenizer.ggml.tokens must not repeat a token)");
            }
            text[i] = t;
            attr[i] = types == null ? ATTR_NORMAL : attrOfType(types[i]);
        }

        Map<MergeKey, Integer> ranks = null;
        if (kind == Kind.BPE) {
            String[] merges = stringArray(gguf, "tokenizer.ggml.merges", where);
            if (merges == null) throw new TritException(where + ": no tokenizer.ggml.merges (a BPE vocabulary needs them)");
            ranks = HashMap.newHashMap(merges.length);
            for (int i = 0; i < merges.length; i++) {
                String m = merges[i];
                int sp = m.indexOf(' ', 1);
                if (sp < 0) {
                    throw new TritException(where + ": merge " + i + " " + quote(m)
                            + " is not two tokens separated by a space (tokenizer.ggml.merges)");
                }
                ranks.putIfAbsent(new MergeKey(m.substring(0, sp), m.substring(sp + 1)), i);
            }
        }

        Vocabulary v = new Vocabulary(kind, model, pre, text, scores, attr, ids, ranks,
                string(gguf, "tokenizer.chat_template", where));
        v.addSpacePrefix = addSpacePrefix;
        v.bos = inRange(bos, n);
        v.eos = inRange(eos, n);
        v.unk = inRange(unk, n);
        v.eot = NONE;
        v.eom = NONE;
        v.pad = NONE;
        v.bos = specialId(gguf, "tokenizer.ggml.bos_token_id", v.bos, n, where);
        v.eos = specialId(gguf, "tokenizer.ggml.eos_token_id", v.eos, n, where);
        v.eot = specialId(gguf, "tokenizer.ggml.eot_token_id", v.eot, n, where);
        v.eom = specialId(gguf, "tokenizer.ggml.eom_token_id", v.eom, n, where);
        v.unk = specialId(gguf, "tokenizer.ggml.unknown_token_id", v.unk, n, where);
        v.pad = specialId(gguf, "tokenizer.ggml.padding_token_id", v.pad, n, where);
        v.fimPre = specialId(gguf, "tokenizer.ggml.prefix_token_id", NONE, n, where);
        v.fimSuf = specialId(gguf, "tokenizer.ggml.suffix_token_id", NONE, n, where);
        v.fimMid = specialId(gguf, "tokenizer.ggml.middle_token_id", NONE, n, where);
        v.fimPre = specialId(gguf, "tokenizer.ggml.fim_pre_token_id", v.fimPre, n, where);
        v.fimSuf = specialId(gguf, "tokenizer.ggml.fim_suf_token_id", v.fimSuf, n, where);
        v.fimMid = specialId(gguf, "tokenizer.ggml.fim_mid_token_id", v.fimMid, n, where);
        v.fimPad = specialId(gguf, "tokenizer.ggml.fim_pad_token_id", NONE, n, where);
        v.fimRep = specialId(gguf, "tokenizer.ggml.fim_rep_token_id", NONE, n, where);
        v.fimSep = specialId(gguf, "tokenizer.ggml.fim_sep_token_id", NONE, n, where);

        Boolean b = bool(gguf, "tokenizer.ggml.add_bos_token", where);
        v.addBos = b != null ? b : addBos;
        if (model.equals("gemma4")) v.addBos = true; // llama.cpp forces BOS for Gemma 4
        b = bool(gguf, "tokenizer.ggml.add_eos_token", where);
        v.addEos = b != null && b;

        v.recogniseSpecialTokens(string(gguf, "general.name", where));
        return v;
    }

    private static int attrOfType(int type) {
        return switch (type) {
            case TYPE_NORMAL -> ATTR_NORMAL;
            case TYPE_UNKNOWN -> ATTR_UNKNOWN;
            case TYPE_CONTROL -> ATTR_CONTROL;
            case TYPE_USER_DEFINED -> ATTR_USER_DEFINED;
            case TYPE_UNUSED -> ATTR_UNUSED;
            case TYPE_BYTE -> ATTR_BYTE;
            default -> 0; // undefined: never produced by merges, decodes to nothing
        };
    }

    /** llama.cpp's post-load rules: EOT/EOM/FIM recognition, the EOG set, the verbatim-match list. */
    private void recogniseSpecialTokens(String generalName) {
        if (eot == NONE) eot = byText(EOT_TEXTS);
        if (eom == NONE) eom = byText(List.of("<|eom_id|>"));
        if (fimPre == NONE) fimPre = byText(FIM_PRE_TEXTS);
        if (fimSuf == NONE) fimSuf = byText(FIM_SUF_TEXTS);
        if (fimMid == NONE) fimMid = byText(FIM_MID_TEXTS);
        if (fimPad == NONE) fimPad = byText(FIM_PAD_TEXTS);
        if (fimRep == NONE) fimRep = byText(FIM_REP_TEXTS);
        if (fimSep == NONE) fimSep = byText(FIM_SEP_TEXTS);

        for (int id : new int[] {fimPad, fimRep, fimSep}) if (id != NONE) eog.set(id);
        for (String t : EOG_TEXTS) {
            int id = id(t);
            if (id != NONE) {
                eog.set(id);
                attr[id] |= ATTR_CONTROL;
            }
        }
        // gpt-oss: these are always rendered
        for (String t : List.of("<|channel|>", "<|message|>", "<|start|>", "<|constrain|>")) {
            int id = id(t);
            if (id != NONE) attr[id] = ATTR_USER_DEFINED;
        }
        for (int id : new int[] {eos, eot, eom}) if (id != NONE) eog.set(id);

        // o200k_harmony / solar-open: "<|end|>" ends a message, not the generation
        int end = id("<|end|>");
        if (end != NONE && eog.get(end)) {
            boolean ret = inEog("<|return|>");
            boolean call = inEog("<|call|>") || inEog("<|calls|>");
            boolean flush = inEog("<|flush|>");
            if ((ret && call) || (call && flush)) {
                eog.clear(end);
                attr[end] = ATTR_USER_DEFINED;
            }
        }
        // Gemma 4 / PaddleOCR: "</s>" is not an end of generation when "<|tool_response>" is
        int s = id("</s>");
        if (s != NONE && eog.get(s) && inEog("<|tool_response>")) {
            eog.clear(s);
            attr[s] = ATTR_NORMAL;
        }

        List<Integer> special = new ArrayList<>();
        for (int id = 0; id < text.length; id++) {
            if (has(id, ATTR_CONTROL | ATTR_USER_DEFINED | ATTR_UNKNOWN)) special.add(id);
        }
        special.sort(Comparator.<Integer>comparingInt(id -> text[id].length()).reversed());
        specialTokens = special.stream().mapToInt(Integer::intValue).toArray();

        // Phi-3: whitespace after its special tokens belongs to them (llama.cpp keys this on the model name)
        String name = generalName == null ? "" : generalName.toLowerCase(Locale.ROOT);
        if (name.contains("phi-3") || name.contains("phi3")) {
            for (int id : specialTokens) attr[id] |= ATTR_RSTRIP;
            int eosText = id("</s>");
            if (eosText != NONE) attr[eosText] |= ATTR_RSTRIP;
            for (String t : List.of("<unk>", "<s>", "<|endoftext|>")) {
                int id = id(t);
                if (id != NONE) attr[id] &= ~ATTR_RSTRIP;
            }
        }
    }

    private boolean inEog(String t) {
        int id = id(t);
        return id != NONE && eog.get(id);
    }

    /**
     * The first of {@code texts} present in the vocabulary, now a control token, or NONE. (llama.cpp takes
     * the first match in hash order; the list order is used here, which only matters for a vocabulary
     * holding two of the texts.)
     */
    private int byText(List<String> texts) {
        for (String t : texts) {
            int id = id(t);
            if (id != NONE) {
                attr[id] |= ATTR_CONTROL;
                return id;
            }
        }
        return NONE;
    }

    // ---------------------------------------------------------------------------------------------

    private static int inRange(int id, int n) {
        return id >= 0 && id < n ? id : NONE;
    }

    /** A special-token id from the metadata; out-of-range ids are ignored, as llama.cpp does. */
    private static int specialId(GgufFile gguf, String key, int fallback, int n, String where) {
        GgufValue v = gguf.get(key);
        if (v == null) return fallback;
        if (!v.type().isInteger()) {
            throw new TritException(where + ": " + key + " is " + v.type().name().toLowerCase(Locale.ROOT)
                    + ", expected an integer token id");
        }
        long id = v.asLong();
        return id >= 0 && id < n ? (int) id : fallback;
    }

    private static String string(GgufFile gguf, String key, String where) {
        GgufValue v = gguf.get(key);
        if (v == null) return null;
        if (v.type() != GgufValueType.STRING) {
            throw new TritException(where + ": " + key + " is " + v.type().name().toLowerCase(Locale.ROOT)
                    + ", expected a string");
        }
        return v.asString();
    }

    private static Boolean bool(GgufFile gguf, String key, String where) {
        GgufValue v = gguf.get(key);
        if (v == null) return null;
        if (v.type() == GgufValueType.BOOL) return (Boolean) v.value();
        if (v.type().isInteger()) return v.asLong() != 0;
        throw new TritException(where + ": " + key + " is " + v.type().name().toLowerCase(Locale.ROOT)
                + ", expected a boolean");
    }

    private static GgufArray array(GgufFile gguf, String key, String where) {
        GgufValue v = gguf.get(key);
        if (v == null) return null;
        if (v.type() != GgufValueType.ARRAY) {
            throw new TritException(where + ": " + key + " is " + v.type().name().toLowerCase(Locale.ROOT)
                    + ", expected an array");
        }
        return v.asArray();
    }

    private static String[] stringArray(GgufFile gguf, String key, String where) {
        GgufArray a = array(gguf, key, where);
        if (a == null) return null;
        if (a.elementType() != GgufValueType.STRING) {
            throw new TritException(where + ": " + key + " is an array of "
                    + a.elementType().name().toLowerCase(Locale.ROOT) + ", expected strings");
        }
        return a.strings();
    }

    private static float[] scores(GgufFile gguf, int n, String where) {
        String key = "tokenizer.ggml.scores";
        GgufArray a = array(gguf, key, where);
        float[] out = new float[n];
        if (a == null) return out;
        if (a.elementType() != GgufValueType.FLOAT32 && a.elementType() != GgufValueType.INT32) {
            throw new TritException(where + ": " + key + " is an array of "
                    + a.elementType().name().toLowerCase(Locale.ROOT) + ", expected float32");
        }
        if (a.length() < n) {
            throw new TritException(where + ": " + key + " has " + a.length() + " entries for " + n + " tokens");
        }
        if (a.elementType() == GgufValueType.FLOAT32) {
            System.arraycopy(a.floats(), 0, out, 0, n);
        } else {
            int[] s = a.ints();
            for (int i = 0; i < n; i++) out[i] = s[i];
        }
        return out;
    }

    private static int[] types(GgufFile gguf, int n, String where) {
        String key = "tokenizer.ggml.token_type";
        GgufArray a = array(gguf, key, where);
        if (a == null) return null;
        if (a.elementType() != GgufValueType.INT32) {
            throw new TritException(where + ": " + key + " is an array of "
                    + a.elementType().name().toLowerCase(Locale.ROOT) + ", expected int32");
        }
        if (a.length() < n) {
            throw new TritException(where + ": " + key + " has " + a.length() + " entries for " + n + " tokens");
        }
        return Arrays.copyOf(a.ints(), n);
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("'");
        s.codePoints().limit(40).forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f) sb.append(String.format("\\x%02x", cp));
            else sb.appendCodePoint(cp);
        });
        if (s.codePointCount(0, s.length()) > 40) sb.append("...");
        return sb.append('\'').toString();
    }
}
