package trit.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static trit.tensor.Codec.decode;
import static trit.tensor.Codec.encode;
import static trit.tensor.Codec.hex;
import static trit.tensor.Codec.rep;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class I2_SFormatTest {
    private static final GgmlType I2_S = GgmlType.I2_S;

    @Test
    void knownTensor() {
        float[] x = new float[128];
        // Byte m holds elements m, m+32, m+64, m+96 in bits 7:6, 5:4, 3:2, 1:0; code = sign + 1.
        x[0] = 0.7f; x[32] = -0.3f; x[64] = 5e-7f; x[96] = -1e-6f;   // 2, 0, 1, 1 -> 0x85
        // (1e-6f is 9.99999997e-7 < 1e-6 in double: still zero)
        x[1] = -2; x[33] = 2; x[65] = 0; x[97] = 2e-6f;              // 0, 2, 1, 2 -> 0x26
        // Scale = max |x| = 2.0f after the 32 code bytes, then 28 zero bytes.
        String expected = "85 26 " + rep("55", 30) + " 00 00 00 40 " + rep("00", 28);
        byte[] q = encode(I2_S, x);
        assertEquals(expected, hex(q));

        float[] y = decode(I2_S, q, 128);
        assertArrayEquals(new float[] {2, -2, 0, 0}, new float[] {y[0], y[32], y[64], y[96]});
        assertArrayEquals(new float[] {-2, 2, 0, 2}, new float[] {y[1], y[33], y[65], y[97]});
    }

    @Test
    void scaleSpansAllThreadsAndPaddingIsCleared() {
        float[] x = new float[512];
        x[5] = 1;
        x[300] = -3.5f;     // in another thread's blocks
        x[400] = Float.NaN; // ignored by the scale, encoded as -1 like bitnet.cpp
        byte[] q = new byte[(int) I2_S.tensorBytes(512)];
        Arrays.fill(q, (byte) 0xaa);
        TensorCodec.quantize(I2_S, x, MemorySegment.ofArray(q), 4);
        // The scale is max |x| = 3.5f (0x40600000), even though that element is negative.
        assertEquals("00 00 60 40 " + rep("00", 28), hex(Arrays.copyOfRange(q, 128, 160)));
        float[] y = decode(I2_S, q, 512);
        assertEquals(3.5f, y[5]);
        assertEquals(-3.5f, y[300]);
        assertEquals(-3.5f, y[400]);
        assertEquals(0f, y[6]);
    }

    @Test
    void allZeroTensorStoresZeroScale() {
        assertEquals(rep("55", 32) + " " + rep("00", 32), hex(encode(I2_S, new float[128])));
    }

    @Test
    void unusedCodeThreeDecodesAsTwiceTheScale() {
        byte[] q = hex("c0 " + rep("55", 31) + " 00 00 80 3f " + rep("00", 28));   // scale 1
        assertEquals(2f, decode(I2_S, q, 128)[0]);
    }
}
