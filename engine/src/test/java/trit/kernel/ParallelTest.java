package trit.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import trit.tensor.GgmlType;

class ParallelTest {

    @Test
    void everyIndexRunsExactlyOnce() {
        for (int threads = 1; threads <= 4; threads++) {
            try (Parallel pool = Parallel.create(threads)) {
                assertEquals(threads, pool.threads());
                for (int n : new int[] {0, 1, 2, 7, 64, 1000, 4099}) {
                    for (int grain : new int[] {1, 3, 16, 5000}) {
                        AtomicIntegerArray hits = new AtomicIntegerArray(Math.max(1, n));
                        pool.forRange(n, grain, (from, to) -> {
                            assertTrue(0 <= from && from < to && to <= n, from + ".." + to);
                            for (int i = from; i < to; i++) hits.incrementAndGet(i);
                        });
                        for (int i = 0; i < n; i++) assertEquals(1, hits.get(i), "n=" + n + " index " + i);
                    }
                }
            }
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        SplittableRandom rng = new SplittableRandom(5);
        for (GgmlType type : Fixtures.TYPES) {
            int rows = 301, cols = type.blockSize() == 1 ? 513 : 4 * type.blockSize();
            MemorySegment seg = MemorySegment.ofArray(Fixtures.weights(type, rows, cols, rng));
            float[] x = Fixtures.activations(3 * cols, rng);
            float[] first = null, firstBatch = null;
            for (int threads = 1; threads <= 3; threads++) {
                try (Parallel pool = Parallel.create(threads)) {
                    Linear lin = Linears.of(type, seg, rows, cols, pool);
                    float[] y = new float[rows];
                    lin.apply(x, y);
                    float[] ys = new float[3 * rows];
                    lin.applyBatch(x, ys, 3);
                    if (first == null) {
                        first = y;
                        firstBatch = ys;
                    } else {
                        assertArrayEquals(first, y, type + " with " + threads + " threads");
                        assertArrayEquals(firstBatch, ys, type + " batch with " + threads + " threads");
                    }
                }
            }
        }
    }

    @Test
    void exceptionsReachTheCallerAndThePoolStaysUsable() {
        try (Parallel pool = Parallel.create(3)) {
            for (int failAt : new int[] {0, 500, 999}) {
                IllegalStateException boom = new IllegalStateException("boom at " + failAt);
                IllegalStateException thrown = assertThrows(IllegalStateException.class, () ->
                        pool.forRange(1000, (from, to) -> {
                            if (from <= failAt && failAt < to) throw boom;
                        }));
                assertSame(boom, thrown);
            }
            AssertionError err = assertThrows(AssertionError.class,
                    () -> pool.forRange(100, (from, to) -> { throw new AssertionError("worker error"); }));
            assertEquals("worker error", err.getMessage());
            AtomicInteger sum = new AtomicInteger();
            pool.forRange(100, (from, to) -> sum.addAndGet(to - from));
            assertEquals(100, sum.get());
        }
    }

    @Test
    void manySmallCallsNestedCallsAndConcurrentCallersNeverHang() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (Parallel pool = Parallel.create(3)) {
                AtomicInteger total = new AtomicInteger();
                for (int i = 0; i < 20_000; i++) {
                    pool.forRange(64, (from, to) -> total.addAndGet(to - from));
                }
                assertEquals(20_000 * 64, total.get());

                // A body that calls the pool again gets its range run inline.
                AtomicInteger inner = new AtomicInteger();
                pool.forRange(8, (from, to) -> pool.forRange(10, (a, b) -> inner.addAndGet(b - a)));
                assertEquals(8 * 10, inner.get());

                // Two threads sharing the pool: one runs in parallel, the other inline; both complete.
                AtomicInteger shared = new AtomicInteger();
                Runnable caller = () -> {
                    for (int i = 0; i < 2_000; i++) pool.forRange(32, (from, to) -> shared.addAndGet(to - from));
                };
                Thread other = new Thread(caller);
                other.start();
                caller.run();
                other.join();
                assertEquals(2 * 2_000 * 32, shared.get());

                // Workers that parked (idle past their spin) wake up again.
                Thread.sleep(50);
                AtomicInteger late = new AtomicInteger();
                pool.forRange(1000, (from, to) -> late.addAndGet(to - from));
                assertEquals(1000, late.get());
            }
        });
    }

    /**
     * Jobs of different chunk counts back to back: a worker that finished the last chunk of a small job
     * must not claim a chunk past its end when the next, bigger job has published its chunk count but
     * not yet its ticket (such a stray chunk was counted as done, so the caller either returned before
     * the job's own chunks were all done or missed the moment they were and parked for ever; it took
     * from a few thousand to a few hundred thousand calls).
     */
    @Test
    void jobsOfChangingSizeNeitherHangNorEndEarly() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (Parallel pool = Parallel.create(2)) {
                AtomicInteger sum = new AtomicInteger();
                for (int i = 0; i < 1_000_000; i++) {
                    int n = 1 + i * 7 % 13;
                    sum.set(0);
                    pool.forRange(n, (from, to) -> sum.addAndGet(to - from));
                    if (sum.get() != n) assertEquals(n, sum.get(), "call " + i);
                }
            }
        });
    }

    @Test
    void closedPoolRunsOnTheCaller() {
        Parallel pool = Parallel.create(4);
        pool.close();
        pool.close();
        Thread me = Thread.currentThread();
        AtomicInteger n = new AtomicInteger();
        pool.forRange(100, (from, to) -> {
            assertSame(me, Thread.currentThread());
            n.addAndGet(to - from);
        });
        assertEquals(100, n.get());
        assertThrows(IllegalArgumentException.class, () -> Parallel.create(0));
        assertTrue(Parallel.shared().threads() >= 1);
    }
}
