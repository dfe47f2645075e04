package trit.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import trit.kernel.Parallel;

class MatMulTest {
    private static float[] random(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    /** Odd sizes hit every tail (rows not a multiple of 4, columns not of the vector length); the FMA chains make it exact. */
    @Test
    void matchesReferenceBitForBitOnOddSizes() {
        Random r = new Random(7);
        try (Parallel pool = Parallel.create(3)) {
            for (int trial = 0; trial < 40; trial++) {
                int m = 1 + r.nextInt(70), k = 1 + r.nextInt(90), n = 1 + r.nextInt(150);
                int lda = k + r.nextInt(3), ldb = n + r.nextInt(3), ldc = n + r.nextInt(3);
                float[] a = random(r, 2 + m * lda), b = random(r, 1 + k * ldb), c0 = random(r, 3 + m * ldc);
                boolean acc = r.nextBoolean();
                float[] expect = c0.clone(), got = c0.clone(), single = c0.clone();
                MatMul.nnReference(a, 2, lda, b, 1, ldb, expect, 3, ldc, m, k, n, acc);
                MatMul.nn(a, 2, lda, b, 1, ldb, got, 3, ldc, m, k, n, acc, pool);
                MatMul.nn(a, 2, lda, b, 1, ldb, single, 3, ldc, m, k, n, acc, null);
                assertArrayEquals(expect, got, m + "x" + k + "x" + n);
                assertArrayEquals(expect, single, m + "x" + k + "x" + n);
            }
        }
    }

    @Test
    void bigProductsSplitOverThreadsAgree() {
        Random r = new Random(8);
        int m = 203, k = 77, n = 131;
        float[] a = random(r, m * k), b = random(r, k * n), expect = new float[m * n], got = new float[m * n];
        MatMul.nnReference(a, 0, k, b, 0, n, expect, 0, n, m, k, n, false);
        try (Parallel pool = Parallel.create(4)) {
            MatMul.nn(a, 0, k, b, 0, n, got, 0, n, m, k, n, false, pool);
        }
        assertArrayEquals(expect, got);
    }

    @Test
    void transposeOddShapes() {
        Random r = new Random(9);
        try (Parallel pool = Parallel.create(2)) {
            for (int trial = 0; trial < 10; trial++) {
                int rows = 1 + r.nextInt(300), cols = 1 + r.nextInt(200);
                float[] src = random(r, rows * cols), dst = new float[rows * cols];
                MatMul.transpose(src, 0, cols, dst, 0, rows, rows, cols, pool);
                for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) {
                    if (dst[j * rows + i] != src[i * cols + j]) throw new AssertionError(i + "," + j);
                }
            }
        }
    }
}
