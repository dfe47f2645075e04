package trit.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import trit.TritException;

class SamplerConfigTest {
    private static final SamplerConfig OK = SamplerConfig.defaults(7);

    private static String error(SamplerConfig c) {
        return assertThrows(TritException.class, c::validate).getMessage();
    }

    @Test
    void defaultsFollowLlamaCpp() {
        assertEquals(new SamplerConfig(0.8f, 40, 0.95f, 0.05f, 1f, 64, 7), OK);
        assertSame(OK, OK.validate());
        SamplerConfig.greedy().validate();
        assertTrue(SamplerConfig.greedy().isGreedy());
        assertEquals(3L, OK.withSeed(3).seed());
    }

    @Test
    void boundaryValuesAreAccepted() {
        OK.withTemperature(0).withTopK(0).withTopP(1).withMinP(0).withRepeatPenalty(1).withRepeatLastN(0).validate();
        OK.withTopP(Math.nextUp(0f)).withMinP(1).withRepeatPenalty(0.5f).withTemperature(100).validate();
    }

    @Test
    void temperature() {
        assertEquals("--temperature must be a finite number >= 0 (0 = greedy), got -0.5", error(OK.withTemperature(-0.5f)));
        assertEquals("--temperature must be a finite number >= 0 (0 = greedy), got NaN", error(OK.withTemperature(Float.NaN)));
        assertEquals("--temperature must be a finite number >= 0 (0 = greedy), got Infinity",
                error(OK.withTemperature(Float.POSITIVE_INFINITY)));
    }

    @Test
    void topK() {
        assertEquals("--top-k must be an integer >= 0 (0 = off), got -1", error(OK.withTopK(-1)));
    }

    @Test
    void topP() {
        assertEquals("--top-p must be in (0, 1] (1 = off), got 0.0", error(OK.withTopP(0)));
        assertEquals("--top-p must be in (0, 1] (1 = off), got -0.1", error(OK.withTopP(-0.1f)));
        assertEquals("--top-p must be in (0, 1] (1 = off), got 1.01", error(OK.withTopP(1.01f)));
        assertEquals("--top-p must be in (0, 1] (1 = off), got NaN", error(OK.withTopP(Float.NaN)));
    }

    @Test
    void minP() {
        assertEquals("--min-p must be in [0, 1] (0 = off), got -0.01", error(OK.withMinP(-0.01f)));
        assertEquals("--min-p must be in [0, 1] (0 = off), got 1.5", error(OK.withMinP(1.5f)));
        assertEquals("--min-p must be in [0, 1] (0 = off), got NaN", error(OK.withMinP(Float.NaN)));
    }

    @Test
    void repeatPenalty() {
        assertEquals("--repeat-penalty must be a finite number > 0 (1 = off), got 0.0", error(OK.withRepeatPenalty(0)));
        assertEquals("--repeat-penalty must be a finite number > 0 (1 = off), got -1.1", error(OK.withRepeatPenalty(-1.1f)));
        assertEquals("--repeat-penalty must be a finite number > 0 (1 = off), got NaN",
                error(OK.withRepeatPenalty(Float.NaN)));
        assertEquals("--repeat-penalty must be a finite number > 0 (1 = off), got Infinity",
                error(OK.withRepeatPenalty(Float.POSITIVE_INFINITY)));
    }

    @Test
    void repeatLastN() {
        assertEquals("--repeat-last-n must be an integer >= 0 (0 = off), got -1", error(OK.withRepeatLastN(-1)));
    }

    @Test
    void samplerRejectsInvalidConfig() {
        TritException e = assertThrows(TritException.class, () -> new Sampler(OK.withTopK(-5)));
        assertTrue(e.getMessage().startsWith("--top-k "), e.getMessage());
    }
}
