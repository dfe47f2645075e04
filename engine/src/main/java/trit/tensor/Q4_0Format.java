package trit.tensor;

import java.lang.foreign.MemorySegment;

/**
 * ggml q4_0: blocks of 32 as {fp16 d, u8 qs[16]}; byte j holds element j in its low nibble and element
 * j + 16 in its high nibble, x = (nibble - 8) * d. The encoder takes d = max / -8 where max is the
 * signed value of largest magnitude (the first one on ties), so that value maps to nibble 0.
 */
final class Q4_0Format extends BlockFormat {
    private static final int QK = 32;

    Q4_0Format() { super(GgmlType.Q4_0); }

    @Override
    void dequantizeBlock(MemorySegment t, long off, float[] dst, int o) {
        float d = LE.f16(t, off);
        for (int j = 0; j < QK / 2; j++) {
            int b = LE.u8(t, off + 2 + j);
            dst[o + j] = ((b & 0x0F) - 8) * d;
            dst[o + j + QK / 2] = ((b >>> 4) - 8) * d;
        }
    }

    @Override
    void quantizeBlock(float[] src, int o, MemorySegment t, long off) {
        float amax = 0f;
        float max = 0f;
        for (int j = 0; j < QK; j++) {
            float v = src[o + j];
            if (amax < Math.abs(v)) {
                amax = Math.abs(v);
                max = v;
            }
        }
        float d = max / -8;
        float id = d != 0 ? 1.0f / d : 0.0f;
        LE.putF16(t, off, d);
        for (int j = 0; j < QK / 2; j++) {
            int lo = nibble(src[o + j] * id);
            int hi = nibble(src[o + j + QK / 2] * id);
            LE.putByte(t, off + 2 + j, lo | hi << 4);
        }
    }

    /** {@code MIN(15, (int8_t)(x + 8.5f))}: truncation, not rounding, after the +8.5 offset. */
    private static int nibble(float x) {
        // The int8 result is in [0, 16] for finite inputs; the mask matches C's uint8_t store otherwise.
        return Math.min(15, CMath.toInt8(x + 8.5f)) & 0xFF;
    }
}
