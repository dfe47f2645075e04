package trit.gguf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Hand-assembles GGUF bytes, including invalid ones, for reader tests. */
final class RawGguf {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    RawGguf u8(int v) { out.write(v); return this; }

    RawGguf u32(long v) {
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
        return this;
    }

    RawGguf u64(long v) {
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
        return this;
    }

    RawGguf str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        u64(b.length);
        out.writeBytes(b);
        return this;
    }

    RawGguf header(int version, long tensors, long kvs) {
        return u32(GgufReader.MAGIC).u32(version).u64(tensors).u64(kvs);
    }

    /** A tensor info: name, dims, ggml type id, offset. */
    RawGguf tensor(String name, long[] dims, int type, long offset) {
        str(name).u32(dims.length);
        for (long d : dims) u64(d);
        return u32(type).u64(offset);
    }

    /** Zero padding up to a multiple of {@code alignment}. */
    RawGguf pad(int alignment) {
        while (out.size() % alignment != 0) out.write(0);
        return this;
    }

    RawGguf zeros(int n) {
        out.writeBytes(new byte[n]);
        return this;
    }

    int size() { return out.size(); }

    byte[] bytes() { return out.toByteArray(); }
}
