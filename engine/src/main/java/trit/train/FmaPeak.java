package trit.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.DoubleAdder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import trit.kernel.Parallel;

/**
 * The machine's float FMA throughput as Java reaches it: every thread of the pool runs independent
 * FloatVector FMA chains on registers (no memory traffic), best of a few passes. It is the denominator of
 * the trainer's model FLOPs utilization (MFU). Measured once per thread count and vector width and
 * cached in ~/.cache/trit/, as {@link trit.bench.MemoryBandwidth} caches bandwidth.
 */
public final class FmaPeak {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Independent accumulators: enough to cover FMA latency (4 cycles) times two FMA ports. */
    private static final int CHAINS = 12;
    private static final int ITERATIONS = 10_000_000;

    /** @param flopsPerSecond measured (2 flops per FMA lane); {@code cached} when read from an earlier run */
    public record Result(double flopsPerSecond, int threads, boolean cached, String measuredOn) {}

    private FmaPeak() {}

    public static Result get(Parallel pool, boolean remeasure) {
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "trit",
                "fma-peak-" + pool.threads() + "t-" + S.vectorBitSize() + "b.txt");
        if (!remeasure) {
            try {
                String[] f = Files.readString(cache).trim().split(" ");
                return new Result(Double.parseDouble(f[0]), pool.threads(), true, f[1]);
            } catch (IOException | RuntimeException ignored) {
                // no usable cache: measure
            }
        }
        double peak = measure(pool);
        String today = java.time.LocalDate.now().toString();
        try {
            String line = String.format(Locale.ROOT, "%.6e %s%n", peak, today);
            trit.AtomicFiles.replace(cache, tmp -> Files.writeString(tmp, line));
        } catch (IOException ignored) {
            // caching is an optimisation only
        }
        return new Result(peak, pool.threads(), false, today);
    }

    /** Flops per second of all pool threads together, best of 9 passes after a warm-up (~0.3 s in all). */
    public static double measure(Parallel pool) {
        int threads = pool.threads();
        DoubleAdder sink = new DoubleAdder();
        double best = 0;
        for (int pass = 0; pass < 10; pass++) {
            long t0 = System.nanoTime();
            pool.forRange(threads, 1, (a, b) -> {
                for (int i = a; i < b; i++) sink.add(chains(ITERATIONS));
            });
            double s = (System.nanoTime() - t0) / 1e9;
            if (pass > 0) best = Math.max(best, 2.0 * CHAINS * S.length() * (double) ITERATIONS * threads / s);
        }
        if (sink.sum() == 42) System.out.print(""); // keeps the chains alive
        return best;
    }

    private static float chains(int n) {
        FloatVector m = FloatVector.broadcast(S, 0.999999f), x = FloatVector.broadcast(S, 1e-7f);
        FloatVector a0 = FloatVector.broadcast(S, 1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0,
                a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (int i = 0; i < n; i++) {
            a0 = a0.fma(m, x); a1 = a1.fma(m, x); a2 = a2.fma(m, x); a3 = a3.fma(m, x);
            a4 = a4.fma(m, x); a5 = a5.fma(m, x); a6 = a6.fma(m, x); a7 = a7.fma(m, x);
            a8 = a8.fma(m, x); a9 = a9.fma(m, x); a10 = a10.fma(m, x); a11 = a11.fma(m, x);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11).lane(0);
    }
}
