package trit.kernel;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicReference;
import trit.tensor.GgmlType;

/**
 * A product whose weights were repacked at load so that the 32 short lanes of a 512-bit vector hold 32
 * rows ("row blocks" of 32 rows; missing rows of the last one are zero weights), going through the
 * columns in blocks of 256 (q8_K's blocks). Each activation vector is first quantized and turned into
 * whatever the subclass's {@link #product} reads (lookup tables, broadcast codes); then the row blocks
 * are split between the threads, and each thread takes the columns in passes of a few blocks, so that
 * what is read most often for a pass stays in L1 ({@link #activationsInner}), and each block of
 * weights is read from memory once for the whole batch.
 *
 * <p>Accumulators are 32 floats and 32 ints per row block and vector; {@link #product} adds a pass's
 * blocks to them in block order, so a row's float sum sees the same operations in a batch as alone.
 */
abstract class RowBlockLinear implements Linear {
    static final int LANES = 32, BLOCK = 256;
    /** Bytes of one vector's prepared activations that a pass keeps in L1 (of 48 KB) while the row blocks go by. */
    private static final int PASS_BYTES = Integer.getInteger("trit.passbytes", 24 << 10);

    final GgmlType type;
    final int rows, cols, rowBlocks, blocks;
    final Parallel pool;
    /** The repacked weights: {@code [row block][block of 256 columns]}, a subclass's layout inside. */
    final MemorySegment packed;
    /**
     * Buffers for the next call, shared by all instances: a model's products run one after another, so
     * one set serves them all (a set per matrix held ~900 MB for 64-token batches of the 2B4T shape);
     * a call that finds it taken makes its own.
     */
    private static final AtomicReference<Scratch> SPARE = new AtomicReference<>();

    /** {@code blockBytes}: repacked bytes of one row block's 256 columns. */
    RowBlockLinear(GgmlType type, int rows, int cols, Parallel pool, long blockBytes) {
        this.type = type;
        this.rows = rows;
        this.cols = cols;
        this.rowBlocks = (rows + LANES - 1) / LANES;
        this.blocks = (cols + BLOCK - 1) / BLOCK;
        this.pool = pool;
        this.packed = NativeMemory.allocate((long) rowBlocks * blocks * blockBytes);
    }

    @Override public GgmlType type() { return type; }
    @Override public int rows() { return rows; }
    @Override public int cols() { return cols; }

    /** Bytes the repacked weights take. */
    long packedBytes() {
        return packed.byteSize();
    }

    /** Shorts of prepared activations per block of one vector. */
    abstract int blockShorts();

    /** Activation scales per block of 256 columns (q8_K: 1; q8_0: 8). */
    int scalesPerBlock() {
        return 1;
    }

    /**
     * Quantizes {@code xs[off .. off + cols)} (into {@code q}, {@code d[dOff ..]} and {@code a}'s
     * per-vector fields) and writes what {@link #product} reads into {@code tab[t ..]}.
     */
    abstract void prepare(float[] xs, int off, short[] q, Activation a, float[] d, int dOff, short[] tab, int t);

    /**
     * Blocks {@code [b0, b1)} of row block {@code rb} against one vector's prepared activations at
     * {@code tab[t ..]} (the whole vector's, from block 0) and block scales at {@code d[dOff ..]}, added
     * to the 32 float and 32 int accumulators at {@code facc[acc ..]} and {@code iacc[acc ..]}.
     */
    abstract void product(int rb, int b0, int b1, short[] tab, int t, float[] d, int dOff, float[] facc, int[] iacc, int acc);

    /**
     * {@link #product} for {@code count} consecutive vectors, whose prepared activations are {@code tl}
     * shorts apart, scales {@code blocks * scalesPerBlock()} apart and accumulators {@code accStride} apart.
     * Subclasses may do several vectors per pass over the weights ({@link #vectorGroup}).
     */
    void products(int rb, int b0, int b1, short[] tab, int t, int tl, float[] d, int dOff, float[] facc, int[] iacc,
                  int acc, int accStride, int count) {
        for (int c = 0; c < count; c++) {
            product(rb, b0, b1, tab, t + c * tl, d, dOff + c * blocks * scalesPerBlock(), facc, iacc, acc + c * accStride);
        }
    }

    /** Vectors per {@link #products} call. */
    int vectorGroup() {
        return 1;
    }

    /**
     * The order of a pass. True: for each row block, all vectors (the row block's weights for the pass
     * stay in L1, every vector's prepared activations for the pass must fit beside them); false: for each
     * vector, all row blocks (that vector's prepared activations for the pass stay in L1, the weights
     * come again from L2 for each vector). The better one keeps in L1 the side read more bytes of per
     * multiply-add.
     */
    abstract boolean activationsInner();

