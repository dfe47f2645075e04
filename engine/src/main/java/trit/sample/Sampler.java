package trit.sample;

/**
 * Chooses the next token from a model's logits, in llama.cpp's default order:
 *
 * <ol>
 *   <li>repetition penalty over the distinct ids among the last {@code repeatLastN} tokens of the
 *       {@link TokenWindow} ({@link Logits#penalize}), on a private copy: the caller's array is never
 *       modified;</li>
 *   <li>temperature 0: the argmax of the penalized logits, ties to the lowest id, and nothing else;</li>
 *   <li>otherwise top-k, top-p, min-p ({@link Candidates}; top-p and min-p judge probabilities at
 *       temperature 1, as llama.cpp does), then the softmax at the temperature over the survivors, and a
 *       draw with one uniform from a {@link SplitMix64} seeded with {@code config.seed()}.</li>
 * </ol>
 *
 * Every non-greedy call consumes exactly one random number, whatever the filters leave, so a sampler
 * created with the same config and fed the same logits and windows returns the same tokens on any JVM.
 * Working buffers (a few bytes per vocabulary entry) are kept between calls. Not thread-safe: use one
 * sampler per sequence.
 */
public final class Sampler {
    private final SamplerConfig config;
    private final SplitMix64 rng;
    private final Candidates candidates = new Candidates();
    private final int[] recentIds;
    private float[] penalized = new float[0];
    private double[] weights = new double[0];

    /** @throws trit.TritException if the config is invalid */
    public Sampler(SamplerConfig config) {
        this.config = config.validate();
        this.rng = new SplitMix64(config.seed());
        this.recentIds = new int[config.repeatLastN()];
    }

    public SamplerConfig config() {
        return config;
    }

    /** {@link #sample(float[], TokenWindow)} with no history (so no repetition penalty). */
    public int sample(float[] logits) {
        return sample(logits, null);
    }

    /**
     * The id of the chosen token. {@code logits} (one per vocabulary entry, see {@link Logits#check}) is
     * left unchanged; {@code recent} may be null, and is only read.
     *
     * @throws IllegalArgumentException if a logit is NaN or +Infinity, all are -Infinity, or a token in
     *     {@code recent} lies outside the vocabulary
     */
    public int sample(float[] logits, TokenWindow recent) {
        Logits.check(logits);
        float[] scores = applyPenalty(logits, recent);
        if (config.isGreedy()) return Logits.argmax(scores);
        candidates.reset(scores).topK(config.topK()).topP(config.topP()).minP(config.minP());
        if (weights.length < scores.length) weights = new double[scores.length];
        return candidates.draw(config.temperature(), rng.nextDouble(), weights);
    }

    /**
     * {@link #sample(float[], TokenWindow)}, with the chosen token's log probability under the softmax of
     * the raw, unmodified {@code logits} (see {@link Sample}). That costs one more pass of {@code exp}
     * over the vocabulary, so call {@link #sample} when it is not wanted.
     */
    public Sample next(float[] logits, TokenWindow recent) {
        int token = sample(logits, recent);
        return new Sample(token, Logits.logSoftmax(logits, token));
    }

    private float[] applyPenalty(float[] logits, TokenWindow recent) {
        if (recent == null || recent.size() == 0 || config.repeatLastN() == 0 || config.repeatPenalty() == 1f) {
            return logits;
        }
        int n = recent.distinctRecent(config.repeatLastN(), recentIds);
        if (penalized.length != logits.length) penalized = new float[logits.length];
        System.arraycopy(logits, 0, penalized, 0, logits.length);
        Logits.penalize(penalized, recentIds, n, config.repeatPenalty());
        return penalized;
    }
}
