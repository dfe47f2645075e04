package trit.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Little-endian, unaligned accessors for tensor bytes (GGUF data is little-endian, blocks are packed). */
final class LE {
    private LE() {}

    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Unsigned byte. */
    static int u8(MemorySegment s, long off) {
        return s.get(ValueLayout.JAVA_BYTE, off) & 0xFF;
    }

    /** Signed byte. */
    static int i8(MemorySegment s, long off) {
        return s.get(ValueLayout.JAVA_BYTE, off);
    }

    static void putByte(MemorySegment s, long off, int v) {
        s.set(ValueLayout.JAVA_BYTE, off, (byte) v);
    }

    /** An fp16 stored at {@code off}, widened to float. */
    static float f16(MemorySegment s, long off) {
        return Half.f16ToFloat(s.get(SHORT, off));
    }

    /** Stores {@code v} as fp16 at {@code off}. */
    static void putF16(MemorySegment s, long off, float v) {
        s.set(SHORT, off, Half.floatToF16(v));
    }
}
