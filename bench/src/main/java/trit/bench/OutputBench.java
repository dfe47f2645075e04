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
 * {@link Linear#apply} on the output layer of BitNet b1.58 2B4T (vocabulary 128256 x hidden 2560, tied
 * to the embeddings) in the types published models store it in; read it as {@link LinearBench}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow", "-Xmx4g"})
@State(Scope.Benchmark)
public class OutputBench {
    @Param({"Q6_K", "Q8_0", "F16"})
    public String type;

    @Param({"128256x2560"})
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
