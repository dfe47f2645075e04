package trit.tensor;

import java.lang.foreign.MemorySegment;

/**
 * bitnet.cpp's I2_S in its x86 layout ({@code quantize_i2_s} with ACT_PARALLEL, the default): blocks of
 * 128 elements in 32 bytes, byte m of a block holding elements m, m+32, m+64, m+96 in bits 7:6, 5:4,
 * 3:2, 1:0. A code is weight + 1 (0, 1, 2 for -1, 0, +1). One f32 scale for the whole tensor follows
 * the n/4 code bytes, padded with zeros to 32 bytes, so decoding needs the segment of the whole tensor.
 */
final class I2_SFormat extends BlockFormat {
    private static final int QK = 128;

    I2_SFormat() { super(GgmlType.I2_S); }

    /** The per-tensor scale, stored after the codes of a tensor segment of exactly n/4 + 32 bytes. */
    static float scale(MemorySegment tensor) {
        return tensor.get(LE.FLOAT, tensor.byteSize() - GgmlType.I2_S_TRAILER);
    }

    @Override
    void dequantizeBlock(MemorySegment t, long off, float[] dst, int o) {
        float s = scale(t);
        for (int m = 0; m < 32; m++) {
            int b = LE.u8(t, off + m);
            for (int g = 0; g < 4; g++) {
                dst[o + 32 * g + m] = ((b >>> 6 - 2 * g & 3) - 1) * s;
            }
        }
    }

    @Override
    void quantizeBlock(float[] src, int o, MemorySegment t, long off) {
        for (int m = 0; m < 32; m++) {
            int b = 0;
            for (int g = 0; g < 4; g++) {
                b |= code(src[o + 32 * g + m]) << 6 - 2 * g;
            }
            LE.putByte(t, off + m, b);
        }
    }

    /**
     * bitnet.cpp's test: zero when |x| &lt; 1e-6 (in double), else the sign of x * scale, where scale
     * &ge; |x| &gt; 0; a NaN fails both tests and becomes -1, as there.
     */
    static int code(float x) {
        if (Math.abs((double) x) < 1e-6) return 1;
        return x > 0 ? 2 : 0;
    }

    /**
     * Stores the scale: bitnet.cpp keeps the tensor's largest |x| (0 for an all-zero tensor, NaNs
     * ignored by its fmax) as an f32 right after the codes, then zero padding.
     */
    @Override
    public void finish(MemorySegment tensor, long n, float absMax) {
        long at = GgmlType.I2_S.rowBytes(n);
        tensor.asSlice(at, GgmlType.I2_S_TRAILER).fill((byte) 0);
        tensor.set(LE.FLOAT, at, absMax);
    }
}
