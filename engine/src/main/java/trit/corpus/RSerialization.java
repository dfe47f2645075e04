package trit.corpus;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import trit.TritException;

/**
 * Reads R's serialization format (what {@code saveRDS} and lazy-load databases hold), XDR flavour,
 * versions 2 and 3: enough of it for data — vectors, lists, pairlists, symbols, attributes and
 * references to symbols. Closures, environments' contents, bytecode and ALTREP objects are refused.
 *
 * <p>Every count is checked against the bytes left before anything is allocated, recursion is bounded,
 * and any inconsistency is a {@link TritException} naming {@code where}.
 */
public final class RSerialization {
    // special item types of the serialization format (serialize.c)
    private static final int REFSXP = 255, NILVALUE_SXP = 254, GLOBALENV_SXP = 253, UNBOUNDVALUE_SXP = 252,
            MISSINGARG_SXP = 251, BASENAMESPACE_SXP = 250, EMPTYENV_SXP = 242, BASEENV_SXP = 241,
            ATTRLANGSXP = 240, ATTRLISTSXP = 239, ALTREP_SXP = 238;
    private static final int IS_OBJECT = 1 << 8, HAS_ATTR = 1 << 9, HAS_TAG = 1 << 10;
    // CHARSXP encoding flags (the "levels" field)
    private static final int LATIN1 = 1 << 2, UTF8 = 1 << 3, BYTES = 1 << 1, ASCII = 1 << 6;
    private static final int MAX_DEPTH = 512;

    private final byte[] b;
    private final String where;
    private int pos;
    private final List<RObject> refs = new ArrayList<>();
    private int depth;

    private RSerialization(byte[] bytes, String where) {
        this.b = bytes;
        this.where = where;
    }

    /** Parses one serialized object (header included). */
    public static RObject read(byte[] bytes, String where) {
        RSerialization r = new RSerialization(bytes, where);
        r.header();
        RObject o = r.item();
        return o;
    }

    private void header() {
        if (b.length < 2) throw bad("too short for an R serialization header");
        if (b[0] != 'X' || b[1] != '\n') {
            String kind = b[0] == 'A' ? "ASCII" : b[0] == 'B' ? "native binary" : null;
            throw bad(kind != null ? "R serialization in " + kind + " format; only XDR is supported"
                    : "not R serialization data (no 'X\\n' header)");
        }
        pos = 2;
        int version = i32();
        i32(); // R version that wrote it
        i32(); // minimal R version to read it
        if (version == 3) {
            int n = i32();
            if (n < 0 || n > 64) throw bad("native encoding name of " + n + " bytes");
            need(n);
            pos += n;
        } else if (version != 2) {
            throw bad("R serialization version " + version + "; only 2 and 3 are supported");
        }
    }

    private RObject item() {
        if (++depth > MAX_DEPTH) throw bad("objects nested deeper than " + MAX_DEPTH);
        try {
            return itemUnchecked();
        } finally {
            depth--;
        }
    }

    private RObject itemUnchecked() {
        int at = pos;
        int flags = i32();
        int type = flags & 0xFF;
        boolean hasAttr = (flags & HAS_ATTR) != 0, hasTag = (flags & HAS_TAG) != 0;
        switch (type) {
            case NILVALUE_SXP:
                return RObject.NULL;
            case EMPTYENV_SXP, BASEENV_SXP, GLOBALENV_SXP, BASENAMESPACE_SXP:
                return new RObject(RObject.ENVIRONMENT, null, null, null);
            case UNBOUNDVALUE_SXP, MISSINGARG_SXP:
                return RObject.NULL;
            case REFSXP: {
                int index = flags >>> 8;
                if (index == 0) index = i32();
                if (index < 1 || index > refs.size()) {
                    throw bad("reference " + index + " at byte " + at + " to one of " + refs.size() + " earlier objects");
                }
                return refs.get(index - 1);
            }
            case RObject.SYMBOL: {
                RObject name = item();
                if (name.type() != RObject.CHAR) throw bad("symbol at byte " + at + " is not named by a string");
                RObject sym = new RObject(RObject.SYMBOL, name.value(), null, null);
                refs.add(sym);
                return sym;
            }
            case RObject.PAIRLIST, RObject.LANGUAGE, ATTRLISTSXP, ATTRLANGSXP:
                return pairlist(type == ATTRLANGSXP || type == RObject.LANGUAGE ? RObject.LANGUAGE : RObject.PAIRLIST,
                        flags, hasAttr || type == ATTRLISTSXP || type == ATTRLANGSXP, hasTag);
            case RObject.CHAR: {
                int n = i32();
                if (n == -1) return new RObject(RObject.CHAR, null, null, null);
                if (n < 0) throw bad("string of length " + n + " at byte " + at);
                need(n);
                String s = decode(flags >>> 12, n, at);
                pos += n;
                return new RObject(RObject.CHAR, s, null, null);
            }
            case RObject.LOGICAL, RObject.INTEGER: {
                int n = length(4);
                int[] v = new int[n];
                for (int i = 0; i < n; i++) v[i] = i32();
                return withAttributes(type, v, hasAttr);
            }
            case RObject.DOUBLE: {
                int n = length(8);
                double[] v = new double[n];
                for (int i = 0; i < n; i++) v[i] = Double.longBitsToDouble((long) i32() << 32 | (i32() & 0xFFFFFFFFL));
                return withAttributes(type, v, hasAttr);
            }
            case RObject.RAW: {
                int n = length(1);
                byte[] v = java.util.Arrays.copyOfRange(b, pos, pos + n);
                pos += n;
                return withAttributes(type, v, hasAttr);
            }
            case RObject.STRING: {
                int n = length(8); // each element takes at least a flags word and a length
                String[] v = new String[n];
                for (int i = 0; i < n; i++) {
                    RObject e = item();
                    if (e.type() != RObject.CHAR) throw bad("element " + i + " of a character vector is a " + e.typeName());
                    v[i] = (String) e.value();
                }
                return withAttributes(type, v, hasAttr);
            }
            case RObject.LIST, RObject.EXPRESSION: {
                int n = length(4);
                List<RObject> v = new ArrayList<>(n);
                for (int i = 0; i < n; i++) v.add(item());
                return withAttributes(type, v, hasAttr);
            }
            case ALTREP_SXP:
                throw bad("ALTREP object at byte " + at + " (compact sequences etc.) is not supported");
            default:
                throw bad("unsupported R object type " + type + " at byte " + at);
        }
    }

