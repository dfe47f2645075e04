package trit.kernel;

import java.util.Arrays;

/**
 * The activation layouts of the ternary vector kernels, which read packed weights as 16-bit lanes:
 * lane {@code l} of a short loaded at byte {@code o} holds bytes {@code o + 2l} (low half, "parity" 0)
 * and {@code o + 2l + 1} (high half). The kernel walks slots in the order (load, parity, code index,
 * lane); these tables put each element's activation in the slot whose weight code the kernel extracts.
 */
final class Layouts {
    private Layouts() {}

    /**
     * tq2_0 for {@code lanes} short lanes: a 256-element block is 64 code bytes (two halves of 32; byte
     * m of half h holds elements 128h + 32j + m in bits 2j+1:2j), read as 32 shorts in chunks of
     * {@code lanes}; code j of parity p is {@code (v >>> 8p + 2j) & 3}.
     */
    static Layout tq2_0(int lanes) {
        int[] slotOf = new int[256];
        for (int c = 0; c < 32 / lanes; c++)
            for (int p = 0; p < 2; p++)
                for (int j = 0; j < 4; j++)
                    for (int l = 0; l < lanes; l++) {
                        int b = 2 * (c * lanes + l) + p;
                        slotOf[128 * (b >> 5) + 32 * j + (b & 31)] = ((c * 2 + p) * 4 + j) * lanes + l;
                    }
        return new Layout(256, 256, slotOf);
    }

    /**
     * i2_s for {@code lanes} short lanes: the row's code bytes are contiguous (byte m of 32-byte block k
     * holds elements 128k + 32g + m in bits 7-2g:6-2g, i.e. code j = bits 2j+1:2j is group 3 - j), read
     * in chunks of {@code 2 * lanes} bytes. A period is a whole number of chunks and of blocks.
     */
    static Layout i2_s(int lanes) {
        int period = Math.max(8 * lanes, 128);
        int[] slotOf = new int[period];
        for (int c = 0; c < period / (8 * lanes); c++)
            for (int p = 0; p < 2; p++)
                for (int j = 0; j < 4; j++)
                    for (int l = 0; l < lanes; l++) {
                        int b = 2 * (c * lanes + l) + p;
                        slotOf[128 * (b >> 5) + 32 * (3 - j) + (b & 31)] = ((c * 2 + p) * 4 + j) * lanes + l;
                    }
        return new Layout(period, period, slotOf);
    }

    /**
     * Byte offsets, within a tq1_0 block, of the {@code 2 * lanes}-byte windows that cover its 52 code
     * bytes without reading past the block's 54 bytes: back to back, the last one ending at byte 54
     * (so it may overlap the one before; bytes seen twice count only the first time).
     */
    static int[] tq1_0Windows(int lanes) {
        int width = 2 * lanes;
        if (width > 54) throw new IllegalArgumentException("tq1_0 needs windows of at most 54 bytes");
        int[] starts = new int[8];
        int n = 0, covered = 0;
        while (covered < 52) {
            int start = covered + width <= 54 ? covered : 54 - width;
            starts[n++] = start;
            covered = start + width;
        }
        return Arrays.copyOf(starts, n);
    }

    /**
     * tq1_0 for {@code lanes} short lanes: within each window, byte b gives five trits (trit n of the
     * byte's value is element b + 32n for b &lt; 32, 160 + (b - 32) + 16n for b &lt; 48 and, for the
     * four qh bytes, 240 + (b - 48) + 4n with n &lt; 4). Slots of repeated bytes, of the fifth qh trit
     * and of the scale bytes stay empty.
     */
    static Layout tq1_0(int lanes) {
        int[] windows = tq1_0Windows(lanes);
        int slots = windows.length * 2 * 5 * lanes;
        int[] slotOf = new int[256];
        Arrays.fill(slotOf, -1);
        int covered = 0;
        for (int w = 0; w < windows.length; w++) {
            for (int p = 0; p < 2; p++)
                for (int n = 0; n < 5; n++)
                    for (int l = 0; l < lanes; l++) {
                        int b = windows[w] + 2 * l + p;
                        if (b < covered || b >= 52) continue;
                        int e;
                        if (b < 32) e = b + 32 * n;
                        else if (b < 48) e = 160 + (b - 32) + 16 * n;
                        else if (n < 4) e = 240 + (b - 48) + 4 * n;
                        else continue;
                        slotOf[e] = ((w * 2 + p) * 5 + n) * lanes + l;
                    }
            covered = windows[w] + 2 * lanes;
        }
        return new Layout(256, slots, slotOf);
    }
}
