package trit.tokenizer;

/**
 * GPT-2's reversible byte-to-character map used by byte-level BPE vocabularies: printable bytes map to
 * themselves, the rest to code points from U+0100 upwards, so every token is a printable string.
 */
public final class ByteLevel {
    private static final char[] BYTE_TO_CHAR = new char[256];

    static {
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            BYTE_TO_CHAR[b] = (char) (printable ? b : next++);
        }
    }

    private ByteLevel() {}

    public static char charOf(int b) {
        return BYTE_TO_CHAR[b & 0xff];
    }

    /** The vocabulary string of a single byte. */
    public static String tokenOf(int b) {
        return String.valueOf(charOf(b));
    }
}
