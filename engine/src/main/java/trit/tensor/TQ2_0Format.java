package trit.tensor;

import java.lang.foreign.MemorySegment;

/**
 * ggml tq2_0: blocks of 256 as {u8 qs[64], fp16 d}, two bits per element. Each 32-byte half of qs
 * covers 128 elements: element m + 32n of that half sits in bits 2n+1:2n of byte m.
 */
final class TQ2_0Format extends TernaryBlockFormat {
    TQ2_0Format() { super(GgmlType.TQ2_0); }

    @Override
    void encode(float[] src, int o, float id, MemorySegment t, long off) {
        for (int half = 0; half < 2; half++) {
            for (int m = 0; m < 32; m++) {
                int b = 0;
                for (int n = 0; n < 4; n++) {
                    b += (code(src[o + 128 * half + 32 * n + m], id) & 3) << 2 * n;
                }
                LE.putByte(t, off + 32 * half + m, b);
            }
        }
    }

    @Override
    void decode(MemorySegment t, long off, float d, float[] dst, int o) {
        for (int half = 0; half < 2; half++) {
            for (int m = 0; m < 32; m++) {
                int b = LE.u8(t, off + 32 * half + m);
                for (int n = 0; n < 4; n++) {
                    dst[o + 128 * half + 32 * n + m] = value(b >>> 2 * n & 3, d);
                }
            }
        }
    }
}
