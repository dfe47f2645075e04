package trit.bdh;

import trit.TritException;
import trit.model.TokenSession;

/**
 * A BDH model decoding one sequence through its recurrent form, for {@link trit.model.Generator}.
 * The state has a fixed size whatever the length, so the context limit is only the one asked for.
 */
public final class BdhSession implements TokenSession {
    private final BdhRecurrent r;
    private final int contextLength;

    public BdhSession(BdhRecurrent recurrent, int contextLength) {
        if (contextLength < 1) throw new TritException("context length must be positive, got " + contextLength);
        this.r = recurrent;
        this.contextLength = contextLength;
    }

    public BdhRecurrent recurrent() {
        return r;
    }

    @Override
    public float[] forward(int[] tokens) {
        if (tokens.length == 0) throw new IllegalArgumentException("no tokens");
        if (position() + tokens.length > contextLength) {
            throw new TritException("the sequence needs " + (position() + tokens.length) + " positions but the context holds "
                    + contextLength + " (use a longer --ctx or fewer tokens)");
        }
        float[] logits = null;
        for (int t : tokens) logits = r.step(t);
        return logits;
    }

    @Override
    public float[] forward(int token) {
        return forward(new int[] {token});
    }

    @Override
    public int position() {
        return (int) r.position();
    }

    @Override
    public int contextLength() {
        return contextLength;
    }

    /** The synaptic state (every layer's rho), which takes the place of a KV cache. */
    @Override
    public long kvCacheBytes() {
        return r.stateBytes();
    }
}
