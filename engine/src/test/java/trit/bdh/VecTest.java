package trit.bdh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The Vector API loops against their scalar references, over odd sizes and offsets. */
class VecTest {
    @Test
    void axpyAndDotMatchScalarReferences() {
        for (int n : new int[] {0, 1, 3, 7, 8, 15, 16, 17, 31, 33, 64, 100, 257}) {
            for (int off : new int[] {0, 1, 5}) {
                float[] x = BdhGradientTest.gaussian(n + off, n * 31L + off, 1f);
                float[] y = BdhGradientTest.gaussian(n + off + 3, n * 17L + off, 1f);
                float[] y2 = y.clone();
                Vec.axpy(0.37f, x, off, y, 3, n);
                Vec.axpyScalar(0.37f, x, off, y2, 3, n);
                for (int i = 0; i < y.length; i++) assertEquals(y2[i], y[i], 1e-6, "axpy n=" + n + " i=" + i);
                double ref = Vec.dotScalar(x, off, y, 2, n);
                assertEquals(ref, Vec.dot(x, off, y, 2, n), 1e-5 * Math.max(1, Math.sqrt(n)), "dot n=" + n);
            }
        }
    }

    /**
     * The lane sum follows one fixed tree (add the lanes L/2 apart, then L/4, ..., 1), the same bits every
     * call whether the JIT has compiled it or not; a reduction left to the JDK gave training runs that
     * differed in the last bits.
     */
    @Test
    void laneSumFollowsTheFixedTree() {
        jdk.incubator.vector.VectorSpecies<Float> sp = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;
        int L = sp.length();
        for (long seed = 1; seed <= 50; seed++) {
            float[] lanes = BdhGradientTest.gaussian(L, seed, 1e3f);
            lanes[0] = 1e7f; // large against small: a different order gives different bits
            float[] t = lanes.clone();
            for (int r = L / 2; r >= 1; r /= 2) {
                float[] next = new float[L];
                for (int i = 0; i < L; i++) next[i] = t[i] + t[(i + r) % L];
                t = next;
            }
            float got = 0;
            for (int rep = 0; rep < 3; rep++) {
                got = Vec.sum(jdk.incubator.vector.FloatVector.fromArray(sp, lanes, 0));
                assertEquals(Float.floatToIntBits(t[0]), Float.floatToIntBits(got), "seed " + seed + ": " + t[0] + " vs " + got);
            }
        }
    }
}
