package trit.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import jdk.incubator.vector.VectorShape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;
import trit.TritException;
import trit.tensor.GgmlType;
import trit.tensor.UnsupportedTypeException;

/**
 * Every type at every vector width against (a) the scalar reference with the same activation codes, to
 * float summation-order tolerance: |y - y_ref| &lt;= 1e-5 * sum_i |w_i| (|x_i| + e_i) (exactly for tq1_0, i2_s,
 * q4_K and q6_K, whose kernels sum each block exactly and scale it in the reference's order), and (b) a plain
 * float product of the decoded weights with the unquantized activations, within the error that the
 * activation conversion allows: |y - W x| &lt;= sum_i |w_i| e_i + (cols * 2^-24 + 1e-6) * sum_i |w_i| (|x_i| + e_i),
 * where e_i bounds |x_i - dequant(quant(x_i))| for the type's vec_dot_type:
 * <ul>
 * <li>Q8_0 (q8_0, q4_0 weights): amax * (0.5 / 127 + 2^-11) per 32 (half a step, plus the fp16 rounding of d);
 * <li>Q8_K (q4_K, q6_K, tq1_0, tq2_0): amax * 0.5 / 127 per 256;
 * <li>I8_S (i2_s): max(amax, 1e-5) * 0.5 / 127 over the whole vector;
 * <li>F16: 2^-11 |x| + 2^-25; BF16: 2^-8 |x| + 2^-134; F32: 0.
 * </ul>
 */
class LinearTest {
    static final Parallel POOL = Parallel.create(3);

    @AfterAll
    static void close() {
        POOL.close();
    }

    static Stream<Arguments> typesAndShapes() {
        return Fixtures.TYPES.stream().flatMap(t -> Fixtures.SHAPES.stream().map(s -> Arguments.of(t, s)));
    }

    static final java.util.List<GgmlType> TYPES = Fixtures.TYPES;

    /** Types whose vector kernels sum each block exactly and scale the sums in the reference's order. */
    static final java.util.Set<GgmlType> EXACT = java.util.EnumSet.of(
            GgmlType.TQ1_0, GgmlType.I2_S, GgmlType.Q4_K, GgmlType.Q6_K);

    @ParameterizedTest(name = "{0} at {1}")
    @MethodSource("typesAndShapes")
    void matchesReferenceAndFloatProduct(GgmlType type, VectorShape shape) {
        SplittableRandom rng = new SplittableRandom(type.id() * 1000L + shape.vectorBitSize());
        for (int cols : Fixtures.colCounts(type)) {
            for (int rows : Fixtures.ROW_COUNTS) {
                byte[] bytes = Fixtures.weights(type, rows, cols, rng);
                MemorySegment seg = MemorySegment.ofArray(bytes);
                float[] x = Fixtures.activations(cols, rng);
                float[] w = Fixtures.dequantize(type, bytes, rows, cols);
                double[] e = activationError(type, x);

                float[] y = new float[rows], ref = new float[rows];
                Linears.of(type, seg, rows, cols, POOL, shape).apply(x, y);
                Linears.reference(type, seg, rows, cols, POOL).apply(x, ref);

                for (int r = 0; r < rows; r++) {
                    double l1 = 0, quant = 0, exact = 0;
                    for (int i = 0; i < cols; i++) {
                        double wi = w[r * cols + i];
                        l1 += Math.abs(wi) * (Math.abs(x[i]) + e[i]);
                        quant += Math.abs(wi) * e[i];
                        exact += wi * x[i];
                    }
                    String where = "%s %s %dx%d row %d".formatted(type.label(), shape, rows, cols, r);
                    if (EXACT.contains(type)) {
                        assertEquals(ref[r], y[r], 0f, where + ": exact block sums scaled in the reference's order");
                    } else if (Math.abs(y[r] - ref[r]) > 1e-5 * l1) {
                        fail("%s: vector %s, reference %s (tolerance %s)".formatted(where, y[r], ref[r], 1e-5 * l1));
                    }
                    double bound = quant + (cols * 0x1p-24 + 1e-6) * l1;
                    if (Math.abs(y[r] - exact) > bound) {
                        fail("%s: %s, float product %s, |diff| %s > bound %s".formatted(
                                where, y[r], exact, Math.abs(y[r] - exact), bound));
                    }
                }
            }
        }
    }

