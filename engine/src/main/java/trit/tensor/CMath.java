package trit.tensor;

/**
 * C library rounding and conversion semantics that ggml's reference quantizers rely on and that Java
 * spells differently. Out-of-range and NaN conversions are undefined in C; these follow what
 * gcc-compiled ggml does on x86-64 ({@code cvttss2si} yields the "integer indefinite" value
 * {@code INT_MIN}/{@code LONG_MIN}), so even degenerate blocks encode identically.
 */
final class CMath {
    private CMath() {}

    /** C {@code roundf}: nearest integer, halfway cases away from zero (Java's Math.round rounds them up). */
    static float roundf(float x) {
        // Adding 0.5 in double is exact for every float below 2^52; larger floats are already integers.
        double r = Math.floor(Math.abs((double) x) + 0.5);
        return (float) Math.copySign(r, x);
    }

    /** C {@code lroundf} as glibc computes it on x86-64: NaN, infinities and overflow give LONG_MIN. */
    static long lroundf(float x) {
        float r = roundf(x);
        return Float.isNaN(r) || Math.abs(r) >= 0x1p63f ? Long.MIN_VALUE : (long) r;
    }

    /** C {@code (int) x} on x86-64: truncates toward zero; NaN and overflow give INT_MIN. */
    static int toInt(float x) {
        return Float.isNaN(x) || x >= 0x1p31f || x < -0x1p31f ? Integer.MIN_VALUE : (int) x;
    }

    /** C {@code (int8_t) x}: the float is truncated to an int, then only its low byte is kept. */
    static byte toInt8(float x) {
        return (byte) toInt(x);
    }

    /** ggml's {@code MAX(a, b)} macro, {@code a > b ? a : b}: a NaN operand on the left is dropped. */
    static float max(float a, float b) {
        return a > b ? a : b;
    }

    /**
     * The block scale loop {@code amax = MAX(amax, fabsf(x[j]))} shared by q8_0, tq1_0 and tq2_0,
     * keeping the macro's NaN behaviour.
     */
    static float absMax(float[] x, int off, int n) {
        float amax = 0f;
        for (int j = off; j < off + n; j++) amax = max(amax, Math.abs(x[j]));
        return amax;
    }
}
