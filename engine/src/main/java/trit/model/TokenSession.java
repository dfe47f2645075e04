package trit.model;

/**
 * One sequence being decoded by some model: tokens in, next-token logits out, with whatever state the
 * model keeps between tokens (a transformer's KV cache, BDH's synaptic state). {@link Generator} runs on
 * this, so any architecture that implements it gets generation and sampling.
 */
public interface TokenSession {
    /** Feeds {@code tokens} and returns the logits after the last one (the array may be reused). */
    float[] forward(int[] tokens);

    /** Feeds one token and returns the logits after it. */
    float[] forward(int token);

    /** Tokens fed so far. */
    int position();

    /** Most tokens the session can hold. */
    int contextLength();

    /** Bytes of state kept between tokens (KV cache, synaptic state). */
    long kvCacheBytes();
}
