package trit.kernel;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicReference;
import trit.tensor.GgmlType;

/** A {@link Linear} that prepares the activations once and runs a {@link RowKernel} over the rows in parallel. */
final class KernelLinear implements Linear {
    /** Rows per parallel chunk at the least, so that a chunk outweighs its hand-off. */
    private static final int MIN_ROWS = 16;
    /** Weight bytes of the row tile that a batch keeps in cache while it goes through the vectors. */
    private static final long TILE_BYTES = 32 * 1024;

    private final GgmlType type;
    private final int rows;
    private final int cols;
    private final MemorySegment data;
    private final long rowBytes;
    private final Parallel pool;
    private final RowKernel kernel;
    /** The kernel for tiled batches: {@link #kernel}, or a wider one where the row kernel is capped. */
    private final RowKernel tiles;
    private final AtomicReference<Activation[]> spare = new AtomicReference<>();

    KernelLinear(GgmlType type, MemorySegment data, int rows, int cols, Parallel pool, RowKernel kernel, RowKernel tiles) {
        this.type = type;
        this.rows = rows;
        this.cols = cols;
        this.data = data;
        this.rowBytes = type == GgmlType.I2_S ? cols / 4 : type.rowBytes(cols);
        this.pool = pool;
        this.kernel = kernel;
        this.tiles = tiles;
    }

    @Override public GgmlType type() { return type; }
    @Override public int rows() { return rows; }
    @Override public int cols() { return cols; }

    RowKernel kernel() { return kernel; }

    @Override
    public void apply(float[] x, float[] y) {
        if (x.length < cols) throw new IllegalArgumentException("x has " + x.length + " elements, need " + cols);
        if (y.length < rows) throw new IllegalArgumentException("y has " + y.length + " elements, need " + rows);
        Activation[] as = take(1);
        Activation a = as[0];
        kernel.prepare(x, 0, a, true);
        pool.forRange(rows, MIN_ROWS, (from, to) -> {
            kernel.dots(data, rowBytes, a, new int[kernel.scratch()], y, 0, from, to);
        });
        spare.set(as);
    }

    @Override
    public void applyBatch(float[] xs, float[] ys, int n) {
        if (n < 0) throw new IllegalArgumentException("negative batch " + n);
        if (xs.length < (long) n * cols) throw new IllegalArgumentException("xs has " + xs.length + " elements, need " + (long) n * cols);
        if (ys.length < (long) n * rows) throw new IllegalArgumentException("ys has " + ys.length + " elements, need " + (long) n * rows);
        if (n == 0) return;
        Activation[] as = take(n);
        if (tiles.tileTokens(n) > 0) {
            // the tiled product reads the codes in element order, laid out by token group
            Panel p = tiles.panel(n);
            pool.forRange(n, (from, to) -> {
                for (int v = from; v < to; v++) {
                    tiles.prepare(xs, v * cols, as[v], false);
                    p.fill(v, as[v]);
                }
            });
            pool.forRange(rows, MIN_ROWS, (from, to) -> tiles.tiled(data, rowBytes, p, ys, rows, from, to));
            spare.set(as);
            return;
        }
        pool.forRange(n, (from, to) -> {
            for (int v = from; v < to; v++) kernel.prepare(xs, v * cols, as[v], true);
        });
        int tile = (int) Math.max(1, Math.min(rows, TILE_BYTES / Math.max(1, rowBytes)));
        pool.forRange(rows, MIN_ROWS, (from, to) -> {
            int[] scratch = new int[kernel.scratch()];
            for (int r0 = from; r0 < to; r0 += tile) {
                int r1 = Math.min(to, r0 + tile);
                kernel.dotsBatch(data, rowBytes, as, 0, n, scratch, ys, rows, r0, r1);
            }
        });
        spare.set(as);
    }

    /** At least {@code n} scratch activations: the spare set when no other call holds it, else new ones. */
    private Activation[] take(int n) {
        Activation[] as = spare.getAndSet(null);
        if (as == null || as.length < n) {
            Activation[] grown = new Activation[n];
            for (int i = 0; i < n; i++) grown[i] = as != null && i < as.length ? as[i] : new Activation();
            as = grown;
        }
        return as;
    }
}
