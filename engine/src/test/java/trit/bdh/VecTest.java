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
     * The blocked row-times-matrix gives the scalar reference's bits (same fma order) over odd shapes, strides
     * and offsets, with zeros in the row, and the bits of clearing y and calling axpy row by row.
     */
    @Test
    void matvecMatchesScalarReferenceBitForBit() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(11);
        for (int n : new int[] {1, 3, 10, 15, 16, 17, 47, 64, 65, 100, 128, 131}) {
            for (int k : new int[] {1, 2, 7, 64}) {
                int stride = n + r.nextInt(4), wo = r.nextInt(5), ao = r.nextInt(3), yo = r.nextInt(4);
                float[] a = BdhGradientTest.gaussian(ao + k, n * 7L + k, 1f);
                for (int i = 0; i < a.length; i++) if (r.nextInt(3) == 0) a[i] = 0f; // sparse rows, as after a ReLU
                float[] w = BdhGradientTest.gaussian(wo + k * stride + n, n * 13L + k, 1f);
                float[] y = BdhGradientTest.gaussian(yo + n + 2, k, 1f), ref = y.clone(), rows = y.clone();
                Vec.matvec(a, ao, k, w, wo, stride, y, yo, n);
                Vec.productScalar(a, ao, 0, 1, 1, k, w, wo, stride, ref, yo, 0, n, false);
                java.util.Arrays.fill(rows, yo, yo + n, 0f);
                for (int i = 0; i < k; i++) if (a[ao + i] != 0) Vec.axpy(a[ao + i], w, wo + i * stride, rows, yo, n);
                for (int j = 0; j < y.length; j++) {
                    assertEquals(Float.floatToIntBits(ref[j]), Float.floatToIntBits(y[j]), "matvec vs scalar n=" + n + " k=" + k + " j=" + j);
                    assertEquals(Float.floatToIntBits(rows[j]), Float.floatToIntBits(y[j]), "matvec vs axpy rows n=" + n + " k=" + k + " j=" + j);
                }
            }
        }
    }

    /** Dots against many rows (blocks of four, leftover rows, odd lengths) give {@link Vec#dot}'s bits. */
    @Test
    void dotsGiveDotsBits() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(13);
        for (int count : new int[] {0, 1, 3, 4, 7, 9}) {
            for (int n : new int[] {1, 5, 16, 17, 33, 128, 131}) {
                int stride = n + r.nextInt(4), xo = r.nextInt(3), yo = r.nextInt(3), oo = r.nextInt(2);
                float[] x = BdhGradientTest.gaussian(xo + n, count * 3L + n, 1f);
                x[xo] = 1e6f; // large against small: another summation order gives other bits
                float[] y = BdhGradientTest.gaussian(yo + count * stride + n, n * 5L + count, 1f);
                float[] out = new float[oo + count + 1];
                Vec.dots(x, xo, y, yo, stride, count, n, out, oo);
                for (int k = 0; k < count; k++) {
                    float ref = Vec.dot(x, xo, y, yo + k * stride, n);
                    assertEquals(Float.floatToIntBits(ref), Float.floatToIntBits(out[oo + k]), "count=" + count + " n=" + n + " row " + k);
                }
                assertEquals(0f, out[oo + count], "wrote past the rows");
            }
        }
    }

    /** The branch-free ReLU and the positive and non-zero counts against scalar loops, with NaN, -0 and +0 among the values. */
    @Test
    void reluAndCountMatchScalar() {
        for (int n : new int[] {0, 1, 7, 16, 17, 40, 129}) {
            float[] a = BdhGradientTest.gaussian(n + 3, n + 1L, 1f);
            if (n > 2) {
                a[2] = Float.NaN;
                a[3] = -0f;
                a[4] = 0f;
            }
            float[] ref = a.clone();
            int count = 0;
            for (int i = 2; i < 2 + n; i++) if (a[i] > 0) count++;
            assertEquals(count, Vec.countPositive(a, 2, n), "count n=" + n);
            int nonZero = 0;
            for (int i = 2; i < 2 + n; i++) if (a[i] != 0) nonZero++;
            assertEquals(nonZero, Vec.countNonZero(a, 2, n), "non-zero n=" + n);
            Vec.relu(a, 2, n);
            Vec.reluScalar(ref, 2, n);
            for (int i = 0; i < a.length; i++) assertEquals(Float.floatToIntBits(ref[i]), Float.floatToIntBits(a[i]), "relu n=" + n + " i=" + i);
        }
    }

    /** The weight-gradient sum over positions gives the scalar fma chain's bits (zeros in a, leftover rows and columns). */
    @Test
    void addOuterMatchesScalarReferenceBitForBit() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(14);
        for (int rows : new int[] {1, 3, 4, 6, 9}) {
            for (int n : new int[] {1, 10, 64, 65, 128, 131}) {
                int count = 1 + r.nextInt(40), aStride = rows + r.nextInt(3), bStride = n + r.nextInt(3), gStride = n + r.nextInt(4);
                int ao = r.nextInt(3), bo = r.nextInt(3), go = r.nextInt(3);
                float[] a = BdhGradientTest.gaussian(ao + count * aStride + rows, rows * 3L + n, 1f);
                for (int i = 0; i < a.length; i++) if (r.nextInt(3) == 0) a[i] = 0f;
                float[] b = BdhGradientTest.gaussian(bo + count * bStride + n, n * 7L + count, 1f);
                float[] g = BdhGradientTest.gaussian(go + rows * gStride + n, rows + n * 11L, 1f), ref = g.clone();
                Vec.addOuter(a, ao, aStride, b, bo, bStride, count, g, go, gStride, rows, n);
                Vec.productScalar(a, ao, 1, aStride, rows, count, b, bo, bStride, ref, go, gStride, n, true);
                for (int k = 0; k < g.length; k++) {
                    assertEquals(Float.floatToIntBits(ref[k]), Float.floatToIntBits(g[k]), "rows=" + rows + " n=" + n + " count=" + count + " k=" + k);
                }
            }
        }
    }

    /** Accumulating rows with a strided coefficient gives the bits of one axpy per nonzero coefficient, in order. */
    @Test
    void matvecAddGivesAxpysBits() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(15);
        for (int n : new int[] {1, 10, 16, 64, 65, 128, 131}) {
            for (int k : new int[] {0, 1, 5, 33}) {
                int aStride = 1 + r.nextInt(4), wStride = n + r.nextInt(3), ao = r.nextInt(3), wo = r.nextInt(3), yo = r.nextInt(3);
                float[] a = BdhGradientTest.gaussian(ao + k * aStride + 1, n * 3L + k, 1f);
                for (int i = 0; i < a.length; i++) if (r.nextInt(3) == 0) a[i] = 0f;
                float[] w = BdhGradientTest.gaussian(wo + k * wStride + n, n + k * 7L, 1f);
                float[] y = BdhGradientTest.gaussian(yo + n + 2, n * 5L + k, 1f), ref = y.clone();
                Vec.matvecAdd(a, ao, aStride, k, w, wo, wStride, y, yo, n);
                for (int i = 0; i < k; i++) {
                    float c = a[ao + i * aStride];
                    if (c != 0) for (int j = 0; j < n; j++) ref[yo + j] = Math.fma(c, w[wo + i * wStride + j], ref[yo + j]);
                }
                for (int j = 0; j < y.length; j++) assertEquals(Float.floatToIntBits(ref[j]), Float.floatToIntBits(y[j]), "n=" + n + " k=" + k + " j=" + j);
            }
        }
    }

    /** Many rows at once (tiles of 4 rows, leftover rows and columns) give each row's scalar bits. */
    @Test
    void matmulMatchesScalarReferenceBitForBit() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(12);
        for (int rows : new int[] {1, 3, 4, 5, 9}) {
            for (int n : new int[] {1, 10, 16, 63, 64, 65, 128, 131}) {
                int k = 1 + r.nextInt(70), aStride = k + r.nextInt(3), wStride = n + r.nextInt(3), yStride = n + r.nextInt(5);
                int ao = r.nextInt(3), wo = r.nextInt(4), yo = r.nextInt(4);
                float[] a = BdhGradientTest.gaussian(ao + rows * aStride, rows * 5L + n, 1f);
                for (int i = 0; i < a.length; i++) if (r.nextInt(4) == 0) a[i] = 0f;
                float[] w = BdhGradientTest.gaussian(wo + k * wStride + n, n * 3L + k, 1f);
                float[] y = BdhGradientTest.gaussian(yo + rows * yStride + n, rows + n, 1f), ref = y.clone();
                Vec.matmul(a, ao, aStride, rows, k, w, wo, wStride, y, yo, yStride, n);
                Vec.productScalar(a, ao, aStride, 1, rows, k, w, wo, wStride, ref, yo, yStride, n, false);
                for (int j = 0; j < y.length; j++) {
                    assertEquals(Float.floatToIntBits(ref[j]), Float.floatToIntBits(y[j]), "rows=" + rows + " n=" + n + " k=" + k + " j=" + j);
                }
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
