package trit.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import trit.TritException;
import trit.gguf.GgufFile;

/**
 * Text to token ids and back, built from a GGUF file's {@code tokenizer.*} metadata and behaving as
 * llama.cpp's llama_tokenize / llama_token_to_piece do for the same file.
 *
 * <p>Two tokenizer models are supported: {@code llama} (SentencePiece BPE with byte fallback) and
 * {@code gpt2} (byte-level BPE, with the pre-tokenizer named by {@code tokenizer.ggml.pre}; see
 * {@link #supportedPreTokenizers()}), plus {@code gemma4} (SentencePiece-style BPE over raw UTF-8).
 * Anything else is refused with a {@link TritException}.
 *
 * <p>Decoding is the concatenation of the tokens' pieces, as llama.cpp streams them: unlike
 * llama_detokenize it does not apply Hugging Face's {@code clean_up_tokenization_spaces} (" ," to ","),
 * so that streaming and whole-sequence decoding agree and {@code decode(encode(s)) == s} for byte-level
 * vocabularies. The one rule kept is SentencePiece's: with {@code add_space_prefix}, the space that
 * encoding put in front of the text is removed from the first token decoded.
 *
 * <p>Instances are safe to share between threads (their only mutable state is a concurrent cache).
 */
public abstract sealed class Tokenizer permits SpmTokenizer, BpeTokenizer {
    final Vocabulary vocab;
    /** Each token's piece with special tokens rendered as their text. */
    private final byte[][] pieces;
    private final TokenTrie specialTrie;

    Tokenizer(Vocabulary vocab) {
        this.vocab = vocab;
        this.specialTrie = new TokenTrie(vocab.text, vocab.specialTokens);
        this.pieces = new byte[vocab.size()][];
        for (int id = 0; id < vocab.size(); id++) pieces[id] = piece(id);
    }

    /**
     * Builds the tokenizer that a GGUF file's metadata describes.
     *
     * @throws TritException if the tokenizer model or pre-tokenizer is not supported, or the vocabulary
     *     metadata is missing or malformed (the message names the key at fault)
     */
    public static Tokenizer fromGguf(GgufFile gguf) {
        Vocabulary v = Vocabulary.load(gguf);
        return switch (v.kind) {
            case SPM -> new SpmTokenizer(v);
            case BPE -> new BpeTokenizer(v);
        };
    }

    /** The {@code tokenizer.ggml.pre} values accepted for {@code gpt2} vocabularies. */
    public static Set<String> supportedPreTokenizers() {
        return PreTokenizer.supportedNames();
    }

    // ---------------------------------------------------------------------------------------------
    // encoding

