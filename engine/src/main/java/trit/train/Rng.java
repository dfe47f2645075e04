package trit.train;

/**
 * The trainer's random numbers: SplitMix64 (as {@link trit.sample.SplitMix64}) with its whole state
 * in one readable {@code long}, so that a checkpoint can store it and a resumed run draws the same
 * windows. Gaussians by Box-Muller without a cached second value, for the same reason.
 */
public final class Rng {
    private static final long GAMMA = 0x9E37_79B9_7F4A_7C15L;
    private long state;

    public Rng(long state) {
        this.state = state;
    }

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

    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound), bound > 0 (the modulo bias is below 2^-30 for the bounds used here). */
    public int nextInt(int bound) {
        return (int) ((nextLong() >>> 1) % bound);
    }

    public double nextGaussian() {
        double u1 = 1.0 - nextDouble(), u2 = nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
