package trit.bdh;

import trit.TritException;

/**
 * Shape of a BDH-GPU model (Pathway's "Dragon Hatchling", arXiv 2509.26507, reference code
 * pathwaycom/bdh). The encoder, value encoder and decoder are shared by every layer, as in the
 * reference: {@code layers} is how many times the same block is applied, not a parameter multiplier.
 *
 * @param layers    block applications (reference default 6)
 * @param dim       D, the residual width (reference 256)
 * @param heads     encoder heads; each owns {@code neurons} neurons (reference 4)
 * @param neurons   N, neurons per head (reference 128 * D / heads = 8192); must be even (RoPE pairs)
 * @param vocab     token count (256 for byte-level models)
 * @param ropeTheta RoPE base over neuron pairs (reference 2^16)
 */
public record BdhConfig(int layers, int dim, int heads, int neurons, int vocab, double ropeTheta) {
    /** LayerNorm epsilon, PyTorch's default as the reference uses it. */
    public static final float LN_EPS = 1e-5f;
    public static final double DEFAULT_THETA = 65536.0;

    public BdhConfig {
        positive("layers", layers);
        positive("dim", dim);
        positive("heads", heads);
        positive("neurons", neurons);
        positive("vocab", vocab);
        if (neurons % 2 != 0) throw new TritException("BDH neurons per head must be even (RoPE rotates pairs), got " + neurons);
        if (!(ropeTheta > 1) || Double.isInfinite(ropeTheta)) throw new TritException("BDH rope theta must be > 1, got " + ropeTheta);
        long enc = (long) heads * dim * neurons;
        if (enc > Integer.MAX_VALUE - 8) throw new TritException("BDH encoder of " + enc + " weights is too large for one array");
        if ((long) vocab * dim > Integer.MAX_VALUE - 8) throw new TritException("BDH embedding of " + vocab + " x " + dim + " is too large");
    }

    private static void positive(String what, int v) {
        if (v <= 0) throw new TritException("BDH " + what + " must be positive, got " + v);
    }

    /** The reference's sizing: N = multiplier * D / heads. */
    public static BdhConfig reference(int layers, int dim, int heads, int multiplier, int vocab) {
        if (dim * multiplier % heads != 0) throw new TritException("BDH dim * multiplier must divide by heads");
        return new BdhConfig(layers, dim, heads, multiplier * dim / heads, vocab, DEFAULT_THETA);
    }

    /** All neurons of a layer, heads side by side (the decoder's input width). */
    public int totalNeurons() {
        return heads * neurons;
    }

    public long parameterCount() {
        return 3L * heads * dim * neurons + 2L * vocab * dim;
    }
}
