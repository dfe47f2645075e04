package trit.gguf;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed GGUF file: metadata in file order, tensor infos, and the tensor data memory-mapped
 * read-only. Tensor segments stay valid until {@link #close()}.
 */
public final class GgufFile implements AutoCloseable {
    public static final int DEFAULT_ALIGNMENT = 32;

    private final Path path;
    private final int version;
    private final int alignment;
    private final long dataOffset;
    private final long fileSize;
    private final Map<String, GgufValue> metadata;
    private final List<GgufTensor> tensors;
    private final Map<String, GgufTensor> byName;
    private final Arena arena;

    GgufFile(Path path, int version, int alignment, long dataOffset, long fileSize,
             LinkedHashMap<String, GgufValue> metadata, List<GgufTensor> tensors, Arena arena) {
        this.path = path;
        this.version = version;
        this.alignment = alignment;
        this.dataOffset = dataOffset;
        this.fileSize = fileSize;
        this.metadata = Collections.unmodifiableMap(metadata);
        this.tensors = List.copyOf(tensors);
        LinkedHashMap<String, GgufTensor> m = new LinkedHashMap<>();
        for (GgufTensor t : tensors) m.put(t.name(), t);
        this.byName = Collections.unmodifiableMap(m);
        this.arena = arena;
    }

    /** Opens and validates a GGUF file; throws {@link GgufException} naming the file on any defect. */
    public static GgufFile open(Path path) {
        return GgufReader.read(path);
    }

    /**
     * A GGUF image held in memory (e.g. a synthetic model that is never written to disk); {@code label}
     * names it in messages, {@code arena} (may be null) is closed with the file.
     */
    public static GgufFile fromMemory(String label, java.lang.foreign.MemorySegment bytes, Arena arena) {
        return GgufReader.read(label, bytes, arena);
    }

    public Path path() { return path; }
    public int version() { return version; }
    public int alignment() { return alignment; }
    public long dataOffset() { return dataOffset; }
    public long fileSize() { return fileSize; }
    public Map<String, GgufValue> metadata() { return metadata; }
    public List<GgufTensor> tensors() { return tensors; }

    public GgufTensor tensor(String name) {
        return byName.get(name);
    }

    public GgufValue get(String key) {
        return metadata.get(key);
    }

    /** {@code general.architecture}, or "unknown". */
    public String architecture() {
        GgufValue v = metadata.get("general.architecture");
        return v != null && v.type() == GgufValueType.STRING ? v.asString() : "unknown";
    }

    public String getString(String key, String fallback) {
        GgufValue v = metadata.get(key);
        return v != null && v.type() == GgufValueType.STRING ? v.asString() : fallback;
    }

    public long getLong(String key, long fallback) {
        GgufValue v = metadata.get(key);
        return v != null && (v.type().isInteger() || v.type() == GgufValueType.BOOL) ? v.asLong() : fallback;
    }

    public double getDouble(String key, double fallback) {
        GgufValue v = metadata.get(key);
        return v != null && (v.type().isInteger() || v.type() == GgufValueType.FLOAT32
                || v.type() == GgufValueType.FLOAT64) ? v.asDouble() : fallback;
    }

    /** Total number of tensor elements (the parameter count). */
    public long parameterCount() {
        long n = 0;
        for (GgufTensor t : tensors) n += t.elements();
        return n;
    }

    /** Bytes of tensor data, padding excluded. */
    public long tensorBytes() {
        long n = 0;
        for (GgufTensor t : tensors) n += t.bytes();
        return n;
    }

    /** Unmaps the file; tensor segments must not be used afterwards. */
    @Override
    public void close() {
        if (arena != null) arena.close();
    }
}
