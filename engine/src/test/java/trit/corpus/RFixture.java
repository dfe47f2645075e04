package trit.corpus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/** Writes R serialization (XDR, version 3) by hand, item by item, for the reader's tests. */
final class RFixture {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static RFixture v3() {
        RFixture f = new RFixture();
        f.raw('X', '\n').i32(3).i32(0x040201).i32(0x030500).i32(5);
        f.out.writeBytes("UTF-8".getBytes(StandardCharsets.US_ASCII));
        return f;
    }

    RFixture raw(int... bytes) {
        for (int b : bytes) out.write(b);
        return this;
    }

    RFixture i32(int v) {
        return raw(v >>> 24, v >>> 16 & 0xFF, v >>> 8 & 0xFF, v & 0xFF);
    }

    /** A CHARSXP (null = NA), marked UTF-8. */
    RFixture chars(String s) {
        i32(9 | (8 << 12));
        if (s == null) return i32(-1);
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        i32(b.length);
        out.writeBytes(b);
        return this;
    }

    /** STRSXP header; the elements follow as {@link #chars}. */
    RFixture strsxp(int n, boolean attr) {
        return i32(16 | (attr ? 1 << 9 : 0)).i32(n);
    }

    RFixture vecsxp(int n, boolean attr) {
        return i32(19 | (attr ? 1 << 9 : 0)).i32(n);
    }

    RFixture intsxp(int... v) {
        i32(13).i32(v.length);
        for (int x : v) i32(x);
        return this;
    }

    RFixture lglsxp(int v) {
        return i32(10).i32(1).i32(v);
    }

    /** A pairlist cell with a tag; the tag is a new symbol, or a reference when {@code ref > 0}. */
    RFixture cell(String tag, int ref) {
        i32(2 | (1 << 10));
        if (ref > 0) return i32(255 | (ref << 8));
        return i32(1).chars(tag);
    }

    RFixture nil() {
        return i32(254);
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    /** {@code names = c(...)} as the attribute pairlist of the preceding vector; names symbol is new. */
    RFixture names(String... names) {
        cell("names", 0);
        strsxp(names.length, false);
        for (String n : names) chars(n);
        return nil();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(data);
        }
        return b.toByteArray();
    }

    static byte[] zlib(byte[] data) {
        Deflater d = new Deflater();
        d.setInput(data);
        d.finish();
        byte[] buf = new byte[data.length + 64];
        int n = d.deflate(buf);
        d.end();
        return java.util.Arrays.copyOf(buf, n);
    }

    /**
     * A lazy-load database {@code dir/Rdata.rdx/.rdb} holding character vectors named {@code names}
     * with contents {@code values}.
     */
    static Path lazyLoad(Path dir, String[] names, String[][] values) throws IOException {
        ByteArrayOutputStream rdb = new ByteArrayOutputStream();
        int[][] offsets = new int[names.length][];
        for (int i = 0; i < names.length; i++) {
            RFixture v = v3().strsxp(values[i].length, false);
            for (String s : values[i]) v.chars(s);
            byte[] ser = v.bytes();
            byte[] z = zlib(ser);
            int off = rdb.size();
            RFixture len = new RFixture().i32(ser.length);
            rdb.writeBytes(len.bytes());
            rdb.writeBytes(z);
            offsets[i] = new int[] {off, 4 + z.length};
        }
        // list(variables = list(name = c(off, len), ...), references = list(), compressed = TRUE)
        RFixture idx = v3().vecsxp(3, true);
        idx.vecsxp(names.length, true);
        for (int[] ol : offsets) idx.intsxp(ol);
        idx.cell("names", 0).strsxp(names.length, false);
        for (String n : names) idx.chars(n);
        idx.nil();
        idx.vecsxp(0, false);
        idx.lglsxp(1);
        idx.cell(null, 1).strsxp(3, false).chars("variables").chars("references").chars("compressed").nil();
        Files.write(dir.resolve("Rdata.rdx"), gzip(idx.bytes()));
        Files.write(dir.resolve("Rdata.rdb"), rdb.toByteArray());
        return dir.resolve("Rdata");
    }
}
