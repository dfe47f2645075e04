package trit.gguf;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import trit.tensor.GgmlType;

/**
 * Parses GGUF v2/v3 from a memory-mapped file. Every length and count is checked against the bytes
 * that remain before anything is allocated, so a hostile file yields a {@link GgufException}, never an
 * out-of-bounds read, an out-of-memory error or a hang.
 */
final class GgufReader {
    static final int MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
    private static final int MAX_DIMS = 4;
    private static final int MAX_ARRAY_NESTING = 8;

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path path;
    private final MemorySegment file;
    private final long size;
    private long pos;

    private GgufReader(Path path, MemorySegment file) {
        this.path = path;
        this.file = file;
        this.size = file.byteSize();
    }

    /** Parses GGUF bytes already in memory; {@code arena} (may be null) is closed with the file. */
    static GgufFile read(String label, MemorySegment bytes, Arena arena) {
        Path p = Path.of(label);
        if (bytes.byteSize() < 24) throw new GgufException(label + ": not a GGUF file (only " + bytes.byteSize() + " bytes)");
        return new GgufReader(p, bytes).parse(arena);
    }

    static GgufFile read(Path path) {
        long size;
        try {
            if (Files.isDirectory(path)) throw new GgufException(path + ": is a directory, not a GGUF file");
            size = Files.size(path);
        } catch (NoSuchFileException e) {
            throw new GgufException(path + ": no such file");
        } catch (IOException e) {
            throw new GgufException(path + ": cannot read (" + e.getMessage() + ")");
        }
        if (size < 24) throw new GgufException(path + ": not a GGUF file (only " + size + " bytes)");
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            GgufFile f = new GgufReader(path, seg).parse(arena);
            return f;
        } catch (GgufException e) {
            arena.close();
            throw e;
        } catch (AccessDeniedException e) {
            arena.close();
            throw new GgufException(path + ": permission denied");
        } catch (IOException e) {
            arena.close();
            throw new GgufException(path + ": cannot read (" + e.getMessage() + ")");
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    private GgufException bad(String what) {
        return new GgufException(path + ": " + printable(what));
    }

    /** Names inside a hostile file may hold control characters or be huge: keep the message one short line. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 300));
        for (int i = 0; i < s.length() && b.length() < 300; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                b.append(String.format("\\x%02x", (int) c & 0xff));
            } else {
                b.append(c);
            }
        }
        if (b.length() >= 300) b.append("...");
        return b.toString();
    }

    private GgufFile parse(Arena arena) {
        int magic = file.get(U32, 0);
        if (magic != MAGIC) {
            throw bad("not a GGUF file (bad magic 0x" + Integer.toHexString(Integer.reverseBytes(magic)) + ")");
        }
        int version = file.get(U32, 4);
        if (version == 1) throw bad("GGUF version 1 is not supported (re-convert the model to v3)");
        if (Integer.reverseBytes(version) >= 1 && Integer.reverseBytes(version) <= 3) {
            throw bad("big-endian GGUF is not supported");
        }
        if (version != 2 && version != 3) throw bad("unsupported GGUF version " + Integer.toUnsignedString(version));
        pos = 8;
        long tensorCount = u64("tensor count");
        long kvCount = u64("metadata count");
        // Each tensor info takes at least 24 bytes and each key/value 13: larger counts cannot fit.
        if (tensorCount < 0 || tensorCount > remaining() / 24) {
            throw bad("tensor count " + Long.toUnsignedString(tensorCount) + " is impossible for a file of " + size + " bytes");
        }
        if (kvCount < 0 || kvCount > remaining() / 13) {
            throw bad("metadata count " + Long.toUnsignedString(kvCount) + " is impossible for a file of " + size + " bytes");
        }

        LinkedHashMap<String, GgufValue> meta = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            long at = pos;
            String key = string("metadata key #" + i);
            long typeId = u32("type of metadata '" + key + "'");
            GgufValueType type = GgufValueType.byId(typeId);
            if (type == null) throw bad("metadata '" + key + "' has unknown value type " + typeId + " (at byte " + at + ")");
            GgufValue v = value(type, key, 0);
            if (meta.putIfAbsent(key, v) != null) throw bad("duplicate metadata key '" + key + "'");
        }

        int alignment = GgufFile.DEFAULT_ALIGNMENT;
        GgufValue al = meta.get("general.alignment");
        if (al != null) {
            if (al.type() != GgufValueType.UINT32) throw bad("general.alignment must be a uint32, found " + al.type());
            long a = al.asLong();
            if (a == 0 || (a & (a - 1)) != 0 || a > (1 << 20)) throw bad("general.alignment " + a + " is not a power of two up to 1 MiB");
            alignment = (int) a;
        }

        record Info(String name, GgmlType type, long[] shape, long offset, long bytes) {}
        List<Info> infos = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (long i = 0; i < tensorCount; i++) {
            String name = string("name of tensor #" + i);
            if (!names.add(name)) throw bad("duplicate tensor name '" + name + "'");
            long nDims = u32("dimension count of tensor '" + name + "'");
            if (nDims < 1 || nDims > MAX_DIMS) throw bad("tensor '" + name + "' has " + nDims + " dimensions (1 to " + MAX_DIMS + " allowed)");
            long[] shape = new long[(int) nDims];
            long elements = 1;
            for (int d = 0; d < nDims; d++) {
                shape[d] = u64("shape of tensor '" + name + "'");
                if (shape[d] < 0) throw bad("tensor '" + name + "' has negative dimension " + Long.toUnsignedString(shape[d]));
                try {
                    elements = Math.multiplyExact(elements, shape[d]);
                } catch (ArithmeticException e) {
                    throw bad("tensor '" + name + "' has an element count that overflows 64 bits");
                }
            }
            long typeId = u32("type of tensor '" + name + "'");
            GgmlType type = GgmlType.byId(typeId);
            if (type == null) throw bad("tensor '" + name + "' has unknown type id " + typeId);
            if (shape[0] % type.blockSize() != 0) {
                throw bad("tensor '" + name + "' row length " + shape[0] + " is not a multiple of the "
                        + type.label() + " block size " + type.blockSize());
            }
            long offset = u64("data offset of tensor '" + name + "'");
            if (offset < 0) throw bad("tensor '" + name + "' has data offset " + Long.toUnsignedString(offset) + " past the end of the file");
            if (offset % alignment != 0) throw bad("tensor '" + name + "' data offset " + offset + " is not aligned to " + alignment);
            if (elements > Long.MAX_VALUE / 4) throw bad("tensor '" + name + "' is too large (" + elements + " elements)");
            infos.add(new Info(name, type, shape, offset, type.tensorBytes(elements)));
        }

        long dataOffset = align(pos, alignment);
        if (tensorCount > 0 && dataOffset > size) throw bad("truncated before the tensor data");
        long dataBytes = size - Math.min(dataOffset, size);
        List<Info> sorted = new ArrayList<>(infos);
        sorted.sort(Comparator.comparingLong(Info::offset));
        for (int i = 0; i < sorted.size(); i++) {
            Info t = sorted.get(i);
            if (t.offset > dataBytes || t.bytes > dataBytes - t.offset) {
                throw bad("tensor '" + t.name + "' data (" + t.bytes + " bytes at offset " + t.offset
                        + ") runs past the end of the file (data section holds " + dataBytes + " bytes)");
            }
            if (i + 1 < sorted.size() && t.offset + t.bytes > sorted.get(i + 1).offset) {
                throw bad("tensors '" + t.name + "' and '" + sorted.get(i + 1).name + "' overlap");
            }
        }

        MemorySegment ro = file.asReadOnly();
        List<GgufTensor> tensors = new ArrayList<>(infos.size());
        for (Info t : infos) {
            tensors.add(new GgufTensor(t.name, t.type, t.shape, t.offset, t.bytes,
                    ro.asSlice(dataOffset + t.offset, t.bytes)));
        }
        return new GgufFile(path, version, alignment, dataOffset, size, meta, tensors, arena);
    }

    static long align(long x, int alignment) {
        return (x + alignment - 1) / alignment * alignment;
    }

    private long remaining() {
        return size - pos;
    }

    private void need(long n, String what) {
        if (n < 0 || n > remaining()) {
            throw bad("truncated: needs " + Long.toUnsignedString(n) + " more bytes at offset " + pos + " for " + what
                    + " but the file ends at " + size);
        }
    }

    private long u32(String what) {
        need(4, what);
        long v = file.get(U32, pos) & 0xffffffffL;
        pos += 4;
        return v;
    }

    private long u64(String what) {
        need(8, what);
        long v = file.get(U64, pos);
        pos += 8;
        return v;
    }

    private String string(String what) {
        long len = u64(what);
        if (len < 0 || len > remaining()) {
            throw bad("string length " + Long.toUnsignedString(len) + " for " + what + " runs past the end of the file");
        }
        if (len > Integer.MAX_VALUE - 8) throw bad("string length " + len + " for " + what + " is too large");
        byte[] b = file.asSlice(pos, len).toArray(ValueLayout.JAVA_BYTE);
        pos += len;
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            // Vocabularies may hold partial UTF-8 sequences (byte-level BPE pieces): keep them, lossily.
            return new String(b, StandardCharsets.UTF_8);
        }
    }

    private GgufValue value(GgufValueType type, String key, int depth) {
        String what = "metadata '" + key + "'";
        return switch (type) {
            case UINT8, INT8 -> { need(1, what); byte b = file.get(ValueLayout.JAVA_BYTE, pos); pos += 1; yield new GgufValue(type, b); }
            case UINT16, INT16 -> { need(2, what); short s = file.get(U16, pos); pos += 2; yield new GgufValue(type, s); }
            case UINT32, INT32 -> new GgufValue(type, (int) u32(what));
            case UINT64, INT64 -> new GgufValue(type, u64(what));
            case FLOAT32 -> { need(4, what); float f = file.get(F32, pos); pos += 4; yield new GgufValue(type, f); }
            case FLOAT64 -> { need(8, what); double d = file.get(F64, pos); pos += 8; yield new GgufValue(type, d); }
            case BOOL -> {
                need(1, what);
                byte b = file.get(ValueLayout.JAVA_BYTE, pos);
                pos += 1;
                if (b != 0 && b != 1) throw bad(what + " is a bool with value " + (b & 0xff));
                yield new GgufValue(type, b == 1);
            }
            case STRING -> new GgufValue(type, string(what));
            case ARRAY -> new GgufValue(type, array(key, depth + 1));
        };
    }

    private GgufArray array(String key, int depth) {
        String what = "metadata array '" + key + "'";
        if (depth > MAX_ARRAY_NESTING) throw bad(what + " nests arrays more than " + MAX_ARRAY_NESTING + " deep");
        long typeId = u32(what);
        GgufValueType et = GgufValueType.byId(typeId);
        if (et == null) throw bad(what + " has unknown element type " + typeId);
        long n = u64(what);
        if (n < 0 || n > remaining() / et.minEncodedSize()) {
            throw bad(what + " claims " + Long.toUnsignedString(n) + " elements, more than the file can hold");
        }
        int count = (int) n; // bounded by the file size over the element size; arrays beyond 2^31 cannot exist in Java
        if (n > Integer.MAX_VALUE - 8) throw bad(what + " has too many elements (" + n + ")");
        switch (et) {
            case UINT8, INT8 -> {
                byte[] a = file.asSlice(pos, count).toArray(ValueLayout.JAVA_BYTE);
                pos += count;
                return new GgufArray(et, a);
            }
            case UINT16, INT16 -> {
                short[] a = new short[count];
                for (int i = 0; i < count; i++) a[i] = file.get(U16, pos + 2L * i);
                pos += 2L * count;
                return new GgufArray(et, a);
            }
            case UINT32, INT32 -> {
                int[] a = new int[count];
                for (int i = 0; i < count; i++) a[i] = file.get(U32, pos + 4L * i);
                pos += 4L * count;
                return new GgufArray(et, a);
            }
            case UINT64, INT64 -> {
                long[] a = new long[count];
                for (int i = 0; i < count; i++) a[i] = file.get(U64, pos + 8L * i);
                pos += 8L * count;
                return new GgufArray(et, a);
            }
            case FLOAT32 -> {
                float[] a = new float[count];
                for (int i = 0; i < count; i++) a[i] = file.get(F32, pos + 4L * i);
                pos += 4L * count;
                return new GgufArray(et, a);
            }
            case FLOAT64 -> {
                double[] a = new double[count];
                for (int i = 0; i < count; i++) a[i] = file.get(F64, pos + 8L * i);
                pos += 8L * count;
                return new GgufArray(et, a);
            }
            case BOOL -> {
                boolean[] a = new boolean[count];
                for (int i = 0; i < count; i++) {
                    byte b = file.get(ValueLayout.JAVA_BYTE, pos + i);
                    if (b != 0 && b != 1) throw bad(what + " holds a bool with value " + (b & 0xff));
                    a[i] = b == 1;
                }
                pos += count;
                return new GgufArray(et, a);
            }
            case STRING -> {
                String[] a = new String[count];
                for (int i = 0; i < count; i++) a[i] = string(what + " element " + i);
                return new GgufArray(et, a);
            }
            case ARRAY -> {
                GgufArray[] a = new GgufArray[count];
                for (int i = 0; i < count; i++) a[i] = array(key, depth + 1);
                return new GgufArray(et, a);
            }
        }
        throw new AssertionError(et);
    }
}
