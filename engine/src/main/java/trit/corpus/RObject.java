package trit.corpus;

import java.util.List;

/**
 * One value read from R's serialization format: its SEXP type, its payload and its attributes.
 * Payloads: {@code String[]} for character vectors (NA as null), {@code int[]} for integer and logical
 * vectors, {@code double[]} for doubles, {@code byte[]} for raw vectors, {@code List<RObject>} for
 * generic vectors and for pairlists (whose tags are in {@link #tags}), a {@code String} for symbols and
 * single CHARSXPs, null for NULL and for the environments this reader only names.
 */
public record RObject(int type, Object value, List<String> tags, RObject attributes) {
    public static final int NIL = 0, SYMBOL = 1, PAIRLIST = 2, ENVIRONMENT = 4, LANGUAGE = 6, CHAR = 9,
            LOGICAL = 10, INTEGER = 13, DOUBLE = 14, STRING = 16, LIST = 19, EXPRESSION = 20, RAW = 24;

    static final RObject NULL = new RObject(NIL, null, null, null);

    public boolean isNull() {
        return type == NIL;
    }

    /** The element named {@code name} of a list (by its {@code names} attribute) or pairlist (by tag), or null. */
    public RObject get(String name) {
        List<RObject> items = items();
        if (items == null) return null;
        List<String> names = type == PAIRLIST || type == LANGUAGE ? tags : namesOrNull();
        if (names == null) return null;
        for (int i = 0; i < Math.min(names.size(), items.size()); i++) {
            if (name.equals(names.get(i))) return items.get(i);
        }
        return null;
    }

    /** The {@code names} attribute, or null. */
    public List<String> namesOrNull() {
        RObject n = attributes == null ? null : attributes.get("names");
        return n != null && n.value instanceof String[] s ? List.of(nonNull(s)) : null;
    }

    private static String[] nonNull(String[] s) {
        String[] out = s.clone();
        for (int i = 0; i < out.length; i++) if (out[i] == null) out[i] = "NA";
        return out;
    }

    @SuppressWarnings("unchecked")
    public List<RObject> items() {
        return value instanceof List<?> l ? (List<RObject>) l : null;
    }

    public String[] strings() {
        return value instanceof String[] s ? s : null;
    }

    public int[] ints() {
        return value instanceof int[] i ? i : null;
    }

    public String typeName() {
        return switch (type) {
            case NIL -> "NULL";
            case SYMBOL -> "symbol";
            case PAIRLIST -> "pairlist";
            case ENVIRONMENT -> "environment";
            case LANGUAGE -> "call";
            case CHAR -> "CHARSXP";
            case LOGICAL -> "logical vector";
            case INTEGER -> "integer vector";
            case DOUBLE -> "double vector";
            case STRING -> "character vector";
            case LIST -> "list";
            case EXPRESSION -> "expression vector";
            case RAW -> "raw vector";
            default -> "SEXP type " + type;
        };
    }
}
