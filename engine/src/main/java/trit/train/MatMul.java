package trit.train;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import trit.kernel.Parallel;

/**
 * Dense float matrix products for training, {@code C (+)= A B} on row-major arrays with leading
 * dimensions. Every other product form (A B^T, A^T B) is reduced to this one by an explicit transpose,
 * which costs O(rows x cols) against the product's O(rows x cols x inner).
 *
 * <p>The kernel keeps a 4 x 3-vector tile of C in registers and walks the inner dimension once,
 * broadcasting one element of A per row and loading three vectors of a row of B per step (12 FMAs per
 * 7 loads). Every element of C is one FMA chain over k = 0..K-1 in order, in the vector lanes and in the
 * scalar tails alike ({@link Math#fma}), so results do not depend on how rows and columns are split
 * between threads: a run is bit-reproducible across thread counts.
 */
public final class MatMul {
    private MatMul() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Columns per register tile. */
    private static final int NR = 3 * L;
    /** Rows of C a parallel chunk takes at least (the tile height). */
    private static final int MR = 4;
    /** Rows of C swept per column panel, so that their rows of A stay in cache across panels. */
    private static final int MC = 64;
    /** Inner-dimension block: a KC x NR panel of B (24 KiB at 512 bits) stays in L1. */
    private static final int KC = 128;

    /**
     * {@code C[m x n] = A[m x k] B[k x n]} (or {@code +=} when {@code accumulate}), rows split over
     * {@code pool} (null: the calling thread).
     */
    public static void nn(float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                          int m, int k, int n, boolean accumulate, Parallel pool) {
        if (m == 0 || n == 0) return;
        long work = (long) m * n * k;
        if (pool == null || pool.threads() == 1 || work < 1 << 16) {
            block(a, aOff, lda, b, bOff, ldb, c, cOff, ldc, 0, m, k, n, accumulate);
            return;
        }
        if (m >= MR * 2 * pool.threads()) {
            int tiles = (m + MR - 1) / MR;
            pool.forRange(tiles, (t0, t1) -> block(a, aOff, lda, b, bOff, ldb, c, cOff, ldc,
                    t0 * MR, Math.min(m, t1 * MR), k, n, accumulate));
        } else {
            // few rows (a single sequence's attention, say): split the columns instead
            int panels = (n + L - 1) / L;
            pool.forRange(panels, (p0, p1) -> {
                int j0 = p0 * L, j1 = Math.min(n, p1 * L);
                block(a, aOff, lda, b, bOff + j0, ldb, c, cOff + j0, ldc, 0, m, k, j1 - j0, accumulate);
            });
        }
    }

    /** Rows {@code [r0, r1)} of C, all n columns. */
    private static void block(float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                              int r0, int r1, int k, int n, boolean acc) {
        float[] pack = new float[KC * NR];
        for (int i0 = r0; i0 < r1; i0 += MC) {
            int i1 = Math.min(r1, i0 + MC);
            // inner-dimension blocks keep a KC x NR panel of B in L1 across the row tiles; C is carried
            // across blocks through memory, which rounds nothing (floats are stored as computed)
            for (int p0 = 0; p0 < Math.max(k, 1); p0 += KC) {
                int kc = Math.min(KC, k - p0);
                boolean add = acc || p0 > 0;
                int ap = aOff + p0, bp = bOff + p0 * ldb;
                int j = 0;
                for (; j + NR <= n; j += NR) {
                    // a contiguous copy of the panel: rows of B a power-of-two-ish stride apart would
                    // fall into a few L1 sets and evict each other
                    for (int p = 0; p < kc; p++) System.arraycopy(b, bp + p * ldb + j, pack, p * NR, NR);
                    int i = i0;
                    for (; i + 8 <= i1; i += 8) tile8x3(a, ap + i * lda, lda, pack, 0, NR, c, cOff + i * ldc + j, ldc, kc, add);
                    for (; i + MR <= i1; i += MR) tile4x3(a, ap + i * lda, lda, pack, 0, NR, c, cOff + i * ldc + j, ldc, kc, add);
                    for (; i < i1; i++) tile1x3(a, ap + i * lda, pack, 0, NR, c, cOff + i * ldc + j, kc, add);
                }
                for (; j + L <= n; j += L) {
                    for (int i = i0; i < i1; i++) tile1x1(a, ap + i * lda, b, bp + j, ldb, c, cOff + i * ldc + j, kc, add);
                }
                for (; j < n; j++) {
                    for (int i = i0; i < i1; i++) {
                        int ao = ap + i * lda;
                        float s = add ? c[cOff + i * ldc + j] : 0f;
                        for (int p = 0; p < kc; p++) s = Math.fma(a[ao + p], b[bp + p * ldb + j], s);
                        c[cOff + i * ldc + j] = s;
                    }
                }
            }
        }
    }

