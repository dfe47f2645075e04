package trit.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** dequantize(quantize(x)) on random tensors of 1, 3 and 7 blocks of the largest block size (256). */
class RoundTripTest {

    private static float[] gaussian(long seed, int n) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(-2, 3)));
        return x;
    }

    /** Largest |x| in the block of {@code size} elements that contains element i. */
    private static float blockMax(float[] x, int i, int size) {
        float m = 0;
        for (int j = i / size * size; j < (i / size + 1) * size; j++) m = Math.max(m, Math.abs(x[j]));
        return m;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7})
    void errorIsBoundedByTheFormatsStep(int blocks) {
        int n = 256 * blocks;
        float[] x = gaussian(blocks, n);
        for (GgmlType t : new GgmlType[] {GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0,
                GgmlType.Q4_0, GgmlType.TQ1_0, GgmlType.TQ2_0}) {
            float[] y = Codec.decode(t, Codec.encode(t, x), n);
            for (int i = 0; i < n; i++) {
                double err = Math.abs(y[i] - x[i]);
                double amax = blockMax(x, i, t.blockSize());
                double bound = switch (t) {
                    case F32 -> 0;
                    case F16 -> Math.abs(x[i]) * 0x1p-11 + 0x1p-25;   // half an ulp, or half a subnormal step
                    case BF16 -> Math.abs(x[i]) * 0x1p-8;
                    // Half a step of d = amax / 127, plus the error of storing d as fp16 on 127 steps.
                    case Q8_0 -> amax / 127 * (0.5 + 127 * 0x1p-11) * 1.001;
                    // Steps of d = amax / 8; the top of the range loses a whole step (codes stop at 15).
                    case Q4_0 -> amax / 8 * (1 + 8 * 0x1p-11) * 1.001;
                    // d = amax: anything below half of it becomes 0, anything above it ±d.
                    default -> amax * (0.5 + 0x1p-11) * 1.001;
                };
                assertTrue(err <= bound, "%s element %d: %s -> %s (error %g > %g)".formatted(t, i, x[i], y[i], err, bound));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7})
    void i2sKeepsSignsAndUsesOneScale(int blocks) {
        int n = 256 * blocks;
        float[] x = gaussian(100 + blocks, n);
        x[3] = 5e-7f;   // below bitnet.cpp's zero threshold
        float[] y = Codec.decode(GgmlType.I2_S, Codec.encode(GgmlType.I2_S, x), n);
        float s = 0;
        for (float v : x) s = Math.max(s, Math.abs(v));
        for (int i = 0; i < n; i++) {
            float want = Math.abs(x[i]) < 1e-6 ? 0 : Math.signum(x[i]) * s;
            assertEquals(want, y[i], "element " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7})
    void ternaryTensorsAreLossless(int blocks) {
        int n = 256 * blocks;
        SplittableRandom rnd = new SplittableRandom(200 + blocks);
        // An fp16-representable scale, so tq1_0 / tq2_0 (fp16 d per block) can hold it exactly.
        float s = Half.f16ToFloat((short) rnd.nextInt(0x1400, 0x5800));
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (rnd.nextInt(3) - 1) * s;
        for (int b = 0; b < blocks; b++) x[256 * b + rnd.nextInt(256)] = -s;  // every block reaches the scale
        for (GgmlType t : new GgmlType[] {GgmlType.TQ1_0, GgmlType.TQ2_0, GgmlType.I2_S}) {
            assertArrayEquals(x, Codec.decode(t, Codec.encode(t, x), n), t.label());
        }
        // I2_S keeps an f32 scale: any float scale survives.
        float odd = 0.123456789f;
        for (int i = 0; i < n; i++) x[i] = Math.signum(x[i]) * odd;
        assertArrayEquals(x, Codec.decode(GgmlType.I2_S, Codec.encode(GgmlType.I2_S, x), n));
    }
}