    /**
     * Token ids of {@code text}.
     *
     * @param addSpecial add BOS and/or EOS as the model's metadata asks ({@link #addBos()}, {@link #addEos()})
     * @param parseSpecial recognise the text of control tokens (e.g. {@code <|eot_id|>}) in {@code text};
     *     user-defined tokens are always recognised, as in llama.cpp
     * @throws TritException if special tokens are to be added but the vocabulary has none
     */
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        List<Fragment> fragments = partition(wellFormed(text), parseSpecial);
        IntList out = new IntList(Math.max(16, text.length() / 3));
        if (addSpecial && vocab.addBos) out.add(required(vocab.bos, "BOS"));
        encodeFragments(fragments, out);
        if (addSpecial && vocab.addEos) out.add(required(vocab.eos, "EOS"));
        return out.toArray();
    }

    /** A piece of input: text still to tokenize, or a special token found verbatim. */
    record Fragment(String text, int token) {
        boolean isText() {
            return text != null;
        }
    }

    /** Appends the tokens of {@code fragments} to {@code out}. */
    abstract void encodeFragments(List<Fragment> fragments, IntList out);

    private int required(int id, String what) {
        if (id == Vocabulary.NONE) {
            throw new TritException("the tokenizer asks for a " + what + " token but its vocabulary has none");
        }
        return id;
    }

    /** Replaces unpaired surrogates (not representable in UTF-8) by U+FFFD. */
    private static String wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                StringBuilder sb = new StringBuilder(s.length());
                s.codePoints().forEach(cp -> sb.appendCodePoint(cp >= 0xD800 && cp <= 0xDFFF ? 0xFFFD : cp));
                return sb.toString();
            }
        }
        return s;
    }

    /**
     * Cuts {@code text} at every occurrence of a special token's text, longest tokens first (llama.cpp's
     * tokenizer_st_partition). Control and unknown tokens are only looked for when {@code parseSpecial};
     * user-defined ones always. A token marked lstrip/rstrip swallows the whitespace before/after it.
     */
    private List<Fragment> partition(String text, boolean parseSpecial) {
        List<Fragment> frags = new ArrayList<>();
        if (text.isEmpty()) return frags;
        frags.add(new Fragment(text, Vocabulary.NONE));
        BitSet present = specialTrie.occurring(text);
        if (present.isEmpty()) return frags;
        for (int id : vocab.specialTokens) {
            if (!present.get(id)) continue;
            if (!parseSpecial && vocab.has(id, Vocabulary.ATTR_CONTROL | Vocabulary.ATTR_UNKNOWN)) continue;
            String tok = vocab.text[id];
            boolean lstrip = vocab.has(id, Vocabulary.ATTR_LSTRIP);
            boolean rstrip = vocab.has(id, Vocabulary.ATTR_RSTRIP);
            List<Fragment> next = null;
            for (int f = 0; f < frags.size(); f++) {
                Fragment frag = frags.get(f);
                int at = frag.isText() ? frag.text.indexOf(tok) : -1;
                if (at < 0) {
                    if (next != null) next.add(frag);
                    continue;
                }
                if (next == null) next = new ArrayList<>(frags.subList(0, f));
                String s = frag.text;
                int from = 0;
                while (at >= 0) {
                    int leftEnd = at;
                    if (lstrip) while (leftEnd > from && isCSpace(s.charAt(leftEnd - 1))) leftEnd--;
                    if (leftEnd > from) next.add(new Fragment(s.substring(from, leftEnd), Vocabulary.NONE));
                    next.add(new Fragment(null, id));
                    from = at + tok.length();
                    if (rstrip) while (from < s.length() && isCSpace(s.charAt(from))) from++;
                    at = from < s.length() ? s.indexOf(tok, from) : -1;
                }
                if (from < s.length()) next.add(new Fragment(s.substring(from), Vocabulary.NONE));
            }
            if (next != null) frags = next;
        }
        return frags;
    }

    /** C's isspace in the "C" locale. */
    private static boolean isCSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    // ---------------------------------------------------------------------------------------------
    // decoding

    /**
     * The text of {@code ids}; control and unknown tokens (BOS, EOS, ...) produce no text. Bytes that are
     * not well-formed UTF-8 become U+FFFD.
     */
    public String decode(int[] ids) {
        return decode(ids, false);
    }

    /**
     * The text of {@code ids}.
     *
     * @param renderSpecial write control and unknown tokens as their text instead of dropping them
     */
    public String decode(int[] ids, boolean renderSpecial) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ids.length * 4);
        boolean first = true;
        for (int id : ids) {
            byte[] p = piece(id, renderSpecial);
            int skip = first && vocab.addSpacePrefix && p.length > 0 && p[0] == ' ' ? 1 : 0;
            out.write(p, skip, p.length - skip);
            first = false;
        }
        byte[] bytes = out.toByteArray();
        return Utf8.decode(bytes, 0, bytes.length);
    }

    /** A streaming decoder for a sequence that starts at the beginning of the text (like {@link #decode(int[])}). */
    public TokenDecoder decoder() {
        return new TokenDecoder(this, false, true);
    }

    /**
     * A streaming decoder.
     *
     * @param renderSpecial write control tokens as their text
     * @param startOfText whether the first token starts the text, so that a SentencePiece prefix space is
     *     removed; pass false when continuing after a prompt
     */
    public TokenDecoder decoder(boolean renderSpecial, boolean startOfText) {
        return new TokenDecoder(this, renderSpecial, startOfText);
    }

    /**
     * The raw bytes of a token's piece: special tokens as their text, byte tokens as their byte, other
     * tokens as the text they stand for. A piece may be part of a UTF-8 character.
     */
    public byte[] tokenBytes(int id) {
        return pieces[checkId(id)].clone();
    }

    /** The piece of {@code id}, empty for a control or unknown token unless {@code renderSpecial}. Not a copy. */
    byte[] piece(int id, boolean renderSpecial) {
        checkId(id);
        if (!renderSpecial && vocab.has(id, Vocabulary.ATTR_CONTROL | Vocabulary.ATTR_UNKNOWN)) return EMPTY;
        return pieces[id];
    }

    private static final byte[] EMPTY = new byte[0];

    /** llama.cpp's token_to_piece with special = true. */
    private byte[] piece(int id) {
        String t = vocab.text[id];
        if (vocab.has(id, Vocabulary.ATTR_CONTROL | Vocabulary.ATTR_UNKNOWN | Vocabulary.ATTR_USER_DEFINED)) {
            return t.getBytes(StandardCharsets.UTF_8);
        }
        if (vocab.has(id, Vocabulary.ATTR_NORMAL)) return normalPiece(t);
        if (vocab.has(id, Vocabulary.ATTR_BYTE)) {
            int b = hexByte(t);
            return b >= 0 ? new byte[] {(byte) b} : t.getBytes(StandardCharsets.UTF_8);
        }
        return EMPTY; // unused and undefined tokens
    }

    /** The bytes a normal token stands for. */
    abstract byte[] normalPiece(String tokenText);

    /** The byte of a {@code <0xXX>} token, or -1. */
    static int hexByte(String t) {
        if (t.length() != 6 || !t.startsWith("<0x") || t.charAt(5) != '>') return -1;
        int hi = Character.digit(t.charAt(3), 16);
        int lo = Character.digit(t.charAt(4), 16);
        return hi < 0 || lo < 0 ? -1 : hi << 4 | lo;
    }

    private int checkId(int id) {
        if (id < 0 || id >= vocab.size()) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary of " + vocab.size());
        }
        return id;
    }

    /** Whether the SentencePiece prefix space is removed from the first decoded token. */
    boolean stripsPrefixSpace() {
        return vocab.addSpacePrefix;
    }

    // ---------------------------------------------------------------------------------------------
    // vocabulary facts

    /** The vocabulary's text for {@code id} (e.g. "▁Hello", "Ġworld", "<0x0A>", "<|eot_id|>"). */
    public String tokenText(int id) {
        return vocab.text[checkId(id)];
    }

    /** The id of the token whose vocabulary text is {@code text}, or -1. */
    public int tokenId(String text) {
        return vocab.id(text);
    }

    public int vocabSize() { return vocab.size(); }

    /** Beginning-of-sequence token, or -1 if none. */
    public int bos() { return vocab.bos; }

    /** End-of-sequence token, or -1 if none. */
    public int eos() { return vocab.eos; }

    /** End-of-turn token (from metadata, else recognised by its text, e.g. {@code <|eot_id|>}), or -1. */
    public int eot() { return vocab.eot; }

    /** End-of-message token ({@code <|eom_id|>}), or -1. */
    public int eom() { return vocab.eom; }

    /** Unknown token, or -1. */
    public int unknown() { return vocab.unk; }

    /** Padding token, or -1. */
    public int padding() { return vocab.pad; }

    /** Whether {@code add_special} encoding starts with BOS. */
    public boolean addBos() { return vocab.addBos; }

    /** Whether {@code add_special} encoding ends with EOS. */
    public boolean addEos() { return vocab.addEos; }

    /**
     * Whether generating {@code id} ends the generation: EOS, EOT, EOM and the tokens llama.cpp treats
     * as end-of-generation by their text ({@code <|im_end|>}, {@code <end_of_turn>}, ...).
     */
    public boolean isEndOfGeneration(int id) {
        return id >= 0 && vocab.eog.get(id);
    }

    /** Whether {@code id} is a control or unknown token, which {@link #decode(int[])} does not render. */
    public boolean isSpecial(int id) {
        return vocab.has(checkId(id), Vocabulary.ATTR_CONTROL | Vocabulary.ATTR_UNKNOWN);
    }

    /** {@code tokenizer.ggml.model}: "llama", "gpt2" or "gemma4". */
    public String model() { return vocab.model; }

    /** The pre-tokenizer in use for BPE vocabularies, or null for SentencePiece. */
    public String preTokenizer() { return vocab.pre == null ? null : vocab.pre.name(); }

    /** {@code tokenizer.chat_template}, or null. */
    public String chatTemplate() { return vocab.chatTemplate; }
}