    /** Per element bound on |x - dequant(quant(x))| for the activation type of {@code t}. */
    static double[] activationError(GgmlType t, float[] x) {
        double[] e = new double[x.length];
        switch (t) {
            case Q8_0, Q4_0 -> blockwise(x, 32, 0.5 / 127 + 0x1p-11, e);
            case Q4_K, Q6_K, TQ1_0, TQ2_0 -> blockwise(x, 256, 0.5 / 127 * (1 + 1e-6), e);
            case I2_S -> blockwise(x, x.length, 0.5 / 127 * (1 + 1e-6), e);
            case F16 -> { for (int i = 0; i < x.length; i++) e[i] = 0x1p-11 * Math.abs(x[i]) + 0x1p-25; }
            case BF16 -> { for (int i = 0; i < x.length; i++) e[i] = 0x1p-8 * Math.abs(x[i]) + 0x1p-134; }
            default -> { }
        }
        return e;
    }

    private static void blockwise(float[] x, int block, double factor, double[] e) {
        for (int b = 0; b < x.length; b += block) {
            double amax = 1e-5;
            for (int i = b; i < b + block; i++) amax = Math.max(amax, Math.abs(x[i]));
            for (int i = b; i < b + block; i++) e[i] = amax * factor;
        }
    }

    @ParameterizedTest
    @FieldSource("TYPES")
    void batchEqualsSingleProducts(GgmlType type) {
        SplittableRandom rng = new SplittableRandom(type.id());
        int rows = 37, cols = type.blockSize() == 1 ? 129 : 2 * type.blockSize(), n = 5;
        MemorySegment seg = MemorySegment.ofArray(Fixtures.weights(type, rows, cols, rng));
        Linear lin = Linears.of(type, seg, rows, cols, POOL);
        float[] xs = Fixtures.activations(n * cols, rng);
        float[] ys = new float[n * rows];
        lin.applyBatch(xs, ys, n);
        for (int v = 0; v < n; v++) {
            float[] x = java.util.Arrays.copyOfRange(xs, v * cols, (v + 1) * cols);
            float[] y = new float[rows];
            lin.apply(x, y);
            assertArrayEquals(y, java.util.Arrays.copyOfRange(ys, v * rows, (v + 1) * rows), type + " vector " + v);
        }
        lin.applyBatch(xs, ys, 0);   // nothing to do, no error
    }

    /** The first, interpreted call and calls after the JIT has compiled the kernels give the same bits. */
    @ParameterizedTest
    @FieldSource("TYPES")
    void resultsDoNotChangeAsTheJitWarmsUp(GgmlType type) {
        SplittableRandom rng = new SplittableRandom(11 + type.id());
        int rows = 16, cols = type.blockSize() == 1 ? 131 : 2 * type.blockSize();
        MemorySegment seg = MemorySegment.ofArray(Fixtures.weights(type, rows, cols, rng));
        float[] x = Fixtures.activations(cols, rng);
        Linear lin = Linears.of(type, seg, rows, cols, POOL, VectorShape.S_128_BIT);
        float[] first = new float[rows], y = new float[rows];
        lin.apply(x, first);
        for (int i = 0; i < 3000; i++) lin.apply(x, y);
        assertArrayEquals(first, y, type.label());
    }

    @ParameterizedTest
    @FieldSource("TYPES")
    void preferredWidthMatchesExplicitOnes(GgmlType type) {
        SplittableRandom rng = new SplittableRandom(7 + type.id());
        int rows = 9, cols = type.blockSize() == 1 ? 77 : type.blockSize();
        MemorySegment seg = MemorySegment.ofArray(Fixtures.weights(type, rows, cols, rng));
        float[] x = Fixtures.activations(cols, rng);
        float[] y = new float[rows], z = new float[rows];
        Linears.of(type, seg, rows, cols, POOL).apply(x, y);
        Linears.of(type, seg, rows, cols, POOL, Specialize.preferred()).apply(x, z);
        assertArrayEquals(z, y);
    }

