package trit.kernel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A pool of persistent platform worker threads that split index ranges, the calling thread working too.
 *
 * <p>Hand-off is cheap because decode runs a few hundred small products per token: the caller publishes
 * a job by bumping a volatile generation counter, idle workers spin on it for a short while (yielding
 * after the first microseconds, so that an oversubscribed machine still makes progress) before
 * parking, and chunks are claimed from an atomic ticket that carries the job's generation and chunk
 * count, so a call allocates nothing. The caller waits for chunks, not for threads: when a worker is slow to wake, the
 * caller takes its chunks, and the worker finds nothing left (its stale ticket can never claim a chunk
 * of a later job). A pool runs one job at a time; a call that finds it busy (another thread's job, or a
 * nested call from inside a body) runs its body on the calling thread instead, so no call ever waits for
 * a pool it is part of. Workers are daemon threads; {@link #close()} stops them. An exception thrown by
 * a body on any thread is rethrown to the caller once every chunk has finished or been skipped.
 */
public final class Parallel implements AutoCloseable {

    /** Work on the contiguous index range {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /** How long an idle worker (or a waiting caller) spins and yields before parking. */
    private static final long SPIN_NANOS = 200_000;
    /** Busy-wait iterations before spinning turns to yielding. */
    private static final int PURE_SPINS = 2_000;
    /** Chunks per thread, so that a thread that is descheduled for a while does not hold up the rest. */
    private static final int CHUNKS_PER_THREAD = 4;

    private static final class Shared {
        static final Parallel POOL = new Parallel(
                Math.max(1, Integer.getInteger("trit.threads", Runtime.getRuntime().availableProcessors())),
                "trit-worker");
    }

    private final int threads;
    private final Worker[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();
    /**
     * Generation of the running job in the high 32 bits, its chunk count in the next 16, the next chunk
     * to claim in the low 16: a claim sees the count of the job it claims from, never the next job's.
     */
    private final AtomicLong ticket = new AtomicLong();
    /** Chunks of the running job that are finished (or skipped after a failure). */
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    // The job: written by the caller before the volatile generation bump that publishes it.
    private RangeBody body;
    private int size;

    private volatile int generation;
    private volatile boolean aborted;
    private volatile boolean closed;
    private volatile Thread waitingCaller;

    private Parallel(int threads, String name) {
        if (threads < 1) throw new IllegalArgumentException("thread count must be at least 1, got " + threads);
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker();
            Thread t = new Thread(workers[i], name + "-" + (i + 1));
            t.setDaemon(true);
            workers[i].thread = t;
        }
        for (Worker w : workers) w.thread.start();
    }

    /** A new pool of {@code threads} threads in all (the caller counts as one, so it starts threads - 1). */
    public static Parallel create(int threads) {
        return new Parallel(threads, "trit-pool");
    }

    /**
     * The process-wide pool, sized to the available processors (override with {@code -Dtrit.threads=N}).
     * It is never closed; its threads are daemons.
     */
    public static Parallel shared() {
        return Shared.POOL;
    }

    /** Threads that work on a range, the caller included. */
    public int threads() {
        return threads;
    }

    /** Runs {@code body} over {@code [0, n)} split into contiguous chunks. */
    public void forRange(int n, RangeBody body) {
        forRange(n, 1, body);
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into contiguous chunks of at least {@code grain}
     * indices (except the last), in parallel, and returns when all are done.
     */
    public void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) return;
        int g = Math.max(1, grain);
        int parts = (int) Math.min((n + (long) g - 1) / g, Math.min((long) threads * CHUNKS_PER_THREAD, 0xFFFF));
        if (parts <= 1 || workers.length == 0 || closed || !busy.compareAndSet(false, true)) {
            body.run(0, n);
            return;
        }
        try {
            this.body = body;
            this.size = n;
            int gen = generation + 1;
            done.set(0);
            aborted = false;
            ticket.set((long) gen << 32 | (long) parts << 16);
            generation = gen;                     // publishes the job
            for (Worker w : workers) {
                if (w.parked) LockSupport.unpark(w.thread);
            }
            runChunks(gen);
            awaitChunks(parts);
            this.body = null;
            Throwable t = failure.getAndSet(null);
            if (t != null) throw rethrow(t);
        } finally {
            busy.set(false);
        }
    }

    /**
     * Claims and runs chunks of job {@code gen} until none is left. A claim succeeds only while that job
     * runs (its ticket carries the generation and the chunk count), and a claimed chunk keeps the job
     * from finishing, so the job fields read after a claim are that job's. (Reading the count from a
     * field instead let a worker that had just finished a small job claim a chunk past its end once the
     * next job had written a bigger count but not yet its ticket; that stray chunk was counted as done
     * and the caller, which waits for the count to be reached exactly, hung.)
     */
    private void runChunks(int gen) {
        while (true) {
            long t = ticket.get();
            int parts = (int) (t >>> 16) & 0xFFFF, c = (int) t & 0xFFFF;
            if ((int) (t >>> 32) != gen || c >= parts) return;
            if (!ticket.compareAndSet(t, t + 1)) continue;
            int n = size;
            if (!aborted) {
                try {
                    body.run((int) ((long) n * c / parts), (int) ((long) n * (c + 1) / parts));
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    aborted = true;               // the chunks left are skipped
                }
            }
            if (done.incrementAndGet() == parts) {
                Thread caller = waitingCaller;
                if (caller != null) LockSupport.unpark(caller);
            }
        }
    }

    private void awaitChunks(int parts) {
        long start = System.nanoTime();
        for (int spins = 0; done.get() != parts; spins++) {
            if (spins < PURE_SPINS) {
                Thread.onSpinWait();
            } else if (System.nanoTime() - start < SPIN_NANOS) {
                Thread.yield();
            } else {
                waitingCaller = Thread.currentThread();
                while (done.get() != parts) LockSupport.park(this);
                waitingCaller = null;
                return;
            }
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new RuntimeException(t);
    }

    /**
     * Stops the workers once the job in progress (if any) is done; later calls run on the caller.
     * Must not be called from inside a body running on this pool.
     */
    @Override
    public void close() {
        if (closed) return;
        while (!busy.compareAndSet(false, true)) Thread.yield();
        if (closed) {
            busy.set(false);
            return;
        }
        closed = true;
        generation = generation + 1;
        busy.set(false);
        for (Worker w : workers) LockSupport.unpark(w.thread);
        for (Worker w : workers) {
            if (w.thread == Thread.currentThread()) continue;
            try {
                w.thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private final class Worker implements Runnable {
        Thread thread;
        volatile boolean parked;

        @Override
        public void run() {
            int seen = 0;
            while (true) {
                seen = awaitJob(seen);
                if (closed) return;
                runChunks(seen);
            }
        }

        /** Spins, then yields, then parks, until the generation moves past {@code seen}; returns it. */
        private int awaitJob(int seen) {
            long start = System.nanoTime();
            int g;
            for (int spins = 0; (g = generation) == seen; spins++) {
                if (spins < PURE_SPINS) {
                    Thread.onSpinWait();
                } else if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.yield();
                } else {
                    parked = true;
                    while ((g = generation) == seen) LockSupport.park(this);
                    parked = false;
                    return g;
                }
            }
            return g;
        }
    }
}
