package trit.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-level BPE ({@code tokenizer.ggml.model = gpt2}), as llama.cpp's llm_tokenizer_bpe: the text is
 * split into words by the pre-tokenizer, each word's UTF-8 bytes are mapped to GPT-2's byte characters
 * ({@link ByteLevel}), and within a word neighbouring symbols are merged by the rank of their pair in
 * {@code tokenizer.ggml.merges} (lowest rank first, leftmost on ties).
 *
 * <p>Also Gemma 4's variant ({@code tokenizer.ggml.model = gemma4}): no byte mapping, spaces become
 * U+2581, words are runs of newlines or of other characters, and bytes fall back to {@code <0xXX>}.
 */
final class BpeTokenizer extends Tokenizer {
    /** The cache is emptied when it holds this many words; longer words are not cached. */
    private static final int CACHED_WORDS = 1 << 16;
    private static final int CACHED_WORD_LENGTH = 64;

    private final PreTokenizer pre;
    /** Tokens of recently seen words: merging is a pure function of the word, and text repeats its words. */
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

    BpeTokenizer(Vocabulary vocab) {
        super(vocab);
        this.pre = vocab.pre;
    }

    @Override
    void encodeFragments(List<Fragment> fragments, IntList out) {
        for (Fragment f : fragments) {
            if (!f.isText()) {
                out.add(f.token());
                continue;
            }
            String text = pre.escapesWhitespace() ? f.text().replace(' ', SpmTokenizer.SPACE) : f.text();
            for (String word : pre.split(text)) {
                tokenizeWord(pre.byteEncoded() ? ByteLevel.encode(word.getBytes(StandardCharsets.UTF_8)) : word, out);
            }
        }
    }

    /** A candidate merge of two neighbouring symbols, with their lengths when proposed. */
    private record Bigram(int left, int right, int rank, int leftLen, int rightLen) {}

    private void tokenizeWord(String word, IntList out) {
        if (word.length() > CACHED_WORD_LENGTH) {
            merge(word, out);
            return;
        }
        int[] cached = cache.get(word);
        if (cached == null) {
            IntList ids = new IntList(8);
            merge(word, ids);
            cached = ids.toArray();
            if (cache.size() >= CACHED_WORDS) cache.clear();
            cache.put(word, cached);
        }
        out.addAll(cached);
    }

    private void merge(String word, IntList out) {
        if (pre.ignoresMerges() || (!pre.byteEncoded() && isNewlines(word))) {
            int id = vocab.id(word);
            if (id != Vocabulary.NONE) {
                out.add(id);
                return;
            }
        }
        int n = word.codePointCount(0, word.length());
        Symbols sym = new Symbols(word, n);
        int[] start = sym.start, len = sym.len, prev = sym.prev, next = sym.next;
        PriorityQueue<Bigram> queue = new PriorityQueue<>((a, b) -> a.rank != b.rank
                ? Integer.compare(a.rank, b.rank) : Integer.compare(a.left, b.left));
        for (int i = 1; i < n; i++) propose(word, i - 1, i, start, len, queue);

        while (!queue.isEmpty()) {
            Bigram bg = queue.poll();
            int l = bg.left, r = bg.right;
            // stale: a side was merged away or grew (symbols only grow, starts never move)
            if (len[l] != bg.leftLen || len[r] != bg.rightLen) continue;
            len[l] += len[r];
            len[r] = 0;
            next[l] = next[r];
            if (next[r] >= 0) prev[next[r]] = l;
            if (prev[l] >= 0) propose(word, prev[l], l, start, len, queue);
            if (next[l] >= 0) propose(word, l, next[l], start, len, queue);
        }

        for (int i = 0; i < n; i++) {
            if (len[i] == 0) continue;
            String piece = word.substring(start[i], start[i] + len[i]);
            int id = vocab.id(piece);
            if (id != Vocabulary.NONE) {
                out.add(id);
            } else {
                fallBack(piece, out);
            }
        }
    }

    /**
     * A symbol that is not a token, as llama.cpp writes it: byte-level vocabularies look up each byte of
     * the symbol's UTF-8 form as a one-byte string (so only ASCII characters can be found; others are
     * dropped, which never happens with a vocabulary that has all 256 byte characters); Gemma 4 uses the
     * {@code <0xXX>} tokens of its bytes.
     */
    private void fallBack(String piece, IntList out) {
        for (byte b : piece.getBytes(StandardCharsets.UTF_8)) {
            int id;
            if (pre.byteEncoded()) {
                id = b >= 0 ? vocab.id(String.valueOf((char) b)) : Vocabulary.NONE;
            } else {
                id = vocab.id(String.format("<0x%02X>", b & 0xff));
            }
            if (id != Vocabulary.NONE) out.add(id);
        }
    }

    private static boolean isNewlines(String word) {
        for (int i = 0; i < word.length(); i++) if (word.charAt(i) != '\n') return false;
        return true;
    }

    private void propose(String word, int l, int r, int[] start, int[] len, PriorityQueue<Bigram> queue) {
        String left = word.substring(start[l], start[l] + len[l]);
        String right = word.substring(start[r], start[r] + len[r]);
        Integer rank = vocab.mergeRanks.get(new Vocabulary.MergeKey(left, right));
        if (rank != null) queue.add(new Bigram(l, r, rank, len[l], len[r]));
    }

    @Override
    byte[] normalPiece(String tokenText) {
        // called from the superclass constructor, before this class's fields are set
        if (!vocab.pre.byteEncoded()) {
            return tokenText.replace(SpmTokenizer.SPACE, ' ').getBytes(StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(tokenText.length());
        for (int i = 0; i < tokenText.length(); ) {
            int cp = tokenText.codePointAt(i);
            int b = ByteLevel.byteOf(cp);
            if (b >= 0) {
                out.write(b);
            } else {
                // not a byte character (a malformed byte-level vocabulary): keep it as text
                out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
            }
            i += Character.charCount(cp);
        }
        return out.toByteArray();
    }
}
