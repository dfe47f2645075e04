package trit.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import trit.kernel.Linear;

/**
 * {@link Linear#apply} (decode: one token) on the weight matrices of BitNet b1.58 2B4T (hidden 2560,
 * FFN 6912), per weight type and thread count. Read the {@code weights} (weights/ns) and {@code bytes}
 * (GB/s) lines; the primary score is calls per ns.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow", "-Xmx4g"})
@State(Scope.Benchmark)
public class LinearBench {
    @Param({"TQ2_0", "I2_S", "TQ1_0", "Q4_0", "Q8_0", "Q6_K", "F16", "BF16", "F32"})
    public String type;

    /** rows x cols: attention q/k/v/o, FFN gate/up, FFN down. */
    @Param({"2560x2560", "6912x2560", "2560x6912"})
    public String shape;

    @Param({"1"})
    public int threads;

    private Matrix m;

    @Setup
    public void setup() {
        m = new Matrix(type, shape, threads, 1);
    }

    @TearDown
    public void tearDown() {
        m.close();
    }

    @Benchmark
    public float[] apply(Throughput counters) {
        m.linear.apply(m.x, m.y);
        counters.add(m.weights, m.bytes);
        return m.y;
    }
}
