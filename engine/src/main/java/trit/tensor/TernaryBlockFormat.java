package trit.tensor;

import java.lang.foreign.MemorySegment;

/**
 * The ggml ternary formats (tq1_0, tq2_0): blocks of 256 whose fp16 scale d = amax sits in the block's
 * last two bytes; each element is stored as the code round(x / d) + 1 in {0, 1, 2}.
 */
abstract class TernaryBlockFormat extends BlockFormat {
    private final int blockSize;
    private final int dOffset;

    TernaryBlockFormat(GgmlType type) {
        super(type);
        this.blockSize = type.blockSize();
        this.dOffset = type.blockBytes() - 2;
    }

    /** Writes the codes of {@code src[o .. o + 256)}, computed by {@link #code}, into the block at {@code off}. */
    abstract void encode(float[] src, int o, float id, MemorySegment t, long off);

    /** Decodes the codes of the block at {@code off}, each code c becoming (c - 1) * d. */
    abstract void decode(MemorySegment t, long off, float d, float[] dst, int o);

    @Override
    final void quantizeBlock(float[] src, int o, MemorySegment t, long off) {
        float d = CMath.absMax(src, o, blockSize);
        float id = d != 0 ? 1.0f / d : 0.0f;
        LE.putF16(t, off + dOffset, d);
        encode(src, o, id, t, off);
    }

    @Override
    final void dequantizeBlock(MemorySegment t, long off, float[] dst, int o) {
        decode(t, off, LE.f16(t, off + dOffset), dst, o);
    }

    /**
     * {@code lroundf(x * id) + 1}. No clamping: |x * id| never exceeds 1 for finite inputs. C narrows
     * the long to an int, which we mirror (a NaN gives LONG_MIN + 1, narrowed to 1).
     */
    static int code(float x, float id) {
        return (int) (CMath.lroundf(x * id) + 1);
    }

    /** The value of a decoded code, {@code (float)(c - 1) * d}. */
    static float value(int c, float d) {
        return (c - 1) * d;
    }
}
