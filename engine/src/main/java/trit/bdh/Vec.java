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
     * The one product kernel behind {@link #matvec}, {@link #matmul}, {@link #matvecAdd} and {@link #addOuter}:
     * for r < rows, y[yo + r*yStride ..+n) = (add ? y : 0) + sum over i < k, in order, of
     * a[ao + r*aRow + i*aStep] * w[wo + i*wStride ..+n). Every sum is the chain of fmas that one {@link #axpy}
     * per term would make, so the bits are the same (a zero coefficient adds an exact zero on finite weights
     * and is skipped). Tiles of 4 rows x 4 vectors keep 16 sums in registers across all k terms, so each load
     * of w serves four rows and y is read and written once.
     */
    private static void product(float[] a, int ao, int aRow, int aStep, int rows, int k, float[] w, int wo, int wStride,
                                float[] y, int yo, int yStride, int n, boolean add) {
        int L = S.length(), tile = 4 * L;
        int nb = n - n % tile;
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int a0 = ao + r * aRow, a1 = a0 + aRow, a2 = a1 + aRow, a3 = a2 + aRow;
            for (int j = 0; j < nb; j += tile) {
                int y0 = yo + r * yStride + j, y1 = y0 + yStride, y2 = y1 + yStride, y3 = y2 + yStride;
                FloatVector s00 = load(y, y0, add), s01 = load(y, y0 + L, add), s02 = load(y, y0 + 2 * L, add), s03 = load(y, y0 + 3 * L, add);
                FloatVector s10 = load(y, y1, add), s11 = load(y, y1 + L, add), s12 = load(y, y1 + 2 * L, add), s13 = load(y, y1 + 3 * L, add);
                FloatVector s20 = load(y, y2, add), s21 = load(y, y2 + L, add), s22 = load(y, y2 + 2 * L, add), s23 = load(y, y2 + 3 * L, add);
                FloatVector s30 = load(y, y3, add), s31 = load(y, y3 + L, add), s32 = load(y, y3 + 2 * L, add), s33 = load(y, y3 + 3 * L, add);
                for (int i = 0; i < k; i++) {
                    int ai = i * aStep;
                    float c0 = a[a0 + ai], c1 = a[a1 + ai], c2 = a[a2 + ai], c3 = a[a3 + ai];
                    if (c0 == 0 && c1 == 0 && c2 == 0 && c3 == 0) continue;
                    int q = wo + i * wStride + j;
                    FloatVector w0 = FloatVector.fromArray(S, w, q), w1 = FloatVector.fromArray(S, w, q + L),
                            w2 = FloatVector.fromArray(S, w, q + 2 * L), w3 = FloatVector.fromArray(S, w, q + 3 * L);
                    FloatVector c = FloatVector.broadcast(S, c0);
                    s00 = w0.fma(c, s00); s01 = w1.fma(c, s01); s02 = w2.fma(c, s02); s03 = w3.fma(c, s03);
                    c = FloatVector.broadcast(S, c1);
                    s10 = w0.fma(c, s10); s11 = w1.fma(c, s11); s12 = w2.fma(c, s12); s13 = w3.fma(c, s13);
                    c = FloatVector.broadcast(S, c2);
                    s20 = w0.fma(c, s20); s21 = w1.fma(c, s21); s22 = w2.fma(c, s22); s23 = w3.fma(c, s23);
                    c = FloatVector.broadcast(S, c3);
                    s30 = w0.fma(c, s30); s31 = w1.fma(c, s31); s32 = w2.fma(c, s32); s33 = w3.fma(c, s33);
                }
                s00.intoArray(y, y0); s01.intoArray(y, y0 + L); s02.intoArray(y, y0 + 2 * L); s03.intoArray(y, y0 + 3 * L);
                s10.intoArray(y, y1); s11.intoArray(y, y1 + L); s12.intoArray(y, y1 + 2 * L); s13.intoArray(y, y1 + 3 * L);
                s20.intoArray(y, y2); s21.intoArray(y, y2 + L); s22.intoArray(y, y2 + 2 * L); s23.intoArray(y, y2 + 3 * L);
                s30.intoArray(y, y3); s31.intoArray(y, y3 + L); s32.intoArray(y, y3 + 2 * L); s33.intoArray(y, y3 + 3 * L);
            }
            if (nb < n) {
                for (int rr = r; rr < r + 4; rr++) productRow(a, ao + rr * aRow, aStep, k, w, wo + nb, wStride, y, yo + rr * yStride + nb, n - nb, add);
            }
        }
        for (; r < rows; r++) productRow(a, ao + r * aRow, aStep, k, w, wo, wStride, y, yo + r * yStride, n, add);
    }

    private static FloatVector load(float[] y, int o, boolean add) {
        return add ? FloatVector.fromArray(S, y, o) : FloatVector.zero(S);
    }

    /** One row of {@link #product}: blocks of four vectors in registers, then the leftover columns an axpy per term. */
    private static void productRow(float[] a, int ao, int aStep, int k, float[] w, int wo, int wStride, float[] y, int yo, int n, boolean add) {
        if (!add) java.util.Arrays.fill(y, yo, yo + n, 0f); // +0 then the fma chain: the bits of a chain started at zero
        int L = S.length();
        int j = 0;
        for (; j + 4 * L <= n; j += 4 * L) {
            FloatVector y0 = FloatVector.fromArray(S, y, yo + j), y1 = FloatVector.fromArray(S, y, yo + j + L),
                    y2 = FloatVector.fromArray(S, y, yo + j + 2 * L), y3 = FloatVector.fromArray(S, y, yo + j + 3 * L);
            for (int i = 0; i < k; i++) {
                float ai = a[ao + i * aStep];
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
                float ai = a[ao + i * aStep];
                if (ai != 0) axpy(ai, w, wo + i * wStride + j, y, yo + j, n - j);
            }
        }
    }

    /** y[yo..yo+n) = a[ao..ao+k) times the k x n slice of a row-major matrix at w[wo], rows {@code stride} apart. */
    static void matvec(float[] a, int ao, int k, float[] w, int wo, int stride, float[] y, int yo, int n) {
        product(a, ao, 0, 1, 1, k, w, wo, stride, y, yo, 0, n, false);
    }

    /** {@link #matvec} for {@code rows} row vectors (row r of a at ao + r*aStride, of y at yo + r*yStride): Y = A W. */
    static void matmul(float[] a, int ao, int aStride, int rows, int k, float[] w, int wo, int wStride,
                       float[] y, int yo, int yStride, int n) {
        product(a, ao, aStride, 1, rows, k, w, wo, wStride, y, yo, yStride, n, false);
    }

    /** y[yo..yo+n) += sum over i < k of a[ao + i*aStride] * w[wo + i*wStride ..+n), in order. */
    static void matvecAdd(float[] a, int ao, int aStride, int k, float[] w, int wo, int wStride, float[] y, int yo, int n) {
        product(a, ao, 0, aStride, 1, k, w, wo, wStride, y, yo, 0, n, true);
    }

    /**
     * g[go + r*gStride ..+n) += sum over t < count, in order, of a[ao + t*aStride + r] * b[bo + t*bStride ..+n),
     * for r < rows: a weight gradient summed over positions (G += A^T B).
     */
    static void addOuter(float[] a, int ao, int aStride, float[] b, int bo, int bStride, int count,
                         float[] g, int go, int gStride, int rows, int n) {
        product(a, ao, 1, aStride, rows, count, b, bo, bStride, g, go, gStride, n, true);
    }

    /** The scalar reference of {@link #product}: one fma chain per output, in order. */
    static void productScalar(float[] a, int ao, int aRow, int aStep, int rows, int k, float[] w, int wo, int wStride,
                              float[] y, int yo, int yStride, int n, boolean add) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) {
                float acc = add ? y[yo + r * yStride + j] : 0f;
                for (int i = 0; i < k; i++) acc = Math.fma(a[ao + r * aRow + i * aStep], w[wo + i * wStride + j], acc);
                y[yo + r * yStride + j] = acc;
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
        return tail(x, xo, y, yo, i, n, sum);
    }

    /**
     * out[oo+r] = x[xo..xo+n) . y[yo + r*yStride ..+n) for r < count: {@link #dot} against many rows, with
     * {@link #dot}'s bits. Four rows run at once, four independent chains of fmas and lane sums, where one
     * {@link #dot} per row waited on the latency of its own.
     */
    static void dots(float[] x, int xo, float[] y, int yo, int yStride, int count, int n, float[] out, int oo) {
        int L = S.length();
        int bound = S.loopBound(n);
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
            out[oo + r] = tail(x, xo, y, y0, bound, n, sum(a0));
            out[oo + r + 1] = tail(x, xo, y, y1, bound, n, sum(a1));
            out[oo + r + 2] = tail(x, xo, y, y2, bound, n, sum(a2));
            out[oo + r + 3] = tail(x, xo, y, y3, bound, n, sum(a3));
        }
        for (; r < count; r++) out[oo + r] = dot(x, xo, y, yo + r * yStride, n);
    }

    /** {@link #dot}'s scalar tail: sum plus x[i] * y[yo + i] for i in [from, n), in order. */
    private static float tail(float[] x, int xo, float[] y, int yo, int from, int n, float sum) {
        for (int i = from; i < n; i++) sum = Math.fma(x[xo + i], y[yo + i], sum);
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
