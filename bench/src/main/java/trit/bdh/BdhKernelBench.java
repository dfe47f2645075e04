package trit.bdh;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * BDH's forward on the shipped Sudoku model's shape (8 layers, D 64, 4 heads x 128 neurons, 1,620-token
 * vocabulary, random weights) over one answer's 162 tokens: the whole forward (training) against the
 * answer-only one (inference: the last 81 positions' digit logits). And its main product, one head's encoder
 * (162 rows x 64 -> 128), three ways that give the same bits: an axpy per input (the loop before the tiled
 * kernels), {@link Vec#matvec} per row, {@link Vec#matmul} over all rows. In package trit.bdh to reach
 * the package-private kernels.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules", "jdk.incubator.vector", "-Xmx1g"})
@State(Scope.Thread)
public class BdhKernelBench {
    private static final int T = 162, D = 64, N = 128;

    private BdhParallel forward;
    private int[] tokens;
    private float[] rows, weights, out;

    @Setup
    public void setup() {
        BdhModel m = BdhModel.random(new BdhConfig(8, D, 4, N, 1620, BdhConfig.DEFAULT_THETA), 1, 0.1f);
        forward = new BdhParallel(m);
        SplittableRandom r = new SplittableRandom(2);
        tokens = new int[T];
        for (int i = 0; i < T; i++) tokens[i] = (i < 81 ? 0 : 810) + (i % 81) * 10 + r.nextInt(10);
        rows = new float[T * D];
        weights = new float[D * N];
        out = new float[T * N];
        for (int i = 0; i < rows.length; i++) rows[i] = (float) r.nextGaussian();
        for (int i = 0; i < weights.length; i++) weights[i] = (float) r.nextGaussian();
    }

    @Benchmark
    public float[] forwardWhole() {
        return forward.forward(tokens);
    }

    @Benchmark
    public float[] forwardAnswer() {
        return forward.forward(tokens, 81, SudokuTask.ANSWER_COLUMNS);
    }

    @Benchmark
    public float[] encoderByAxpy() {
        Arrays.fill(out, 0f);
        for (int t = 0; t < T; t++) {
            for (int d = 0; d < D; d++) Vec.axpy(rows[t * D + d], weights, d * N, out, t * N, N);
        }
        return out;
    }

    @Benchmark
    public float[] encoderByMatvec() {
        for (int t = 0; t < T; t++) Vec.matvec(rows, t * D, D, weights, 0, N, out, t * N, N);
        return out;
    }

    @Benchmark
    public float[] encoderByMatmul() {
        Vec.matmul(rows, 0, D, T, D, weights, 0, N, out, 0, N, N);
        return out;
    }
}
