package trit.train;

/**
 * The trainer's random numbers: SplitMix64 (as {@link trit.sample.SplitMix64}) with its whole state
 * in one readable {@code long}, so that a checkpoint can store it and a resumed run draws the same
 * windows. Gaussians by Box-Muller without a cached second value, for the same reason.
 */
public final class Rng {
    private final trit.sample.SplitMix64 g;

    public Rng(long state) {
        g = new trit.sample.SplitMix64(state);
    }

    public long state() {
        return g.state();
    }

    public void setState(long state) {
        g.setState(state);
    }

    public long nextLong() {
        return g.nextLong();
    }

    public double nextDouble() {
        return g.nextDouble();
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
