package trit.kernel;

/**
 * The arithmetic of llama.cpp's {@code quantize_row_q8_K_ref}, shared by the runtime's activation
 * quantizer ({@link ActQuant#q8_K}) and the ternary trainer's forward pass ({@code trit.train.Quant}),
 * which must round exactly alike so that an exported model computes what training computed.
 */
public final class Q8K {
    private Q8K() {}

    /**
     * {@code iscale = -127 / max} for {@code x[off .. off + n)}, max being the signed value of largest
     * magnitude (the first on ties); NaN for an all-zero block (not 0: an infinite max gives -0, whose
     * block llama.cpp scales by {@code 1 / -0 = -inf}, and so does trit).
     */
    public static float inverseScale(float[] x, int off, int n) {
        float max = 0, amax = 0;
        for (int j = 0; j < n; j++) {
            float ax = Math.abs(x[off + j]);
            if (ax > amax) {
                amax = ax;
                max = x[off + j];
            }
        }
        return amax == 0 ? Float.NaN : -127.f / max;
    }

    /** The code of {@code x}: {@code nearest_int(iscale * x)} capped at 127. */
    public static int code(float x, float iscale) {
        return Math.min(127, nearestInt(iscale * x));
    }

    /**
     * ggml's {@code nearest_int}: adds 1.5 * 2^23 and reads the mantissa, i.e. rounds half to even for
     * |x| &lt;= 2^22 (the only range ggml calls it with; a NaN gives 0 there as here).
     */
    public static int nearestInt(float x) {
        float v = x + 12582912.f;
        return (Float.floatToRawIntBits(v) & 0x007fffff) - 0x00400000;
    }
}