    /** Raw random bytes (ternary codes 3 included, which ggml reads as +2) against the reference. */
    @ParameterizedTest
    @FieldSource("SHAPES")
    void arbitraryTernaryBytesMatchReference(VectorShape shape) {
        SplittableRandom rng = new SplittableRandom(99);
        for (GgmlType type : new GgmlType[] {GgmlType.TQ2_0, GgmlType.TQ1_0, GgmlType.I2_S}) {
            int rows = 5, cols = 3 * 256;
            byte[] bytes = new byte[(int) type.tensorBytes(rows * cols)];
            rng.nextBytes(bytes);
            MemorySegment seg = MemorySegment.ofArray(bytes);
            if (type != GgmlType.I2_S) {
                for (int b = 0; b < rows * cols / 256; b++) {
                    seg.set(RowKernel.SHORT_LE, (long) (b + 1) * type.blockBytes() - 2, trit.tensor.Half.floatToF16(0.25f));
                }
            } else {
                seg.set(RowKernel.FLOAT_LE, rows * cols / 4L, 0.5f);
            }
            float[] x = Fixtures.activations(cols, rng);
            float[] y = new float[rows], ref = new float[rows];
            Linears.of(type, seg, rows, cols, POOL, shape).apply(x, y);
            Linears.reference(type, seg, rows, cols, POOL).apply(x, ref);
            for (int r = 0; r < rows; r++) {
                assertEquals(ref[r], y[r], 1e-5f * Math.abs(ref[r]) + 1e-3f, type + " row " + r);
            }
        }
    }

    /**
     * Ternary tensors whose blocks all share one scale (BitNet models): the vector kernels then gather
     * {@code d_x * sum} per block and scale the row once, which must still match the reference (which
     * always scales block by block) to float summation-order tolerance, or exactly for the exact types.
     */
    @ParameterizedTest
    @FieldSource("SHAPES")
    void ternaryTensorsWithOneScaleMatchReference(VectorShape shape) {
        SplittableRandom rng = new SplittableRandom(1234 + shape.vectorBitSize());
        for (GgmlType type : new GgmlType[] {GgmlType.TQ2_0, GgmlType.TQ1_0}) {
            for (int rows : new int[] {1, 4, 7, 13}) {
                int cols = 5 * 256;
                float[] w = new float[rows * cols];
                for (int i = 0; i < w.length; i++) w[i] = 0.03f * (rng.nextInt(3) - 1);
                for (int b = 0; b < w.length; b += 256) w[b] = 0.03f;   // every block's absmax is 0.03
                byte[] bytes = new byte[(int) type.tensorBytes(w.length)];
                MemorySegment seg = MemorySegment.ofArray(bytes);
                trit.tensor.TensorCodec.quantize(type, w, seg, 1);
                float[] x = Fixtures.activations(cols, rng);
                Linear lin = Linears.of(type, seg, rows, cols, POOL, shape);
                assertEquals(trit.tensor.Half.f16ToFloat(trit.tensor.Half.floatToF16(0.03f)),
                        lin instanceof LutLinear lut ? lut.scale() : ((KernelLinear) lin).kernel().tensorScale,
                        type + ": one scale for the tensor");
                float[] y = new float[rows], ref = new float[rows];
                lin.apply(x, y);
                Linears.reference(type, seg, rows, cols, POOL).apply(x, ref);
                float[] dq = Fixtures.dequantize(type, bytes, rows, cols);
                double[] e = activationError(type, x);
                for (int r = 0; r < rows; r++) {
                    double l1 = 0;
                    for (int i = 0; i < cols; i++) l1 += Math.abs(dq[r * cols + i]) * (Math.abs(x[i]) + e[i]);
                    String where = "%s %s %dx%d row %d".formatted(type.label(), shape, rows, cols, r);
                    if (EXACT.contains(type)) assertEquals(ref[r], y[r], 0f, where);
                    else if (Math.abs(y[r] - ref[r]) > 1e-5 * l1) fail("%s: vector %s, reference %s".formatted(where, y[r], ref[r]));
                }
                int n = 5;   // a batch gives each vector the bits of its own product
                float[] xs = Fixtures.activations(n * cols, rng), ys = new float[n * rows];
                lin.applyBatch(xs, ys, n);
                for (int v = 0; v < n; v++) {
                    lin.apply(java.util.Arrays.copyOfRange(xs, v * cols, (v + 1) * cols), y);
                    assertArrayEquals(y, java.util.Arrays.copyOfRange(ys, v * rows, (v + 1) * rows), type + " batch vector " + v);
                }
            }
        }
    }

