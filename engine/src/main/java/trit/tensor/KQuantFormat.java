package trit.tensor;

import java.lang.foreign.MemorySegment;

/** Base of the k-quant formats trit can read but not write (their encoders search for scales). */
abstract class KQuantFormat extends BlockFormat {
    KQuantFormat(GgmlType type) { super(type); }

    @Override
    public final boolean canQuantize() { return false; }

    @Override
    public final void quantize(float[] src, int srcOff, int n, MemorySegment tensor, long first) {
        throw new UnsupportedOperationException(type().label()
                + " quantization is not implemented (trit only decodes k-quants); choose q8_0, q4_0 or a ternary type");
    }

    @Override
    final void quantizeBlock(float[] src, int o, MemorySegment t, long off) {
        throw new AssertionError("unreachable");
    }
}
