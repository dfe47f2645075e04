package trit.train;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * CRC-32C of float arrays as the little-endian bytes a GGUF file stores them in, so that a checksum
 * computed from memory when saving equals one computed over the file's tensor bytes. Used by the
 * training checkpoints (the transformer's and BDH's).
 */
public final class FloatCrc {
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

    /** Adds a[from..to). */
    public FloatCrc add(float[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!buf.hasRemaining()) flush();
            buf.putFloat(a[i]);
        }
        return this;
    }

    public FloatCrc add(float[] a) {
        return add(a, 0, a.length);
    }

    public long value() {
        flush();
        return crc.getValue();
    }

    private void flush() {
        buf.flip();
        crc.update(buf);
        buf.clear();
    }
}
