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
}
