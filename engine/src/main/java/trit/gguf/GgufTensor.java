package trit.gguf;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import trit.tensor.GgmlType;

/**
 * One tensor of a GGUF file. {@code shape} is in ggml order: shape[0] is the row length (ne[0]),
 * shape[1] the number of rows. {@code data} is a read-only view of the mapped file, never a copy.
 */
public record GgufTensor(String name, GgmlType type, long[] shape, long offset, long bytes, MemorySegment data) {

    public long elements() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    public long rowLength() {
        return shape[0];
    }

    public long rows() {
        return elements() / Math.max(1, shape[0]);
    }

    /** True for the 2-D (or higher) weight matrices that quantization re-encodes. */
    public boolean isMatrix() {
        return shape.length >= 2 && shape[1] > 1;
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufTensor t && t.name.equals(name) && t.type == type
                && Arrays.equals(t.shape, shape) && t.offset == offset && t.bytes == bytes;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }
}
