package trit.bdh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/**
 * Every hand-written backward step against central finite differences: the ops one by one, then the
 * whole model's gradient for each parameter array (which runs every op of the graph in every layer).
 */
class BdhGradientTest {
    /** ||analytic - numeric|| / (||analytic|| + ||numeric||) over sampled coordinates of {@code x}. */
    static double check(float[] x, float[] analytic, DoubleSupplier loss, int samples, float eps, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double num2 = 0, an2 = 0, diff2 = 0;
        for (int s = 0; s < samples; s++) {
            int i = r.nextInt(x.length);
            float keep = x[i];
            x[i] = keep + eps;
            double up = loss.getAsDouble();
            x[i] = keep - eps;
            double down = loss.getAsDouble();
            x[i] = keep;
            double num = (up - down) / (2.0 * eps);
            num2 += num * num;
            an2 += (double) analytic[i] * analytic[i];
            diff2 += (num - analytic[i]) * (num - analytic[i]);
        }
        assertTrue(an2 > 0, "gradient is zero at every sampled coordinate: the check would prove nothing");
        return Math.sqrt(diff2) / (Math.sqrt(num2) + Math.sqrt(an2));
    }

    static float[] gaussian(int n, long seed, float std) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextGaussian() * std);
        return a;
    }

    @Test
    void layerNormBackward() {
        int n = 13;
        float[] x = gaussian(n, 1, 2f), w = gaussian(n, 2, 1f), y = new float[n], dx = new float[n];
        // loss = <w, LN(x)>: its gradient with respect to LN's output is w
        DoubleSupplier loss = () -> {
            float[] o = new float[n];
            Norm.forward(x, 0, o, 0, n);
            double s = 0;
            for (int i = 0; i < n; i++) s += (double) w[i] * o[i];
            return s;
        };
        float rstd = Norm.forward(x, 0, y, 0, n);
        Norm.backward(y, 0, rstd, w, 0, dx, 0, n);
        assertTrue(check(x, dx, loss, 40, 1e-2f, 3) < 2e-3);
    }

    @Test
    void ropeBackwardIsTheInverseRotation() {
        // <R a, b> = <a, R^T b> for random vectors and angles
        int pairs = 9;
        float[] a = gaussian(2 * pairs, 4, 1), b = gaussian(2 * pairs, 5, 1);
        float[] cos = new float[pairs], sin = new float[pairs];
        new Rope(2 * pairs, 37.0).table(123, cos, sin, 0);
        float[] ra = new float[2 * pairs], rtb = new float[2 * pairs], back = new float[2 * pairs];
        Rope.rotate(a, 0, ra, 0, cos, sin, 0, pairs, false);
        Rope.rotate(b, 0, rtb, 0, cos, sin, 0, pairs, true);
        assertEquals(Vec.dotScalar(ra, 0, b, 0, 2 * pairs), Vec.dotScalar(a, 0, rtb, 0, 2 * pairs), 1e-5);
        Rope.rotate(ra, 0, back, 0, cos, sin, 0, pairs, true);
        for (int i = 0; i < a.length; i++) assertEquals(a[i], back[i], 1e-5);
    }

    @Test
    void crossEntropyGradient() {
        BdhConfig c = new BdhConfig(1, 8, 1, 8, 7, 100.0);
        BdhParallel p = new BdhParallel(BdhModel.random(c, 7, 0.5f));
        int[] tokens = BdhFormsTest.randomTokens(5, 7, 8), targets = BdhFormsTest.randomTokens(5, 7, 9);
        float[] logits = p.forward(tokens);
        float[] d = new float[5 * 7];
        p.crossEntropy(targets, d, 1f);
        assertTrue(check(logits, d, () -> p.crossEntropy(targets, null, 1f), 30, 1e-2f, 10) < 2e-3);
    }

    @Test
    void maskedCrossEntropyCountsOnlyTargetedPositions() {
        BdhConfig c = new BdhConfig(1, 8, 1, 8, 7, 100.0);
        BdhParallel p = new BdhParallel(BdhModel.random(c, 7, 0.5f));
        int[] tokens = BdhFormsTest.randomTokens(6, 7, 8), targets = BdhFormsTest.randomTokens(6, 7, 9);
        int[] masked = targets.clone();
        masked[0] = -1;
        masked[3] = -1;
        float[] logits = p.forward(tokens);
        // the mean over the targeted positions, computed here from the logits directly
        double want = 0;
        for (int t : new int[] {1, 2, 4, 5}) {
            double z = 0;
            for (int i = 0; i < 7; i++) z += Math.exp(logits[t * 7 + i]);
            want += Math.log(z) - logits[t * 7 + targets[t]];
        }
        float[] d = new float[6 * 7];
        java.util.Arrays.fill(d, 9f); // rows without a target must be cleared
        assertEquals(want / 4, p.crossEntropy(masked, d, 1f), 1e-5);
        for (int i = 0; i < 7; i++) {
            assertEquals(0f, d[i]);
            assertEquals(0f, d[3 * 7 + i]);
        }
        assertTrue(check(logits, d, () -> p.crossEntropy(masked, null, 1f), 30, 1e-2f, 11) < 2e-3);
        int[] none = new int[6];
        java.util.Arrays.fill(none, -1);
        assertEquals(0.0, p.crossEntropy(none, null, 1f));
    }

    @Test
    void weightedCrossEntropyIsTheWeightedMeanAndItsGradient() {
        BdhConfig c = new BdhConfig(1, 8, 1, 8, 7, 100.0);
        BdhParallel p = new BdhParallel(BdhModel.random(c, 7, 0.5f));
        int[] tokens = BdhFormsTest.randomTokens(6, 7, 8), targets = BdhFormsTest.randomTokens(6, 7, 9);
        targets[2] = -1;
        float[] w = {1f, 3f, 5f, 0f, 0.5f, 2f};
        float[] logits = p.forward(tokens);
        double want = 0, total = 0;
        for (int t = 0; t < 6; t++) {
            if (targets[t] < 0) continue;
            double z = 0;
            for (int i = 0; i < 7; i++) z += Math.exp(logits[t * 7 + i]);
            want += w[t] * (Math.log(z) - logits[t * 7 + targets[t]]);
            total += w[t];
        }
        float[] d = new float[6 * 7];
        assertEquals(want / total, p.crossEntropy(targets, w, null, d, 1f), 1e-5);
        assertTrue(check(logits, d, () -> p.crossEntropy(targets, w, null, null, 1f), 30, 1e-2f, 12) < 2e-3);
        float[] ones = {1f, 1f, 1f, 1f, 1f, 1f};
        assertEquals(p.crossEntropy(targets, null, 1f), p.crossEntropy(targets, ones, null, null, 1f), 1e-12);
        org.junit.jupiter.api.Assertions.assertThrows(trit.TritException.class, () -> p.crossEntropy(targets, new float[] {1f, -1f, 1f, 1f, 1f, 1f}, null, null, 1f));
    }

    @Test
    void distributionTargetsAreCrossEntropyAgainstTheDistribution() {
        BdhConfig c = new BdhConfig(1, 8, 1, 8, 7, 100.0);
        BdhParallel p = new BdhParallel(BdhModel.random(c, 7, 0.5f));
        int[] tokens = BdhFormsTest.randomTokens(5, 7, 8), targets = BdhFormsTest.randomTokens(5, 7, 9);
        BdhParallel.Distribution[] q = new BdhParallel.Distribution[5];
        q[1] = new BdhParallel.Distribution(new int[] {2, 5, 6}, new float[] {0.5f, 0.25f, 0.25f});
        q[4] = new BdhParallel.Distribution(new int[] {targets[4]}, new float[] {1f});
        float[] w = {1f, 2f, 1f, 1f, 3f};
        float[] logits = p.forward(tokens);
        double want = 0, total = 0;
        for (int t = 0; t < 5; t++) {
            double z = 0;
            for (int i = 0; i < 7; i++) z += Math.exp(logits[t * 7 + i]);
            double ce = Math.log(z) - logits[t * 7 + targets[t]];
            if (t == 1) ce = Math.log(z) - (0.5 * logits[7 + 2] + 0.25 * logits[7 + 5] + 0.25 * logits[7 + 6]);
            want += w[t] * ce;
            total += w[t];
        }
        float[] d = new float[5 * 7];
        assertEquals(want / total, p.crossEntropy(targets, w, q, d, 1f), 1e-5);
        assertTrue(check(logits, d, () -> p.crossEntropy(targets, w, q, null, 1f), 30, 1e-2f, 13) < 2e-3);
        org.junit.jupiter.api.Assertions.assertThrows(trit.TritException.class,
                () -> new BdhParallel.Distribution(new int[] {1, 2}, new float[] {0.5f, 0.6f}));
    }

    private static void modelGradient(BdhConfig c, int T, float std, long seed) {
        BdhModel m = BdhModel.random(c, seed, std);
        BdhParallel p = new BdhParallel(m);
        int[] tokens = BdhFormsTest.randomTokens(T, c.vocab(), seed + 1);
        int[] targets = BdhFormsTest.randomTokens(T, c.vocab(), seed + 2);
        p.forward(tokens);
        float[] dLogits = new float[T * c.vocab()];
        // summed (not mean) loss: larger gradients, so float rounding in the differences matters less
        p.crossEntropy(targets, dLogits, T);
        BdhModel g = m.zerosLike();
        p.backward(dLogits, g);
        DoubleSupplier loss = () -> {
            p.forward(tokens);
            return p.crossEntropy(targets, null, 1f) * T;
        };
        for (int i = 0; i < m.params().size(); i++) {
            BdhModel.Param w = m.params().get(i);
            double err = check(w.data(), g.params().get(i).data(), loss, 60, 2e-3f, seed + 10 + i);
            assertTrue(err < 5e-3, w.name() + ": relative gradient error " + err + " (config " + c + ")");
        }
    }

    @Test
    void modelGradientOneLayer() {
        modelGradient(new BdhConfig(1, 8, 2, 10, 7, 50.0), 6, 0.4f, 20);
    }

    @Test
    void modelGradientSeveralLayersOddSizes() {
        modelGradient(new BdhConfig(3, 11, 3, 6, 9, 13.0), 7, 0.4f, 30);
        modelGradient(new BdhConfig(2, 12, 1, 14, 5, BdhConfig.DEFAULT_THETA), 9, 0.3f, 40);
    }
}
