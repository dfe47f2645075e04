package trit.tokenizer;

/**
 * The code points of a string as a doubly linked list of {@code [start, start + len)} ranges, which the
 * BPE and SentencePiece merge loops join pairwise (a merged-away symbol keeps {@code len} 0).
 */
final class Symbols {
    final int[] start;
    final int[] len;
    final int[] prev;
    final int[] next;

    Symbols(String s, int n) {
        start = new int[n];
        len = new int[n];
        prev = new int[n];
        next = new int[n];
        for (int i = 0, off = 0; i < n; i++) {
            start[i] = off;
            len[i] = Character.charCount(s.codePointAt(off));
            off += len[i];
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
    }
}
