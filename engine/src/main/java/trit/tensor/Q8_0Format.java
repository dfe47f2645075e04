package trit.tensor;

import java.lang.foreign.MemorySegment;

/**
 * ggml q8_0: blocks of 32 as {fp16 d, int8 qs[32]}, x = qs * d, with d = amax / 127 per block
 * ({@code quantize_row_q8_0_ref} / {@code dequantize_row_q8_0}).
 */
final class Q8_0Format extends BlockFormat {
    private static final int QK = 32;

    Q8_0Format() { super(GgmlType.Q8_0); }

    @Override
    void dequantizeBlock(MemorySegment t, long off, float[] dst, int o) {
        float d = LE.f16(t, off);
        for (int j = 0; j < QK; j++) {
            dst[o + j] = LE.i8(t, off + 2 + j) * d;
        }
    }

    @Override
    void quantizeBlock(float[] src, int o, MemorySegment t, long off) {
        float amax = CMath.absMax(src, o, QK);
        float d = amax / 127;
        // The codes use the exact float reciprocal, not the fp16-rounded d that is stored.
        float id = d != 0 ? 1.0f / d : 0.0f;
        LE.putF16(t, off, d);
        for (int j = 0; j < QK; j++) {
            LE.putByte(t, off + 2 + j, CMath.toInt8(CMath.roundf(src[o + j] * id)));
        }
    }
}
