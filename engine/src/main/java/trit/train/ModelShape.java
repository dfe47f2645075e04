package trit.train;

import trit.TritException;

/**
 * The shape of a model the trainer builds: trit's runtime {@code bitnet} architecture (llama.cpp's
 * LLM_ARCH_BITNET) with tied embedding/output, sub-norms and NeoX RoPE.
 */
public record ModelShape(int vocab, int dim, int layers, int heads, int kvHeads, int ffn, int ctx, float ropeBase, float eps) {
    public static final float DEFAULT_ROPE_BASE = 10000f;
    public static final float DEFAULT_EPS = 1e-5f;

    public ModelShape {
        if (vocab < 2 || dim < 2 || layers < 1 || heads < 1 || kvHeads < 1 || ffn < 1 || ctx < 1) {
            throw new TritException("invalid model shape: vocab " + vocab + ", dim " + dim + ", layers " + layers + ", heads "
                    + heads + ", kv-heads " + kvHeads + ", ffn " + ffn + ", ctx " + ctx + " (all must be positive)");
        }
        if (dim % heads != 0 || (dim / heads) % 2 != 0) {
            throw new TritException("--dim " + dim + " must be a multiple of --heads " + heads + " with an even head size");
        }
        if (heads % kvHeads != 0) throw new TritException("--heads " + heads + " must be a multiple of --kv-heads " + kvHeads);
    }

    public int headDim() { return dim / heads; }
    public int qDim() { return dim; }
    public int kvDim() { return kvHeads * headDim(); }

    /** Parameters in one layer: two norms, two sub-norms, seven matrices. */
    public long layerParameters() {
        return 2L * dim + qDim() + ffn
                + (long) dim * qDim() + 2L * dim * kvDim() + (long) qDim() * dim
                + 3L * dim * ffn;
    }

    /** All parameters (the embedding counted once: the output is tied to it). */
    public long parameters() {
        return (long) vocab * dim + dim + layers * layerParameters();
    }

    /** Parameters in the ternary matrices. */
    public long matrixParameters() {
        return layers * ((long) dim * qDim() + 2L * dim * kvDim() + (long) qDim() * dim + 3L * dim * ffn);
    }

    /**
     * Model FLOPs per trained token, the convention of PaLM's MFU: 6 per parameter (forward, and twice
     * that backward; the embedding lookup is free but its tied use as the output is a product, so it
     * counts) plus the attention scores and mixes, 6 * 2 * layers * ctx * dim (all key positions,
     * causal masking not subtracted).
     */
    public double flopsPerToken() {
        return 6.0 * parameters() + 12.0 * layers * ctx * qDim();
    }
}
