package trit.sample;

/** Operations on a whole vector of logits, indexed by token id. */
public final class Logits {
    private Logits() {}

    /**
     * Returns the highest logit, and throws {@link IllegalArgumentException} unless {@code logits} is
     * non-empty, holds no NaN and no {@code +Infinity}, and has at least one finite value.
     * {@code -Infinity} is allowed: it marks a token that can never be chosen.
     */
    public static float check(float[] logits) {
        if (logits.length == 0) throw new IllegalArgumentException("no logits");
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < logits.length; i++) {
            float v = logits[i];
            if (!(v <= max)) {                       // a new maximum, NaN or +Infinity: rarely taken
                if (v != v || v == Float.POSITIVE_INFINITY) {
                    throw new IllegalArgumentException("logit of token " + i + " is " + v);
                }
                max = v;
            }
        }
        if (max == Float.NEGATIVE_INFINITY) throw new IllegalArgumentException("every logit is -Infinity");
        return max;
    }

    /** The id of the highest logit; ties go to the lowest id. */
    public static int argmax(float[] logits) {
        int best = 0;
        float max = logits[0];
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > max) {
                max = logits[i];
                best = i;
            }
        }
        return best;
    }

    /**
     * llama.cpp's repetition penalty, in place: each of {@code tokens[0 .. count)} (distinct ids) has its
     * logit divided by {@code penalty} if positive and multiplied by it otherwise, so a penalty above 1
     * always makes the token less likely. Applying it once per distinct id, however often the id recurs,
     * is llama.cpp's rule too.
     */
    public static void penalize(float[] logits, int[] tokens, int count, float penalty) {
        for (int i = 0; i < count; i++) {
            int t = tokens[i];
            if (t < 0 || t >= logits.length) {
                throw new IllegalArgumentException("token id " + t + " outside a vocabulary of " + logits.length);
            }
            float v = logits[t];
            logits[t] = v > 0f ? v / penalty : v * penalty;
        }
    }

    /**
     * {@code log softmax(logits)[token]}, computed in double as {@code (l_t - max) - log(sum exp(l_i - max))}.
     * {@code -Infinity} for a token whose logit is {@code -Infinity}.
     */
    public static double logSoftmax(float[] logits, int token) {
        if (token < 0 || token >= logits.length) {
            throw new IllegalArgumentException("token id " + token + " outside a vocabulary of " + logits.length);
        }
        float max = logits[0];
        for (int i = 1; i < logits.length; i++) if (logits[i] > max) max = logits[i];
        double sum = 0;
        for (float v : logits) sum += Math.exp((double) v - max);
        return ((double) logits[token] - max) - Math.log(sum);
    }
}
