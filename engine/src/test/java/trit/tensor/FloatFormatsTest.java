package trit.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static trit.tensor.Codec.decode;
import static trit.tensor.Codec.encode;
import static trit.tensor.Codec.hex;

import org.junit.jupiter.api.Test;

class FloatFormatsTest {
    private static final float SNAN = Float.intBitsToFloat(0x7F80_0001);

    @Test
    void f32IsLittleEndianAndKeepsNanPayloads() {
        byte[] q = encode(GgmlType.F32, 1f, -2f, SNAN);
        assertEquals("00 00 80 3f 00 00 00 c0 01 00 80 7f", hex(q));
        assertEquals(0x7F80_0001, Float.floatToRawIntBits(decode(GgmlType.F32, q, 3)[2]));
    }

    @Test
    void f16() {
        byte[] q = encode(GgmlType.F16, 1f, -2f, 65520f, SNAN, 0x1p-25f, -0f);
        assertEquals("00 3c 00 c0 00 7c 00 7e 00 00 00 80", hex(q));
        float[] y = decode(GgmlType.F16, hex("00 3c 01 7c ff 7b 01 80"), 4);
        assertEquals(1f, y[0]);
        assertEquals(0x7FC0_2000, Float.floatToRawIntBits(y[1]));
        assertEquals(65504f, y[2]);
        assertEquals(-0x1p-24f, y[3]);
    }

    @Test
    void bf16() {
        byte[] q = encode(GgmlType.BF16, 1f, Float.intBitsToFloat(0x3F81_8000), SNAN, -0f);
        assertEquals("80 3f 82 3f c0 7f 00 80", hex(q));
        float[] y = decode(GgmlType.BF16, q, 4);
        assertEquals(1f, y[0]);
        assertEquals(0x3F82_0000, Float.floatToRawIntBits(y[1]));
        assertEquals(0x7FC0_0000, Float.floatToRawIntBits(y[2]));
    }
}
