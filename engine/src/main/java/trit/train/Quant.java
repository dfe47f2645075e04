package trit.train;

import trit.kernel.Parallel;
import trit.kernel.Q8K;

/**
 * BitNet b1.58 quantizers for quantization-aware training; the forward pass sees their outputs, the
 * backward pass treats them as the identity (straight-through estimator).
 *
 * <p>Weights: BitNet's absmean, {@code s = max(1e-5, mean|W|)}, {@code W -> s * clamp(round(W / s), -1, 1)}
 * (round half to even), the same rule as {@link trit.tensor.Ternary}.
 *
 * <p>Activations: int8 with absmax, per token, in blocks of 256 along the row, with exactly the arithmetic
 * of llama.cpp's {@code quantize_row_q8_K_ref} (the signed value of largest magnitude m, iscale = -127/m,
 * codes {@code nearest_int(iscale * x)} capped at 127, value = code / iscale; {@link Q8K}). That is what trit's
 * runtime and llama.cpp do to the activations before a TQ1_0/TQ2_0 product, so an exported ternary model
 * computes the same products as training did. BitNet's paper scales per token over the whole row; for a
 * row of 256 (or fewer) elements the two coincide, for longer rows the blocks give each 256 elements their
 * own scale, which can only lower the rounding error.
 */
public final class Quant {
    private Quant() {}

    public static final int BLOCK = 256;
    public static final float MIN_SCALE = 1e-5f;

    /** The absmean scale of {@code w[off .. off+n)}, summed in double. */
    public static float absmeanScale(float[] w, int off, int n) {
        double sum = 0;
        for (int i = off; i < off + n; i++) sum += Math.abs(w[i]);
        return Math.max(MIN_SCALE, (float) (sum / n));
    }

    /** The ternary code (-1, 0, 1) of w under scale s. */
    public static int code(float w, float s) {
        return (int) Math.clamp((float) Math.rint(w / s), -1f, 1f);
    }

    /** Writes {@code s * code(w)} for the n weights of {@code w[off..]} into {@code out[off..]}; returns s. */
    public static float ternary(float[] w, int off, int n, float[] out, Parallel pool) {
        float s = absmeanScale(w, off, n);
        Ops.rows(pool, n / 4096 + 1, (c0, c1) -> {
            for (int i = off + c0 * 4096; i < off + Math.min(n, c1 * 4096); i++) out[i] = code(w[i], s) * s;
        });
        return s;
    }

    /** Quantizes and dequantizes n rows of d activations (in may equal out). */
    public static void activations(float[] in, float[] out, int n, int d, Parallel pool) {
        Ops.rows(pool, n, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                for (int b = 0; b < d; b += BLOCK) block(in, out, t * d + b, Math.min(BLOCK, d - b));
            }
        });
    }

    private static void block(float[] x, float[] out, int off, int n) {
        float iscale = Q8K.inverseScale(x, off, n);
        if (Float.isNaN(iscale)) {
            java.util.Arrays.fill(out, off, off + n, 0f);
            return;
        }
        float d = 1 / iscale;
        for (int j = 0; j < n; j++) out[off + j] = Q8K.code(x[off + j], iscale) * d;
    }
}