    private static void tile8x3(float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc, int k, boolean acc) {
        FloatVector c00, c01, c02, c10, c11, c12, c20, c21, c22, c30, c31, c32, c40, c41, c42, c50, c51, c52, c60, c61, c62, c70, c71, c72;
        if (acc) {
            c00 = FloatVector.fromArray(S, c, co + 0 * ldc + 0 * L); c01 = FloatVector.fromArray(S, c, co + 0 * ldc + 1 * L); c02 = FloatVector.fromArray(S, c, co + 0 * ldc + 2 * L);
            c10 = FloatVector.fromArray(S, c, co + 1 * ldc + 0 * L); c11 = FloatVector.fromArray(S, c, co + 1 * ldc + 1 * L); c12 = FloatVector.fromArray(S, c, co + 1 * ldc + 2 * L);
            c20 = FloatVector.fromArray(S, c, co + 2 * ldc + 0 * L); c21 = FloatVector.fromArray(S, c, co + 2 * ldc + 1 * L); c22 = FloatVector.fromArray(S, c, co + 2 * ldc + 2 * L);
            c30 = FloatVector.fromArray(S, c, co + 3 * ldc + 0 * L); c31 = FloatVector.fromArray(S, c, co + 3 * ldc + 1 * L); c32 = FloatVector.fromArray(S, c, co + 3 * ldc + 2 * L);
            c40 = FloatVector.fromArray(S, c, co + 4 * ldc + 0 * L); c41 = FloatVector.fromArray(S, c, co + 4 * ldc + 1 * L); c42 = FloatVector.fromArray(S, c, co + 4 * ldc + 2 * L);
            c50 = FloatVector.fromArray(S, c, co + 5 * ldc + 0 * L); c51 = FloatVector.fromArray(S, c, co + 5 * ldc + 1 * L); c52 = FloatVector.fromArray(S, c, co + 5 * ldc + 2 * L);
            c60 = FloatVector.fromArray(S, c, co + 6 * ldc + 0 * L); c61 = FloatVector.fromArray(S, c, co + 6 * ldc + 1 * L); c62 = FloatVector.fromArray(S, c, co + 6 * ldc + 2 * L);
            c70 = FloatVector.fromArray(S, c, co + 7 * ldc + 0 * L); c71 = FloatVector.fromArray(S, c, co + 7 * ldc + 1 * L); c72 = FloatVector.fromArray(S, c, co + 7 * ldc + 2 * L);
        } else {
            c00 = c01 = c02 = c10 = c11 = c12 = c20 = c21 = c22 = c30 = c31 = c32 = c40 = c41 = c42 = c50 = c51 = c52 = c60 = c61 = c62 = c70 = c71 = c72 = FloatVector.zero(S);
        }
        for (int p = 0; p < k; p++) {
            int bp = bo + p * ldb;
            FloatVector b0 = FloatVector.fromArray(S, b, bp), b1 = FloatVector.fromArray(S, b, bp + L), b2 = FloatVector.fromArray(S, b, bp + 2 * L);
            FloatVector x;
            x = FloatVector.broadcast(S, a[ao + 0 * lda + p]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02);
            x = FloatVector.broadcast(S, a[ao + 1 * lda + p]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12);
            x = FloatVector.broadcast(S, a[ao + 2 * lda + p]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22);
            x = FloatVector.broadcast(S, a[ao + 3 * lda + p]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32);
            x = FloatVector.broadcast(S, a[ao + 4 * lda + p]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41); c42 = x.fma(b2, c42);
            x = FloatVector.broadcast(S, a[ao + 5 * lda + p]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51); c52 = x.fma(b2, c52);
            x = FloatVector.broadcast(S, a[ao + 6 * lda + p]);
            c60 = x.fma(b0, c60); c61 = x.fma(b1, c61); c62 = x.fma(b2, c62);
            x = FloatVector.broadcast(S, a[ao + 7 * lda + p]);
            c70 = x.fma(b0, c70); c71 = x.fma(b1, c71); c72 = x.fma(b2, c72);
        }
        c00.intoArray(c, co + 0 * ldc + 0 * L); c01.intoArray(c, co + 0 * ldc + 1 * L); c02.intoArray(c, co + 0 * ldc + 2 * L);
        c10.intoArray(c, co + 1 * ldc + 0 * L); c11.intoArray(c, co + 1 * ldc + 1 * L); c12.intoArray(c, co + 1 * ldc + 2 * L);
        c20.intoArray(c, co + 2 * ldc + 0 * L); c21.intoArray(c, co + 2 * ldc + 1 * L); c22.intoArray(c, co + 2 * ldc + 2 * L);
        c30.intoArray(c, co + 3 * ldc + 0 * L); c31.intoArray(c, co + 3 * ldc + 1 * L); c32.intoArray(c, co + 3 * ldc + 2 * L);
        c40.intoArray(c, co + 4 * ldc + 0 * L); c41.intoArray(c, co + 4 * ldc + 1 * L); c42.intoArray(c, co + 4 * ldc + 2 * L);
        c50.intoArray(c, co + 5 * ldc + 0 * L); c51.intoArray(c, co + 5 * ldc + 1 * L); c52.intoArray(c, co + 5 * ldc + 2 * L);
        c60.intoArray(c, co + 6 * ldc + 0 * L); c61.intoArray(c, co + 6 * ldc + 1 * L); c62.intoArray(c, co + 6 * ldc + 2 * L);
        c70.intoArray(c, co + 7 * ldc + 0 * L); c71.intoArray(c, co + 7 * ldc + 1 * L); c72.intoArray(c, co + 7 * ldc + 2 * L);
    }

