package trit.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static trit.tensor.Codec.decode;
import static trit.tensor.Codec.encode;
import static trit.tensor.Codec.hex;
import static trit.tensor.Codec.rep;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** tq2_0 and tq1_0 blocks worked out by hand. Every block here has amax 1, so d = 1 (fp16 0x3c00). */
class TernaryFormatsTest {

    @Test
    void tq2KnownBlock() {
        float[] x = new float[256];
        // Byte m of each 32-byte half holds elements m, m+32, m+64, m+96 of that half in bits 1:0, 3:2, 5:4, 7:6.
        x[0] = 1; x[32] = -1; x[64] = 0.5f; x[96] = -0.5f;       // 2, 0, 2, 0 (ties away from zero) -> 0x22
        x[1] = 0.49999997f; x[33] = -0.49999997f; x[97] = 0.25f; // all code 1 -> 0x55
        x[128] = -1; x[160] = 1; x[192] = 0; x[224] = 1;         // 0, 2, 1, 2 -> 0x98
        String expected = "22 55 " + rep("55", 30) + " 98 " + rep("55", 31) + " 00 3c";
        assertEquals(expected, hex(encode(GgmlType.TQ2_0, x)));

        float[] y = decode(GgmlType.TQ2_0, encode(GgmlType.TQ2_0, x), 256);
        assertArrayEquals(new float[] {1, -1, 1, -1}, new float[] {y[0], y[32], y[64], y[96]});
        assertArrayEquals(new float[] {0, 0, 0}, new float[] {y[1], y[33], y[97]});
        assertArrayEquals(new float[] {-1, 1, 0, 1}, new float[] {y[128], y[160], y[192], y[224]});
    }

    @Test
    void tq2UnusedCodeThreeDecodesAsTwo() {
        // d = 0.5 (0x3800): code 3 gives (3 - 1) * 0.5, as ggml's decoder does.
        float[] y = decode(GgmlType.TQ2_0, hex(rep("ff", 64) + " 00 38"), 256);
        float[] ones = new float[256];
        Arrays.fill(ones, 1f);
        assertArrayEquals(ones, y);
    }

    @Test
    void tq1TritPacking() {
        // Trits [2,0,1,2,1] (first most significant) are v = 178, stored as ceil(178 * 256 / 243) = 188.
        assertEquals(2, TQ1_0Format.trit(188, 0));
        assertEquals(0, TQ1_0Format.trit(188, 1));
        assertEquals(1, TQ1_0Format.trit(188, 2));
        assertEquals(2, TQ1_0Format.trit(188, 3));
        assertEquals(1, TQ1_0Format.trit(188, 4));
        // Bytes above 242 cannot be produced but still decode: 245 -> [2,2,1,2,1].
        int[] t = new int[5];
        for (int n = 0; n < 5; n++) t[n] = TQ1_0Format.trit(245, n);
        assertArrayEquals(new int[] {2, 2, 1, 2, 1}, t);
    }

    @Test
    void tq1KnownBlock() {
        float[] x = new float[256];
        // qs[m], m < 32: elements m + 32n.  [1,-1,0,1,0] -> trits [2,0,1,2,1] -> 188 = 0xbc.
        x[0] = 1; x[32] = -1; x[64] = 0; x[96] = 1; x[128] = 0;
        // Ties: 0.5 -> trit 2 ([2,1,1,1,1]: v = 202 -> 213 = 0xd5); -0.5 -> 0 ([0,1,1,1,1]: 40 -> 43 = 0x2b).
        x[1] = 0.5f;
        x[2] = -0.5f;
        // qs[32 + m]: elements 160 + m + 16n. All +1 for m = 3: v = 242 -> 255.
        for (int n = 0; n < 5; n++) x[160 + 3 + 16 * n] = 1;
        // qh[j]: elements 240 + j + 4n, four trits then a zero trit. j = 2: [-1,0,1,-1] -> v = 15 * 3 = 45 -> 48 = 0x30.
        x[242] = -1; x[246] = 0; x[250] = 1; x[254] = -1;
        // Zeros: five 1-trits are v = 121 -> 128 = 0x80; four in qh are 120 -> 127 = 0x7f.
        String expected = "bc d5 2b " + rep("80", 29) + " 80 80 80 ff " + rep("80", 12)
                + " 7f 7f 30 7f 00 3c";
        byte[] q = encode(GgmlType.TQ1_0, x);
        assertEquals(expected, hex(q));

        float[] want = x.clone();
        want[1] = 1;
        want[2] = -1;
        assertArrayEquals(want, decode(GgmlType.TQ1_0, q, 256));
    }

    @Test
    void zeroBlocks() {
        assertEquals(rep("55", 64) + " 00 00", hex(encode(GgmlType.TQ2_0, new float[256])));
        assertEquals(rep("80", 48) + " " + rep("7f", 4) + " 00 00", hex(encode(GgmlType.TQ1_0, new float[256])));
    }
}
