package trit.kernel;

/**
 * One activation vector converted to a weight type's {@code vec_dot_type}, in the order a row kernel
 * reads it. Instances are scratch space: a kernel's {@code prepare} (re)fills them, growing the arrays
 * when needed, so a Linear can reuse one per call.
 */
final class Activation {
    /** int8 codes widened to 16 bits, in kernel order (padded slots hold 0). */
    short[] q = new short[0];
    /** Scale of each block of codes, as the dot product uses it (Q8_0: the stored fp16 d, widened). */
    float[] d = new float[0];
    /** Q8_K: sum of the codes of each 16 elements ({@code bsums}), in element order. */
    int[] bsums = new int[0];
    /**
     * Ternary kernels: per block and per short lane, minus the sum of the codes that lane reads, so
     * that accumulating {@code code * q} on top of it gives {@code (code - 1) * q}.
     */
    short[] bias = new short[0];
    /** Float activations (F32, or rounded through F16 / BF16) for the float types. */
    float[] f = new float[0];
    /** Codes in element order, before a kernel layout permutes them into {@link #q}. */
    short[] natural = new short[0];
    /** I8_S: the activation scale {@code 127 / max|x|} and the sum of the codes. */
    float scale;
    int sum;

    short[] q(int n) {
        if (q.length < n) q = new short[n];
        return q;
    }

    short[] natural(int n) {
        if (natural.length < n) natural = new short[n];
        return natural;
    }

    float[] d(int n) {
        if (d.length < n) d = new float[n];
        return d;
    }

    int[] bsums(int n) {
        if (bsums.length < n) bsums = new int[n];
        return bsums;
    }

    short[] bias(int n) {
        if (bias.length < n) bias = new short[n];
        return bias;
    }

    float[] f(int n) {
        if (f.length < n) f = new float[n];
        return f;
    }
}
