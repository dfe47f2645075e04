package trit.tokenizer;

import java.util.Arrays;

/**
 * Turns token ids into text one at a time, for printing while generating. A token's piece can end in
 * the middle of a UTF-8 character (byte-fallback and byte-level tokens often do); those bytes are held
 * back until the character is complete, so the text returned is always whole characters (ill-formed
 * bytes become U+FFFD, one per maximal ill-formed subpart). The
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
        int cut = Utf8.completeLength(pending, pendingLength);
        if (cut == 0) return "";
        String s = Utf8.decode(pending, 0, cut);
        System.arraycopy(pending, cut, pending, 0, pendingLength - cut);
        pendingLength -= cut;
        return s;
    }

    /** Whatever is held back (an unfinished character becomes U+FFFD); the decoder can then be reused. */
    public String finish() {
        String s = Utf8.decode(pending, 0, pendingLength);
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
}
