package trit.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import jdk.incubator.vector.VectorShape;
import trit.TritException;
import trit.tensor.GgmlType;
import trit.tensor.UnsupportedTypeException;

/**
 * Makes the {@link Linear} of a weight tensor. The product follows llama.cpp's CPU backend for each
 * type (activations converted to the type's {@code vec_dot_type}, integer dot products per block
 * scaled by {@code d_w * d_x}) and bitnet.cpp for I2_S; see {@link ActQuant} and {@link ScalarKernel}.
 * The row kernels use the Vector API at the CPU's preferred width.
 */
public final class Linears {
    private Linears() {}

    /**
     * Starts compiling, in the background, the products of these weight types that run repacked on this
     * CPU ({@link WarmUp}), so that a model loading them is ready for its first prompt.
     */
    public static void warmUp(java.util.Collection<GgmlType> types) {
        VectorShape shape = Specialize.preferred();
        for (GgmlType t : types) {
            boolean ternary = t == GgmlType.TQ2_0 || t == GgmlType.TQ1_0 || t == GgmlType.I2_S;
            if (LutLinear.applies(t, ternary ? 1f : 0f, shape) || Q6kLinear.applies(t, shape)
                    || Q32Linear.applies(t, RowBlockLinear.BLOCK, shape)) {
                WarmUp.start(t);
            }
        }
    }

    /** Weights from which q6_K, q4_0 and q8_0 matrices are repacked (see {@link #of(GgmlType, MemorySegment, int, int, Parallel, VectorShape, boolean)}). */
    static final long REPACK_MIN_WEIGHTS = 1L << 22;

    /** Types with a product. */
    public static final Set<GgmlType> SUPPORTED = Collections.unmodifiableSet(EnumSet.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16,
            GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_K, GgmlType.Q6_K, GgmlType.TQ1_0, GgmlType.TQ2_0, GgmlType.I2_S));

    /**
     * The product with a tensor of {@code rows x cols} weights (ggml {@code ne[1] = rows},
     * {@code ne[0] = cols}) whose bytes are exactly {@code data}: row r starts at byte
     * {@code r * type.rowBytes(cols)}, and for I2_S the f32 tensor scale follows all the codes.
     * {@code data} must stay valid while the Linear is used; it is read, never written.
     *
     * @throws UnsupportedTypeException for types without a product
     * @throws TritException            when the shape or the byte count does not fit the type
     */
    public static Linear of(GgmlType type, MemorySegment data, int rows, int cols, Parallel pool) {
        return of(type, data, rows, cols, pool, Specialize.preferred());
    }

    /** {@link #of(GgmlType, MemorySegment, int, int, Parallel)} on the {@link Parallel#shared()} pool. */
    public static Linear of(GgmlType type, MemorySegment data, int rows, int cols) {
        return of(type, data, rows, cols, Parallel.shared());
    }

    /** The same with vector kernels of a given width (128, 256 or 512 bits), for tests. */
    static Linear of(GgmlType type, MemorySegment data, int rows, int cols, Parallel pool, VectorShape shape) {
        return of(type, data, rows, cols, pool, shape, false);
    }

    /**
     * With {@code anySize}, q6_K, q4_0 and q8_0 matrices are repacked whatever their size (tests and the
     * warm-up); otherwise from {@link #REPACK_MIN_WEIGHTS} up: smaller ones sit in cache, where the row
     * kernels and the tiled batches are about as fast (faster for q8_0 batches). With a 1M threshold, the
     * shipped q4_0 baseline (whose 4096 x 256 output layer then ran repacked beside 256-bit row kernels)
     * decoded ~25x slower in 3 of 5 runs after warm-up; from 4M up it never did, and the 2B4T q4_0 decode
     * lost 6% (its 2560 x 640 key and value matrices went back to the row kernels).
     */
    static Linear of(GgmlType type, MemorySegment data, int rows, int cols, Parallel pool, VectorShape shape, boolean anySize) {
        float scale = check(type, data, rows, cols);
        boolean big = anySize || (long) rows * cols >= REPACK_MIN_WEIGHTS;
        RowBlockLinear repacked = null;
        if (LutLinear.applies(type, scale, shape)) repacked = LutLinear.of(type, data, rows, cols, scale, pool);
        else if (big && Q6kLinear.applies(type, shape)) repacked = Q6kLinear.of(data, rows, cols, pool);
        else if (big && Q32Linear.applies(type, cols, shape)) repacked = Q32Linear.of(type, data, rows, cols, pool);
        if (repacked != null) return repacked;
        RowKernel rowKernel = Specialize.vectorKernel(shape, type, cols, scale);
        RowKernel tiles = Specialize.tileKernel(shape, type, cols, scale);
        return new KernelLinear(type, data, rows, cols, pool, rowKernel, tiles != null ? tiles : rowKernel);
    }

    /** The scalar reference product ({@link ScalarKernel}), for tests. */
    static Linear reference(GgmlType type, MemorySegment data, int rows, int cols, Parallel pool) {
        float scale = check(type, data, rows, cols);
        RowKernel k = new ScalarKernel(type, cols, scale);
        return new KernelLinear(type, data, rows, cols, pool, k, k);
    }

    /**
     * Validates the tensor; returns its one weight scale: I2_S's, or the fp16 scale that every block of
     * a TQ1_0 / TQ2_0 tensor shares (as in BitNet models), widened; 0 when blocks differ and for other
     * types.
     */
    private static float check(GgmlType type, MemorySegment data, int rows, int cols) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        if (!SUPPORTED.contains(type)) {
            throw new UnsupportedTypeException(type, "no matrix product for tensor type " + type.label()
                    + " (ggml id " + type.id() + "); supported: "
                    + String.join(", ", SUPPORTED.stream().map(GgmlType::label).toList()));
        }
        if (rows < 1 || cols < 1) {
            throw new TritException("%s weight matrix of %d x %d: rows and columns must be positive"
                    .formatted(type.label(), rows, cols));
        }
        if (cols % type.blockSize() != 0) {
            throw new TritException("%s weight rows of %d elements are not a whole number of %d-element blocks"
                    .formatted(type.label(), cols, type.blockSize()));
        }
        long need = type.tensorBytes((long) rows * cols);
        if (data.byteSize() != need) {
            throw new TritException("%s weight matrix of %d x %d takes %d bytes, but its data has %d"
                    .formatted(type.label(), rows, cols, need, data.byteSize()));
        }
        if (type == GgmlType.TQ1_0 || type == GgmlType.TQ2_0) return commonBlockScale(type, data);
        if (type != GgmlType.I2_S) return 0f;
        return data.get(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), (long) rows * cols / 4);
    }

    /** The fp16 scale (last two bytes of each block) if all blocks have the same one, else 0. */
    private static float commonBlockScale(GgmlType type, MemorySegment data) {
        ValueLayout.OfShort h = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        long size = type.blockBytes(), blocks = data.byteSize() / size;
        short first = data.get(h, size - 2);
        for (long b = 1; b < blocks; b++) {
            if (data.get(h, (b + 1) * size - 2) != first) return 0f;
        }
        return trit.tensor.Half.f16ToFloat(first);
    }
}