    private static void tile4x3(float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc, int k, boolean acc) {
        FloatVector c00, c01, c02, c10, c11, c12, c20, c21, c22, c30, c31, c32;
        if (acc) {
            c00 = FloatVector.fromArray(S, c, co); c01 = FloatVector.fromArray(S, c, co + L); c02 = FloatVector.fromArray(S, c, co + 2 * L);
            c10 = FloatVector.fromArray(S, c, co + ldc); c11 = FloatVector.fromArray(S, c, co + ldc + L); c12 = FloatVector.fromArray(S, c, co + ldc + 2 * L);
            c20 = FloatVector.fromArray(S, c, co + 2 * ldc); c21 = FloatVector.fromArray(S, c, co + 2 * ldc + L); c22 = FloatVector.fromArray(S, c, co + 2 * ldc + 2 * L);
            c30 = FloatVector.fromArray(S, c, co + 3 * ldc); c31 = FloatVector.fromArray(S, c, co + 3 * ldc + L); c32 = FloatVector.fromArray(S, c, co + 3 * ldc + 2 * L);
        } else {
            c00 = c01 = c02 = c10 = c11 = c12 = c20 = c21 = c22 = c30 = c31 = c32 = FloatVector.zero(S);
        }
        int a0 = ao, a1 = ao + lda, a2 = ao + 2 * lda, a3 = ao + 3 * lda;
        for (int p = 0; p < k; p++) {
            int bp = bo + p * ldb;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32);
        }
        c00.intoArray(c, co); c01.intoArray(c, co + L); c02.intoArray(c, co + 2 * L);
        c10.intoArray(c, co + ldc); c11.intoArray(c, co + ldc + L); c12.intoArray(c, co + ldc + 2 * L);
        c20.intoArray(c, co + 2 * ldc); c21.intoArray(c, co + 2 * ldc + L); c22.intoArray(c, co + 2 * ldc + 2 * L);
        c30.intoArray(c, co + 3 * ldc); c31.intoArray(c, co + 3 * ldc + L); c32.intoArray(c, co + 3 * ldc + 2 * L);
    }

    private static void tile1x3(float[] a, int ao, float[] b, int bo, int ldb, float[] c, int co, int k, boolean acc) {
        FloatVector c0, c1, c2;
        if (acc) {
            c0 = FloatVector.fromArray(S, c, co); c1 = FloatVector.fromArray(S, c, co + L); c2 = FloatVector.fromArray(S, c, co + 2 * L);
        } else {
            c0 = c1 = c2 = FloatVector.zero(S);
        }
        for (int p = 0; p < k; p++) {
            int bp = bo + p * ldb;
            FloatVector x = FloatVector.broadcast(S, a[ao + p]);
            c0 = x.fma(FloatVector.fromArray(S, b, bp), c0);
            c1 = x.fma(FloatVector.fromArray(S, b, bp + L), c1);
            c2 = x.fma(FloatVector.fromArray(S, b, bp + 2 * L), c2);
        }
        c0.intoArray(c, co); c1.intoArray(c, co + L); c2.intoArray(c, co + 2 * L);
    }

    private static void tile1x1(float[] a, int ao, float[] b, int bo, int ldb, float[] c, int co, int k, boolean acc) {
        FloatVector c0 = acc ? FloatVector.fromArray(S, c, co) : FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            c0 = FloatVector.broadcast(S, a[ao + p]).fma(FloatVector.fromArray(S, b, bo + p * ldb), c0);
        }
        c0.intoArray(c, co);
    }

    /** The plain definition of {@link #nn}, one FMA chain per element, for tests. */
    public static void nnReference(float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                                   int m, int k, int n, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = accumulate ? c[cOff + i * ldc + j] : 0f;
                for (int p = 0; p < k; p++) s = Math.fma(a[aOff + i * lda + p], b[bOff + p * ldb + j], s);
                c[cOff + i * ldc + j] = s;
            }
        }
    }

    /** {@code dst[cols x rows] = src[rows x cols]^T}, in cache-sized tiles, rows split over {@code pool}. */
    public static void transpose(float[] src, int sOff, int lds, float[] dst, int dOff, int ldd, int rows, int cols, Parallel pool) {
        final int T = 32;
        int tiles = (rows + T - 1) / T;
        Parallel.RangeBody body = (t0, t1) -> {
            for (int i0 = t0 * T; i0 < Math.min(rows, t1 * T); i0 += T) {
                int i1 = Math.min(rows, i0 + T);
                for (int j0 = 0; j0 < cols; j0 += T) {
                    int j1 = Math.min(cols, j0 + T);
                    for (int i = i0; i < i1; i++) {
                        for (int j = j0; j < j1; j++) dst[dOff + j * ldd + i] = src[sOff + i * lds + j];
                    }
                }
            }
        };
        if (pool == null || (long) rows * cols < 1 << 15) body.run(0, tiles);
        else pool.forRange(tiles, body);
    }

    /** Floating-point operations of {@link #nn}: one multiply and one add per inner step. */
    public static long flops(long m, long k, long n) {
        return 2 * m * k * n;
    }
}
