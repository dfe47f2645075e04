package trit.bdh;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float loops BDH spends its time in, y += a*x, x.y and a row vector times a matrix, over slices of
 * arrays, with the Vector API; the *Scalar methods are the references they are tested against.
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

    /**
     * y[yo..yo+n) = sum over i < k of a[ao+i] * w[wo + i*stride ..+n): a row vector times a k x n slice of a
     * row-major matrix. The same sum, in the same order, as clearing y and calling {@link #axpy} once per
     * nonzero a[i], so it gives the same bits (on finite weights, a zero a[i] adds nothing); but each block of
     * four vectors of y stays in registers across all k rows instead of being loaded and stored once per row.
     */
    static void matvec(float[] a, int ao, int k, float[] w, int wo, int stride, float[] y, int yo, int n) {
        int L = S.length();
        int j = 0;
        for (; j + 4 * L <= n; j += 4 * L) {
            FloatVector y0 = FloatVector.zero(S), y1 = y0, y2 = y0, y3 = y0;
            for (int i = 0; i < k; i++) {
                float ai = a[ao + i];
                if (ai == 0) continue;
                FloatVector va = FloatVector.broadcast(S, ai);
                int r = wo + i * stride + j;
                y0 = FloatVector.fromArray(S, w, r).fma(va, y0);
                y1 = FloatVector.fromArray(S, w, r + L).fma(va, y1);
                y2 = FloatVector.fromArray(S, w, r + 2 * L).fma(va, y2);
                y3 = FloatVector.fromArray(S, w, r + 3 * L).fma(va, y3);
            }
            y0.intoArray(y, yo + j);
            y1.intoArray(y, yo + j + L);
            y2.intoArray(y, yo + j + 2 * L);
            y3.intoArray(y, yo + j + 3 * L);
        }
        for (; j + L <= n; j += L) {
            FloatVector y0 = FloatVector.zero(S);
            for (int i = 0; i < k; i++) {
                float ai = a[ao + i];
                if (ai != 0) y0 = FloatVector.fromArray(S, w, wo + i * stride + j).fma(FloatVector.broadcast(S, ai), y0);
            }
            y0.intoArray(y, yo + j);
        }
        for (; j < n; j++) {
            float acc = 0f;
            for (int i = 0; i < k; i++) {
                float ai = a[ao + i];
                if (ai != 0) acc = Math.fma(ai, w[wo + i * stride + j], acc);
            }
            y[yo + j] = acc;
        }
    }

    /**
     * y[yo..yo+n) += sum over i < k, in order, of a[ao + i*aStride] * w[wo + i*wStride ..+n): the bits of one
     * {@link #axpy} per nonzero a, with y's blocks of four vectors kept in registers across the k rows.
     */
    static void matvecAdd(float[] a, int ao, int aStride, int k, float[] w, int wo, int wStride, float[] y, int yo, int n) {
        int L = S.length();
        int j = 0;
        for (; j + 4 * L <= n; j += 4 * L) {
            FloatVector y0 = FloatVector.fromArray(S, y, yo + j), y1 = FloatVector.fromArray(S, y, yo + j + L),
                    y2 = FloatVector.fromArray(S, y, yo + j + 2 * L), y3 = FloatVector.fromArray(S, y, yo + j + 3 * L);
            for (int i = 0; i < k; i++) {
                float ai = a[ao + i * aStride];
                if (ai == 0) continue;
                FloatVector va = FloatVector.broadcast(S, ai);
                int r = wo + i * wStride + j;
                y0 = FloatVector.fromArray(S, w, r).fma(va, y0);
                y1 = FloatVector.fromArray(S, w, r + L).fma(va, y1);
                y2 = FloatVector.fromArray(S, w, r + 2 * L).fma(va, y2);
                y3 = FloatVector.fromArray(S, w, r + 3 * L).fma(va, y3);
            }
            y0.intoArray(y, yo + j);
            y1.intoArray(y, yo + j + L);
            y2.intoArray(y, yo + j + 2 * L);
            y3.intoArray(y, yo + j + 3 * L);
        }
        if (j < n) {
            for (int i = 0; i < k; i++) {
                float ai = a[ao + i * aStride];
                if (ai != 0) axpy(ai, w, wo + i * wStride + j, y, yo + j, n - j);
            }
        }
    }

    /**
     * {@link #matvec} for {@code rows} row vectors at once (row r of a at ao + r*aStride, of y at yo + r*yStride):
     * Y = A W for a k x n slice W of a row-major matrix. Tiles of 4 rows x 4 vectors keep 16 sums in registers,
     * so each load of W serves four rows; every sum runs over i in order, as {@link #matvec}'s, with the same
     * bits (there a zero a[i] is skipped, here it adds an exact zero).
     */
    static void matmul(float[] a, int ao, int aStride, int rows, int k, float[] w, int wo, int wStride,
                       float[] y, int yo, int yStride, int n) {
        int L = S.length(), tile = 4 * L;
        int nb = n - n % tile;
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int a0 = ao + r * aStride, a1 = a0 + aStride, a2 = a1 + aStride, a3 = a2 + aStride;
            for (int j = 0; j < nb; j += tile) {
                FloatVector s00 = FloatVector.zero(S), s01 = s00, s02 = s00, s03 = s00, s10 = s00, s11 = s00, s12 = s00, s13 = s00,
                        s20 = s00, s21 = s00, s22 = s00, s23 = s00, s30 = s00, s31 = s00, s32 = s00, s33 = s00;
                for (int i = 0; i < k; i++) {
                    int q = wo + i * wStride + j;
                    FloatVector w0 = FloatVector.fromArray(S, w, q), w1 = FloatVector.fromArray(S, w, q + L),
                            w2 = FloatVector.fromArray(S, w, q + 2 * L), w3 = FloatVector.fromArray(S, w, q + 3 * L);
                    FloatVector b = FloatVector.broadcast(S, a[a0 + i]);
                    s00 = w0.fma(b, s00); s01 = w1.fma(b, s01); s02 = w2.fma(b, s02); s03 = w3.fma(b, s03);
                    b = FloatVector.broadcast(S, a[a1 + i]);
                    s10 = w0.fma(b, s10); s11 = w1.fma(b, s11); s12 = w2.fma(b, s12); s13 = w3.fma(b, s13);
                    b = FloatVector.broadcast(S, a[a2 + i]);
                    s20 = w0.fma(b, s20); s21 = w1.fma(b, s21); s22 = w2.fma(b, s22); s23 = w3.fma(b, s23);
                    b = FloatVector.broadcast(S, a[a3 + i]);
                    s30 = w0.fma(b, s30); s31 = w1.fma(b, s31); s32 = w2.fma(b, s32); s33 = w3.fma(b, s33);
                }
                int y0 = yo + r * yStride + j, y1 = y0 + yStride, y2 = y1 + yStride, y3 = y2 + yStride;
                s00.intoArray(y, y0); s01.intoArray(y, y0 + L); s02.intoArray(y, y0 + 2 * L); s03.intoArray(y, y0 + 3 * L);
                s10.intoArray(y, y1); s11.intoArray(y, y1 + L); s12.intoArray(y, y1 + 2 * L); s13.intoArray(y, y1 + 3 * L);
                s20.intoArray(y, y2); s21.intoArray(y, y2 + L); s22.intoArray(y, y2 + 2 * L); s23.intoArray(y, y2 + 3 * L);
                s30.intoArray(y, y3); s31.intoArray(y, y3 + L); s32.intoArray(y, y3 + 2 * L); s33.intoArray(y, y3 + 3 * L);
            }
            if (nb < n) {
                for (int rr = r; rr < r + 4; rr++) matvec(a, ao + rr * aStride, k, w, wo + nb, wStride, y, yo + rr * yStride + nb, n - nb);
            }
        }
        for (; r < rows; r++) matvec(a, ao + r * aStride, k, w, wo, wStride, y, yo + r * yStride, n);
    }

    /**
     * g[go + r*gStride + j] += sum over t < count, in order, of a[ao + t*aStride + r] * b[bo + t*bStride + j],
     * for r < rows and j < n: a weight gradient summed over positions (G += A^T B). Each sum is the chain of
     * fmas that {@link #axpy} per position and row would make, so the bits are the same (an a or b of zero
     * adds an exact zero, so skipping them changes nothing); tiles of 4 rows x 4 vectors stay in registers
     * across all positions instead of being loaded and stored once per position.
     */
    static void addOuter(float[] a, int ao, int aStride, float[] b, int bo, int bStride, int count,
                         float[] g, int go, int gStride, int rows, int n) {
        int L = S.length(), tile = 4 * L;
        int nb = n - n % tile;
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            for (int j = 0; j < nb; j += tile) {
                int g0 = go + r * gStride + j, g1 = g0 + gStride, g2 = g1 + gStride, g3 = g2 + gStride;
                FloatVector s00 = FloatVector.fromArray(S, g, g0), s01 = FloatVector.fromArray(S, g, g0 + L),
                        s02 = FloatVector.fromArray(S, g, g0 + 2 * L), s03 = FloatVector.fromArray(S, g, g0 + 3 * L);
                FloatVector s10 = FloatVector.fromArray(S, g, g1), s11 = FloatVector.fromArray(S, g, g1 + L),
                        s12 = FloatVector.fromArray(S, g, g1 + 2 * L), s13 = FloatVector.fromArray(S, g, g1 + 3 * L);
                FloatVector s20 = FloatVector.fromArray(S, g, g2), s21 = FloatVector.fromArray(S, g, g2 + L),
                        s22 = FloatVector.fromArray(S, g, g2 + 2 * L), s23 = FloatVector.fromArray(S, g, g2 + 3 * L);
                FloatVector s30 = FloatVector.fromArray(S, g, g3), s31 = FloatVector.fromArray(S, g, g3 + L),
                        s32 = FloatVector.fromArray(S, g, g3 + 2 * L), s33 = FloatVector.fromArray(S, g, g3 + 3 * L);
                for (int t = 0; t < count; t++) {
                    int at = ao + t * aStride + r;
                    float c0 = a[at], c1 = a[at + 1], c2 = a[at + 2], c3 = a[at + 3];
                    if (c0 == 0 && c1 == 0 && c2 == 0 && c3 == 0) continue;
                    int q = bo + t * bStride + j;
                    FloatVector w0 = FloatVector.fromArray(S, b, q), w1 = FloatVector.fromArray(S, b, q + L),
                            w2 = FloatVector.fromArray(S, b, q + 2 * L), w3 = FloatVector.fromArray(S, b, q + 3 * L);
                    FloatVector c = FloatVector.broadcast(S, c0);
                    s00 = w0.fma(c, s00); s01 = w1.fma(c, s01); s02 = w2.fma(c, s02); s03 = w3.fma(c, s03);
                    c = FloatVector.broadcast(S, c1);
                    s10 = w0.fma(c, s10); s11 = w1.fma(c, s11); s12 = w2.fma(c, s12); s13 = w3.fma(c, s13);
                    c = FloatVector.broadcast(S, c2);
                    s20 = w0.fma(c, s20); s21 = w1.fma(c, s21); s22 = w2.fma(c, s22); s23 = w3.fma(c, s23);
                    c = FloatVector.broadcast(S, c3);
                    s30 = w0.fma(c, s30); s31 = w1.fma(c, s31); s32 = w2.fma(c, s32); s33 = w3.fma(c, s33);
                }
                s00.intoArray(g, g0); s01.intoArray(g, g0 + L); s02.intoArray(g, g0 + 2 * L); s03.intoArray(g, g0 + 3 * L);
                s10.intoArray(g, g1); s11.intoArray(g, g1 + L); s12.intoArray(g, g1 + 2 * L); s13.intoArray(g, g1 + 3 * L);
                s20.intoArray(g, g2); s21.intoArray(g, g2 + L); s22.intoArray(g, g2 + 2 * L); s23.intoArray(g, g2 + 3 * L);
                s30.intoArray(g, g3); s31.intoArray(g, g3 + L); s32.intoArray(g, g3 + 2 * L); s33.intoArray(g, g3 + 3 * L);
            }
            if (nb < n) {
                for (int rr = r; rr < r + 4; rr++) addOuterRow(a, ao + rr, aStride, b, bo + nb, bStride, count, g, go + rr * gStride + nb, n - nb);
            }
        }
        for (; r < rows; r++) addOuterRow(a, ao + r, aStride, b, bo, bStride, count, g, go + r * gStride, n);
    }

    /** One row of {@link #addOuter}: g[go..go+n) += sum over t of a[ao + t*aStride] * b[bo + t*bStride ..+n), the positions in order. */
    private static void addOuterRow(float[] a, int ao, int aStride, float[] b, int bo, int bStride, int count, float[] g, int go, int n) {
        for (int t = 0; t < count; t++) {
            float c = a[ao + t * aStride];
            if (c != 0) axpy(c, b, bo + t * bStride, g, go, n);
        }
    }

    static void addOuterScalar(float[] a, int ao, int aStride, float[] b, int bo, int bStride, int count,
                               float[] g, int go, int gStride, int rows, int n) {
        for (int t = 0; t < count; t++) {
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < n; j++) {
                    int k = go + r * gStride + j;
                    g[k] = Math.fma(a[ao + t * aStride + r], b[bo + t * bStride + j], g[k]);
                }
            }
        }
    }

    /** a[o..o+n) = a > 0 ? a : 0 (NaN and -0 become +0), without a branch per value. */
    static void relu(float[] a, int o, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        FloatVector zero = FloatVector.zero(S);
        for (; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, a, o + i);
            zero.blend(v, v.compare(jdk.incubator.vector.VectorOperators.GT, 0f)).intoArray(a, o + i);
        }
        for (; i < n; i++) if (!(a[o + i] > 0)) a[o + i] = 0f;
    }

    /** How many of a[o..o+n) are > 0. */
    static int countPositive(float[] a, int o, int n) {
        int i = 0, c = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += S.length()) c += FloatVector.fromArray(S, a, o + i).compare(jdk.incubator.vector.VectorOperators.GT, 0f).trueCount();
        for (; i < n; i++) if (a[o + i] > 0) c++;
        return c;
    }

    /** How many of a[o..o+n) are not zero (NaN counts). */
    static int countNonZero(float[] a, int o, int n) {
        int i = 0, c = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += S.length()) c += FloatVector.fromArray(S, a, o + i).compare(jdk.incubator.vector.VectorOperators.NE, 0f).trueCount();
        for (; i < n; i++) if (a[o + i] != 0) c++;
        return c;
    }

    static void reluScalar(float[] a, int o, int n) {
        for (int i = o; i < o + n; i++) if (!(a[i] > 0)) a[i] = 0f;
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
     * out[oo+r] = x[xo..xo+n) . y[yo + r*yStride ..+n) for r < count: {@link #dot} against many rows, with
     * {@link #dot}'s bits. Four rows run at once (four independent chains of fmas), and each row's lanes are
     * summed by {@link #treeSum} on a stored copy: the same fixed tree as {@link #sum} without its chain of
     * dependent shuffles, which left {@link #dot} waiting on latency when called once per row.
     */
    static void dots(float[] x, int xo, float[] y, int yo, int yStride, int count, int n, float[] out, int oo) {
        int L = S.length();
        if (L > 16) {
            for (int r = 0; r < count; r++) out[oo + r] = dot(x, xo, y, yo + r * yStride, n);
            return;
        }
        int bound = S.loopBound(n);
        float[] lanes = new float[4 * L];
        int r = 0;
        for (; r + 4 <= count; r += 4) {
            int y0 = yo + r * yStride, y1 = y0 + yStride, y2 = y1 + yStride, y3 = y2 + yStride;
            FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
            for (int i = 0; i < bound; i += L) {
                FloatVector vx = FloatVector.fromArray(S, x, xo + i);
                a0 = vx.fma(FloatVector.fromArray(S, y, y0 + i), a0);
                a1 = vx.fma(FloatVector.fromArray(S, y, y1 + i), a1);
                a2 = vx.fma(FloatVector.fromArray(S, y, y2 + i), a2);
                a3 = vx.fma(FloatVector.fromArray(S, y, y3 + i), a3);
            }
            float s0 = sum(a0), s1 = sum(a1), s2 = sum(a2), s3 = sum(a3);
            if (bound > 0) {
                out[oo + r] = s0;
                out[oo + r + 1] = s1;
                out[oo + r + 2] = s2;
                out[oo + r + 3] = s3;
            } else {
                for (int k = 0; k < 4; k++) out[oo + r + k] = 0f;
            }
            for (int k = 0; k < 4; k++) {
                int yk = y0 + k * yStride;
                float sum = out[oo + r + k];
                for (int i = bound; i < n; i++) sum = Math.fma(x[xo + i], y[yk + i], sum);
                out[oo + r + k] = sum;
            }
        }
        for (; r < count; r++) out[oo + r] = dot(x, xo, y, yo + r * yStride, n);
    }

    /** The fixed tree of {@link #sum} on L stored lanes (L a power of two): add the lanes L/2 apart, then L/4, ..., 1. */
    private static float treeSum(float[] a, int o, int L) {
        for (int half = L / 2; half >= 1; half /= 2) {
            for (int i = 0; i < half; i++) a[o + i] = a[o + i] + a[o + i + half];
        }
        return a[o];
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

    static void matvecScalar(float[] a, int ao, int k, float[] w, int wo, int stride, float[] y, int yo, int n) {
        for (int j = 0; j < n; j++) {
            float acc = 0f;
            for (int i = 0; i < k; i++) acc = Math.fma(a[ao + i], w[wo + i * stride + j], acc);
            y[yo + j] = acc;
        }
    }

    static float dotScalar(float[] x, int xo, float[] y, int yo, int n) {
        float s = 0;
        for (int i = 0; i < n; i++) s += x[xo + i] * y[yo + i];
        return s;
    }
}
