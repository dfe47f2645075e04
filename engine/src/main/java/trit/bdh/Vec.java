package trit.bdh;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The two float loops BDH spends its time in, y += a*x and x.y, over slices of arrays, with the
 * Vector API; {@link #axpyScalar} and {@link #dotScalar} are the references they are tested against.
 */
final class Vec {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    // Rotations by 8, 4, 2, 1 lanes (those within the species' length): the fixed summation tree of sum().
    // Separate static finals, not an array, so that the JIT treats each as a constant.
    private static final VectorShuffle<Float> R8 = rotation(8), R4 = rotation(4), R2 = rotation(2), R1 = rotation(1);

    private static VectorShuffle<Float> rotation(int lanes) {
        return lanes < S.length() ? VectorShuffle.iota(S, lanes, 1, true) : null;
    }

    private Vec() {}

    /** y[yo..yo+n) += a * x[xo..xo+n). */
    static void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        if (bound > 0) {
            FloatVector va = FloatVector.broadcast(S, a);
            for (; i < bound; i += S.length()) {
                FloatVector vx = FloatVector.fromArray(S, x, xo + i);
                FloatVector vy = FloatVector.fromArray(S, y, yo + i);
                vx.fma(va, vy).intoArray(y, yo + i);
            }
        }
        for (; i < n; i++) y[yo + i] = Math.fma(a, x[xo + i], y[yo + i]);
    }

    static float dot(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        float sum = 0;
        if (bound > 0) {
            FloatVector acc = FloatVector.zero(S);
            for (; i < bound; i += S.length()) {
                acc = FloatVector.fromArray(S, x, xo + i).fma(FloatVector.fromArray(S, y, yo + i), acc);
            }
            sum = sum(acc);
        }
        for (; i < n; i++) sum = Math.fma(x[xo + i], y[yo + i], sum);
        return sum;
    }

    /**
     * The lanes' sum in one fixed order. {@code reduceLanes(ADD)} leaves the order open, and the JIT's
     * intrinsic and the interpreter's fallback sum differently, which made two training runs with the same
     * seed differ in the last bits (and then in every step after).
     */
    static float sum(FloatVector v) {
        if (S.length() > 16) return v.reduceLanes(jdk.incubator.vector.VectorOperators.ADD); // no such CPU yet; order then left to the JDK
        if (R8 != null) v = v.add(v.rearrange(R8));
        if (R4 != null) v = v.add(v.rearrange(R4));
        if (R2 != null) v = v.add(v.rearrange(R2));
        if (R1 != null) v = v.add(v.rearrange(R1));
        return v.lane(0);
    }

    static void axpyScalar(float a, float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) y[yo + i] += a * x[xo + i];
    }

    static float dotScalar(float[] x, int xo, float[] y, int yo, int n) {
        float s = 0;
        for (int i = 0; i < n; i++) s += x[xo + i] * y[yo + i];
        return s;
    }
}
