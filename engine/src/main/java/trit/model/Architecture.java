package trit.model;

/**
 * The transformer variants trit runs, as llama.cpp and bitnet.cpp name them in
 * {@code general.architecture}. They share one forward pass and differ in these switches.
 */
public enum Architecture {
    /** RMSNorm, RoPE on adjacent pairs, grouped-query attention, SwiGLU, tied or separate output. */
    LLAMA("llama", RopeStyle.ADJACENT, Activation.SWIGLU, false, false),
    /** As llama, plus RMSNorm of each query and key head before RoPE (attn_q_norm / attn_k_norm), NeoX RoPE. */
    QWEN3("qwen3", RopeStyle.NEOX, Activation.SWIGLU, false, false),
    /** llama.cpp's BitNet (1bitLLM): sub-norms before the attention output and FFN down projections,
     *  optional per-tensor weight scales, NeoX RoPE, output tied to the token embedding. */
    BITNET("bitnet", RopeStyle.NEOX, Activation.SWIGLU, true, true),
    /** bitnet.cpp's BitNet b1.58 (2B4T): as BITNET with a squared-ReLU gated FFN and an optional separate output. */
    BITNET_B158("bitnet-b1.58", RopeStyle.NEOX, Activation.RELU2, true, false),
    /** bitnet.cpp's name for the same graph in some conversions. */
    BITNET_25("bitnet-25", RopeStyle.NEOX, Activation.RELU2, true, false);

    public enum RopeStyle {
        /** Rotates (x[2i], x[2i+1]) (llama.cpp's LLAMA_ROPE_TYPE_NORM). */
        ADJACENT,
        /** Rotates (x[i], x[i + n/2]) (LLAMA_ROPE_TYPE_NEOX). */
        NEOX
    }

    public enum Activation {
        /** silu(gate) * up */
        SWIGLU,
        /** relu(gate)^2 * up */
        RELU2
    }

    private final String gguf;
    public final RopeStyle rope;
    public final Activation activation;
    public final boolean subNorms;
    public final boolean alwaysTiedOutput;

    /** Per-head RMSNorm of queries and keys (Qwen3). */
    public boolean qkNorm() {
        return this == QWEN3;
    }

    Architecture(String gguf, RopeStyle rope, Activation activation, boolean subNorms, boolean alwaysTiedOutput) {
        this.gguf = gguf;
        this.rope = rope;
        this.activation = activation;
        this.subNorms = subNorms;
        this.alwaysTiedOutput = alwaysTiedOutput;
    }

    public String ggufName() {
        return gguf;
    }

    public static Architecture byName(String name) {
        for (Architecture a : values()) if (a.gguf.equals(name)) return a;
        return null;
    }

    static String names() {
        StringBuilder b = new StringBuilder();
        for (Architecture a : values()) b.append(b.isEmpty() ? "" : ", ").append(a.gguf);
        return b.toString();
    }
}
