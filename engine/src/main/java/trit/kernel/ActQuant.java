package trit.kernel;

import trit.tensor.Half;

/**
 * Activation quantizers: the conversions llama.cpp's CPU backend (and bitnet.cpp for I2_S) apply to the
 * float input of a matrix product before the dot products. Codes come out in element order as 16-bit
 * values; kernels permute them afterwards ({@link Layout}).
 */
final class ActQuant {
    private ActQuant() {}

    static final int QK8_0 = 32;
    static final int QK_K = 256;

    /**
     * Q8_0 as {@code quantize_row_q8_0} of the x86 build (AVX2 path, which is the one compiled for any
     * AVX2 or AVX-512 CPU): per 32 elements amax = max|x|, d = amax / 127 stored as fp16, codes
     * {@code round_half_even(x * (127 / amax))} (note: 127/amax, not the reference's 1/d, and
     * {@code _mm256_round_ps} ties to even where the reference uses roundf), saturated to int8 by
     * {@code packs} (a NaN or out-of-range product gives -128, as {@code cvtps2dq} yields INT_MIN).
     * {@code d} receives the fp16 scale widened back to float, as the dot products read it.
     */
    static void q8_0(float[] x, int off, int n, short[] q, float[] d) {
        for (int b = 0; b < n / QK8_0; b++) {
            int o = off + b * QK8_0;
            float amax = 0f;
            for (int j = 0; j < QK8_0; j++) {
                float a = Math.abs(x[o + j]);
                amax = amax > a ? amax : a;       // _mm256_max_ps(acc, |x|)
            }
            d[b] = Half.f16ToFloat(Half.floatToF16(amax / 127.f));
            float id = amax != 0.0f ? 127.f / amax : 0.0f;
            for (int j = 0; j < QK8_0; j++) {
                q[b * QK8_0 + j] = (short) saturate8((float) Math.rint(x[o + j] * id));
            }
        }
    }

    /** {@code cvtps2dq} then the signed saturating packs to int8. */
    private static int saturate8(float r) {
        if (!(Math.abs(r) < 0x1p31f)) return -128;   // NaN, or outside int: "integer indefinite"
        return Math.clamp((long) r, -128, 127);
    }

    /**
     * Q8_K as {@code quantize_row_q8_K_ref} (the x86 build uses the reference): per 256 elements, max =
     * the signed value of largest magnitude (first on ties), iscale = -127 / max, codes
     * {@code nearest_int(iscale * x)} (round half to even) capped at 127, d = 1 / iscale as f32, and
     * {@code bsums} = sums of 16 codes. An all-zero block gets d = 0 and zero codes and sums.
     */
    static void q8_K(float[] x, int off, int n, short[] q, float[] d, int[] bsums) {
        for (int b = 0; b < n / QK_K; b++) {
            int o = off + b * QK_K;
            float iscale = Q8K.inverseScale(x, o, QK_K);
            if (Float.isNaN(iscale)) {
                d[b] = 0;
                java.util.Arrays.fill(q, b * QK_K, (b + 1) * QK_K, (short) 0);
                java.util.Arrays.fill(bsums, b * 16, (b + 1) * 16, 0);
                continue;
            }
            for (int j = 0; j < QK_K; j++) q[b * QK_K + j] = (short) Q8K.code(x[o + j], iscale);
            for (int j = 0; j < 16; j++) {
                int sum = 0;
                for (int i = 0; i < 16; i++) sum += q[b * QK_K + 16 * j + i];
                bsums[b * 16 + j] = sum;
            }
            d[b] = 1 / iscale;
        }
    }

    /**
     * bitnet.cpp's {@code quantize_row_i8_s} (its llama.cpp fork, ggml-quants.c): one scale for the whole
     * vector, max = MAX(1e-5, max|x|) in double, s = (float) (127 / max), codes
     * {@code nearest_int(x * s)} clamped to [-128, 127]; keeps s and the sum of the codes.
     */
    static void i8_s(float[] x, int off, int n, short[] q, Activation a) {
        double max = 0.00001;
        for (int i = 0; i < n; i++) {
            double ax = Math.abs((double) x[off + i]);
            max = max > ax ? max : ax;               // MAX(max, fabs(x)) as the C macro
        }
        float s = (float) (127 / max);
        int sum = 0;
        for (int i = 0; i < n; i++) {
            int v = Math.clamp(Q8K.nearestInt(x[off + i] * s), -128, 127);
            sum += v;
            q[i] = (short) v;
        }
        a.scale = s;
        a.sum = sum;
    }

    /** F16 activations ({@code ggml_cpu_fp32_to_fp16}, round to nearest even), widened back to float. */
    static void f16(float[] x, int off, int n, float[] out) {
        for (int i = 0; i < n; i++) out[i] = Half.f16ToFloat(Half.floatToF16(x[off + i]));
    }

    /** BF16 activations ({@code GGML_FP32_TO_BF16}, round to nearest even), widened back to float. */
    static void bf16(float[] x, int off, int n, float[] out) {
        for (int i = 0; i < n; i++) out[i] = Half.bf16ToFloat(Half.floatToBf16(x[off + i]));
    }
}
