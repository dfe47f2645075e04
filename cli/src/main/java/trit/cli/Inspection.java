package trit.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import trit.gguf.GgufArray;
import trit.gguf.GgufFile;
import trit.gguf.GgufTensor;
import trit.gguf.GgufValue;
import trit.gguf.GgufValueType;
import trit.tensor.GgmlType;
import trit.tensor.Formats;
import trit.tensor.TensorFormat;

/** What `trit inspect` reports about a GGUF file, as text or as one JSON object. */
final class Inspection {
    /** Per-type totals. */
    static final class TypeTotals {
        int tensors;
        long parameters;
        long bytes;
        long zeros = -1; // counted only on request (ternary types)

        double bitsPerWeight() {
            return parameters == 0 ? 0 : 8.0 * bytes / parameters;
        }
    }

    final GgufFile file;
    final Map<GgmlType, TypeTotals> byType = new TreeMap<>();
    final long parameters;
    final long tensorBytes;

    Inspection(GgufFile file, boolean countZeros) {
        this.file = file;
        for (GgufTensor t : file.tensors()) {
            TypeTotals s = byType.computeIfAbsent(t.type(), k -> new TypeTotals());
            s.tensors++;
            s.parameters += t.elements();
            s.bytes += t.bytes();
            if (countZeros && t.type().isTernary()) {
                if (s.zeros < 0) s.zeros = 0;
                s.zeros += countZeros(t);
            }
        }
        this.parameters = file.parameterCount();
        this.tensorBytes = file.tensorBytes();
    }

    double bitsPerWeight() {
        return parameters == 0 ? 0 : 8.0 * tensorBytes / parameters;
    }

    /** Bytes that must be resident to run the model: the mapped tensor data plus the header. */
    long memoryToLoad() {
        return file.dataOffset() + tensorBytes;
    }

    String text(boolean allMetadata) {
        StringBuilder b = new StringBuilder();
        b.append(file.path()).append(": GGUF v").append(file.version()).append(", ").append(file.architecture())
                .append(", ").append(Text.bytes(file.fileSize())).append('\n');
        String name = file.getString("general.name", null);
        if (name != null) b.append("  name          ").append(name).append('\n');
        b.append("  parameters    ").append(Text.grouped(parameters)).append(" (").append(Text.count(parameters)).append(")\n");
        b.append("  tensor data   ").append(Text.bytes(tensorBytes)).append(", ")
                .append(Text.fixed(bitsPerWeight(), 3)).append(" bits/weight\n");
        b.append("  memory to load ").append(Text.bytes(memoryToLoad()))
                .append(" (weights, memory-mapped; the KV cache comes on top)\n");

        b.append("\nmetadata (").append(file.metadata().size()).append(" keys)\n");
        Text.Table mt = new Text.Table("key", "type", "value").left(1, 2);
        int shown = 0;
        for (Map.Entry<String, GgufValue> e : file.metadata().entrySet()) {
            if (!allMetadata && shown++ >= 40) {
                mt.row("... " + (file.metadata().size() - 40) + " more (--all-metadata)", "", "");
                break;
            }
            GgufValue v = e.getValue();
            mt.row(e.getKey(), v.type().name().toLowerCase(), v.display());
        }
        b.append(mt.render("  "));

        b.append("\ntensors (").append(file.tensors().size()).append(")\n");
        Text.Table tt = new Text.Table("name", "type", "shape", "bytes").left(1);
        for (GgufTensor t : file.tensors()) tt.row(t.name(), t.type().label(), shape(t.shape()), Text.grouped(t.bytes()));
        b.append(tt.render("  "));

        b.append("\nby type\n");
        b.append(typeTable().render("  "));
        return b.toString();
    }

