package trit.tensor;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/** IEEE binary16, converted as ggml does ({@link Half}). */
final class F16Format implements TensorFormat {
    @Override
    public GgmlType type() { return GgmlType.F16; }

    @Override
    public void dequantize(MemorySegment tensor, long first, float[] dst, int dstOff, int n) {
        Objects.checkFromIndexSize(dstOff, n, dst.length);
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = Half.f16ToFloat(tensor.get(LE.SHORT, (first + i) * 2));
        }
    }

    @Override
    public void quantize(float[] src, int srcOff, int n, MemorySegment tensor, long first) {
        Objects.checkFromIndexSize(srcOff, n, src.length);
        for (int i = 0; i < n; i++) {
            tensor.set(LE.SHORT, (first + i) * 2, Half.floatToF16(src[srcOff + i]));
        }
    }
}
