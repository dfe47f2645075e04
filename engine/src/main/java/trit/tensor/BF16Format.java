package trit.tensor;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/** bfloat16, converted as ggml's reference row converter does ({@link Half}). */
final class BF16Format implements TensorFormat {
    @Override
    public GgmlType type() { return GgmlType.BF16; }

    @Override
    public void dequantize(MemorySegment tensor, long first, float[] dst, int dstOff, int n) {
        Objects.checkFromIndexSize(dstOff, n, dst.length);
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = Half.bf16ToFloat(tensor.get(LE.SHORT, (first + i) * 2));
        }
    }

    @Override
    public void quantize(float[] src, int srcOff, int n, MemorySegment tensor, long first) {
        Objects.checkFromIndexSize(srcOff, n, src.length);
        for (int i = 0; i < n; i++) {
            tensor.set(LE.SHORT, (first + i) * 2, Half.floatToBf16(src[srcOff + i]));
        }
    }
}