    /**
     * Batches big enough for the tiled product (tq2_0, tq1_0, i2_s, q8_0, q4_0) against one-vector products, to the
     * float summation-order tolerance (the tiled product folds the same exact block sums in another
     * order), with odd row counts (partial tiles) and a token count that leaves a partial group.
     */
    @ParameterizedTest(name = "{0} at {1}")
    @MethodSource("tiledTypesAndShapes")
    void tiledBatchMatchesOneVectorProducts(GgmlType type, VectorShape shape) {
        SplittableRandom rng = new SplittableRandom(77 + type.id() * 1000L + shape.vectorBitSize());
        int cols = 3 * type.blockSize(), n = 37;
        for (int rows : new int[] {1, 6, 23}) {
            byte[] bytes = Fixtures.weights(type, rows, cols, rng);
            MemorySegment seg = MemorySegment.ofArray(bytes);
            Linear lin = Linears.of(type, seg, rows, cols, POOL, shape);
            // (a tensor with one scale runs as the lookup-table product at 512 bits, which has no tiles)
            assertTrue(lin instanceof LutLinear || ((KernelLinear) lin).kernel().tileTokens(n) > 0,
                    type + " at " + shape + " tiles a batch of " + n);
            float[] xs = Fixtures.activations(n * cols, rng), ys = new float[n * rows], y = new float[rows];
            lin.applyBatch(xs, ys, n);
            float[] dq = Fixtures.dequantize(type, bytes, rows, cols);
            for (int v = 0; v < n; v++) {
                float[] x = java.util.Arrays.copyOfRange(xs, v * cols, (v + 1) * cols);
                lin.apply(x, y);
                double[] e = activationError(type, x);
                for (int r = 0; r < rows; r++) {
                    double l1 = 0;
                    for (int i = 0; i < cols; i++) l1 += Math.abs(dq[r * cols + i]) * (Math.abs(x[i]) + e[i]);
                    float got = ys[v * rows + r];
                    if (Math.abs(got - y[r]) > 1e-5 * l1) {
                        fail("%s %s %dx%d vector %d row %d: tiled %s, one vector %s".formatted(type.label(), shape, rows, cols, v, r, got, y[r]));
                    }
                }
            }
        }
    }

    static Stream<Arguments> tiledTypesAndShapes() {
        return Stream.of(GgmlType.TQ2_0, GgmlType.TQ1_0, GgmlType.I2_S, GgmlType.Q8_0, GgmlType.Q4_0)
                .flatMap(t -> Fixtures.SHAPES.stream().map(s -> Arguments.of(t, s)));
    }

    static final java.util.List<VectorShape> SHAPES = Fixtures.SHAPES;

    @Test
    void rejectsUnsupportedTypesAndBadShapes() {
        MemorySegment seg = MemorySegment.ofArray(new byte[20 * 32]);
        UnsupportedTypeException u = assertThrows(UnsupportedTypeException.class,
                () -> Linears.of(GgmlType.Q4_1, seg, 1, 32, POOL));
        assertTrue(u.getMessage().contains("q4_1"), u.getMessage());
        TritException size = assertThrows(TritException.class,
                () -> Linears.of(GgmlType.Q8_0, MemorySegment.ofArray(new byte[33]), 1, 32, POOL));
        assertTrue(size.getMessage().contains("34 bytes"), size.getMessage());
        TritException blocks = assertThrows(TritException.class,
                () -> Linears.of(GgmlType.Q8_0, MemorySegment.ofArray(new byte[34]), 1, 33, POOL));
        assertTrue(blocks.getMessage().contains("33 elements"), blocks.getMessage());
        assertThrows(TritException.class, () -> Linears.of(GgmlType.F32, MemorySegment.ofArray(new byte[0]), 0, 4, POOL));
        Linear ok = Linears.of(GgmlType.F32, MemorySegment.ofArray(new byte[16]), 2, 2, POOL);
        assertThrows(IllegalArgumentException.class, () -> ok.apply(new float[1], new float[2]));
        assertThrows(IllegalArgumentException.class, () -> ok.apply(new float[2], new float[1]));
        assertThrows(IllegalArgumentException.class, () -> ok.applyBatch(new float[3], new float[4], 2));
        assertEquals(GgmlType.F32, ok.type());
        assertEquals(2, ok.rows());
        assertEquals(2, ok.cols());
    }
}
