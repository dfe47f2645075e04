package trit.sample;

/**
 * A chosen token and its natural-log probability under the model's own distribution: the plain softmax of
 * the raw logits, before any repetition penalty, filter or temperature (what {@code trit generate --json}
 * reports as {@code logprob}). It is therefore comparable across sampler settings, and {@code 0} only when
 * the model itself was certain.
 */
public record Sample(int token, double logProb) {}