    /** Row {@code y} from its accumulators and the vector's quantization scale and code sum. */
    float finish(float f, int i, float actScale, int actSum) {
        return f;
    }

    /** A thread's buffers (the pool's threads live as long as it does). */
    private static final class Work {
        short[] q = new short[0];
        final Activation act = new Activation();
        float[] facc = new float[0];
        int[] iacc = new int[0];
    }

    private static final ThreadLocal<Work> WORK = ThreadLocal.withInitial(Work::new);

    /** Per-call buffers. */
    private static final class Scratch {
        float[] d = new float[0];
        short[] tab = new short[0];
        float[] actScale = new float[0];
        int[] actSum = new int[0];
    }

    @Override
    public void apply(float[] x, float[] y) {
        if (x.length < cols) throw new IllegalArgumentException("x has " + x.length + " elements, need " + cols);
        if (y.length < rows) throw new IllegalArgumentException("y has " + y.length + " elements, need " + rows);
        run(x, y, 1);
    }

    @Override
    public void applyBatch(float[] xs, float[] ys, int n) {
        if (n < 0) throw new IllegalArgumentException("negative batch " + n);
        if (xs.length < (long) n * cols) throw new IllegalArgumentException("xs has " + xs.length + " elements, need " + (long) n * cols);
        if (ys.length < (long) n * rows) throw new IllegalArgumentException("ys has " + ys.length + " elements, need " + (long) n * rows);
        if (n > 0) run(xs, ys, n);
    }

    private void run(float[] xs, float[] ys, int n) {
        Scratch s = SPARE.getAndSet(null);
        if (s == null) s = new Scratch();
        int tl = blocks * blockShorts(), ds = blocks * scalesPerBlock();
        if (s.tab.length < n * tl) s.tab = new short[n * tl];
        if (s.d.length < n * ds) s.d = new float[n * ds];
        if (s.actScale.length < n) {
            s.actScale = new float[n];
            s.actSum = new int[n];
        }
        Scratch sc = s;
        pool.forRange(n, (from, to) -> {
            Work w = WORK.get();
            if (w.q.length < cols) w.q = new short[cols];
            for (int v = from; v < to; v++) {
                Activation a = w.act;
                prepare(xs, v * cols, w.q, a, sc.d, v * ds, sc.tab, v * tl);
                sc.actScale[v] = a.scale;
                sc.actSum[v] = a.sum;
            }
        });
        // one vector: a single pass, so that each row block's weights stream from memory in order
        // (passes that jump between row blocks ran decode 10% slower, 2B4T tq2_0); batches: passes
        // whose hot side fits in L1
        boolean inner = activationsInner();
        int group = vectorGroup();
        int hot = (inner ? n : 1) * blockShorts() * 2;
        int pass = n == 1 ? blocks : Math.max(1, Math.min(blocks, PASS_BYTES / hot));
        pool.forRange(rowBlocks, 1, (from, to) -> {
            int nrb = to - from, size = n * nrb * LANES;
            Work w = WORK.get();
            if (w.facc.length < size) {
                w.facc = new float[size];
                w.iacc = new int[size];
            }
            float[] facc = w.facc;
            int[] iacc = w.iacc;
            java.util.Arrays.fill(facc, 0, size, 0f);
            java.util.Arrays.fill(iacc, 0, size, 0);
            for (int b0 = 0; b0 < blocks; b0 += pass) {
                int b1 = Math.min(blocks, b0 + pass);
                // one call site for both orders (a second one made decode 5% slower, 2B4T tq2_0)
                int groups = (n + group - 1) / group, outer = inner ? nrb : groups, in = inner ? groups : nrb;
                for (int i = 0; i < outer; i++) {
                    for (int k = 0; k < in; k++) {
                        int rb = from + (inner ? i : k), v = (inner ? k : i) * group, count = Math.min(group, n - v);
                        products(rb, b0, b1, sc.tab, v * tl, tl, sc.d, v * ds, facc, iacc, (v * nrb + rb - from) * LANES,
                                nrb * LANES, count);
                    }
                }
            }
            for (int v = 0; v < n; v++) {
                for (int rb = from; rb < to; rb++) {
                    int acc = (v * nrb + rb - from) * LANES;
                    for (int j = 0; j < LANES && rb * LANES + j < rows; j++) {
                        ys[v * rows + rb * LANES + j] = finish(facc[acc + j], iacc[acc + j], sc.actScale[v], sc.actSum[v]);
                    }
                }
            }
        });
        SPARE.set(s);
    }

    /** Releases a mapped tensor's pages once it has been repacked (the product never reads them again). */
    static void release(MemorySegment data) {
        if (data.isMapped()) data.unload();
    }
}
