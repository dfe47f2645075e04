package trit.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static trit.tensor.Codec.decode;
import static trit.tensor.Codec.encode;
import static trit.tensor.Codec.hex;
import static trit.tensor.Codec.rep;

import org.junit.jupiter.api.Test;

class Q8_0FormatTest {
    private static final GgmlType Q8_0 = GgmlType.Q8_0;

    @Test
    void knownBlock() {
        // amax 254 gives d = 2 (fp16 0x4000) and id = 0.5, so the scaled values below are exact.
        float[] x = new float[32];
        float[] in = {3, -3, 1, -1, 5, -5, 254, -253, 0.9f, -0.9f};
        System.arraycopy(in, 0, x, 0, in.length);
        // 1.5 -> 2, -1.5 -> -2, 0.5 -> 1, -0.5 -> -1, 2.5 -> 3, -2.5 -> -3 (ties away from zero),
        // 127, -126.5 -> -127, 0.45 -> 0, -0.45 -> 0 (as -0.0, stored 0).
        String expected = "00 40 02 fe 01 ff 03 fd 7f 81 00 00 " + rep("00", 22);
        assertEquals(expected, hex(encode(Q8_0, x)));
        assertArrayEquals(new float[] {4, -4, 2, -2, 6, -6, 254, -254, 0, 0},
                java.util.Arrays.copyOf(decode(Q8_0, encode(Q8_0, x), 32), 10));
    }

    @Test
    void zeroBlockHasZeroScaleAndCodes() {
        assertEquals(rep("00", 34), hex(encode(Q8_0, new float[32])));
        float[] negZeros = new float[32];
        java.util.Arrays.fill(negZeros, -0f);
        assertEquals(rep("00", 34), hex(encode(Q8_0, negZeros)));
    }

    @Test
    void knownDecode() {
        // d = 0.5 (fp16 0x3800); codes -128, 127, 1, -1, then zeros.
        byte[] block = hex("00 38 80 7f 01 ff " + rep("00", 28));
        float[] y = decode(Q8_0, block, 32);
        assertArrayEquals(new float[] {-64, 63.5f, 0.5f, -0.5f, 0}, java.util.Arrays.copyOf(y, 5));
    }

    @Test
    void scaleIsRoundedToFp16ButCodesUseTheExactScale() {
        // amax 1 -> d = 1/127 = 0.007874016f; fp16 0x2008 = 0.0078735352. Code of 1 is 127 regardless.
        float[] x = new float[32];
        x[0] = 1f;
        x[1] = 0.5f;   // 0.5 * 127 = 63.5: a tie, away from zero -> 64
        byte[] q = encode(Q8_0, x);
        assertEquals("08 20 7f 40", hex(java.util.Arrays.copyOf(q, 4)));
        assertEquals(127 * Half.f16ToFloat((short) 0x2008), decode(Q8_0, q, 32)[0]);
    }
}
