package trit.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.lang.constant.ConstantDescs;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ConcurrentHashMap;
import jdk.incubator.vector.VectorShape;
import trit.tensor.GgmlType;

/**
 * Copies of {@link VectorKernel} per vector shape. Each copy is a hidden class defined from the
 * template's own class file with the shape as its class data, so its species are static finals, which
 * the JIT treats as constants (species held in instance fields would make every vector operation fall
 * back to slow Java code). One copy per shape, made on first use.
 */
final class Specialize {
    private Specialize() {}

    private static final ConcurrentHashMap<VectorShape, MethodHandle> KERNELS = new ConcurrentHashMap<>();

    /** The widest shape of this CPU, at least 128 bits. */
    static VectorShape preferred() {
        VectorShape s = VectorShape.preferredShape();
        return s.vectorBitSize() < 128 ? VectorShape.S_128_BIT : s;
    }

    /** The shape a template copy was made for (the preferred one for the template itself). */
    static VectorShape shapeOf(MethodHandles.Lookup lookup) {
        try {
            VectorShape s = MethodHandles.classData(lookup, ConstantDescs.DEFAULT_NAME, VectorShape.class);
            return s != null ? s : preferred();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A vector kernel of {@code shape} (at least 128 bits; capped at the type's {@link VectorKernel#maxBits})
     * for rows of {@code cols} weights of {@code type}.
     */
    static RowKernel vectorKernel(VectorShape shape, GgmlType type, int cols, float tensorScale) {
        if (shape.vectorBitSize() < 128) throw new IllegalArgumentException("vector kernels need 128 bits or more: " + shape);
        if (shape.vectorBitSize() > VectorKernel.maxBits(type)) shape = VectorShape.forBitSize(VectorKernel.maxBits(type));
        MethodHandle ctor = KERNELS.computeIfAbsent(shape, s -> constructor(s));
        try {
            return (RowKernel) ctor.invoke(type, cols, tensorScale);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * A kernel of the full {@code shape} for the tiled product alone, when {@code type}'s row kernels are
     * capped narrower than it ({@link VectorKernel#maxBits}); null when the row kernel already has that width.
     */
    static RowKernel tileKernel(VectorShape shape, GgmlType type, int cols, float tensorScale) {
        if (!VectorKernel.tiles(type) || shape.vectorBitSize() <= VectorKernel.maxBits(type)) return null;
        MethodHandle ctor = TILE_KERNELS.computeIfAbsent(shape, s -> constructor(s, boolean.class));
        try {
            return (RowKernel) ctor.invoke(type, cols, tensorScale, true);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static final ConcurrentHashMap<VectorShape, MethodHandle> TILE_KERNELS = new ConcurrentHashMap<>();

    private static final ConcurrentHashMap<VectorShape, MethodHandles.Lookup> COPIES = new ConcurrentHashMap<>();

    /** The copy's constructor taking (GgmlType, int, float) and then {@code more}. */
    private static MethodHandle constructor(VectorShape shape, Class<?>... more) {
        MethodHandles.Lookup copy = COPIES.computeIfAbsent(shape, Specialize::copy);
        Class<?>[] params = new Class<?>[3 + more.length];
        params[0] = GgmlType.class;
        params[1] = int.class;
        params[2] = float.class;
        System.arraycopy(more, 0, params, 3, more.length);
        try {
            return copy.findConstructor(copy.lookupClass(), MethodType.methodType(void.class, params));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot specialize the vector kernels for " + shape, e);
        }
    }

    private static MethodHandles.Lookup copy(VectorShape shape) {
        try (InputStream in = VectorKernel.class.getResourceAsStream("VectorKernel.class")) {
            if (in == null) throw new IllegalStateException("VectorKernel.class not found on the class path");
            return MethodHandles.lookup().defineHiddenClassWithClassData(in.readAllBytes(), shape, true);
        } catch (IOException | IllegalAccessException e) {
            throw new IllegalStateException("cannot specialize the vector kernels for " + shape, e);
        }
    }
}
