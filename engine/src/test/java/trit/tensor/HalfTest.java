package trit.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HalfTest {
    private static int f16(float f) { return Half.floatToF16(f) & 0xFFFF; }
    private static int bf16(int floatBits) { return Half.floatToBf16(Float.intBitsToFloat(floatBits)) & 0xFFFF; }
    private static int bits(float f) { return Float.floatToRawIntBits(f); }

    @Test
    void fp16RoundsToNearestEven() {
        assertEquals(0x3C00, f16(1f));
        assertEquals(0x3C00, f16(1f + 0x1p-11f));        // tie between 1 and 1+2^-10: even
        assertEquals(0x3C02, f16(1f + 3 * 0x1p-11f));    // tie between odd 0x3C01 and 0x3C02: even
        assertEquals(0x3C01, f16(Math.nextUp(1f + 0x1p-11f)));
        assertEquals(0x7BFF, f16(65504f));
        assertEquals(0x7BFF, f16(Math.nextDown(65520f)));
        assertEquals(0x7C00, f16(65520f));               // tie with 2^16 rounds to even: infinity
        assertEquals(0x0001, f16(0x1p-24f));             // smallest subnormal
        assertEquals(0x0000, f16(0x1p-25f));             // half of it ties to even zero
        assertEquals(0x0002, f16(3 * 0x1p-25f));         // 1.5 subnormal ulps: even 2
        assertEquals(0x8000, f16(-0f));
        assertEquals(0xC000, f16(-2f));
        assertEquals(0x3555, f16(1f / 3));
    }

    @Test
    void fp16SpecialValuesFollowGgml() {
        assertEquals(0x7C00, f16(Float.POSITIVE_INFINITY));
        assertEquals(0xFC00, f16(Float.NEGATIVE_INFINITY));
        assertEquals(0x7E00, f16(Float.intBitsToFloat(0x7F80_0001)));   // payload dropped, quiet
        assertEquals(0x7E00, f16(Float.intBitsToFloat(0x7FFF_FFFF)));
        assertEquals(0xFE00, f16(Float.intBitsToFloat(0xFFC0_0000)));
    }

    @Test
    void fp16Decoding() {
        assertEquals(1f, Half.f16ToFloat((short) 0x3C00));
        assertEquals(-2f, Half.f16ToFloat((short) 0xC000));
        assertEquals(0x1p-24f, Half.f16ToFloat((short) 0x0001));
        assertEquals(65504f, Half.f16ToFloat((short) 0x7BFF));
        assertEquals(0.333251953125f, Half.f16ToFloat((short) 0x3555));
        assertEquals(bits(Float.NEGATIVE_INFINITY), bits(Half.f16ToFloat((short) 0xFC00)));
        assertEquals(0x7FC0_2000, bits(Half.f16ToFloat((short) 0x7C01)));  // signalling NaN comes back quiet
        assertEquals(0xFFC0_0000, bits(Half.f16ToFloat((short) 0xFE00)));
        assertEquals(0x7FFF_E000, bits(Half.f16ToFloat((short) 0x7FFF)));
    }

    @Test
    void bf16RoundsToNearestEvenAndQuietsNans() {
        assertEquals(0x3F80, bf16(0x3F80_0000));
        assertEquals(0x3F80, bf16(0x3F80_8000));   // tie, even low bit stays
        assertEquals(0x3F82, bf16(0x3F81_8000));   // tie, odd low bit rounds up
        assertEquals(0x3F81, bf16(0x3F80_8001));
        assertEquals(0x3F80, bf16(0x3F80_7FFF));
        assertEquals(0x7F80, bf16(0x7F7F_FFFF));   // largest float rounds to infinity
        assertEquals(0xFF80, bf16(0xFF80_0000));
        assertEquals(0x7FC0, bf16(0x7F80_0001));   // a signalling NaN would round to infinity without the rule
        assertEquals(0xFFC1, bf16(0xFF81_2345));   // truncated payload, quiet bit forced
        assertEquals(0x8000, bf16(0x8000_0000));
        assertEquals(0x0001, bf16(0x0000_8001));   // subnormals are rounded, not flushed
    }

    @Test
    void bf16Decoding() {
        assertEquals(1f, Half.bf16ToFloat((short) 0x3F80));
        assertEquals(0x7FC1_0000, bits(Half.bf16ToFloat((short) 0x7FC1)));
        assertEquals(-0x1p-133f, Half.bf16ToFloat((short) 0x8001));
    }
}
