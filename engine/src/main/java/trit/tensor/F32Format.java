package trit.tensor;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/** Plain little-endian fp32. */
final class F32Format implements TensorFormat {
    @Override
    public GgmlType type() { return GgmlType.F32; }

    @Override
    public void dequantize(MemorySegment tensor, long first, float[] dst, int dstOff, int n) {
        MemorySegment.copy(tensor, LE.FLOAT, first * Float.BYTES, dst, dstOff, n);
    }

    @Override
    public void quantize(float[] src, int srcOff, int n, MemorySegment tensor, long first) {
        Objects.checkFromIndexSize(srcOff, n, src.length);
        MemorySegment.copy(src, srcOff, tensor, LE.FLOAT, first * Float.BYTES, n);
    }
}
