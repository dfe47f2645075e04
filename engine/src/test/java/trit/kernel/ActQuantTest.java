package trit.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import trit.tensor.GgmlType;
import trit.tensor.Half;
import trit.tensor.TensorCodec;

/** The activation conversions on hand-made cases where the x86 build and ggml's reference differ. */
class ActQuantTest {

    @Test
    void q8_0RoundsHalfToEvenWith127OverAmax() {
        float[] x = new float[32];
        x[0] = 127f;                       // amax 127: id = 127 / 127 = 1 exactly
        x[1] = 2.5f;
        x[2] = -2.5f;
        x[3] = 3.5f;
        x[4] = 0.5f;
        x[5] = -126.5f;
        short[] q = new short[32];
        float[] d = new float[1];
        ActQuant.q8_0(x, 0, 32, q, d);
        assertEquals(127, q[0]);
        assertEquals(2, q[1], "ties to even (the reference's roundf gives 3)");
        assertEquals(-2, q[2]);
        assertEquals(4, q[3]);
        assertEquals(0, q[4]);
        assertEquals(-126, q[5]);
        assertEquals(1f, d[0]);

        // trit's encoder is quantize_row_q8_0_ref (roundf): it rounds the same ties away from zero.
        byte[] ref = new byte[34];
        TensorCodec.quantize(GgmlType.Q8_0, x, MemorySegment.ofArray(ref), 1);
        assertEquals(3, ref[2 + 1]);
        assertEquals(-3, ref[2 + 2]);
    }

    @Test
    void q8_0MatchesTheReferenceEncoderAwayFromTies() {
        // Apart from ties and the 127/amax vs 1/d reciprocal, the codes equal quantize_row_q8_0_ref's.
        SplittableRandom rng = new SplittableRandom(3);
        int n = 32 * 64, differ = 0;
        float[] x = Fixtures.activations(n, rng);
        short[] q = new short[n];
        float[] d = new float[n / 32];
        ActQuant.q8_0(x, 0, n, q, d);
        byte[] ref = new byte[n / 32 * 34];
        TensorCodec.quantize(GgmlType.Q8_0, x, MemorySegment.ofArray(ref), 1);
        for (int b = 0; b < n / 32; b++) {
            assertEquals(Half.f16ToFloat((short) (ref[34 * b] & 0xFF | ref[34 * b + 1] << 8)), d[b]);
            for (int j = 0; j < 32; j++) {
                int diff = Math.abs(q[32 * b + j] - ref[34 * b + 2 + j]);
                assertEquals(0, diff > 1 ? diff : 0, "block " + b);
                differ += diff;
            }
        }
        assertEquals(true, differ < n / 100, differ + " codes differ by one");
    }

    @Test
    void q8_KUsesTheSignedMaximumAndNearestEven() {
        float[] x = new float[256];
        x[0] = -127f;                      // max = -127: iscale = 1, d = 1
        x[1] = 2.5f;
        x[2] = 1.5f;
        x[3] = 127f;                       // same magnitude, later: max stays -127
        for (int j = 16; j < 32; j++) x[j] = 1f;
        short[] q = new short[256];
        float[] d = new float[1];
        int[] bsums = new int[16];
        ActQuant.q8_K(x, 0, 256, q, d, bsums);
        assertEquals(1f, d[0]);
        assertEquals(-127, q[0]);
        assertEquals(2, q[1]);
        assertEquals(2, q[2]);
        assertEquals(127, q[3]);
        assertEquals(-127 + 2 + 2 + 127, bsums[0]);
        assertEquals(16, bsums[1]);

        float[] pos = new float[256];
        pos[7] = 2f;                        // positive max: iscale = -63.5, codes flip sign
        pos[8] = -1f;
        ActQuant.q8_K(pos, 0, 256, q, d, bsums);
        assertEquals(-127, q[7]);
        assertEquals(64, q[8], "63.5 rounds to even");
        assertEquals(-1 / 63.5f, d[0]);

        Arrays.fill(q, (short) 5);
        ActQuant.q8_K(new float[256], 0, 256, q, d, bsums);
        assertEquals(0f, d[0]);
        assertArrayEquals(new short[256], q);
        assertArrayEquals(new int[16], bsums);
    }

    @Test
    void i8_sIsAbsmaxOverTheVector() {
        float[] x = {0.5f, -1f, 0.25f, 1f / 254, 0f, -0.75f};
        short[] q = new short[x.length];
        Activation a = new Activation();
        ActQuant.i8_s(x, 0, x.length, q, a);
        assertEquals(127f, a.scale);
        assertArrayEquals(new short[] {64, -127, 32, 0, 0, -95}, q);  // 63.5 -> 64, 31.75 -> 32, 0.5 -> 0
        assertEquals(64 - 127 + 32 - 95, a.sum);

        float[] zeros = new float[4];
        ActQuant.i8_s(zeros, 0, 4, q, a);
        assertEquals((float) (127 / 0.00001), a.scale);
        assertEquals(0, a.sum);
    }

    @Test
    void halfActivationsRoundToNearestEven() {
        float[] x = {1 + 0x1p-11f, 1 + 3 * 0x1p-11f, 1 + 0x1p-8f, 1e-8f};
        float[] f = new float[4];
        ActQuant.f16(x, 0, 4, f);
        assertArrayEquals(new float[] {1f, 1 + 0x1p-9f, 1 + 0x1p-8f, 0f}, f);
        ActQuant.bf16(x, 0, 4, f);
        assertEquals(1f, f[0]);
        assertEquals(1 + 0x1p-7f, ActQuantTestHelper.bf16(1 + 0x1p-8f + 0x1p-20f));
    }

    static final class ActQuantTestHelper {
        static float bf16(float v) {
            float[] f = new float[1];
            ActQuant.bf16(new float[] {v}, 0, 1, f);
            return f[0];
        }
    }
}
