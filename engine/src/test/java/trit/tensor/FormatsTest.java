package trit.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.EnumSet;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FormatsTest {
    static final EnumSet<GgmlType> SUPPORTED = EnumSet.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16,
            GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_K, GgmlType.Q6_K, GgmlType.TQ1_0, GgmlType.TQ2_0, GgmlType.I2_S);

    @Test
    void registryCoversExactlyTheImplementedTypes() {
        for (GgmlType t : GgmlType.values()) {
            if (SUPPORTED.contains(t)) {
                assertEquals(t, Formats.of(t).type());
                assertTrue(Formats.isSupported(t));
            } else {
                assertFalse(Formats.isSupported(t));
                var e = assertThrows(UnsupportedTypeException.class, () -> Formats.of(t));
                assertInstanceOf(trit.TritException.class, e, "an input error: exit status 2 in the CLI");
                assertEquals(t, e.type());
                assertTrue(e.getMessage().startsWith("no decoder for tensor type " + t.label()), e.getMessage());
            }
        }
    }

    @Test
    void codecRejectsBadShapes() {
        MemorySegment small = MemorySegment.ofArray(new byte[34]);
        assertThrows(IllegalArgumentException.class, () -> TensorCodec.dequantize(GgmlType.Q8_0, small, 64));
        assertThrows(IllegalArgumentException.class, () -> TensorCodec.dequantize(GgmlType.Q8_0, small, 31));
        var big = assertThrows(IllegalArgumentException.class,
                () -> TensorCodec.dequantize(GgmlType.F32, small, Integer.MAX_VALUE));
        assertTrue(big.getMessage().contains("float array"), big.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> TensorCodec.quantize(GgmlType.Q4_0, new float[48], MemorySegment.ofArray(new byte[100]), 1));
        assertThrows(IllegalArgumentException.class,
                () -> Formats.of(GgmlType.Q8_0).dequantize(small, 16, new float[32], 0, 32));
        assertEquals(GgmlType.I2_S.tensorBytes(256), TensorCodec.bytes(GgmlType.I2_S, 256));
    }

    @Test
    void threadCountDoesNotChangeTheBytes() {
        Random rnd = new Random(11);
        for (GgmlType t : SUPPORTED) {
            if (!Formats.of(t).canQuantize()) continue;
            float[] x = new float[7 * 256];
            for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
            byte[] one = Codec.encode(t, x);
            for (int threads : new int[] {2, 3, 8, 100}) {
                byte[] many = new byte[one.length];
                TensorCodec.quantize(t, x, MemorySegment.ofArray(many), threads);
                assertArrayEquals(one, many, t + " with " + threads + " threads");
            }
        }
    }

    @Test
    void rangesDecodeLikeTheWholeTensor() {
        Random rnd = new Random(5);
        float[] x = new float[3 * 256];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        for (GgmlType t : new GgmlType[] {GgmlType.Q8_0, GgmlType.TQ1_0, GgmlType.BF16}) {
            byte[] q = Codec.encode(t, x);
            float[] whole = Codec.decode(t, q, x.length);
            float[] part = new float[256 + 3];
            Formats.of(t).dequantize(MemorySegment.ofArray(q), 256, part, 3, 256);
            for (int i = 0; i < 256; i++) assertEquals(whole[256 + i], part[3 + i], t + " element " + i);
        }
    }
}
