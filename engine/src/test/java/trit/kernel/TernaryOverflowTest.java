package trit.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import jdk.incubator.vector.VectorShape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import trit.tensor.GgmlType;
import trit.tensor.TensorCodec;

/**
 * Worst cases for the 16-bit lane accumulators of the ternary kernels: long rows whose every weight is
 * +1 (and, for I2_S, every code the invalid 3, which ggml and bitnet.cpp read as +2) against codes that
 * are all 127 or all -128, so every product has the largest magnitude and the same sign. The exact sums
 * are known in closed form.
 */
class TernaryOverflowTest {
    static final java.util.List<VectorShape> SHAPES = Fixtures.SHAPES;
    static final int COLS = 16384 + 256;   // I2_S: an odd number of 128-blocks too

    @ParameterizedTest
    @FieldSource("SHAPES")
    void blockTypesWithExtremeCodes(VectorShape shape) {
        for (GgmlType type : new GgmlType[] {GgmlType.TQ2_0, GgmlType.TQ1_0}) {
            int rows = 5;   // four rows in one pass, and one alone
            MemorySegment w = allPlusOne(type, rows, COLS);
            RowKernel scalar = new ScalarKernel(type, COLS, 0);
            // per-block scales, and the one scale all blocks share (1)
            for (RowKernel vector : new RowKernel[] {Specialize.vectorKernel(shape, type, COLS, 0),
                    Specialize.vectorKernel(shape, type, COLS, 1f)})
            for (short code : new short[] {127, -128}) {
                int blocks = COLS / 256;
                Activation va = activation(vector, code, blocks), sa = activation(scalar, code, blocks);
                // Every block: sumi = 256 * code, weight scale 1 (fp16), activation scale 1 / 64.
                float expected = 0;
                for (int b = 0; b < blocks; b++) expected += (float) (256 * code) * (1f / 64);
                for (int r = 0; r < rows; r++) {
                    long off = r * type.rowBytes(COLS);
                    assertEquals(expected, scalar.dot(w, off, sa, new int[scalar.scratch()]), Math.abs(expected) * 1e-6f, type + " reference");
                    assertEquals(expected, vector.dot(w, off, va, new int[vector.scratch()]), Math.abs(expected) * 1e-6f, type + " " + shape + " code " + code);
                }
                float[] ys = new float[rows];
                vector.dots(w, type.rowBytes(COLS), va, new int[vector.scratch()], ys, 0, 0, rows);
                for (float y : ys) assertEquals(expected, y, Math.abs(expected) * 1e-6f, type + " " + shape + " rows at once, code " + code);
            }
        }
    }

    @ParameterizedTest
    @FieldSource("SHAPES")
    void i2sWithExtremeCodes(VectorShape shape) {
        int rows = 5;
        for (int weightCode : new int[] {2, 3}) {
            byte[] bytes = new byte[(int) GgmlType.I2_S.tensorBytes(rows * COLS)];
            byte packed = (byte) (weightCode * 0x55);
            Arrays.fill(bytes, 0, rows * COLS / 4, packed);
            MemorySegment w = MemorySegment.ofArray(bytes);
            w.set(RowKernel.FLOAT_LE, rows * COLS / 4L, 2.0f);
            RowKernel vector = Specialize.vectorKernel(shape, GgmlType.I2_S, COLS, 2.0f);
            RowKernel scalar = new ScalarKernel(GgmlType.I2_S, COLS, 2.0f);
            for (short code : new short[] {127, -128}) {
                Activation va = i8(vector, code), sa = i8(scalar, code);
                // sum(code * q) - sum(q) = (weightCode - 1) * COLS * q, exactly representable in float.
                float expected = (float) ((weightCode - 1) * COLS * code) / 64f * 2.0f;
                for (int r = 0; r < rows; r++) {
                    long off = (long) r * COLS / 4;
                    assertEquals(expected, scalar.dot(w, off, sa, new int[scalar.scratch()]), 0f, "reference");
                    assertEquals(expected, vector.dot(w, off, va, new int[vector.scratch()]), 0f, shape + " weight code " + weightCode + " q " + code);
                }
                float[] ys = new float[rows];
                vector.dots(w, COLS / 4, va, new int[vector.scratch()], ys, 0, 0, rows);
                for (float y : ys) assertEquals(expected, y, 0f, shape + " rows at once, weight code " + weightCode + " q " + code);
            }
        }
    }

    private static MemorySegment allPlusOne(GgmlType type, int rows, int cols) {
        float[] ones = new float[rows * cols];
        Arrays.fill(ones, 1f);
        byte[] bytes = new byte[(int) type.tensorBytes(ones.length)];
        TensorCodec.quantize(type, ones, MemorySegment.ofArray(bytes), 1);
        return MemorySegment.ofArray(bytes);
    }

    /** Q8_K activations whose codes are all {@code code}, scale 1/64, bsums consistent. */
    private static Activation activation(RowKernel k, short code, int blocks) {
        Activation a = new Activation();
        short[] natural = new short[k.cols];
        Arrays.fill(natural, code);
        float[] d = a.d(blocks);
        Arrays.fill(d, 1f / 64);
        Arrays.fill(a.bsums(blocks * 16), 16 * code);
        if (k.layout == null) a.q = natural;
        else k.arrange(natural, a);
        return a;
    }

    private static Activation i8(RowKernel k, short code) {
        Activation a = new Activation();
        short[] natural = new short[k.cols];
        Arrays.fill(natural, code);
        a.scale = 64f;
        a.sum = code * k.cols;
        if (k.layout == null) a.q = natural;
        else k.arrange(natural, a);
        return a;
    }
}
