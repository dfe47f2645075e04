package trit.tensor;

import java.lang.foreign.MemorySegment;

/**
 * ggml q6_K (decode only): super-blocks of 256 as {u8 ql[128], u8 qh[64], int8 scales[16], fp16 d}.
 * A 6-bit code is a nibble of ql plus two bits of qh, minus 32; value = (d * scale) * code with one
 * int8 scale per 16 elements. Each half of 128 elements uses 64 bytes of ql, 32 of qh and 8 scales:
 * its element l + 32k (l &lt; 32, k = 0..3) takes the low (k &lt; 2) or high (k &ge; 2) nibble of
 * ql[l + 32 (k &amp; 1)], bits 2k+1:2k of qh[l] and scale 2k + l / 16.
 */
final class Q6_KFormat extends KQuantFormat {
    private static final int QH = 128;      // byte offset of qh[64]
    private static final int SCALES = 192;  // byte offset of scales[16]
    private static final int D = 208;       // byte offset of d

    Q6_KFormat() { super(GgmlType.Q6_K); }

    @Override
    void dequantizeBlock(MemorySegment t, long off, float[] dst, int o) {
        float d = LE.f16(t, off + D);
        for (int half = 0; half < 2; half++) {
            long ql = off + 64L * half;
            long qh = off + QH + 32L * half;
            long sc = off + SCALES + 8L * half;
            int y = o + 128 * half;
            for (int l = 0; l < 32; l++) {
                int h = LE.u8(t, qh + l);
                int lo = LE.u8(t, ql + l), hi = LE.u8(t, ql + 32 + l);
                int is = l / 16;
                dst[y + l]      = d * LE.i8(t, sc + is)     * ((lo & 0xF | (h & 3) << 4) - 32);
                dst[y + l + 32] = d * LE.i8(t, sc + is + 2) * ((hi & 0xF | (h >>> 2 & 3) << 4) - 32);
                dst[y + l + 64] = d * LE.i8(t, sc + is + 4) * ((lo >>> 4 | (h >>> 4 & 3) << 4) - 32);
                dst[y + l + 96] = d * LE.i8(t, sc + is + 6) * ((hi >>> 4 | (h >>> 6 & 3) << 4) - 32);
            }
        }
    }
}
