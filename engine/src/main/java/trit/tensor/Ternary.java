package trit.tensor;

/**
 * BitNet b1.58 ternarization: W is replaced by s * clamp(round(W / s), -1, 1) with the absmean scale
 * s = mean(|W|), floored at 1e-5 like BitNet's {@code weight_quant}. Rounding is half to even, as
 * {@code torch.round}. A tensor that is already ternary (all nonzero |w| equal to within a relative
 * 1e-6) keeps its own scale instead, so converting a ternary model again changes nothing.
 */
public final class Ternary {
    private Ternary() {}

    /** Smallest absmean scale, as in BitNet's {@code clamp_(min=1e-5)}. */
    public static final float MIN_SCALE = 1e-5f;

    /** Relative tolerance within which nonzero magnitudes count as one ternary scale. */
    public static final double TERNARY_TOLERANCE = 1e-6;

    /**
     * @param scale         the value of a ±1 weight
     * @param zeroFraction  fraction of weights that became 0
     * @param alreadyTernary true when the input was ternary and its own scale was kept
     */
    public record Result(float scale, double zeroFraction, boolean alreadyTernary) {}

    /**
     * Ternarizes {@code w} into {@code out} (which may be {@code w} itself); every output is -s, +0 or s.
     *
     * @throws IllegalArgumentException if a weight is NaN or infinite
     */
    public static Result absmean(float[] w, float[] out) {
        if (out.length < w.length) throw new IllegalArgumentException("output shorter than input");
        for (int i = 0; i < w.length; i++) {
            if (!Float.isFinite(w[i])) throw new IllegalArgumentException("non-finite weight " + w[i] + " at " + i);
        }
        float own = ownScale(w);
        boolean ternary = !Float.isNaN(own);
        float s = ternary ? own : Math.max(MIN_SCALE, (float) meanAbs(w));
        long zeros = 0;
        for (int i = 0; i < w.length; i++) {
            float q = Math.clamp((float) Math.rint(w[i] / s), -1f, 1f);
            if (q == 0) zeros++;
            out[i] = q == 0 ? 0f : q * s;   // no -0.0 from small negative weights
        }
        return new Result(s, w.length == 0 ? 0 : (double) zeros / w.length, ternary);
    }

    /** Fraction of exact zeros (either sign) in a decoded tensor. */
    public static double zeroFraction(float[] w) {
        if (w.length == 0) return 0;
        long zeros = 0;
        for (float x : w) if (x == 0) zeros++;
        return (double) zeros / w.length;
    }

    /** mean(|w|), summed in double. */
    static double meanAbs(float[] w) {
        double sum = 0;
        for (float x : w) sum += Math.abs(x);
        return w.length == 0 ? 0 : sum / w.length;
    }

    /**
     * The common magnitude of the nonzero weights (their mean, exactly the value when all are equal),
     * or NaN when they differ by more than the tolerance or there are none.
     */
    static float ownScale(float[] w) {
        float ref = 0;
        double sum = 0;
        long count = 0;
        for (float x : w) {
            if (x == 0) continue;
            float a = Math.abs(x);
            if (ref == 0) ref = a;
            if (!(Math.abs((double) a - ref) <= TERNARY_TOLERANCE * ref)) return Float.NaN;
            sum += a;
            count++;
        }
        return count == 0 ? Float.NaN : (float) (sum / count);
    }
}
