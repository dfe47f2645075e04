package trit.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns token ids into text one at a time, for printing while generating. A token's piece can end in
 * the middle of a UTF-8 character (byte-fallback and byte-level tokens often do); those bytes are held
 * back until the character is complete, so the text returned is always whole characters. The
 * concatenation of every {@link #next} result and the final {@link #finish()} equals
 * {@link Tokenizer#decode(int[], boolean)} of the same ids.
 *
 * <p>Not thread-safe; use one per sequence.
 */
public final class TokenDecoder {
    private final Tokenizer tokenizer;
    private final boolean renderSpecial;
    private boolean atStart;
    private byte[] pending = new byte[8];
    private int pendingLength;

    TokenDecoder(Tokenizer tokenizer, boolean renderSpecial, boolean startOfText) {
        this.tokenizer = tokenizer;
        this.renderSpecial = renderSpecial;
        this.atStart = startOfText;
    }

    /** The text completed by token {@code id}: possibly empty, possibly several characters. */
    public String next(int id) {
        byte[] p = tokenizer.piece(id, renderSpecial);
        int skip = atStart && tokenizer.stripsPrefixSpace() && p.length > 0 && p[0] == ' ' ? 1 : 0;
        atStart = false;
        append(p, skip, p.length - skip);
        int cut = completeLength(pending, pendingLength);
        if (cut == 0) return "";
        String s = new String(pending, 0, cut, StandardCharsets.UTF_8);
        System.arraycopy(pending, cut, pending, 0, pendingLength - cut);
        pendingLength -= cut;
        return s;
    }

    /** Whatever is held back (an unfinished character becomes U+FFFD); the decoder can then be reused. */
    public String finish() {
        String s = new String(pending, 0, pendingLength, StandardCharsets.UTF_8);
        pendingLength = 0;
        return s;
    }

    /** Whether bytes of an unfinished character are held back. */
    public boolean hasPending() {
        return pendingLength > 0;
    }

    private void append(byte[] b, int off, int len) {
        if (pendingLength + len > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + len));
        }
        System.arraycopy(b, off, pending, pendingLength, len);
        pendingLength += len;
    }

    /**
     * The length of the prefix of {@code b[0, n)} whose decoding cannot change when more bytes follow:
     * everything except a trailing sequence that is a proper prefix of a well-formed UTF-8 character.
     * (A decoder never lets a malformed sequence swallow the lead byte that follows it, so the text before
     * such a trailing sequence decodes the same either way.)
     */
    static int completeLength(byte[] b, int n) {
        for (int back = 1; back <= 3 && back <= n; back++) {
            int lead = b[n - back] & 0xff;
            if (lead < 0x80) return n;          // ASCII: nothing unfinished after it
            if (lead < 0xC0) continue;          // continuation byte: look further back
            int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
            if (back >= need || !isValidPrefix(b, n - back, n)) return n;
            return n - back;
        }
        return n;
    }

    /** Whether {@code b[from, to)} (shorter than a character) can still become a well-formed character. */
    private static boolean isValidPrefix(byte[] b, int from, int to) {
        int lead = b[from] & 0xff;
        if (lead < 0xC2 || lead > 0xF4) return false;
        for (int i = from + 1; i < to; i++) {
            int c = b[i] & 0xff;
            int lo = 0x80, hi = 0xBF;
            if (i == from + 1) {
                // the second byte's range depends on the lead (no overlongs, surrogates or > U+10FFFF)
                if (lead == 0xE0) lo = 0xA0;
                else if (lead == 0xED) hi = 0x9F;
                else if (lead == 0xF0) lo = 0x90;
                else if (lead == 0xF4) hi = 0x8F;
            }
            if (c < lo || c > hi) return false;
        }
        return true;
    }
}
