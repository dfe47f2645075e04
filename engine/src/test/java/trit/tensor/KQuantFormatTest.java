package trit.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static trit.tensor.Codec.decode;
import static trit.tensor.Codec.hex;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** q4_K and q6_K blocks assembled by hand from the layouts in ggml-common.h. */
class KQuantFormatTest {

    // Sub-block scales and mins of the q4_K block; 4..7 need the spare high bits of bytes 0..7, which
    // differ between scales and mins here so that mixing them up shows.
    private static final int[] SC = {1, 2, 3, 4, 17, 33, 50, 63};
    private static final int[] MN = {0, 1, 2, 3, 5, 52, 16, 40};

    /** q4_K with d = 1 (0x3c00), dmin = 0.5 (0x3800); qs[32p + l] = (l % 16) | ((l + p) % 16) << 4. */
    private static byte[] q4kBlock() {
        // Bytes 0-3: scale j | (scale j+4 >> 4) << 6; bytes 4-7: min j | (min j+4 >> 4) << 6;
        // bytes 8-11: scale j+4 & 15 | (min j+4 & 15) << 4. Worked out for SC and MN:
        String scales = "41 82 c3 c4  00 c1 42 83  51 41 02 8f";
        byte[] b = hex("00 3c 00 38 " + scales + " 00".repeat(128));
        for (int p = 0; p < 4; p++) {
            for (int l = 0; l < 32; l++) b[16 + 32 * p + l] = (byte) (l % 16 | (l + p) % 16 << 4);
        }
        return b;
    }

    @Test
    void q4kScalePacking() {
        MemorySegment s = MemorySegment.ofArray(q4kBlock());
        for (int j = 0; j < 8; j++) {
            assertEquals(SC[j], Q4_KFormat.scale(s, 0, j), "scale " + j);
            assertEquals(MN[j], Q4_KFormat.min(s, 0, j), "min " + j);
        }
    }

    @Test
    void q4kKnownValues() {
        float[] y = decode(GgmlType.Q4_K, q4kBlock(), 256);
        // Element 64p + l is sub-block 2p, low nibble; 64p + 32 + l is sub-block 2p + 1, high nibble.
        assertEquals(0f, y[0]);                       // 1 * 0 - 0.5 * 0
        assertEquals(1.5f, y[33]);                    // sub-block 1: 2 * 1 - 0.5 * 1
        assertEquals(82.5f, y[128 + 5]);              // sub-block 4: 17 * 5 - 0.5 * 5
        assertEquals(610f, y[192 + 32 + 7]);          // sub-block 7: 63 * ((7 + 3) % 16) - 0.5 * 40
        for (int p = 0; p < 4; p++) {
            for (int l = 0; l < 32; l++) {
                assertEquals(SC[2 * p] * (l % 16) - 0.5f * MN[2 * p], y[64 * p + l]);
                assertEquals(SC[2 * p + 1] * ((l + p) % 16) - 0.5f * MN[2 * p + 1], y[64 * p + 32 + l]);
            }
        }
    }

    private static final int[] SC6 = {1, -2, 3, -4, 5, -6, 7, -8, 9, -10, 11, -12, 13, -14, 127, -128};

    /** 6-bit code of element e in the q6_K test block. */
    private static int code6(int e) { return e * 7 % 64; }

    /** q6_K with d = 0.25 (0x3400), codes code6(e), scales SC6, packed following ggml-common.h. */
    private static byte[] q6kBlock() {
        byte[] b = new byte[210];
        for (int e = 0; e < 256; e++) {
            int half = e / 128, k = e % 128 / 32, l = e % 32, c = code6(e);
            int ql = 64 * half + l + 32 * (k & 1);
            b[ql] |= (byte) (k < 2 ? c & 15 : (c & 15) << 4);
            b[128 + 32 * half + l] |= (byte) ((c >> 4) << 2 * k);
        }
        for (int i = 0; i < 16; i++) b[192 + i] = (byte) SC6[i];
        b[208] = 0x00;
        b[209] = 0x34;
        return b;
    }

    @Test
    void q6kKnownValues() {
        float[] y = decode(GgmlType.Q6_K, q6kBlock(), 256);
        assertEquals(-8f, y[0]);          // code 0: 0.25 * 1 * (0 - 32)
        assertEquals(78f, y[200]);        // half 1, k 2, l 8: scale 13, code 56: 0.25 * 13 * 24
        assertEquals(-730.25f, y[239]);   // half 1, k 3, l 15: scale 127, code 9: 31.75 * -23
        assertEquals(-800f, y[255]);      // half 1, k 3, l 31: scale -128, code 57: -32 * 25
        for (int e = 0; e < 256; e++) {
            int sc = SC6[8 * (e / 128) + 2 * (e % 128 / 32) + e % 32 / 16];
            assertEquals(0.25f * sc * (code6(e) - 32), y[e], "element " + e);
        }
    }

    @Test
    void kQuantsCannotBeQuantized() {
        for (GgmlType t : new GgmlType[] {GgmlType.Q4_K, GgmlType.Q6_K}) {
            TensorFormat f = Formats.of(t);
            assertFalse(f.canQuantize());
            var e = assertThrows(UnsupportedOperationException.class,
                    () -> f.quantize(new float[256], 0, 256, MemorySegment.ofArray(new byte[t.blockBytes()]), 0));
            assertTrue(e.getMessage().contains(t.label()), e.getMessage());
            assertThrows(UnsupportedTypeException.class,
                    () -> TensorCodec.quantize(t, new float[256], MemorySegment.ofArray(new byte[t.blockBytes()]), 1));
        }
    }
}
