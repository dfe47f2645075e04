package trit.gguf;

/**
 * One typed metadata value. {@code value} is a Byte, Short, Integer or Long for the integer types
 * (unsigned types keep their bit pattern), a Float, Double, Boolean, String or {@link GgufArray}.
 */
public record GgufValue(GgufValueType type, Object value) {

    public static GgufValue ofString(String s) { return new GgufValue(GgufValueType.STRING, s); }
    public static GgufValue ofU32(int v) { return new GgufValue(GgufValueType.UINT32, v); }
    public static GgufValue ofI32(int v) { return new GgufValue(GgufValueType.INT32, v); }
    public static GgufValue ofU64(long v) { return new GgufValue(GgufValueType.UINT64, v); }
    public static GgufValue ofF32(float v) { return new GgufValue(GgufValueType.FLOAT32, v); }
    public static GgufValue ofBool(boolean v) { return new GgufValue(GgufValueType.BOOL, v); }
    public static GgufValue ofStrings(String... s) { return ofArray(new GgufArray(GgufValueType.STRING, s)); }
    public static GgufValue ofFloats(float... f) { return ofArray(new GgufArray(GgufValueType.FLOAT32, f)); }
    public static GgufValue ofI32s(int... v) { return ofArray(new GgufArray(GgufValueType.INT32, v)); }
    public static GgufValue ofArray(GgufArray a) { return new GgufValue(GgufValueType.ARRAY, a); }

    /** Integer value as long; unsigned 8/16/32-bit values are widened without sign. */
    public long asLong() {
        return switch (type) {
            case UINT8 -> (Byte) value & 0xffL;
            case UINT16 -> (Short) value & 0xffffL;
            case UINT32 -> (Integer) value & 0xffffffffL;
            case INT8, INT16, INT32, INT64, UINT64 -> ((Number) value).longValue();
            case BOOL -> (Boolean) value ? 1 : 0;
            default -> throw new IllegalStateException(type + " is not an integer");
        };
    }

    public double asDouble() {
        return switch (type) {
            case FLOAT32, FLOAT64 -> ((Number) value).doubleValue();
            default -> asLong();
        };
    }

    public String asString() {
        if (value instanceof String s) return s;
        throw new IllegalStateException(type + " is not a string");
    }

    public GgufArray asArray() {
        if (value instanceof GgufArray a) return a;
        throw new IllegalStateException(type + " is not an array");
    }

    /** Short human-readable form, arrays abbreviated. */
    public String display() {
        return switch (type) {
            case STRING -> {
                String s = (String) value;
                yield s.length() > 60 ? s.substring(0, 57).replace('\n', ' ') + "..." : s.replace('\n', ' ');
            }
            case ARRAY -> value.toString();
            case UINT8, UINT16, UINT32 -> Long.toString(asLong());
            case UINT64 -> Long.toUnsignedString((Long) value);
            default -> String.valueOf(value);
        };
    }
}
