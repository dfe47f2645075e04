package trit.gguf;

import java.lang.reflect.Array;

/**
 * A GGUF metadata array. {@code values} is a primitive Java array matching the element type
 * (byte[] for u8/i8, short[] for u16/i16, int[] for u32/i32, long[] for u64/i64, float[], double[],
 * boolean[]), a String[], or a GgufArray[] for nested arrays. Unsigned values keep their bit pattern.
 */
public record GgufArray(GgufValueType elementType, Object values) {

    public int length() {
        return Array.getLength(values);
    }

    public String[] strings() {
        if (values instanceof String[] s) return s;
        throw new IllegalStateException("array of " + elementType + ", not of strings");
    }

    public float[] floats() {
        if (values instanceof float[] f) return f;
        throw new IllegalStateException("array of " + elementType + ", not of float32");
    }

    /** Integer elements as int (unsigned 8/16-bit widened without sign). */
    public int[] ints() {
        return switch (values) {
            case int[] a -> a;
            case byte[] a -> {
                int[] r = new int[a.length];
                for (int i = 0; i < a.length; i++) r[i] = elementType == GgufValueType.UINT8 ? a[i] & 0xff : a[i];
                yield r;
            }
            case short[] a -> {
                int[] r = new int[a.length];
                for (int i = 0; i < a.length; i++) r[i] = elementType == GgufValueType.UINT16 ? a[i] & 0xffff : a[i];
                yield r;
            }
            case long[] a -> {
                int[] r = new int[a.length];
                for (int i = 0; i < a.length; i++) r[i] = Math.toIntExact(a[i]);
                yield r;
            }
            default -> throw new IllegalStateException("array of " + elementType + ", not of integers");
        };
    }

    @Override
    public String toString() {
        return "[" + elementType.name().toLowerCase() + " x " + length() + "]";
    }
}
