package trit.bdh;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The two float loops BDH spends its time in, y += a*x and x.y, over slices of arrays, with the
 * Vector API; {@link #axpyScalar} and {@link #dotScalar} are the references they are tested against.
 */
final class Vec {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

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
            sum = acc.reduceLanes(VectorOperators.ADD);
        }
        for (; i < n; i++) sum = Math.fma(x[xo + i], y[yo + i], sum);
        return sum;
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
