package trit.gguf;

/** Metadata value types as numbered in the GGUF specification ({@code enum gguf_type}). */
public enum GgufValueType {
    UINT8(1), INT8(1), UINT16(2), INT16(2), UINT32(4), INT32(4), FLOAT32(4), BOOL(1),
    STRING(-1), ARRAY(-1), UINT64(8), INT64(8), FLOAT64(8);

    private static final GgufValueType[] VALUES = values();

    /** Fixed encoded size in bytes, or -1 for the variable-length string and array. */
    final int size;

    GgufValueType(int size) {
        this.size = size;
    }

    /** Smallest number of bytes one value of this type can take in a file (for count sanity checks). */
    int minEncodedSize() {
        return switch (this) {
            case STRING -> 8;            // u64 length
            case ARRAY -> 12;            // u32 element type + u64 count
            default -> size;
        };
    }

    public int id() {
        return ordinal();
    }

    public static GgufValueType byId(long id) {
        return id >= 0 && id < VALUES.length ? VALUES[(int) id] : null;
    }

    public boolean isInteger() {
        return switch (this) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> true;
            default -> false;
        };
    }
}
