package trit.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.PriorityQueue;

/**
 * SentencePiece-style BPE ({@code tokenizer.ggml.model = llama}), as llama.cpp's llm_tokenizer_spm:
 * spaces become U+2581 ("▁"), a space is put in front of the text (add_space_prefix) at the start and
 * after each special token, then neighbouring pieces are merged greedily, the pair whose merged text is
 * the token with the highest score first (leftmost on ties). Characters left that are not tokens are
 * written as their UTF-8 bytes with the {@code <0xXX>} byte tokens.
 */
final class SpmTokenizer extends Tokenizer {
    static final char SPACE = '\u2581';

    /** Byte-fallback token of each byte, or NONE. */
    private final int[] byteTokens = new int[256];

    SpmTokenizer(Vocabulary vocab) {
        super(vocab);
        for (int b = 0; b < 256; b++) {
            int id = vocab.id(String.format("<0x%02X>", b));
            if (id == Vocabulary.NONE && b < 0x80) id = vocab.id(String.valueOf((char) b));
            byteTokens[b] = id;
        }
    }

    @Override
    void encodeFragments(List<Fragment> fragments, IntList out) {
        boolean afterSpecial = true; // the start of the text counts as "after a special token"
        for (Fragment f : fragments) {
            if (f.isText()) {
                String t = vocab.addSpacePrefix && afterSpecial ? " " + f.text() : f.text();
                tokenize(t.replace(' ', SPACE), out);
                afterSpecial = false;
            } else {
                out.add(f.token());
                afterSpecial = true;
            }
        }
    }

    /** A candidate merge of two neighbouring symbols; {@code size} is their joint length when proposed. */
    private record Bigram(int left, int right, float score, int size) {}

    private void tokenize(String text, IntList out) {
        int n = text.codePointCount(0, text.length());
        if (n == 0) return;
        // symbols: code points, as [start, start + len) ranges of text in a doubly linked list
        Symbols sym = new Symbols(text, n);
        int[] start = sym.start, len = sym.len, prev = sym.prev, next = sym.next;
        PriorityQueue<Bigram> queue = new PriorityQueue<>((a, b) -> a.score != b.score
                ? Float.compare(b.score, a.score) : Integer.compare(a.left, b.left));
        for (int i = 1; i < n; i++) propose(text, i - 1, i, start, len, queue);

        while (!queue.isEmpty()) {
            Bigram bg = queue.poll();
            int l = bg.left, r = bg.right;
            // stale: one side was merged away or grew since the pair was proposed
            if (len[l] == 0 || len[r] == 0 || len[l] + len[r] != bg.size) continue;
            len[l] += len[r];
            len[r] = 0;
            next[l] = next[r];
            if (next[r] >= 0) prev[next[r]] = l;
            if (prev[l] >= 0) propose(text, prev[l], l, start, len, queue);
            if (next[l] >= 0) propose(text, l, next[l], start, len, queue);
        }

        for (int i = 0; i != -1; i = next[i]) {
            String piece = text.substring(start[i], start[i] + len[i]);
            int id = vocab.id(piece);
            if (id != Vocabulary.NONE) {
                out.add(id);
                continue;
            }
            // a merged symbol is always a token, so this is a single character without one
            for (byte b : piece.getBytes(StandardCharsets.UTF_8)) {
                int bt = byteTokens[b & 0xff];
                if (bt == Vocabulary.NONE) bt = vocab.unk;
                if (bt != Vocabulary.NONE) out.add(bt);
            }
        }
    }

    private void propose(String text, int l, int r, int[] start, int[] len, PriorityQueue<Bigram> queue) {
        int size = len[l] + len[r];
        int id = vocab.id(text.substring(start[l], start[l] + size));
        if (id != Vocabulary.NONE) queue.add(new Bigram(l, r, vocab.score[id], size));
    }

    @Override
    byte[] normalPiece(String tokenText) {
        return tokenText.replace(SPACE, ' ').getBytes(StandardCharsets.UTF_8);
    }
}