    /** A pairlist or call: cells of (attributes?, tag?, car, cdr), read iteratively along the cdr. */
    private RObject pairlist(int kind, int flags, boolean hasAttr, boolean hasTag) {
        List<RObject> items = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        RObject attributes = null;
        boolean first = true;
        while (true) {
            RObject attr = hasAttr ? item() : null;
            if (first) attributes = attr;
            RObject tag = hasTag ? item() : null;
            tags.add(tag != null && tag.type() == RObject.SYMBOL ? (String) tag.value() : null);
            items.add(item());
            first = false;
            // the cdr: another cell of the same list, or its end (anything else ends it too)
            int at = pos;
            int next = i32();
            int t = next & 0xFF;
            if (t == RObject.PAIRLIST || t == RObject.LANGUAGE || t == ATTRLISTSXP || t == ATTRLANGSXP) {
                hasAttr = (next & HAS_ATTR) != 0 || t == ATTRLISTSXP || t == ATTRLANGSXP;
                hasTag = (next & HAS_TAG) != 0;
                if (items.size() > b.length) throw bad("pairlist longer than the data");
                continue;
            }
            pos = at;
            RObject end = item();
            if (!end.isNull()) throw bad("pairlist at byte " + at + " ends in a " + end.typeName() + " instead of NULL");
            return new RObject(kind, items, tags, attributes);
        }
    }

    private RObject withAttributes(int type, Object value, boolean hasAttr) {
        RObject attributes = hasAttr ? item() : null;
        if (attributes != null && attributes.type() != RObject.PAIRLIST && !attributes.isNull()) {
            throw bad("attributes of a " + type + " are a " + attributes.typeName());
        }
        return new RObject(type, value, null, attributes);
    }

    /** A vector length; each element takes at least {@code minBytes}, which bounds it by the bytes left. */
    private int length(int minBytes) {
        int at = pos;
        long n = i32();
        if (n == -1) n = (long) i32() << 32 | (i32() & 0xFFFFFFFFL); // long vector
        if (n < 0 || n * minBytes > b.length - pos) {
            throw bad("vector of " + n + " elements at byte " + at + " but only " + (b.length - pos) + " bytes left");
        }
        return (int) n;
    }

    private String decode(int levels, int n, int at) {
        if ((levels & LATIN1) != 0) return new String(b, pos, n, StandardCharsets.ISO_8859_1);
        if ((levels & BYTES) != 0) throw bad("string at byte " + at + " is marked as raw bytes, not text");
        try {
            CharBuffer cb = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, pos, n));
            return cb.toString();
        } catch (CharacterCodingException e) {
            String enc = (levels & (UTF8 | ASCII)) != 0 ? "marked UTF-8" : "in the native encoding";
            throw bad("string at byte " + at + " (" + enc + ") is not valid UTF-8");
        }
    }

    private int i32() {
        need(4);
        int v = (b[pos] & 0xFF) << 24 | (b[pos + 1] & 0xFF) << 16 | (b[pos + 2] & 0xFF) << 8 | (b[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    private void need(int n) {
        if (n > b.length - pos) throw bad("truncated at byte " + pos + " (needs " + n + " more bytes, " + (b.length - pos) + " left)");
    }

    private TritException bad(String msg) {
        return new TritException(where + ": " + msg);
    }
}
