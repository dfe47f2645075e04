package trit.tensor;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Whole-tensor encoding and decoding on top of the per-range {@link TensorFormat}s. */
public final class TensorCodec {
    private TensorCodec() {}

    /** Largest tensor that fits a Java float array. */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    /** Bytes of a tensor of {@code n} elements of type {@code t}. */
    public static long bytes(GgmlType t, long n) {
        return t.tensorBytes(n);
    }

    /**
     * Encodes all of {@code src} as a tensor of type {@code t} into {@code dst}, splitting the blocks
     * over up to {@code threads} threads, then completes it with {@link TensorFormat#finish}.
     */
    public static void quantize(GgmlType t, float[] src, MemorySegment dst, int threads) {
        TensorFormat f = Formats.of(t);
        if (!f.canQuantize()) {
            throw new UnsupportedTypeException(t, "cannot quantize to " + t.label() + ": trit only decodes it");
        }
        int n = src.length;
        checkShape(t, n, dst);
        int blocks = n / t.blockSize();
        int parts = Math.max(1, Math.min(threads, blocks));
        float[] partMax = new float[parts];
        if (parts == 1) {
            partMax[0] = encode(f, src, 0, n, dst);
        } else {
            try (ExecutorService pool = Executors.newFixedThreadPool(parts)) {
                List<Future<?>> done = new ArrayList<>(parts);
                for (int p = 0; p < parts; p++) {
                    int from = (int) ((long) blocks * p / parts) * t.blockSize();
                    int to = (int) ((long) blocks * (p + 1) / parts) * t.blockSize();
                    int part = p;
                    done.add(pool.submit(() -> { partMax[part] = encode(f, src, from, to - from, dst); }));
                }
                for (Future<?> d : done) d.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while quantizing", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                throw new IllegalStateException(e.getCause());
            }
        }
        float absMax = 0f;
        for (float m : partMax) absMax = Math.max(absMax, m);
        f.finish(dst, n, absMax);
    }

    /** Encodes one range and returns its largest |x|, skipping NaNs (as C's fmax does). */
    private static float encode(TensorFormat f, float[] src, int from, int n, MemorySegment dst) {
        f.quantize(src, from, n, dst, from);
        float absMax = 0f;
        for (int i = from; i < from + n; i++) {
            float a = Math.abs(src[i]);
            if (a > absMax) absMax = a;
        }
        return absMax;
    }

    /** Decodes a whole tensor of {@code n} elements of type {@code t}. */
    public static float[] dequantize(GgmlType t, MemorySegment tensor, long n) {
        if (n < 0 || n > MAX_ELEMENTS) {
            throw new IllegalArgumentException("cannot decode a " + t.label() + " tensor of " + n
                    + " elements into one float array (at most " + MAX_ELEMENTS + ")");
        }
        TensorFormat f = Formats.of(t);
        checkShape(t, n, tensor);
        float[] out = new float[(int) n];
        // Exactly the tensor's bytes: I2_S finds its scale at the end of the segment.
        f.dequantize(tensor.asSlice(0, t.tensorBytes(n)), 0, out, 0, (int) n);
        return out;
    }

    private static void checkShape(GgmlType t, long n, MemorySegment seg) {
        if (n % t.blockSize() != 0) {
            throw new IllegalArgumentException(t.label() + " tensor of " + n
                    + " elements is not a whole number of " + t.blockSize() + "-element blocks");
        }
        long need = t.tensorBytes(n);
        if (seg.byteSize() < need) {
            throw new IllegalArgumentException(t.label() + " tensor of " + n + " elements needs " + need
                    + " bytes, segment has " + seg.byteSize());
        }
    }
}
