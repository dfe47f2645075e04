package trit.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import trit.kernel.Linear;
import trit.kernel.Linears;
import trit.kernel.Parallel;
import trit.tensor.GgmlType;

/** A random weight matrix, its {@link Linear} on a pool of its own, and activations for {@code n} vectors. */
final class Matrix implements AutoCloseable {
    final Linear linear;
    final float[] x, y;
    /** Multiply-adds per call. */
    final long weights;
    /** Weight bytes per call. */
    final long bytes;
    private final Arena arena = Arena.ofShared();
    private final Parallel pool;

    /** {@code shape} is {@code ROWSxCOLS}. */
    Matrix(String type, String shape, int threads, int n) {
        GgmlType t = GgmlType.valueOf(type);
        int rows = Integer.parseInt(shape.substring(0, shape.indexOf('x')));
        int cols = Integer.parseInt(shape.substring(shape.indexOf('x') + 1));
        MemorySegment data = Weights.random(t, rows, cols, arena, 42);
        pool = Parallel.create(threads);
        linear = Linears.of(t, data, rows, cols, pool);
        x = Weights.activations(n * cols, 7);
        y = new float[n * rows];
        weights = (long) rows * cols * n;
        bytes = data.byteSize();
    }

    @Override
    public void close() {
        pool.close();
        arena.close();
    }
}
