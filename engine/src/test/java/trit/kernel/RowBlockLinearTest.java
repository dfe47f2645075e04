package trit.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;
import jdk.incubator.vector.VectorShape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import trit.tensor.GgmlType;
import trit.tensor.Half;

/**
 * The row-block products ({@link LutLinear} for ternary tensors, {@link Q6kLinear}, {@link Q32Linear})
 * against the scalar reference on the tensor's own bytes, bit for bit: odd row counts (partial row
 * blocks), several block counts (i2_s: a half block at the end), batches of several sizes (four-vector
 * passes and a remainder), activations at the int8 extremes, and the fall-back for codes that are not
 * ternary. They run on 512-bit vectors only; on narrower CPUs the row kernels take over.
 */
class RowBlockLinearTest {
    static final Parallel POOL = Parallel.create(2);

    @AfterAll
    static void close() {
        POOL.close();
    }

    /** A tensor whose weights are w[i] * 0.05 (w in -1..1) with one scale, encoded as {@code type}. */
    static MemorySegment ternary(GgmlType type, int[] w, int rows, int cols) {
        byte[] bytes = new byte[(int) type.tensorBytes((long) rows * cols)];
        MemorySegment seg = MemorySegment.ofArray(bytes);
        if (type == GgmlType.I2_S) {
            // bitnet.cpp's layout: byte m of each 32-byte block holds elements m, m+32, m+64, m+96 in bits 7:6 .. 1:0
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < cols; i++) {
                    int b = i / 128, g = i % 128 / 32, m = i % 32;
                    int at = r * (cols / 4) + 32 * b + m;
                    bytes[at] |= (byte) ((w[r * cols + i] + 1) << 6 - 2 * g);
                }
            }
            seg.set(RowKernel.FLOAT_LE, (long) rows * cols / 4, 0.05f);
        } else {
            float[] f = new float[w.length];
            for (int i = 0; i < w.length; i++) f[i] = 0.05f * w[i];
            for (int b = 0; b < f.length; b += 256) f[b] = 0.05f;   // every block's absmax is 0.05
            for (int b = 0; b < f.length; b += 256) w[b] = 1;
            trit.tensor.TensorCodec.quantize(type, f, seg, 1);
        }
        return seg;
    }

    static int[] randomTernary(int n, SplittableRandom rng) {
        int[] w = new int[n];
        for (int i = 0; i < n; i++) w[i] = rng.nextInt(3) - 1;
        return w;
    }

    static boolean wide() {
        return Specialize.preferred().vectorBitSize() >= 512;
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"TQ2_0", "TQ1_0", "I2_S", "Q6_K", "Q4_0", "Q8_0"})
    void equalsTheReferenceBitForBit(GgmlType type) {
        assumeTrue(wide(), "needs 512-bit vectors");
        SplittableRandom rng = new SplittableRandom(type.id());
        int[] colsList = type == GgmlType.I2_S ? new int[] {128, 384, 1024} : new int[] {256, 768};
        boolean ternary = type == GgmlType.TQ2_0 || type == GgmlType.TQ1_0 || type == GgmlType.I2_S;
        for (int cols : colsList) {
            for (int rows : new int[] {1, 31, 33, 70}) {
                MemorySegment seg = ternary ? ternary(type, randomTernary(rows * cols, rng), rows, cols)
                        : MemorySegment.ofArray(Fixtures.weights(type, rows, cols, rng));
                Linear lut = Linears.of(type, seg, rows, cols, POOL, VectorShape.S_512_BIT, true);
                assertInstanceOf(RowBlockLinear.class, lut, type + " repacked");
                Linear ref = Linears.reference(type, seg, rows, cols, POOL);
                for (int n : new int[] {1, 5, 37}) {
                    float[] xs = Fixtures.activations(n * cols, rng), ys = new float[n * rows];
                    lut.applyBatch(xs, ys, n);
                    float[] y = new float[rows], r = new float[rows];
                    for (int v = 0; v < n; v++) {
                        float[] x = Arrays.copyOfRange(xs, v * cols, (v + 1) * cols);
                        lut.apply(x, y);
                        ref.apply(x, r);
                        String where = "%s %dx%d vector %d of %d".formatted(type.label(), rows, cols, v, n);
                        assertArrayEquals(r, y, 0f, where + ": one vector");
                        assertArrayEquals(r, Arrays.copyOfRange(ys, v * rows, (v + 1) * rows), 0f, where + ": batch");
                    }
                }
            }
        }
    }

    /** All activations at one int8 extreme and all weights of one sign: the largest block sums there are. */
    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"TQ2_0", "TQ1_0", "I2_S"})
    void extremeSumsDoNotOverflow(GgmlType type) {
        assumeTrue(wide(), "needs 512-bit vectors");
        int rows = 33, cols = 1024;
        for (int sign : new int[] {1, -1}) {
            int[] w = new int[rows * cols];
            Arrays.fill(w, sign);
            MemorySegment seg = ternary(type, w, rows, cols);
            float[] x = new float[cols];
            Arrays.fill(x, -3.5f);
            float[] y = new float[rows], r = new float[rows];
            Linears.of(type, seg, rows, cols, POOL, VectorShape.S_512_BIT, true).apply(x, y);
            Linears.reference(type, seg, rows, cols, POOL).apply(x, r);
            assertArrayEquals(r, y, 0f, type + " sign " + sign);
            assertEquals(sign * -3.5f * 0.05f * cols, y[0], 0.02f * cols * 0.05f * 3.5f, type + " sign " + sign);
        }
    }

    /** A tq2_0 code 3 (ggml reads it as +2) keeps the tensor on the row kernels, which read it as ggml does. */
    @Test
    void codeThreeFallsBackToTheRowKernels() {
        assumeTrue(wide(), "needs 512-bit vectors");
        int rows = 4, cols = 256;
        SplittableRandom rng = new SplittableRandom(3);
        MemorySegment seg = ternary(GgmlType.TQ2_0, randomTernary(rows * cols, rng), rows, cols);
        seg.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 66 + 5, (byte) 0xFF);   // row 1: four codes 3
        Linear lin = Linears.of(GgmlType.TQ2_0, seg, rows, cols, POOL, VectorShape.S_512_BIT, true);
        assertInstanceOf(KernelLinear.class, lin);
        float[] x = Fixtures.activations(cols, rng), y = new float[rows], r = new float[rows];
        lin.apply(x, y);
        Linears.reference(GgmlType.TQ2_0, seg, rows, cols, POOL).apply(x, r);
        for (int i = 0; i < rows; i++) assertEquals(r[i], y[i], 1e-4f * Math.abs(r[i]) + 1e-3f);
    }

    /** The repacked weights take 29 shorts per 256 weights and 32 rows (1.81 bits a weight). */
    @Test
    void packedSize() {
        assumeTrue(wide(), "needs 512-bit vectors");
        int rows = 64, cols = 2560;
        MemorySegment seg = ternary(GgmlType.TQ2_0, randomTernary(rows * cols, new SplittableRandom(5)), rows, cols);
        LutLinear lut = (LutLinear) Linears.of(GgmlType.TQ2_0, seg, rows, cols, POOL, VectorShape.S_512_BIT, true);
        assertEquals(2L * 29 * 32 * 10 * 2, lut.packedBytes());
        assertTrue(lut.packedBytes() < seg.byteSize());
        assertEquals(Half.f16ToFloat(Half.floatToF16(0.05f)), lut.scale());
    }
}
