package trit.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import trit.tensor.GgmlType;
import trit.tensor.Half;

/**
 * trit against llama.cpp's CPU backend (fixtures in src/test/resources/kernel, made by
 * tools/kernel-golden/make-kernel-golden.sh): the activations converted to the vec_dot_type must be
 * identical byte for byte, and every row's product must agree with ggml's vec_dot to float
 * summation-order tolerance, 1e-6 * sum_i |w_i| (|x_i| + e_i), at every vector width and in the reference.
 */
class LinearGoldenTest {
    static final Parallel POOL = Parallel.create(2);
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final int ROWS = 8;

    @AfterAll
    static void close() {
        POOL.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"f32", "f16", "bf16", "q8_0", "q4_0", "q4_k", "q6_k", "tq1_0", "tq2_0"})
    void matchesLlamaCpp(String name) throws IOException {
        GgmlType type = GgmlType.byName(name);
        byte[] w = resource(name + ".w.bin");
        float[] x = floats(resource(name + ".x.f32"));
        byte[] xq = resource(name + ".xq.bin");
        float[] expected = floats(resource(name + ".y.f32"));
        int cols = x.length;
        assertEquals(ROWS, expected.length);

        ScalarKernel k = new ScalarKernel(type, cols, 0);
        Activation a = new Activation();
        k.prepare(x, 0, a, true);
        checkActivation(type, cols, a, MemorySegment.ofArray(xq));

        float[] dq = Fixtures.dequantize(type, w, ROWS, cols);
        double[] e = LinearTest.activationError(type, x);
        MemorySegment seg = MemorySegment.ofArray(w);
        checkRows("reference", Linears.reference(type, seg, ROWS, cols, POOL), x, expected, dq, e);
        for (var shape : Fixtures.SHAPES) {
            checkRows(shape.toString(), Linears.of(type, seg, ROWS, cols, POOL, shape), x, expected, dq, e);
        }
    }

    private static void checkRows(String what, Linear lin, float[] x, float[] expected, float[] w, double[] e) {
        int cols = x.length;
        float[] y = new float[ROWS];
        lin.apply(x, y);
        for (int r = 0; r < ROWS; r++) {
            double l1 = 0;
            for (int i = 0; i < cols; i++) l1 += Math.abs(w[r * cols + i]) * (Math.abs(x[i]) + e[i]);
            if (Math.abs(y[r] - expected[r]) > 1e-6 * l1) {
                fail("%s %s row %d: %s, llama.cpp %s (tolerance %s)".formatted(
                        lin.type().label(), what, r, y[r], expected[r], 1e-6 * l1));
            }
        }
    }

    /** The activation as ggml's from_float wrote it, against ours. */
    private static void checkActivation(GgmlType type, int cols, Activation a, MemorySegment xq) {
        switch (type) {
            case Q8_0, Q4_0 -> {
                for (int b = 0; b < cols / 32; b++) {
                    assertEquals(xq.get(SHORT, 34L * b), Half.floatToF16(a.d[b]), "q8_0 d of block " + b);
                    for (int j = 0; j < 32; j++) {
                        assertEquals(xq.get(ValueLayout.JAVA_BYTE, 34L * b + 2 + j), (byte) a.q[32 * b + j],
                                "q8_0 code " + j + " of block " + b);
                    }
                }
            }
            case Q4_K, Q6_K, TQ1_0, TQ2_0 -> {
                for (int b = 0; b < cols / 256; b++) {
                    long o = 292L * b;
                    assertEquals(Float.floatToRawIntBits(xq.get(FLOAT, o)), Float.floatToRawIntBits(a.d[b]), "q8_K d");
                    for (int j = 0; j < 256; j++) {
                        assertEquals(xq.get(ValueLayout.JAVA_BYTE, o + 4 + j), (byte) a.q[256 * b + j], "q8_K code " + j);
                    }
                    for (int j = 0; j < 16; j++) {
                        assertEquals(xq.get(SHORT, o + 260 + 2L * j), (short) a.bsums[16 * b + j], "q8_K bsum " + j);
                    }
                }
            }
            case F16, BF16 -> {
                for (int i = 0; i < cols; i++) {
                    short mine = type == GgmlType.F16 ? Half.floatToF16(a.f[i]) : Half.floatToBf16(a.f[i]);
                    assertEquals(xq.get(SHORT, 2L * i), mine, type.label() + " element " + i);
                }
            }
            default -> assertTrue(type == GgmlType.F32);
        }
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = LinearGoldenTest.class.getResourceAsStream("/kernel/" + name)) {
            if (in == null) throw new IOException("missing fixture kernel/" + name + " (run tools/kernel-golden/make-kernel-golden.sh)");
            return in.readAllBytes();
        }
    }

    static float[] floats(byte[] b) {
        float[] f = new float[b.length / 4];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }
}
