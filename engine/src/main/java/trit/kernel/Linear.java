package trit.kernel;

import trit.tensor.GgmlType;

/**
 * A weight matrix of {@code rows x cols} (ggml shape [cols, rows]) kept in its GGUF encoding, applied
 * to float activations: {@code y = W x}. Implementations quantize the activations exactly as llama.cpp's
 * CPU backend does for that weight type (its {@code vec_dot_type}: Q8_0 blocks for Q4_0/Q8_0, Q8_K for
 * the K-quants and TQ types, F16 for F16, BF16 for BF16, int8 per-tensor absmax for I2_S as bitnet.cpp)
 * so that results track llama.cpp's, then run integer or float dot products row by row.
 */
public interface Linear {
    GgmlType type();

    int rows();

    int cols();

    /** {@code y[0 .. rows) = W x[0 .. cols)}. */
    void apply(float[] x, float[] y);

    /**
     * {@code n} products at once (prompt processing): {@code xs} holds n vectors of {@code cols}
     * back to back, {@code ys} receives n vectors of {@code rows}.
     */
    void applyBatch(float[] xs, float[] ys, int n);
}
