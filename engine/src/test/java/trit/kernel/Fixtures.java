package trit.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import java.util.SplittableRandom;
import jdk.incubator.vector.VectorShape;
import trit.tensor.GgmlType;
import trit.tensor.Half;
import trit.tensor.TensorCodec;

/** Random weight tensors and activations for the kernel tests. */
final class Fixtures {
    private Fixtures() {}

    static final List<VectorShape> SHAPES = List.of(VectorShape.S_128_BIT, VectorShape.S_256_BIT, VectorShape.S_512_BIT);

    static final List<GgmlType> TYPES = List.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0,
            GgmlType.Q4_0, GgmlType.Q4_K, GgmlType.Q6_K, GgmlType.TQ1_0, GgmlType.TQ2_0, GgmlType.I2_S);

    /**
     * Bytes of a {@code rows x cols} tensor: trit's encoders applied to random floats, except for the
     * k-quants, which trit cannot encode: random bytes with scales d, dmin in [1e-3, 1e-2).
     */
    static byte[] weights(GgmlType t, int rows, int cols, SplittableRandom rng) {
        int n = rows * cols;
        byte[] out = new byte[(int) t.tensorBytes(n)];
        MemorySegment seg = MemorySegment.ofArray(out);
        if (t == GgmlType.Q4_K || t == GgmlType.Q6_K) {
            rng.nextBytes(out);
            ValueLayout.OfShort h = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
            for (int b = 0; b < n / 256; b++) {
                long off = (long) b * t.blockBytes();
                if (t == GgmlType.Q4_K) {
                    seg.set(h, off, Half.floatToF16((float) rng.nextDouble(1e-3, 1e-2)));
                    seg.set(h, off + 2, Half.floatToF16((float) rng.nextDouble(1e-3, 1e-2)));
                } else {
                    seg.set(h, off + 208, Half.floatToF16((float) rng.nextDouble(1e-3, 1e-2)));
                }
            }
            return out;
        }
        float[] w = new float[n];
        for (int i = 0; i < n; i++) w[i] = (float) rng.nextGaussian() * 0.05f;
        TensorCodec.quantize(t, w, seg, 1);
        return out;
    }

    /** Gaussian activations with a few large outliers, as after a norm layer. */
    static float[] activations(int n, SplittableRandom rng) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rng.nextGaussian();
            if (rng.nextInt(64) == 0) x[i] *= 12;
        }
        return x;
    }

    static float[] dequantize(GgmlType t, byte[] bytes, int rows, int cols) {
        return TensorCodec.dequantize(t, MemorySegment.ofArray(bytes), (long) rows * cols);
    }

    /** Column counts for a type: one to four blocks (odd lengths for the float types). */
    static int[] colCounts(GgmlType t) {
        int b = t.blockSize();
        return b == 1 ? new int[] {1, 3, 17, 67, 301} : new int[] {b, 2 * b, 3 * b, 4 * b};
    }

    static final int[] ROW_COUNTS = {1, 3, 8, 17};
}
