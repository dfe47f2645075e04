package trit.gguf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import trit.tensor.GgmlType;

/**
 * Writes GGUF v3 as llama.cpp lays it out: header, metadata in insertion order, tensor infos, padding
 * to {@code general.alignment}, then each tensor's data padded to the alignment, in the order added.
 * The file is written to a temporary sibling and renamed into place, so a failure leaves whatever was
 * at the target untouched. Tensor data is filled straight into the mapped output by callbacks, which
 * lets large models be written without holding them in memory.
 */
public final class GgufWriter {
    /** Fills a tensor's bytes; {@code dst} is exactly the tensor's size. */
    public interface Filler {
        void fill(MemorySegment dst);
    }

    private record Entry(String name, GgmlType type, long[] shape, long bytes, Filler filler) {}

    private final LinkedHashMap<String, GgufValue> metadata = new LinkedHashMap<>();
    private final List<Entry> tensors = new ArrayList<>();
    private final Set<String> names = new HashSet<>();

    public GgufWriter put(String key, GgufValue value) {
        metadata.put(key, value);
        return this;
    }

    public GgufWriter putAll(Map<String, GgufValue> values) {
        metadata.putAll(values);
        return this;
    }

    public GgufWriter remove(String key) {
        metadata.remove(key);
        return this;
    }

    /** Adds a tensor; {@code shape} is in ggml order (row length first). */
    public GgufWriter addTensor(String name, GgmlType type, long[] shape, Filler filler) {
        if (!names.add(name)) throw new IllegalArgumentException("duplicate tensor name " + name);
        long n = 1;
        for (long d : shape) n = Math.multiplyExact(n, d);
        if (shape.length == 0 || shape[0] % type.blockSize() != 0) {
            throw new IllegalArgumentException("tensor " + name + ": row length " + (shape.length == 0 ? 0 : shape[0])
                    + " is not a multiple of the " + type.label() + " block size " + type.blockSize());
        }
        tensors.add(new Entry(name, type, shape.clone(), type.tensorBytes(n), filler));
        return this;
    }

    /** Adds a tensor whose bytes are copied from {@code data} (e.g. another file's mapped tensor). */
    public GgufWriter addTensor(String name, GgmlType type, long[] shape, MemorySegment data) {
        return addTensor(name, type, shape, dst -> dst.copyFrom(data));
    }

    private int alignment() {
        GgufValue a = metadata.get("general.alignment");
        return a == null ? GgufFile.DEFAULT_ALIGNMENT : (int) a.asLong();
    }

    /** Writes the file atomically. {@code progress}, if not null, receives each tensor's name as it is filled. */
    public void write(Path target, Consumer<String> progress) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        try {
            long total = size();
            trit.AtomicFiles.replace(abs, tmp -> {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE);
                     Arena arena = Arena.ofShared()) {
                    ch.truncate(0);
                    MemorySegment out = ch.map(FileChannel.MapMode.READ_WRITE, 0, total, arena);
                    writeTo(out, progress);
                    out.force();
                }
            });
        } catch (IOException e) {
            throw new GgufException(target + ": cannot write (" + e.getMessage() + ")", e);
        }
    }

    /** Bytes of the whole file: header, padding, every tensor padded to the alignment. */
    public long size() {
        int alignment = alignment();
        long total = GgufReader.align(header().length, alignment);
        for (Entry e : tensors) total = GgufReader.align(total + e.bytes, alignment);
        return total;
    }

    /** Bytes of the tensors' data alone, without header or padding. */
    public long tensorBytes() {
        long total = 0;
        for (Entry e : tensors) total += e.bytes;
        return total;
    }

    /** Writes the file's bytes into {@code out} (at least {@link #size()} bytes, zeroed), e.g. memory. */
    public void writeTo(MemorySegment out, Consumer<String> progress) {
        byte[] header = header();
        int alignment = alignment();
        out.asSlice(0, header.length).copyFrom(MemorySegment.ofArray(header));
        long off = GgufReader.align(header.length, alignment);
        for (Entry e : tensors) {
            if (progress != null) progress.accept(e.name);
            e.filler.fill(out.asSlice(off, e.bytes));
            off = GgufReader.align(off + e.bytes, alignment);
        }
    }

    public void write(Path target) {
        write(target, null);
    }

    private byte[] header() {
        Out o = new Out();
        o.u32(GgufReader.MAGIC);
        o.u32(3);
        o.u64(tensors.size());
        o.u64(metadata.size());
        for (Map.Entry<String, GgufValue> kv : metadata.entrySet()) {
            o.string(kv.getKey());
            o.u32(kv.getValue().type().id());
            o.value(kv.getValue());
        }
        int alignment = alignment();
        long offset = 0;
        for (Entry e : tensors) {
            o.string(e.name);
            o.u32(e.shape.length);
            for (long d : e.shape) o.u64(d);
            o.u32(e.type.id());
            o.u64(offset);
            offset = GgufReader.align(offset + e.bytes, alignment);
        }
        return o.bytes();
    }

    /** Little-endian encoder for the header. */
    private static final class Out {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream(1 << 16);
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        void u8(int v) { buf.write(v); }
        void u16(int v) { scratch.clear(); scratch.putShort((short) v); buf.write(scratch.array(), 0, 2); }
        void u32(int v) { scratch.clear(); scratch.putInt(v); buf.write(scratch.array(), 0, 4); }
        void u64(long v) { scratch.clear(); scratch.putLong(v); buf.write(scratch.array(), 0, 8); }

        void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            buf.write(b, 0, b.length);
        }

        void value(GgufValue v) {
            Object x = v.value();
            switch (v.type()) {
                case UINT8, INT8 -> u8(((Number) x).intValue());
                case UINT16, INT16 -> u16(((Number) x).intValue());
                case UINT32, INT32 -> u32(((Number) x).intValue());
                case UINT64, INT64 -> u64(((Number) x).longValue());
                case FLOAT32 -> u32(Float.floatToRawIntBits((Float) x));
                case FLOAT64 -> u64(Double.doubleToRawLongBits((Double) x));
                case BOOL -> u8((Boolean) x ? 1 : 0);
                case STRING -> string((String) x);
                case ARRAY -> array((GgufArray) x);
            }
        }

        void array(GgufArray a) {
            u32(a.elementType().id());
            u64(a.length());
            switch (a.values()) {
                case byte[] b -> buf.write(b, 0, b.length);
                case short[] s -> { for (short x : s) u16(x); }
                case int[] s -> { for (int x : s) u32(x); }
                case long[] s -> { for (long x : s) u64(x); }
                case float[] s -> { for (float x : s) u32(Float.floatToRawIntBits(x)); }
                case double[] s -> { for (double x : s) u64(Double.doubleToRawLongBits(x)); }
                case boolean[] s -> { for (boolean x : s) u8(x ? 1 : 0); }
                case String[] s -> { for (String x : s) string(x); }
                case GgufArray[] s -> { for (GgufArray x : s) array(x); }
                default -> throw new IllegalArgumentException("unsupported array " + a.values().getClass());
            }
        }

        byte[] bytes() {
            return buf.toByteArray();
        }
    }

}
