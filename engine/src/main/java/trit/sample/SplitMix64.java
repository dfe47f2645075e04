package trit.sample;

/**
 * SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014): a
 * 64-bit counter advanced by the golden-ratio gamma and passed through a bijective mixer. It is the
 * generator inside {@link java.util.SplittableRandom} (seeded with the same {@code long}, both give the same
 * {@code nextLong()} and {@code nextDouble()} values), written out here so that a seed's sequence is
 * fixed by this file and never by the JDK in use. Not thread-safe.
 */
public final class SplitMix64 {
    private static final long GAMMA = 0x9E37_79B9_7F4A_7C15L;

    private long state;

    public SplitMix64(long seed) {
        state = seed;
    }

    /** The whole state: a generator given it with {@link #setState} continues this one's sequence. */
    public long state() {
        return state;
    }

    public void setState(long state) {
        this.state = state;
    }

    public long nextLong() {
        long z = (state += GAMMA);
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1): the top 53 bits of {@link #nextLong()} times 2^-53. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }
}