    Text.Table typeTable() {
        boolean zeros = byType.values().stream().anyMatch(s -> s.zeros >= 0);
        Text.Table ty = zeros ? new Text.Table("type", "tensors", "parameters", "bytes", "bits/weight", "zeros")
                : new Text.Table("type", "tensors", "parameters", "bytes", "bits/weight");
        for (Map.Entry<GgmlType, TypeTotals> e : byType.entrySet()) {
            TypeTotals s = e.getValue();
            ty.row(e.getKey().label(), s.tensors, Text.grouped(s.parameters), Text.grouped(s.bytes),
                    Text.fixed(s.bitsPerWeight(), 4), s.zeros >= 0 ? Text.fixed(100.0 * s.zeros / s.parameters, 1) + "%" : "");
        }
        ty.row("total", file.tensors().size(), Text.grouped(parameters), Text.grouped(tensorBytes),
                Text.fixed(bitsPerWeight(), 4), "");
        return ty;
    }

    Map<String, Object> json() {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("file", file.path().toString());
        j.put("gguf_version", file.version());
        j.put("architecture", file.architecture());
        j.put("name", file.getString("general.name", null));
        j.put("file_bytes", file.fileSize());
        j.put("alignment", file.alignment());
        j.put("parameters", parameters);
        j.put("tensor_bytes", tensorBytes);
        j.put("bits_per_weight", bitsPerWeight());
        j.put("memory_bytes", memoryToLoad());
        Map<String, Object> types = new LinkedHashMap<>();
        for (Map.Entry<GgmlType, TypeTotals> e : byType.entrySet()) {
            TypeTotals s = e.getValue();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("tensors", s.tensors);
            m.put("parameters", s.parameters);
            m.put("bytes", s.bytes);
            m.put("bits_per_weight", s.bitsPerWeight());
            if (s.zeros >= 0) m.put("zero_fraction", (double) s.zeros / s.parameters);
            types.put(e.getKey().label(), m);
        }
        j.put("types", types);
        Map<String, Object> meta = new LinkedHashMap<>();
        for (Map.Entry<String, GgufValue> e : file.metadata().entrySet()) meta.put(e.getKey(), jsonValue(e.getValue()));
        j.put("metadata", meta);
        List<Object> tensors = new ArrayList<>();
        for (GgufTensor t : file.tensors()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", t.name());
            m.put("type", t.type().label());
            m.put("shape", t.shape());
            m.put("elements", t.elements());
            m.put("bytes", t.bytes());
            m.put("offset", t.offset());
            tensors.add(m);
        }
        j.put("tensors", tensors);
        return j;
    }

    /** Scalars as themselves; arrays as {type, length} plus the values when short. */
    private static Object jsonValue(GgufValue v) {
        if (v.type() == GgufValueType.ARRAY) {
            GgufArray a = v.asArray();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "array");
            m.put("element_type", a.elementType().name().toLowerCase());
            m.put("length", a.length());
            if (a.length() <= 16 && !(a.values() instanceof GgufArray[])) m.put("values", a.values());
            return m;
        }
        return switch (v.type()) {
            case UINT8, UINT16, UINT32, INT8, INT16, INT32, INT64 -> v.asLong();
            case UINT64 -> v.display();
            case FLOAT32, FLOAT64 -> v.asDouble();
            case BOOL -> v.asLong() != 0;
            default -> v.value();
        };
    }

    /** Zero weights of a tensor, decoded a slice at a time so that huge tensors need no huge array. */
    static long countZeros(GgufTensor t) {
        TensorFormat f = Formats.of(t.type());
        int chunk = Math.max(t.type().blockSize(), (1 << 20) / t.type().blockSize() * t.type().blockSize());
        float[] buf = new float[chunk];
        long zeros = 0;
        for (long first = 0; first < t.elements(); first += chunk) {
            int n = (int) Math.min(chunk, t.elements() - first);
            f.dequantize(t.data(), first, buf, 0, n);
            for (int i = 0; i < n; i++) if (buf[i] == 0) zeros++;
        }
        return zeros;
    }

    static String shape(long[] s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length; i++) b.append(i > 0 ? " x " : "").append(s[i]);
        return b.toString();
    }

}
