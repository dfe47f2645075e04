package trit.tokenizer;

/**
 * UTF-8 decoding with one U+FFFD per maximal ill-formed subpart (the Unicode Standard's recommended
 * practice, §3.9): a byte that cannot continue the current sequence is never swallowed by it. That
 * makes the decoding of a byte string the same whether it is decoded whole or cut anywhere a well-formed
 * prefix of a character does not straddle the cut, which {@link TokenDecoder} relies on. (Java's own
 * decoder does not guarantee this: it reads "ED A0 80" as one bad character, but "ED A0" as one and
 * "80" as another.)
 */
final class Utf8 {
    private Utf8() {}

    /** Decodes {@code b[off, off + len)}. */
    static String decode(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder(len);
        int end = off + len;
        int i = off;
        while (i < end) {
            int b0 = b[i] & 0xff;
            if (b0 < 0x80) {
                sb.append((char) b0);
                i++;
                continue;
            }
            int need = sequenceLength(b0);
            if (need == 0) {
                sb.append('\uFFFD');
                i++;
                continue;
            }
            int cp = b0 & (0x7F >> need);
            int j = i + 1;
            boolean complete = true;
            for (int k = 1; k < need; k++, j++) {
                if (j >= end || !continues(b0, k, b[j] & 0xff)) {
                    complete = false;
                    break;
                }
                cp = cp << 6 | (b[j] & 0x3f);
            }
            if (complete) sb.appendCodePoint(cp);
            else sb.append('\uFFFD');
            i = j;
        }
        return sb.toString();
    }

    /** The length of the character a lead byte starts, or 0 if it cannot start one. */
    static int sequenceLength(int lead) {
        if (lead >= 0xC2 && lead <= 0xDF) return 2;
        if (lead >= 0xE0 && lead <= 0xEF) return 3;
        if (lead >= 0xF0 && lead <= 0xF4) return 4;
        return 0;
    }

    /** Whether {@code c} can be byte {@code k} (1-based after the lead) of a character starting with {@code lead}. */
    static boolean continues(int lead, int k, int c) {
        int lo = 0x80, hi = 0xBF;
        if (k == 1) {
            // no overlong forms, no surrogates, nothing above U+10FFFF
            switch (lead) {
                case 0xE0 -> lo = 0xA0;
                case 0xED -> hi = 0x9F;
                case 0xF0 -> lo = 0x90;
                case 0xF4 -> hi = 0x8F;
                default -> { }
            }
        }
        return c >= lo && c <= hi;
    }

    /**
     * The length of the prefix of {@code b[0, n)} whose decoding cannot change when more bytes follow:
     * all of it except a trailing proper prefix of a well-formed character.
     */
    static int completeLength(byte[] b, int n) {
        for (int back = 1; back <= 3 && back <= n; back++) {
            int lead = b[n - back] & 0xff;
            if (lead < 0x80) return n;
            if (lead < 0xC0) continue; // a continuation byte: its lead may be further back
            int need = sequenceLength(lead);
            if (need <= back) return n; // complete, or not a lead at all
            for (int k = 1; k < back; k++) {
                if (!continues(lead, k, b[n - back + k] & 0xff)) return n; // already ill-formed
            }
            return n - back;
        }
        return n;
    }
}
