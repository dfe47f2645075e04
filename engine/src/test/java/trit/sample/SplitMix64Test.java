package trit.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SplitMix64Test {
    @Test
    void referenceOutputsForSeedZero() {
        // splitmix64.c by Sebastiano Vigna, state starting at 0
        SplitMix64 r = new SplitMix64(0);
        assertEquals(0xE220A8397B1DCDAFL, r.nextLong());
        assertEquals(0x6E789E6AA1B965F4L, r.nextLong());
        assertEquals(0x06C45D188009454FL, r.nextLong());
    }

    @Test
    void sameSequenceAsSplittableRandom() {
        for (long seed : new long[] {0, 1, 42, -7, Long.MAX_VALUE, 0x123456789ABCDEFL}) {
            SplitMix64 a = new SplitMix64(seed);
            SplittableRandom b = new SplittableRandom(seed);
            for (int i = 0; i < 1000; i++) {
                if (i % 2 == 0) assertEquals(b.nextLong(), a.nextLong(), "seed " + seed + " draw " + i);
                else assertEquals(b.nextDouble(), a.nextDouble(), "seed " + seed + " draw " + i);
            }
        }
    }

    @Test
    void doublesAreInTheUnitInterval() {
        SplitMix64 r = new SplitMix64(3);
        double sum = 0;
        for (int i = 0; i < 100_000; i++) {
            double u = r.nextDouble();
            assertTrue(u >= 0 && u < 1);
            sum += u;
        }
        assertEquals(0.5, sum / 100_000, 0.005);
    }
}
