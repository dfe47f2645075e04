package trit.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TernaryTest {

    @Test
    void absmeanKnownAnswer() {
        float[] w = {0.5f, -1f, 0.25f, 0f, 2f, -0.25f, 0.75f, -0.75f};
        // mean |w| = 5.5 / 8 = 0.6875; w / s = 0.73, -1.45, 0.36, 0, 2.9, -0.36, 1.09, -1.09.
        float[] out = new float[w.length];
        Ternary.Result r = Ternary.absmean(w, out);
        float s = 0.6875f;
        assertEquals(s, r.scale());
        assertFalse(r.alreadyTernary());
        assertArrayEquals(new float[] {s, -s, 0, 0, s, 0, s, -s}, out);
        assertEquals(3.0 / 8, r.zeroFraction());
    }

    @Test
    void halfwayRoundsToEvenAsTorchRound() {
        float[] w = {0.5f, -1.5f};   // s = 1: 0.5 -> 0 (not 1), -1.5 -> -2 -> clamped to -1
        Ternary.Result r = Ternary.absmean(w, w);
        assertEquals(1f, r.scale());
        assertArrayEquals(new float[] {0, -1}, w);
        assertEquals(0.5, r.zeroFraction());
    }

    @Test
    void scaleIsFlooredAtMinScale() {
        float[] w = {1e-7f, -2e-7f, 0f, 3e-7f};
        Ternary.Result r = Ternary.absmean(w, new float[4]);
        assertEquals(1e-5f, r.scale());
        assertEquals(1.0, r.zeroFraction());
    }

    @Test
    void alreadyTernaryKeepsItsScale() {
        float[] w = {0.37f, -0.37f, 0, 0.37f, 0};
        float[] out = new float[5];
        Ternary.Result r = Ternary.absmean(w, out);
        assertTrue(r.alreadyTernary());
        assertEquals(0.37f, r.scale());       // not the absmean 0.222
        assertArrayEquals(w, out);
        assertEquals(0.4, r.zeroFraction());

        float[] near = {0.37f, -0.37f * (1 + 5e-7f), 0};
        assertTrue(Ternary.absmean(near, new float[3]).alreadyTernary());
        float[] far = {0.37f, -0.37f * (1 + 1e-5f), 0};
        assertFalse(Ternary.absmean(far, new float[3]).alreadyTernary());
    }

    @Test
    void ternarizingTwiceChangesNothing() {
        Random rnd = new Random(3);
        float[] w = new float[1024];
        for (int i = 0; i < w.length; i++) w[i] = (float) rnd.nextGaussian() * 0.02f;
        float[] once = new float[w.length];
        Ternary.Result first = Ternary.absmean(w, once);
        assertFalse(first.alreadyTernary());
        // Through I2_S (f32 scale) and back, then again: same scale, same values.
        float[] decoded = Codec.decode(GgmlType.I2_S, Codec.encode(GgmlType.I2_S, once), w.length);
        assertArrayEquals(once, decoded);
        float[] twice = new float[w.length];
        Ternary.Result second = Ternary.absmean(decoded, twice);
        assertTrue(second.alreadyTernary());
        assertEquals(first.scale(), second.scale());
        assertArrayEquals(once, twice);
        assertEquals(first.zeroFraction(), Ternary.zeroFraction(decoded));
    }

    @Test
    void zeroFractionCountsBothZeros() {
        assertEquals(0.5, Ternary.zeroFraction(new float[] {0f, -0f, 1f, Float.NaN}));
        assertEquals(0.0, Ternary.zeroFraction(new float[0]));
    }

    @Test
    void rejectsNonFiniteWeights() {
        assertThrows(IllegalArgumentException.class, () -> Ternary.absmean(new float[] {1, Float.NaN}, new float[2]));
    }
}
