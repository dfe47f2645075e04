package trit.tensor;

/**
 * IEEE binary16 and bfloat16 conversions with ggml's exact bit results (ggml-impl.h), including its
 * NaN rules, which differ from the JDK's payload-preserving {@link Float#floatToFloat16}.
 * Half values travel as the raw 16 bits in a {@code short}.
 */
public final class Half {
    private Half() {}

    /** fp16 to fp32; exact for every non-NaN value. NaNs keep their payload and come back quiet. */
    public static float f16ToFloat(short h) {
        int bits = h & 0xFFFF;
        if ((bits & 0x7C00) == 0x7C00 && (bits & 0x03FF) != 0) {
            // ggml rebuilds the value with an fp32 multiply, which sets the quiet bit of a signalling NaN.
            int sign = (bits & 0x8000) << 16;
            return Float.intBitsToFloat(sign | 0x7FC0_0000 | (bits & 0x03FF) << 13);
        }
        return Float.float16ToFloat(h);
    }

    /** fp32 to fp16, round to nearest even ({@code GGML_FP32_TO_FP16}); every NaN becomes ±0x7E00. */
    public static short floatToF16(float f) {
        if (Float.isNaN(f)) {
            return (short) (Float.floatToRawIntBits(f) >>> 16 & 0x8000 | 0x7E00);
        }
        return Float.floatToFloat16(f);
    }

    /** bf16 to fp32: the bf16 bits are the high half of the float. */
    public static float bf16ToFloat(short b) {
        return Float.intBitsToFloat((b & 0xFFFF) << 16);
    }

    /**
     * fp32 to bf16 as ggml's {@code ggml_compute_fp32_to_bf16}: round to nearest even, except that a NaN
     * is truncated and forced quiet (so a signalling NaN cannot round into an infinity).
     */
    public static short floatToBf16(float f) {
        int u = Float.floatToRawIntBits(f);
        if ((u & 0x7FFF_FFFF) > 0x7F80_0000) {
            return (short) (u >>> 16 | 0x40);
        }
        return (short) (u + 0x7FFF + (u >>> 16 & 1) >>> 16);
    }
}
