package trit.bench;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.openjdk.jmh.annotations.Warmup;
import trit.sudoku.Dataset;
import trit.sudoku.Generator;
import trit.sudoku.Miner;
import trit.sudoku.Solver;

/**
 * Microseconds per puzzle of {@link Solver}: {@code easy} is 256 random minimal puzzles (mean rating
 * about 1.7), {@code hard} 64 puzzles mined at rating 20 or more (as the extreme datasets' hard part).
 * {@code limit} 2 proves uniqueness (what generation and {@code trit sudoku solve} do), 1 stops at the
 * first solution. Each call solves the next puzzle of the set.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules", "jdk.incubator.vector", "--sun-misc-unsafe-memory-access=allow", "-Xmx1g"})
@State(Scope.Thread)
public class SudokuBench {
    @Param({"easy", "hard"})
    public String set;

    @Param({"2", "1"})
    public int limit;

    private int[][] puzzles;
    private int next;
    private final Solver solver = new Solver();

    @Setup
    public void setup() {
        if (set.equals("easy")) {
            Generator g = new Generator(new SplittableRandom(1));
            puzzles = new int[256][];
            for (int i = 0; i < puzzles.length; i++) puzzles[i] = g.puzzle();
        } else {
            List<Dataset.Row> rows = Miner.chain(Miner.Settings.defaults(1, 20), 0, 0, 64, new AtomicInteger());
            puzzles = rows.stream().map(Dataset.Row::q).toArray(int[][]::new);
        }
    }

    @Benchmark
    public int solve() {
        int[] p = puzzles[next];
        next = next + 1 == puzzles.length ? 0 : next + 1;
        return solver.solve(p, limit).solutions();
    }
}
