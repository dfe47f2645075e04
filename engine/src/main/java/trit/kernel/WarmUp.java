package trit.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import jdk.incubator.vector.VectorShape;
import trit.tensor.GgmlType;
import trit.tensor.TensorCodec;

/**
 * Gets the row-block products compiled before a model's first prompt needs them. The first time a type
 * is repacked, a low-priority daemon thread runs a small product of that type (one vector and batches)
 * a few hundred times, so that the JIT compiles the vector loops while the rest of the model loads. Until
 * then they run interpreted, where every vector operation allocates: a cold 16-token prompt of the 2B4T
 * shape took 2.2-2.6 s, about six times the warm time. {@code -Dtrit.nowarmup=true} turns it off.
 */
final class WarmUp {
    private WarmUp() {}

    private static final boolean DISABLED = Boolean.getBoolean("trit.nowarmup");
    private static final Set<GgmlType> STARTED = ConcurrentHashMap.newKeySet();
    private static final int ROWS = 64, COLS = 512, ROUNDS = 400;

    /** Starts the warm-up of {@code type}'s row-block product, once per type and process. */
    static void start(GgmlType type) {
        if (DISABLED || !STARTED.add(type)) return;
        Thread t = new Thread(() -> run(type), "trit-warmup-" + type.label());
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    private static void run(GgmlType type) {
        try (Parallel pool = Parallel.create(1)) {
            Linear lin = Linears.of(type, tensor(type), ROWS, COLS, pool, VectorShape.S_512_BIT, true);
            SplittableRandom rng = new SplittableRandom(1);
            float[] xs = new float[5 * COLS], ys = new float[5 * ROWS];
            for (int i = 0; i < xs.length; i++) xs[i] = (float) rng.nextGaussian();
            for (int i = 0; i < ROUNDS; i++) {
                lin.apply(xs, ys);
                if (i % 2 == 0) lin.applyBatch(xs, ys, 5);
            }
        } catch (RuntimeException e) {
            // a warm-up that fails costs only time: the model's own products report their errors
        }
    }

    /** A small tensor of {@code type}: random weights, ternary with one scale for the ternary types. */
    private static MemorySegment tensor(GgmlType type) {
        byte[] bytes = new byte[(int) type.tensorBytes((long) ROWS * COLS)];
        MemorySegment seg = MemorySegment.ofArray(bytes);
        if (type == GgmlType.I2_S) {
            java.util.Arrays.fill(bytes, (byte) 0x55);   // every code 1: zero weights
            seg.set(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), (long) ROWS * COLS / 4, 1f);
            return seg;
        }
        SplittableRandom rng = new SplittableRandom(2);
        boolean ternary = type == GgmlType.TQ2_0 || type == GgmlType.TQ1_0;
        float[] w = new float[ROWS * COLS];
        for (int i = 0; i < w.length; i++) w[i] = ternary ? rng.nextInt(3) - 1 : (float) rng.nextGaussian();
        if (ternary) for (int b = 0; b < w.length; b += 256) w[b] = 1;   // one scale for the tensor
        TensorCodec.quantize(type, w, seg, 1);
        return seg;
    }
}
