package trit.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Secondary results of the benchmarks: JMH divides these counts by the measured time, so with
 * {@code @OutputTimeUnit(NANOSECONDS)} they read directly as weights per ns (multiply-adds per ns for a
 * batch) and weight bytes per ns, i.e. GB/s.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Throughput {
    /** Weights times vectors multiplied. */
    public long weights;
    /** Weight bytes read (once per call, even for a batch). */
    public long bytes;

    @Setup(Level.Iteration)
    public void reset() {
        weights = 0;
        bytes = 0;
    }

    void add(long weights, long bytes) {
        this.weights += weights;
        this.bytes += bytes;
    }
}
