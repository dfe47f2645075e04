package trit.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CandidatesTest {
    /** Logits whose softmax is exactly proportional to the given probabilities. */
    private static float[] logitsOf(double... probs) {
        float[] l = new float[probs.length];
        for (int i = 0; i < l.length; i++) l[i] = (float) Math.log(probs[i]);
        return l;
    }

    private static int[] sortedIds(Candidates c) {
        int[] ids = c.ids();
        Arrays.sort(ids);
        return ids;
    }

    // ---------------------------------------------------------------- known answers

    @Test
    void startsWithEveryTokenInIdOrder() {
        Candidates c = new Candidates().reset(new float[] {3, 1, 2});
        assertArrayEquals(new int[] {0, 1, 2}, c.ids());
        assertFalse(c.isSorted());
        assertEquals(3f, c.maxLogit());
    }

    @Test
    void topKKeepsTheKBestSorted() {
        float[] l = {0.5f, 3f, -1f, 2f, 2.5f, 0f};
        Candidates c = new Candidates().reset(l).topK(3);
        assertArrayEquals(new int[] {1, 4, 3}, c.ids());
        assertTrue(c.isSorted());
        assertArrayEquals(new int[] {1, 4}, c.topK(2).ids());       // again, on sorted candidates
        assertArrayEquals(new int[] {1}, c.topK(1).ids());
    }

    @Test
    void topKOffOrNotNarrowing() {
        float[] l = {0.5f, 3f, -1f};
        assertArrayEquals(new int[] {0, 1, 2}, new Candidates().reset(l).topK(0).ids());
        assertArrayEquals(new int[] {0, 1, 2}, new Candidates().reset(l).topK(3).ids());
        assertArrayEquals(new int[] {0, 1, 2}, new Candidates().reset(l).topK(99).ids());
    }

    @Test
    void topKTiesGoToLowerIds() {
        float[] l = {1f, 2f, 2f, 1f, 2f, 1f, 0f, 2f};
        assertArrayEquals(new int[] {1, 2}, new Candidates().reset(l).topK(2).ids());
        assertArrayEquals(new int[] {1, 2, 4, 7, 0}, new Candidates().reset(l).topK(5).ids());
        assertArrayEquals(new int[] {0, 1}, new Candidates().reset(new float[] {-0f, 0f, -1f}).topK(2).ids());
    }

    @Test
    void topKWithMaskedTokens() {
        float ni = Float.NEGATIVE_INFINITY;
        assertArrayEquals(new int[] {2, 0, 1}, new Candidates().reset(new float[] {ni, ni, 1f, ni}).topK(3).ids());
    }

    @Test
    void topPKeepsTheSmallestSetReachingP() {
        float[] l = logitsOf(0.1, 0.4, 0.2, 0.3);
        Candidates c = new Candidates();
        assertArrayEquals(new int[] {1}, c.reset(l).topP(0.35).ids());          // 0.4 >= 0.35
        assertArrayEquals(new int[] {1, 3}, c.reset(l).topP(0.5).ids());        // 0.4 < 0.5 <= 0.7
        assertArrayEquals(new int[] {1, 3}, c.reset(l).topP(0.69).ids());
        assertArrayEquals(new int[] {1, 3, 2}, c.reset(l).topP(0.71).ids());    // 0.7 < 0.71 <= 0.9
        assertArrayEquals(new int[] {1, 3, 2, 0}, c.reset(l).topP(0.95).ids());
        assertTrue(c.isSorted());
        assertArrayEquals(new int[] {0, 1, 2, 3}, c.reset(l).topP(1.0).ids());  // off
        assertArrayEquals(new int[] {1}, c.reset(l).topP(1e-9).ids());          // at least one stays
    }

    @Test
    void topPStopsAsSoonAsTheSumReachesPExactly() {
        // four equal logits: q = 1/4 each, exactly; p = 0.5 is reached by two, 0.75 by three
        float[] l = {0, 0, 0, 0};
        assertArrayEquals(new int[] {0, 1}, new Candidates().reset(l).topP(0.5).ids());
        assertArrayEquals(new int[] {0, 1, 2}, new Candidates().reset(l).topP(0.75).ids());
        assertArrayEquals(new int[] {0, 1, 2}, new Candidates().reset(l).topP(0.5000001).ids());
        assertArrayEquals(new int[] {0, 1}, new Candidates().reset(l).topK(3).topP(0.5).ids());   // sorted path
    }

    @Test
    void topPAfterTopKRenormalizesOverTheSurvivors() {
        // top-2 leaves 0.4 and 0.3: renormalized 4/7 = 0.571 and 3/7
        float[] l = logitsOf(0.1, 0.4, 0.2, 0.3);
        Candidates c = new Candidates();
        assertArrayEquals(new int[] {1}, c.reset(l).topK(2).topP(0.55).ids());
        assertArrayEquals(new int[] {1, 3}, c.reset(l).topK(2).topP(0.6).ids());
        // without top-k, 0.4 alone would not reach 0.55
        assertArrayEquals(new int[] {1, 3}, c.reset(l).topP(0.55).ids());
    }

    @Test
    void topPIsInvariantToAShiftOfTheLogits() {
        float[] l = logitsOf(0.1, 0.4, 0.2, 0.3);
        for (int i = 0; i < l.length; i++) l[i] += 80f;
        assertArrayEquals(new int[] {1, 3}, new Candidates().reset(l).topP(0.5).ids());
    }

    @Test
    void minPKeepsTokensWithinAFactorOfTheBest() {
        float[] l = logitsOf(0.1, 0.4, 0.2, 0.3);
        Candidates c = new Candidates();
        // unsorted path: the order of ids is kept
        assertArrayEquals(new int[] {1, 3}, c.reset(l).minP(0.6).ids());            // >= 0.24
        assertFalse(c.isSorted());
        assertArrayEquals(new int[] {1, 2, 3}, c.reset(l).minP(0.45).ids());        // >= 0.18
        assertArrayEquals(new int[] {0, 1, 2, 3}, c.reset(l).minP(0.2).ids());      // >= 0.08
        assertArrayEquals(new int[] {1}, c.reset(l).minP(0.9).ids());
        assertArrayEquals(new int[] {0, 1, 2, 3}, c.reset(l).minP(0).ids());        // off
        // sorted path
        assertArrayEquals(new int[] {1, 3, 2}, c.reset(l).topP(0.99).minP(0.45).ids());
        assertArrayEquals(new int[] {1, 3, 2}, c.reset(l).topK(3).minP(0.2).ids());
        assertArrayEquals(new int[] {1, 3}, c.reset(l).topP(0.95).minP(0.6).ids());
        // min-p = 1 keeps exactly the tokens tied for best
        assertArrayEquals(new int[] {1, 3}, c.reset(new float[] {1, 2, 0, 2}).minP(1).ids());
        assertArrayEquals(new int[] {1, 3}, c.reset(new float[] {1, 2, 0, 2}).topK(3).minP(1).ids());
    }

    @Test
    void minPAfterAnUnsortedMinP() {
        float[] l = logitsOf(0.1, 0.4, 0.2, 0.3);
        assertArrayEquals(new int[] {1, 3}, new Candidates().reset(l).minP(0.45).minP(0.6).ids());
        assertArrayEquals(new int[] {1, 3}, new Candidates().reset(l).minP(0.45).topK(2).ids());
        assertArrayEquals(new int[] {1, 3}, new Candidates().reset(l).minP(0.45).topP(0.6).ids());
    }

    @Test
    void weightsApplyTheTemperature() {
        float[] l = {0f, (float) Math.log(3)};
        double[] w = new double[2];
        Candidates c = new Candidates().reset(l);
        double sum = c.weights(1.0, w);
        assertEquals(0.25, w[0] / sum, 1e-7);
        assertEquals(0.75, w[1] / sum, 1e-7);
        sum = c.weights(2.0, w);                                // exp(l / 2): 1 and sqrt(3)
        assertEquals(1 / (1 + Math.sqrt(3)), w[0] / sum, 1e-7);
        sum = c.weights(0.5, w);                                // 1 and 9
        assertEquals(0.9, w[1] / sum, 1e-7);
        sum = c.weights(1e-6, w);                               // nearly greedy
        assertEquals(1.0, w[1] / sum, 1e-12);
        assertThrows(IllegalArgumentException.class, () -> c.weights(0, w));
    }

    @Test
    void drawInvertsTheCumulativeWeights() {
        float[] l = {0f, (float) Math.log(3), Float.NEGATIVE_INFINITY, 0f};   // 1/5, 3/5, 0, 1/5
        double[] w = new double[4];
        Candidates c = new Candidates().reset(l);
        assertEquals(0, c.draw(1, 0.0, w));
        assertEquals(0, c.draw(1, 0.19, w));
        assertEquals(1, c.draw(1, 0.21, w));
        assertEquals(1, c.draw(1, 0.79, w));
        assertEquals(3, c.draw(1, 0.81, w));                     // the masked token is skipped
        assertEquals(3, c.draw(1, Math.nextDown(1.0), w));
        assertEquals(1, c.reset(l).topK(1).draw(1, 0.99, w));
        assertEquals(3, c.reset(new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, 0})
                .draw(1, 0.0, w));
    }

    @Test
    void keysOrderByLogitDescendingThenIdAscending() {
        float[] values = {Float.NEGATIVE_INFINITY, -1e30f, -2f, -1f, -Float.MIN_VALUE, 0f, Float.MIN_VALUE, 1f, 3e38f};
        for (int i = 0; i + 1 < values.length; i++) {
            assertTrue(Candidates.key(values[i + 1], 5) < Candidates.key(values[i], 0), values[i] + " vs " + values[i + 1]);
        }
        assertTrue(Candidates.key(1f, 3) < Candidates.key(1f, 4));
        assertEquals(Candidates.key(0f, 7), Candidates.key(-0f, 7));
        assertEquals(123456, (int) Candidates.key(-5f, 123456));
    }

    // ---------------------------------------------------------------- against a plain reference

    /** Ids sorted by logit descending, id ascending: the reference order. */
    private static List<Integer> refOrder(float[] l, List<Integer> ids) {
        List<Integer> out = new ArrayList<>(ids);
        out.sort(Comparator.<Integer>comparingDouble(i -> -l[i]).thenComparingInt(i -> i));
        return out;
    }

    private static List<Integer> refTopK(float[] l, List<Integer> ids, int k) {
        if (k <= 0 || k >= ids.size()) return ids;
        return refOrder(l, ids).subList(0, k);
    }

    private static List<Integer> refTopP(float[] l, List<Integer> ids, double p) {
        if (p >= 1) return ids;
        List<Integer> order = refOrder(l, ids);
        double max = l[order.get(0)];
        double sum = 0;
        for (int i : order) sum += Math.exp(l[i] - max);
        double cum = 0;
        for (int n = 0; n < order.size(); n++) {
            cum += Math.exp(l[order.get(n)] - max) / sum;
            if (cum >= p) return order.subList(0, n + 1);
        }
        return order;
    }

    private static List<Integer> refMinP(float[] l, List<Integer> ids, double p) {
        if (p <= 0) return ids;
        double max = Double.NEGATIVE_INFINITY;
        for (int i : ids) max = Math.max(max, l[i]);
        List<Integer> out = new ArrayList<>();
        for (int i : ids) if (l[i] >= max + Math.log(p)) out.add(i);
        return out;
    }

    private static int[] sorted(List<Integer> ids) {
        return ids.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    @Test
    void randomChainsMatchTheReference() {
        SplittableRandom rnd = new SplittableRandom(11);
        Candidates c = new Candidates();
        for (int trial = 0; trial < 400; trial++) {
            int n = 1 + rnd.nextInt(trial < 300 ? 50 : 3000);
            float[] l = new float[n];
            double scale = rnd.nextDouble(0.1, 8);
            for (int i = 0; i < n; i++) {
                // coarse values make ties common
                l[i] = trial % 3 == 0 ? rnd.nextInt(5) : (float) (rnd.nextGaussian() * scale);
            }
            int k = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(n + 2);
            double p = rnd.nextInt(4) == 0 ? 1 : rnd.nextDouble(0.05, 1);
            double minP = rnd.nextInt(4) == 0 ? 0 : rnd.nextDouble(0, 0.5);
            List<Integer> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) ids.add(i);
            String what = "trial " + trial + " n=" + n + " k=" + k + " p=" + p + " minP=" + minP;

            c.reset(l).topK(k);
            List<Integer> ref = refTopK(l, ids, k);
            assertArrayEquals(sorted(ref), sortedIds(c), what + " (top-k)");
            if (k > 0 && k < n) assertArrayEquals(refOrder(l, ref).stream().mapToInt(Integer::intValue).toArray(), c.ids());

            c.topP(p);
            ref = refTopP(l, ref, p);
            assertArrayEquals(sorted(ref), sortedIds(c), what + " (top-p)");

            c.minP(minP);
            ref = refMinP(l, ref, minP);
            assertArrayEquals(sorted(ref), sortedIds(c), what + " (min-p)");
            assertTrue(c.size() >= 1);
        }
    }

    @Test
    void topPOnFlatAndSpreadDistributions() {
        SplittableRandom rnd = new SplittableRandom(5);
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < 5000; i++) ids.add(i);
        Candidates c = new Candidates();
        // nearly equal logits: all in the top histogram bucket, p = 0.9 keeps about 4500
        float[] flat = new float[5000];
        for (int i = 0; i < flat.length; i++) flat[i] = (float) (rnd.nextDouble() * 0.01);
        List<Integer> ref = refTopP(flat, ids, 0.9);
        assertTrue(ref.size() > 4000, "size " + ref.size());
        assertArrayEquals(ref.stream().mapToInt(Integer::intValue).toArray(), c.reset(flat).topP(0.9).ids());
        // logits spread over 100 (beyond the histogram's 64), some masked: the cut falls mid-histogram
        float[] spread = new float[5000];
        for (int i = 0; i < spread.length; i++) {
            spread[i] = i % 7 == 0 ? Float.NEGATIVE_INFINITY : (float) (rnd.nextDouble() * 100 - 50);
        }
        for (double p : new double[] {0.05, 0.5, 0.9, 0.999, 0.99999999}) {
            ref = refTopP(spread, ids, p);
            assertArrayEquals(ref.stream().mapToInt(Integer::intValue).toArray(), c.reset(spread).topP(p).ids(), "p=" + p);
        }
        // a peaked one keeps just the peak
        flat[4321] = 20f;
        assertArrayEquals(new int[] {4321}, c.reset(flat).topP(0.9).ids());
    }

    @Test
    void buffersAreReusedAcrossVocabularySizes() {
        Candidates c = new Candidates();
        assertArrayEquals(new int[] {2, 0}, c.reset(new float[] {1, 0, 2}).topK(2).ids());
        assertArrayEquals(new int[] {4, 3}, c.reset(new float[] {0, 0, 0, 5, 6}).topK(2).ids());
        assertArrayEquals(new int[] {1}, c.reset(new float[] {0, 9}).topK(1).ids());
    }
}
