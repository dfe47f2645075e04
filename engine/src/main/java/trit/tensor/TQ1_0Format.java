package trit.tensor;

import java.lang.foreign.MemorySegment;

/**
 * ggml tq1_0: blocks of 256 as {u8 qs[48], u8 qh[4], fp16 d}, five trits per byte (3^5 = 243 fits).
 * A byte's trits form a base-3 number v (first trit most significant) stored as ceil(v * 256 / 243),
 * i.e. as a fixed-point fraction v / 243, so trit n is recovered by multiplying by 3^n modulo 256
 * (shifting earlier trits out) and then taking the integer part of 3 * (byte / 256).
 *
 * <p>The bytes form three groups. In a group of B bytes starting at element e, byte m holds elements
 * e + m + B * n for trit n: qs[0..32) covers elements 0..159, qs[32..48) covers 160..239, and qh[0..4)
 * covers 240..255 with four trits each (the fifth, least significant trit is zero).
 */
final class TQ1_0Format extends TernaryBlockFormat {
    /** {first byte, bytes, trits per byte} of each group, in element order. */
    private static final int[][] GROUPS = {{0, 32, 5}, {32, 16, 5}, {48, 4, 4}};
    private static final int[] POW3 = {1, 3, 9, 27, 81};

    TQ1_0Format() { super(GgmlType.TQ1_0); }

    @Override
    void encode(float[] src, int o, float id, MemorySegment t, long off) {
        int e = o;
        for (int[] g : GROUPS) {
            int first = g[0], bytes = g[1], trits = g[2];
            for (int m = 0; m < bytes; m++) {
                int v = 0;
                for (int n = 0; n < trits; n++) {
                    v = (v * 3 + code(src[e + m + bytes * n], id)) & 0xFF;  // C accumulates in a uint8_t
                }
                if (trits == 4) v = v * 3 & 0xFF;
                LE.putByte(t, off + first + m, (v * 256 + 242) / 243);     // ceiling division
            }
            e += bytes * trits;
        }
    }

    @Override
    void decode(MemorySegment t, long off, float d, float[] dst, int o) {
        int e = o;
        for (int[] g : GROUPS) {
            int first = g[0], bytes = g[1], trits = g[2];
            for (int m = 0; m < bytes; m++) {
                int b = LE.u8(t, off + first + m);
                for (int n = 0; n < trits; n++) {
                    dst[e + m + bytes * n] = value(trit(b, n), d);
                }
            }
            e += bytes * trits;
        }
    }

    /** Trit n (0 = most significant) of a packed byte: {@code ((uint8_t)(b * 3^n) * 3) >> 8}. */
    static int trit(int b, int n) {
        return (b * POW3[n] & 0xFF) * 3 >>> 8;
    }
}
