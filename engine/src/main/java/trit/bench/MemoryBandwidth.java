package trit.bench;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.DoubleAdder;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import trit.kernel.Parallel;

/**
 * Read bandwidth of main memory, the ceiling of decode speed (every weight is read once per token).
 * Streams a buffer far larger than the caches with every thread of the pool and keeps the best of a
 * few passes. Measured once per thread count and cached in ~/.cache/trit/, since it takes a few seconds.
 */
public final class MemoryBandwidth {
    private static final VectorSpecies<Long> S = LongVector.SPECIES_PREFERRED;
    private static final long BYTES = 1L << 30;

    /** @param gbPerSecond measured; {@code cached} when read from an earlier measurement */
    public record Result(double gbPerSecond, int threads, boolean cached, String measuredOn) {}

    private MemoryBandwidth() {}

    public static Result get(Parallel pool, boolean remeasure) {
        Path cache = cacheFile(pool.threads());
        if (!remeasure) {
            try {
                String[] f = Files.readString(cache).trim().split(" ");
                return new Result(Double.parseDouble(f[0]), pool.threads(), true, f[1]);
            } catch (IOException | RuntimeException ignored) {
                // no usable cache: measure
            }
        }
        double gbs = measure(pool);
        String today = java.time.LocalDate.now().toString();
        try {
            String line = String.format(Locale.ROOT, "%.3f %s%n", gbs, today);
            trit.AtomicFiles.replace(cache, tmp -> Files.writeString(tmp, line));
        } catch (IOException ignored) {
            // caching is an optimisation only
        }
        return new Result(gbs, pool.threads(), false, today);
    }

    private static Path cacheFile(int threads) {
        return Path.of(System.getProperty("user.home"), ".cache", "trit", "bandwidth-" + threads + "t.txt");
    }

    /** GB/s (1e9 bytes) of reading a 1 GiB buffer, best of 5 passes. */
    public static double measure(Parallel pool) {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment buf = arena.allocate(BYTES, 64);
            pool.forRange((int) (BYTES >> 20), (a, b) -> buf.asSlice((long) a << 20, (long) (b - a) << 20).fill((byte) 1));
            double best = 0;
            DoubleAdder sink = new DoubleAdder();
            for (int pass = 0; pass < 5; pass++) {
                long t0 = System.nanoTime();
                pool.forRange((int) (BYTES >> 20), (a, b) -> sink.add(sum(buf, (long) a << 20, (long) b << 20)));
                long t = System.nanoTime() - t0;
                best = Math.max(best, BYTES / (t / 1e9) / 1e9);
            }
            if (sink.sum() == 42) System.out.print(""); // keep the reads alive
            return best;
        }
    }

    private static long sum(MemorySegment m, long from, long to) {
        LongVector acc = LongVector.zero(S);
        long step = S.vectorByteSize();
        for (long i = from; i < to; i += step) {
            acc = acc.add(LongVector.fromMemorySegment(S, m, i, java.nio.ByteOrder.LITTLE_ENDIAN));
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

}
