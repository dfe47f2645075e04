package trit.corpus;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import trit.TritException;

/**
 * An R lazy-load database, as installed packages keep their data ({@code data/Rdata.rdx} + {@code .rdb}):
 * the index is a gzip-compressed serialized list whose {@code variables} element maps each object's
 * name to (offset, length) in the {@code .rdb} file; each record there is a 4-byte big-endian
 * uncompressed length followed by the zlib-compressed serialization of the object.
 */
public final class RLazyLoad {
    /** The largest record inflated (an R data set that big is not prose). */
    private static final int MAX_RECORD = 256 << 20;

    private final Path rdb;
    private final byte[] data;
    private final Map<String, long[]> variables;
    private final int compression;

    private RLazyLoad(Path rdb, byte[] data, Map<String, long[]> variables, int compression) {
        this.rdb = rdb;
        this.data = data;
        this.variables = variables;
        this.compression = compression;
    }

    /** Opens {@code base.rdx} / {@code base.rdb}, e.g. {@code .../janeaustenr/data/Rdata}. */
    public static RLazyLoad open(Path base) {
        Path rdx = base.resolveSibling(base.getFileName() + ".rdx");
        Path rdb = base.resolveSibling(base.getFileName() + ".rdb");
        byte[] index = gunzip(readAll(rdx), rdx);
        RObject root = RSerialization.read(index, rdx.toString());
        RObject vars = root.get("variables");
        if (vars == null || vars.items() == null) throw new TritException(rdx + ": no 'variables' list in the index");
        List<String> names = vars.namesOrNull();
        if (names == null || names.size() != vars.items().size()) throw new TritException(rdx + ": 'variables' has no names");
        Map<String, long[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            int[] ol = vars.items().get(i).ints();
            if (ol == null || ol.length != 2 || ol[0] < 0 || ol[1] < 4) {
                throw new TritException(rdx + ": entry '" + names.get(i) + "' is not an (offset, length) pair");
            }
            entries.put(names.get(i), new long[] {ol[0], ol[1]});
        }
        RObject comp = root.get("compressed");
        int compression = 1;
        if (comp != null && comp.ints() != null && comp.ints().length == 1) compression = comp.ints()[0];
        else if (comp != null && comp.value() instanceof double[] d && d.length == 1) compression = (int) d[0];
        if (compression != 1 && compression != 3) {
            throw new TritException(rdx + ": records compressed with method " + compression
                    + " (bzip2); only zlib (1) and type-tagged zlib/uncompressed (3) are supported");
        }
        return new RLazyLoad(rdb, readAll(rdb), entries, compression);
    }

    /** Names of the objects, in index order. */
    public List<String> names() {
        return List.copyOf(variables.keySet());
    }

    /** The object called {@code name}. */
    public RObject get(String name) {
        long[] ol = variables.get(name);
        if (ol == null) throw new TritException(rdb + ": no object '" + name + "' (has: " + String.join(", ", names()) + ")");
        String where = rdb + " [" + name + "]";
        if (ol[0] + ol[1] > data.length) {
            throw new TritException(where + ": record at " + ol[0] + " of " + ol[1] + " bytes runs past the end (" + data.length + ")");
        }
        int off = (int) ol[0], len = (int) ol[1];
        long size = (data[off] & 0xFFL) << 24 | (data[off + 1] & 0xFF) << 16 | (data[off + 2] & 0xFF) << 8 | (data[off + 3] & 0xFF);
        if (size > MAX_RECORD) throw new TritException(where + ": record claims " + size + " bytes uncompressed");
        int from = off + 4, n = len - 4;
        byte[] raw;
        if (compression == 3) {
            if (n < 1) throw new TritException(where + ": empty record");
            byte tag = data[from];
            from++;
            n--;
            if (tag == '0') {
                if (n != size) throw new TritException(where + ": stored record of " + n + " bytes, header says " + size);
                raw = java.util.Arrays.copyOfRange(data, from, from + n);
            } else if (tag == 'Z') {
                raw = inflate(from, n, (int) size, where);
            } else {
                throw new TritException(where + ": record compressed with '" + (char) tag + "' (only zlib 'Z' and '0' are supported)");
            }
        } else {
            raw = inflate(from, n, (int) size, where);
        }
        return RSerialization.read(raw, where);
    }

    /** The character vector called {@code name} (NA elements as null). */
    public String[] strings(String name) {
        RObject o = get(name);
        if (o.strings() == null) throw new TritException(rdb + " [" + name + "]: a " + o.typeName() + ", expected a character vector");
        return o.strings();
    }

    private byte[] inflate(int from, int n, int size, String where) {
        Inflater inf = new Inflater();
        try {
            inf.setInput(data, from, n);
            byte[] out = new byte[size];
            int got = 0;
            while (got < size) {
                int k = inf.inflate(out, got, size - got);
                if (k == 0 && (inf.finished() || inf.needsInput() || inf.needsDictionary())) break;
                got += k;
            }
            if (got != size || !inf.finished()) {
                throw new TritException(where + ": zlib record inflates to " + (inf.finished() ? got : "more than " + got)
                        + " bytes, header says " + size);
            }
            return out;
        } catch (DataFormatException e) {
            throw new TritException(where + ": corrupt zlib data (" + e.getMessage() + ")");
        } finally {
            inf.end();
        }
    }

    static byte[] gunzip(byte[] bytes, Path where) {
        if (bytes.length >= 2 && bytes[0] == 'X' && bytes[1] == '\n') return bytes; // stored uncompressed
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            for (int k; (k = in.read(buf)) > 0; ) {
                out.write(buf, 0, k);
                if (out.size() > MAX_RECORD) throw new TritException(where + ": inflates past " + MAX_RECORD + " bytes");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new TritException(where + ": not a gzip-compressed R object (" + e.getMessage() + ")");
        }
    }

    static byte[] readAll(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            throw new TritException(p + ": no such file");
        } catch (IOException e) {
            throw new TritException(p + ": cannot read (" + e.getMessage() + ")");
        }
    }
}
