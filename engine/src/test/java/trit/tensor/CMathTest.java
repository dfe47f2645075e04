package trit.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CMathTest {
    @Test
    void roundfRoundsHalfwayCasesAwayFromZero() {
        assertEquals(1f, CMath.roundf(0.5f));
        assertEquals(-1f, CMath.roundf(-0.5f));   // Math.round(-0.5f) is 0
        assertEquals(3f, CMath.roundf(2.5f));     // Math.rint(2.5) is 2
        assertEquals(-3f, CMath.roundf(-2.5f));
        assertEquals(0f, CMath.roundf(0.49999997f)); // 0.49999997f + 0.5f rounds up to 1 in float arithmetic
        assertEquals(-2f, CMath.roundf(-1.5f));
        assertEquals(8388609f, CMath.roundf(8388609f));
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(CMath.roundf(-0.25f)));
        assertEquals(Float.POSITIVE_INFINITY, CMath.roundf(Float.POSITIVE_INFINITY));
    }

    @Test
    void conversionsFollowX86ForUndefinedCases() {
        assertEquals(-1L, CMath.lroundf(-0.5f));
        assertEquals(Long.MIN_VALUE, CMath.lroundf(Float.POSITIVE_INFINITY));
        assertEquals(Long.MIN_VALUE, CMath.lroundf(Float.NaN));
        assertEquals(-1, CMath.toInt(-1.9f));              // truncation toward zero
        assertEquals(Integer.MIN_VALUE, CMath.toInt(3e9f));
        assertEquals((byte) 200, CMath.toInt8(200.7f));    // only the low byte survives
        assertEquals(0, CMath.toInt8(Float.NaN));
        assertEquals(0, CMath.toInt8(Float.POSITIVE_INFINITY)); // Java's (byte)(int) would give -1
    }

    @Test
    void absMaxKeepsTheMacrosNanBehaviour() {
        // MAX(amax, NaN) is NaN, and a later MAX(NaN, v) is v: only values after the last NaN count.
        assertEquals(2f, CMath.absMax(new float[] {5f, Float.NaN, -2f, 1f}, 0, 4));
        assertEquals(5f, CMath.absMax(new float[] {5f, -2f, 1f}, 0, 3));
        assertEquals(3f, CMath.absMax(new float[] {0f, -3f}, 0, 2));
    }
}
