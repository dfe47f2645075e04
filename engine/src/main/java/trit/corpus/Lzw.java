package trit.corpus;

import trit.TritException;

/**
 * The LZW decoder of Unix {@code compress} (block mode, no 3-byte header), as the Bible Retrieval
 * System embeds it for each window of {@code bible.data}. Codes start at 9 bits and widen up to
 * {@code maxBits}; code 256 clears the table. Codes are read in groups of {@code nBits} bytes (eight
 * codes), and whenever the width changes or the table is cleared the rest of the current group is
 * skipped: compress wrote them that way, so a decoder that reads codes back to back goes wrong after the
 * first width change.
 */
final class Lzw {
    private static final int CLEAR = 256, FIRST = 257, INIT_BITS = 9;

    private final byte[] in;
    private final int end;
    private final int maxBits;
    private final String where;
    private int pos;
    // the current group of codes
    private final byte[] group = new byte[32];
    private int groupBits, offset;
    private int nBits = INIT_BITS, maxCode = (1 << INIT_BITS) - 1;
    private boolean cleared;

    private Lzw(byte[] in, int from, int to, int maxBits, String where) {
        this.in = in;
        this.pos = from;
        this.end = to;
        this.maxBits = maxBits;
        this.where = where;
    }

    /** Decodes {@code in[from, to)} into at most {@code limit} bytes. */
    static byte[] decode(byte[] in, int from, int to, int maxBits, int limit, String where) {
        if (maxBits < INIT_BITS || maxBits > 16) throw new IllegalArgumentException("maxBits " + maxBits);
        return new Lzw(in, from, to, maxBits, where).run(limit);
    }

    private byte[] run(int limit) {
        int maxMaxCode = 1 << maxBits;
        short[] prefix = new short[maxMaxCode];
        byte[] suffix = new byte[maxMaxCode];
        for (int c = 0; c < 256; c++) suffix[c] = (byte) c;
        byte[] stack = new byte[maxMaxCode + 1];
        byte[] out = new byte[limit];
        int n = 0;
        int freeEnt = FIRST;

        int oldCode = code(freeEnt);
        if (oldCode < 0) return new byte[0];
        if (oldCode >= 256) throw bad("first code " + oldCode + " is not a byte");
        int finChar = oldCode;
        out[n++] = (byte) finChar;
        for (int code; (code = code(freeEnt)) >= 0; ) {
            if (code == CLEAR) {
                freeEnt = FIRST - 1;
                cleared = true;
                if ((code = code(freeEnt)) < 0) break;
            }
            int inCode = code;
            int sp = 0;
            if (code >= freeEnt) {
                // the KwKwK case: the code being defined right now
                if (code > freeEnt) throw bad("code " + code + " is beyond the table (next free " + freeEnt + ")");
                stack[sp++] = (byte) finChar;
                code = oldCode;
            }
            while (code >= 256) {
                stack[sp++] = suffix[code];
                code = prefix[code];
            }
            finChar = suffix[code] & 0xFF;
            stack[sp++] = (byte) finChar;
            if (sp > limit - n) throw bad("decodes to more than " + limit + " bytes");
            while (sp > 0) out[n++] = stack[--sp];
            if (freeEnt < maxMaxCode) {
                prefix[freeEnt] = (short) oldCode;
                suffix[freeEnt] = (byte) finChar;
                freeEnt++;
            }
            oldCode = inCode;
        }
        return n == limit ? out : java.util.Arrays.copyOf(out, n);
    }

    /** The next code, or -1 at the end of the input. */
    private int code(int freeEnt) {
        if (cleared || offset >= groupBits || freeEnt > maxCode) {
            if (freeEnt > maxCode) {
                nBits++;
                maxCode = nBits == maxBits ? 1 << maxBits : (1 << nBits) - 1;
            }
            if (cleared) {
                nBits = INIT_BITS;
                maxCode = (1 << INIT_BITS) - 1;
                cleared = false;
            }
            int size = Math.min(nBits, end - pos);
            if (size <= 0) return -1;
            System.arraycopy(in, pos, group, 0, size);
            java.util.Arrays.fill(group, size, group.length, (byte) 0);
            pos += size;
            offset = 0;
            // a trailing partial code is not a code
            groupBits = (size << 3) - (nBits - 1);
        }
        int code = 0;
        for (int i = 0; i < nBits; i++) {
            int bit = offset + i;
            code |= ((group[bit >> 3] >> (bit & 7)) & 1) << i;
        }
        offset += nBits;
        return code;
    }

    private TritException bad(String msg) {
        return new TritException(where + ": corrupt compressed data (" + msg + ")");
    }
}
