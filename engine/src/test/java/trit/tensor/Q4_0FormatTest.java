package trit.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static trit.tensor.Codec.decode;
import static trit.tensor.Codec.encode;
import static trit.tensor.Codec.hex;
import static trit.tensor.Codec.rep;

import org.junit.jupiter.api.Test;

class Q4_0FormatTest {
    private static final GgmlType Q4_0 = GgmlType.Q4_0;

    /** Elements 0..5 and 16..21 of a block that is otherwise zero. */
    private static float[] block(float[] lo, float[] hi) {
        float[] x = new float[32];
        System.arraycopy(lo, 0, x, 0, lo.length);
        System.arraycopy(hi, 0, x, 16, hi.length);
        return x;
    }

    @Test
    void firstLargestMagnitudeSetsTheScale() {
        // -16 comes before +16, so d = -16 / -8 = 2 (fp16 0x4000), id = 0.5; code = MIN(15, (int8)(x/2 + 8.5)).
        float[] x = block(new float[] {1, 3, 2.9f, -16, 0, 16}, new float[] {-1, -3, -2.9f, 0, 0, 0});
        // byte j = code(x[j]) | code(x[j + 16]) << 4:
        //   1 -> 9 (0.5 + 8.5), -1 -> 8 (-0.5 + 8.5); 3 -> 10, -3 -> 7; 2.9 -> 9.95 -> 9, -2.9 -> 7.05 -> 7;
        //   -16 -> 0.5 -> 0; 0 -> 8.5 -> 8; 16 -> 16.5 -> 16 -> MIN(15, 16) = 15.
        assertEquals("00 40 89 7a 79 80 88 8f " + rep("88", 10), hex(encode(Q4_0, x)));
        // Decoding: (code - 8) * 2, so +16 comes back as 14 (the top code is one short).
        float[] y = decode(Q4_0, encode(Q4_0, x), 32);
        assertArrayEquals(new float[] {2, 4, 2, -16, 0, 14}, java.util.Arrays.copyOf(y, 6));
        assertArrayEquals(new float[] {0, -2, -2}, java.util.Arrays.copyOfRange(y, 16, 19));
    }

    @Test
    void positiveMaximumFirstFlipsTheScale() {
        // +16 first: d = 16 / -8 = -2 (fp16 0xc000), id = -0.5: +16 -> 0, -16 -> 15.
        float[] x = block(new float[] {0, 0, 0, 16, 0, -16}, new float[0]);
        assertEquals("00 c0 88 88 88 80 88 8f " + rep("88", 10), hex(encode(Q4_0, x)));
        float[] y = decode(Q4_0, encode(Q4_0, x), 32);
        assertEquals(16f, y[3]);
        assertEquals(-14f, y[5]);
    }

    @Test
    void zeroBlockEncodesAsCodeEight() {
        // max stays 0.0, and d = 0.0 / -8 is -0.0: fp16 0x8000.
        assertEquals("00 80 " + rep("88", 16), hex(encode(Q4_0, new float[32])));
        // ...and decodes as 0 * -0.0 = -0.0, as in C.
        float[] negZeros = new float[32];
        java.util.Arrays.fill(negZeros, -0f);
        assertArrayEquals(negZeros, decode(Q4_0, encode(Q4_0, new float[32]), 32));
    }
}
