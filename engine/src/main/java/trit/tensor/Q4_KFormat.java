package trit.tensor;

import java.lang.foreign.MemorySegment;

/**
 * ggml q4_K (decode only): super-blocks of 256 as {fp16 d, fp16 dmin, u8 scales[12], u8 qs[128]}.
 * Eight sub-blocks of 32 each have a 6-bit scale and min packed into {@code scales}; element value is
 * (d * scale) * q - (dmin * min). Each 32-byte run of qs carries two sub-blocks: low nibbles first.
 */
final class Q4_KFormat extends KQuantFormat {
    private static final int SCALES = 4;   // byte offset of scales[12]
    private static final int QS = 16;      // byte offset of qs[128]

    Q4_KFormat() { super(GgmlType.Q4_K); }

    @Override
    void dequantizeBlock(MemorySegment t, long off, float[] dst, int o) {
        float d = LE.f16(t, off);
        float dmin = LE.f16(t, off + 2);
        for (int pair = 0; pair < 4; pair++) {
            int s0 = 2 * pair, s1 = s0 + 1;
            float d1 = d * scale(t, off, s0), m1 = dmin * min(t, off, s0);
            float d2 = d * scale(t, off, s1), m2 = dmin * min(t, off, s1);
            long q = off + QS + 32L * pair;
            int y = o + 64 * pair;
            for (int l = 0; l < 32; l++) {
                int b = LE.u8(t, q + l);
                dst[y + l] = d1 * (b & 0xF) - m1;
                dst[y + 32 + l] = d2 * (b >>> 4) - m2;
            }
        }
    }

    /**
     * 6-bit scale of sub-block j ({@code get_scale_min_k4}): bytes 0-3 hold scales 0-3 in their low six
     * bits, bytes 4-7 mins 0-3; sub-blocks 4-7 take their low four bits from the nibbles of bytes 8-11
     * and their top two bits from the spare high bits of bytes 0-7.
     */
    static int scale(MemorySegment t, long off, int j) {
        long s = off + SCALES;
        return j < 4 ? LE.u8(t, s + j) & 63
                : LE.u8(t, s + j + 4) & 0xF | (LE.u8(t, s + j - 4) >>> 6) << 4;
    }

    /** 6-bit min of sub-block j, packed like {@link #scale}. */
    static int min(MemorySegment t, long off, int j) {
        long s = off + SCALES;
        return j < 4 ? LE.u8(t, s + j + 4) & 63
                : LE.u8(t, s + j + 4) >>> 4 | (LE.u8(t, s + j) >>> 6) << 4;
    }
}
