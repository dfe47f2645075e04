package trit.roi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import trit.TritException;

/**
 * Typed, validated reads from a parsed scenario (nested maps as JSON/YAML parsers produce them). Every
 * error names the field by its dotted path, or by the command-line flag that set it when one did.
 */
final class Fields {
    private final Map<String, ?> map;
    private final String path;
    private final Map<String, String> aliases;

    Fields(Map<String, ?> map, String path, Map<String, String> aliases) {
        this.map = map;
        this.path = path;
        this.aliases = aliases;
    }

    String name(String key) {
        String full = path.isEmpty() ? key : path + "." + key;
        return aliases.getOrDefault(full, full);
    }

    boolean has(String key) {
        return map.get(key) != null;
    }

    TritException bad(String key, String rule, Object got) {
        return new TritException(name(key) + " " + rule + ", got " + show(got));
    }

    TritException missing(String key) {
        return new TritException("missing field " + name(key));
    }

    private static String show(Object v) {
        if (v instanceof String s) return "\"" + s + "\"";
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString(d.longValue());
        return String.valueOf(v);
    }

    /** A number, or null when absent. */
    Double number(String key) {
        Object v = map.get(key);
        if (v == null) return null;
        if (!(v instanceof Number n)) throw bad(key, "must be a number", v);
        double d = n.doubleValue();
        if (!Double.isFinite(d)) throw bad(key, "must be a finite number", v);
        return d;
    }

    /** A number > 0, or null when absent. */
    Double optPositive(String key) {
        Double d = number(key);
        if (d != null && d <= 0) throw bad(key, "must be a positive number", d);
        return d;
    }

    double positive(String key) {
        Double d = optPositive(key);
        if (d == null) throw missing(key);
        return d;
    }

    /** A number >= 0, or {@code def} when absent. */
    double nonNegative(String key, double def) {
        Double d = number(key);
        if (d == null) return def;
        if (d < 0) throw bad(key, "must not be negative", d);
        return d;
    }

    /** A fraction in (0, 1], or {@code def} when absent. */
    double fraction(String key, double def) {
        Double d = number(key);
        if (d == null) return def;
        if (!(d > 0 && d <= 1)) throw bad(key, "must be in (0, 1]", d);
        return d;
    }

    String string(String key, String def) {
        Object v = map.get(key);
        if (v == null) return def;
        if (!(v instanceof String s)) throw bad(key, "must be text", v);
        return s;
    }

    List<String> strings(String key) {
        Object v = map.get(key);
        if (v == null) return List.of();
        if (v instanceof String s) return List.of(s);
        if (!(v instanceof List<?> l)) throw bad(key, "must be a list of text", v);
        List<String> out = new ArrayList<>();
        for (Object o : l) out.add(String.valueOf(o));
        return List.copyOf(out);
    }

    Fields object(String key) {
        Fields f = optObject(key);
        if (f == null) throw missing(key);
        return f;
    }

    Fields optObject(String key) {
        Object v = map.get(key);
        if (v == null) return null;
        if (!(v instanceof Map<?, ?> m)) throw bad(key, "must be an object", v);
        return new Fields(stringKeys(m), path.isEmpty() ? key : path + "." + key, aliases);
    }

    static Map<String, Object> stringKeys(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (var e : m.entrySet()) out.put(String.valueOf(e.getKey()), e.getValue());
        return out;
    }
}
