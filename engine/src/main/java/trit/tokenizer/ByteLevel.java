package trit.tokenizer;

import java.util.Arrays;

/**
 * GPT-2's reversible byte-to-character map used by byte-level BPE vocabularies: printable bytes map to
 * themselves, the rest to code points from U+0100 upwards, so every token is a printable string.
 */
public final class ByteLevel {
    private static final char[] BYTE_TO_CHAR = new char[256];
    /** Inverse map over the characters U+0000..U+0143; -1 where a character stands for no byte. */
    private static final short[] CHAR_TO_BYTE;

    static {
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            BYTE_TO_CHAR[b] = (char) (printable ? b : next++);
        }
        CHAR_TO_BYTE = new short[next];
        Arrays.fill(CHAR_TO_BYTE, (short) -1);
        for (int b = 0; b < 256; b++) CHAR_TO_BYTE[BYTE_TO_CHAR[b]] = (short) b;
    }

    private ByteLevel() {}

    public static char charOf(int b) {
        return BYTE_TO_CHAR[b & 0xff];
    }

    /** The vocabulary string of a single byte. */
    public static String tokenOf(int b) {
        return String.valueOf(charOf(b));
    }

    /** The byte that {@code c} stands for, or -1 if {@code c} is not one of the 256 byte characters. */
    public static int byteOf(int c) {
        return c >= 0 && c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }

    /** Maps every byte of {@code bytes} to its character. */
    public static String encode(byte[] bytes) {
        char[] out = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) out[i] = BYTE_TO_CHAR[bytes[i] & 0xff];
        return new String(out);
    }
}
