package trit.tensor;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * The 16-bit float types: IEEE binary16 (F16) and bfloat16 (BF16), converted as ggml's reference row
 * converters do ({@link Half}). One element per 2 bytes, little-endian.
 */
final class HalfFormat implements TensorFormat {
    private final GgmlType type;
    private final boolean bf16;

    HalfFormat(GgmlType type) {
        if (type != GgmlType.F16 && type != GgmlType.BF16) throw new IllegalArgumentException(type + " is not a 16-bit float");
        this.type = type;
        this.bf16 = type == GgmlType.BF16;
    }

    @Override
    public GgmlType type() { return type; }

    @Override
    public void dequantize(MemorySegment tensor, long first, float[] dst, int dstOff, int n) {
        Objects.checkFromIndexSize(dstOff, n, dst.length);
        for (int i = 0; i < n; i++) {
            short h = tensor.get(LE.SHORT, (first + i) * 2);
            dst[dstOff + i] = bf16 ? Half.bf16ToFloat(h) : Half.f16ToFloat(h);
        }
    }

    @Override
    public void quantize(float[] src, int srcOff, int n, MemorySegment tensor, long first) {
        Objects.checkFromIndexSize(srcOff, n, src.length);
        for (int i = 0; i < n; i++) {
            float x = src[srcOff + i];
            tensor.set(LE.SHORT, (first + i) * 2, bf16 ? Half.floatToBf16(x) : Half.floatToF16(x));
        }
    }
}
