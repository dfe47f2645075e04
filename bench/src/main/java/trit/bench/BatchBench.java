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
 * {@link Linear#applyBatch} (prefill: {@code n} tokens at once) on the BitNet b1.58 2B4T matrices.
 * {@code weights} counts multiply-adds (rows x cols x n) per ns; {@code bytes} counts the weight bytes
 * once per call, i.e. the weight traffic a batch needs, in GB/s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow", "-Xmx4g"})
@State(Scope.Benchmark)
public class BatchBench {
    @Param({"TQ2_0", "I2_S", "TQ1_0", "Q4_0", "Q8_0", "Q6_K", "F16", "BF16", "F32"})
    public String type;

    @Param({"2560x2560", "6912x2560", "2560x6912"})
    public String shape;

    @Param({"64"})
    public int n;

    @Param({"1"})
    public int threads;

    private Matrix m;

    @Setup
    public void setup() {
        m = new Matrix(type, shape, threads, n);
    }

    @TearDown
    public void tearDown() {
        m.close();
    }

    @Benchmark
    public float[] applyBatch(Throughput counters) {
        m.linear.applyBatch(m.x, m.y, n);
        counters.add(m.weights, m.bytes);
        return m.y;
    }
}
