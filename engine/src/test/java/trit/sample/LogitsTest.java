package trit.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LogitsTest {
    private static final float NEG_INF = Float.NEGATIVE_INFINITY;

    @Test
    void argmaxTiesGoToTheLowestId() {
        assertEquals(2, Logits.argmax(new float[] {1, 2, 3, 0}));
        assertEquals(1, Logits.argmax(new float[] {1, 3, 3, 3}));
        assertEquals(0, Logits.argmax(new float[] {5, 5}));
        assertEquals(0, Logits.argmax(new float[] {7}));
        assertEquals(3, Logits.argmax(new float[] {NEG_INF, -9, -10, -1}));
        assertEquals(1, Logits.argmax(new float[] {NEG_INF, -1e30f}));
        assertEquals(0, Logits.argmax(new float[] {0f, -0f}));
        assertEquals(0, Logits.argmax(new float[] {-0f, 0f}));
    }

    @Test
    void checkReturnsTheMaxAndRejectsNanPositiveInfinityAndAllMasked() {
        assertEquals(0f, Logits.check(new float[] {NEG_INF, 0, -3}));
        assertEquals(-3f, Logits.check(new float[] {-3, NEG_INF}));
        assertEquals("logit of token 0 is NaN",
                assertThrows(IllegalArgumentException.class, () -> Logits.check(new float[] {Float.NaN, 1})).getMessage());
        assertEquals("logit of token 1 is NaN",
                assertThrows(IllegalArgumentException.class, () -> Logits.check(new float[] {0, Float.NaN})).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Logits.check(new float[] {0, Float.POSITIVE_INFINITY}));
        assertThrows(IllegalArgumentException.class, () -> Logits.check(new float[] {NEG_INF, NEG_INF}));
        assertThrows(IllegalArgumentException.class, () -> Logits.check(new float[0]));
    }

    @Test
    void penaltyDividesPositiveAndMultipliesNonPositiveLogits() {
        float[] l = {4f, -2f, 0f, 3f, NEG_INF, 1f};
        Logits.penalize(l, new int[] {0, 1, 2, 4, 5}, 5, 2f);
        assertArrayEquals(new float[] {2f, -4f, 0f, 3f, NEG_INF, 0.5f}, l);
    }

    @Test
    void penaltyBelowOneFavoursTheTokens() {
        float[] l = {4f, -2f};
        Logits.penalize(l, new int[] {0, 1}, 2, 0.5f);
        assertArrayEquals(new float[] {8f, -1f}, l);
    }

    @Test
    void penaltyOnlyTouchesTheFirstCountIds() {
        float[] l = {4f, 4f, 4f};
        Logits.penalize(l, new int[] {2, 0, 1}, 1, 4f);
        assertArrayEquals(new float[] {4f, 4f, 1f}, l);
        assertThrows(IllegalArgumentException.class, () -> Logits.penalize(l, new int[] {3}, 1, 2f));
    }

    @Test
    void logSoftmaxKnownAnswers() {
        assertEquals(Math.log(0.5), Logits.logSoftmax(new float[] {0, 0}, 1), 1e-12);
        float[] l = {(float) Math.log(1), (float) Math.log(2), (float) Math.log(3)};
        for (int i = 0; i < 3; i++) assertEquals(Math.log((i + 1) / 6.0), Logits.logSoftmax(l, i), 1e-7);
        // shift invariance and no overflow with huge logits
        float[] big = {1000f, 1000f + (float) Math.log(3)};
        assertEquals(Math.log(0.75), Logits.logSoftmax(big, 1), 1e-4);
        assertEquals(Double.NEGATIVE_INFINITY, Logits.logSoftmax(new float[] {0, NEG_INF}, 1));
        assertEquals(0.0, Logits.logSoftmax(new float[] {0, NEG_INF}, 0));
        assertThrows(IllegalArgumentException.class, () -> Logits.logSoftmax(l, 3));
    }
}
