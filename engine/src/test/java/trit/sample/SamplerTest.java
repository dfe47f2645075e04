package trit.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplerTest {
    private static final float[] SIX = {1.0f, 2.0f, 0.5f, -1.0f, 1.5f, 0.0f};

    private static double[] softmax(float[] l, double t) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : l) max = Math.max(max, v);
        double[] p = new double[l.length];
        double sum = 0;
        for (int i = 0; i < l.length; i++) sum += p[i] = Math.exp((l[i] - max) / t);
        for (int i = 0; i < l.length; i++) p[i] /= sum;
        return p;
    }

    private static int[] counts(Sampler s, float[] logits, int draws) {
        int[] c = new int[logits.length];
        for (int i = 0; i < draws; i++) c[s.sample(logits)]++;
        return c;
    }

    /** Pearson's chi-square statistic over the cells with a positive expectation; counts elsewhere fail. */
    private static double chiSquare(int[] counts, double[] probs, int draws) {
        double chi = 0;
        for (int i = 0; i < counts.length; i++) {
            if (probs[i] == 0) {
                assertEquals(0, counts[i], "token " + i + " has probability 0");
                continue;
            }
            double e = probs[i] * draws;
            chi += (counts[i] - e) * (counts[i] - e) / e;
        }
        return chi;
    }

    private static int[] run(Sampler s, float[] logits, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = s.sample(logits);
        return out;
    }

    // ---------------------------------------------------------------- greedy

    @Test
    void greedyIsTheArgmaxWithTiesToTheLowestId() {
        Sampler s = new Sampler(SamplerConfig.greedy());
        assertEquals(1, s.sample(SIX));
        assertEquals(2, s.sample(new float[] {0, 1, 3, 3, 3}));
        assertEquals(0, s.sample(new float[] {4, 4}));
    }

    @Test
    void greedyIgnoresTheFiltersAndTheSeed() {
        float[] l = {0, 1, 3, 3, -2};
        SamplerConfig c = SamplerConfig.defaults(1).withTemperature(0).withTopK(1).withTopP(0.1f).withMinP(0.9f);
        assertEquals(2, new Sampler(c).sample(l));
        assertEquals(2, new Sampler(c.withSeed(99)).sample(l));
    }

    // ---------------------------------------------------------------- repetition penalty

    @Test
    void repetitionPenaltyChangesTheGreedyChoice() {
        Sampler s = new Sampler(SamplerConfig.greedy().withRepeatPenalty(1.1f));
        TokenWindow w = new TokenWindow(64);
        assertEquals(0, s.sample(new float[] {5f, 4.9f}, w));           // nothing seen yet
        w.add(0);
        assertEquals(1, s.sample(new float[] {5f, 4.9f}, w));           // 5 / 1.1 = 4.55
        assertEquals(0, s.sample(new float[] {5f, 4.0f}, w));           // 4.55 still wins
        assertEquals(1, s.sample(new float[] {-1f, -1.05f}, w));        // -1 * 1.1 = -1.1
        assertEquals(0, s.sample(new float[] {5f, 4.9f}, null));
        assertEquals(0, new Sampler(SamplerConfig.greedy()).sample(new float[] {5f, 4.9f}, w));  // penalty 1: off
    }

    @Test
    void repetitionPenaltyAppliesOncePerDistinctToken() {
        Sampler s = new Sampler(SamplerConfig.greedy().withRepeatPenalty(2f));
        TokenWindow w = new TokenWindow(64);
        w.addAll(0, 0, 0, 0);
        // applied four times 8 would become 0.5; once it is 4, which beats 3.9
        assertEquals(0, s.sample(new float[] {8f, 3.9f}, w));
        assertEquals(1, s.sample(new float[] {8f, 4.1f}, w));
    }

    @Test
    void repetitionPenaltyOnlySeesTheLastN() {
        Sampler s = new Sampler(SamplerConfig.greedy().withRepeatPenalty(2f).withRepeatLastN(2));
        TokenWindow w = new TokenWindow(64);
        w.addAll(0, 5, 6);                                               // 0 is three tokens back
        float[] l = {4f, 3f, 0, 0, 0, 0, 0};
        assertEquals(0, s.sample(l, w));
        w.add(0);
        assertEquals(1, s.sample(l, w));
        Sampler off = new Sampler(SamplerConfig.greedy().withRepeatPenalty(2f).withRepeatLastN(0));
        assertEquals(0, off.sample(l, w));
    }

    @Test
    void penaltyNeverChangesTheCallersLogits() {
        float[] l = {4f, -2f, 1f};
        float[] copy = l.clone();
        TokenWindow w = new TokenWindow(8);
        w.addAll(0, 1, 2);
        Sampler s = new Sampler(SamplerConfig.defaults(3).withRepeatPenalty(1.3f));
        for (int i = 0; i < 20; i++) s.sample(l, w);
        new Sampler(SamplerConfig.greedy().withRepeatPenalty(1.3f)).sample(l, w);
        assertArrayEquals(copy, l);
    }

    @Test
    void historyTokensOutsideTheVocabularyAreAnError() {
        TokenWindow w = new TokenWindow(8);
        w.add(10);
        Sampler s = new Sampler(SamplerConfig.greedy().withRepeatPenalty(1.1f));
        assertThrows(IllegalArgumentException.class, () -> s.sample(new float[] {1, 2}, w));
    }

    // ---------------------------------------------------------------- seeds

    @Test
    void sameSeedSameTokens() {
        float[] flat = new float[100];
        SamplerConfig c = SamplerConfig.pure(1f, 1234);
        assertArrayEquals(run(new Sampler(c), flat, 200), run(new Sampler(c), flat, 200));
        SamplerConfig d = SamplerConfig.defaults(1234);
        assertArrayEquals(run(new Sampler(d), SIX, 200), run(new Sampler(d), SIX, 200));
    }

    @Test
    void differentSeedsDifferentTokens() {
        float[] flat = new float[100];
        int[] a = run(new Sampler(SamplerConfig.pure(1f, 1)), flat, 50);
        int[] b = run(new Sampler(SamplerConfig.pure(1f, 2)), flat, 50);
        assertFalse(Arrays.equals(a, b));
        assertTrue(new HashSet<>(Arrays.stream(a).boxed().toList()).size() > 20, "a uniform draw repeats too much");
    }

    @Test
    void theSequenceForASeedIsPinned() {
        // inverse transform of SplitMix64(42) doubles over a uniform vocabulary of 100: floor(100 u).
        // If this changes, a seed no longer reproduces the tokens of earlier trit versions.
        float[] flat = new float[100];
        SplitMix64 r = new SplitMix64(42);
        int[] expected = new int[16];
        for (int i = 0; i < 16; i++) expected[i] = (int) (r.nextDouble() * 100);
        assertArrayEquals(expected, run(new Sampler(SamplerConfig.pure(1f, 42)), flat, 16));
    }

    @Test
    void oneRandomNumberPerCallWhateverTheFiltersLeave() {
        // min-p 0.5 leaves one candidate of {0, 9, 0} and all of a flat vector; the stream advances
        // once per call either way, so afterwards both samplers agree again
        Sampler a = new Sampler(SamplerConfig.pure(1f, 77).withMinP(0.5f));
        Sampler b = new Sampler(SamplerConfig.pure(1f, 77));
        float[] flat = new float[10];
        for (int i = 0; i < 5; i++) {
            assertEquals(1, a.sample(new float[] {0, 9, 0}));
            b.sample(flat);
        }
        assertArrayEquals(run(b, flat, 10), run(a, flat, 10));
    }

    // ---------------------------------------------------------------- distributions

    @Test
    void temperatureSamplingFollowsTheSoftmax() {
        int draws = 200_000;
        double t = 0.7;
        int[] c = counts(new Sampler(SamplerConfig.pure((float) t, 2024)), SIX, draws);
        // 5 degrees of freedom: P(chi2 > 30) is about 1.5e-5
        double chi = chiSquare(c, softmax(SIX, t), draws);
        assertTrue(chi < 30, "chi-square " + chi + " for counts " + Arrays.toString(c));
        // and the test can tell temperature 0.7 from 1
        assertTrue(chiSquare(c, softmax(SIX, 1.0), draws) > 1000);
    }

    @Test
    void highTemperatureFlattensLowSharpens() {
        int draws = 100_000;
        for (double t : new double[] {0.25, 3.0}) {
            int[] c = counts(new Sampler(SamplerConfig.pure((float) t, 5)), SIX, draws);
            double chi = chiSquare(c, softmax(SIX, t), draws);
            assertTrue(chi < 30, "t=" + t + " chi-square " + chi + " for counts " + Arrays.toString(c));
        }
    }

    @Test
    void filteredSamplingFollowsTheRenormalizedSoftmax() {
        // top-k 3 keeps ids 1, 4, 0 (logits 2, 1.5, 1); temperature 1.3 over those alone
        int draws = 100_000;
        double t = 1.3;
        int[] c = counts(new Sampler(SamplerConfig.pure((float) t, 8).withTopK(3)), SIX, draws);
        double[] p = softmax(new float[] {1.0f, 2.0f, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, 1.5f,
                Float.NEGATIVE_INFINITY}, t);
        double chi = chiSquare(c, p, draws);
        assertTrue(chi < 25, "chi-square " + chi + " for counts " + Arrays.toString(c));
    }

    @Test
    void filtersBoundTheTokensDrawn() {
        float[] l = {0.1f, 0.4f, 0.2f, 0.3f};
        for (int i = 0; i < l.length; i++) l[i] = (float) Math.log(l[i]);
        assertEquals(Set.of(1, 3), drawn(SamplerConfig.pure(1f, 1).withTopP(0.5f), l));
        assertEquals(Set.of(1, 3), drawn(SamplerConfig.pure(1f, 1).withMinP(0.6f), l));
        assertEquals(Set.of(1, 3, 2), drawn(SamplerConfig.pure(1f, 1).withTopK(3), l));
        // top-k 3 leaves 0.4, 0.3, 0.2: renormalized 0.44 < 0.55, so top-p 0.55 keeps two
        assertEquals(Set.of(1, 3), drawn(SamplerConfig.pure(5f, 1).withTopK(3).withTopP(0.55f), l));
        // top-k 2 leaves 0.4, 0.3: renormalized 0.57 >= 0.55, so one
        assertEquals(Set.of(1), drawn(SamplerConfig.pure(5f, 1).withTopK(2).withTopP(0.55f), l));
        assertEquals(Set.of(0, 1, 2, 3), drawn(SamplerConfig.pure(1f, 1), l));
    }

    private static Set<Integer> drawn(SamplerConfig c, float[] logits) {
        Sampler s = new Sampler(c);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) seen.add(s.sample(logits));
        return seen;
    }

    @Test
    void maskedTokensAreNeverDrawn() {
        float ni = Float.NEGATIVE_INFINITY;
        float[] l = {ni, 0f, ni, 0f, ni};
        assertEquals(Set.of(1, 3), drawn(SamplerConfig.pure(2f, 3), l));
    }

    // ---------------------------------------------------------------- log probability

    @Test
    void logProbIsUnderTheRawSoftmax() {
        TokenWindow w = new TokenWindow(64);
        w.addAll(1, 4);
        Sampler s = new Sampler(SamplerConfig.defaults(9).withTemperature(0.3f).withTopK(2).withRepeatPenalty(1.5f));
        double[] p = softmax(SIX, 1.0);
        for (int i = 0; i < 50; i++) {
            Sample x = s.next(SIX, w);
            assertEquals(Math.log(p[x.token()]), x.logProb(), 1e-6);
        }
        Sample g = new Sampler(SamplerConfig.greedy()).next(new float[] {0f, (float) Math.log(3)}, null);
        assertEquals(1, g.token());
        assertEquals(Math.log(0.75), g.logProb(), 1e-7);
    }

    @Test
    void badLogitsAreRejected() {
        Sampler s = new Sampler(SamplerConfig.defaults(1));
        assertThrows(IllegalArgumentException.class, () -> s.sample(new float[] {0, Float.NaN}));
        assertThrows(IllegalArgumentException.class, () -> s.sample(new float[0]));
        assertThrows(IllegalArgumentException.class,
                () -> s.sample(new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}));
    }

    // ---------------------------------------------------------------- a real vocabulary size

    @Test
    void llama3SizedVocabulary() {
        int vocab = 128_256;
        SplittableRandom rnd = new SplittableRandom(31);
        float[] logits = new float[vocab];
        TokenWindow w = new TokenWindow(64);
        Sampler defaults = new Sampler(SamplerConfig.defaults(1).withRepeatPenalty(1.1f));
        Sampler pure = new Sampler(SamplerConfig.pure(1f, 2));
        Sampler nucleus = new Sampler(SamplerConfig.pure(0.9f, 3).withTopP(0.9f));
        Sampler greedy = new Sampler(SamplerConfig.greedy());
        for (int step = 0; step < 40; step++) {
            double scale = step % 2 == 0 ? 3.0 : 0.05;   // peaked, then nearly flat (top-p must widen)
            for (int i = 0; i < vocab; i++) logits[i] = (float) (rnd.nextGaussian() * scale);
            float[] before = logits.clone();

            Sample a = defaults.next(logits, w);
            assertTrue(a.token() >= 0 && a.token() < vocab);
            assertTrue(a.logProb() <= 0 && a.logProb() > -30, "logprob " + a.logProb());
            w.add(a.token());

            int b = pure.sample(logits, w);
            assertTrue(b >= 0 && b < vocab);
            int c = nucleus.sample(logits);
            assertTrue(c >= 0 && c < vocab);

            int g = greedy.sample(logits, w);
            int argmax = 0;
            for (int i = 1; i < vocab; i++) if (logits[i] > logits[argmax]) argmax = i;
            assertEquals(argmax, g);
            assertArrayEquals(before, logits);
        }
        assertNotEquals(0, w.size());
    }
}
