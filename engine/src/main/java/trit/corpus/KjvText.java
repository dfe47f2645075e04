package trit.corpus;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import trit.TritException;

/**
 * The King James Bible as Debian's bible-kjv-text stores it ({@code /usr/lib/bible.data}, the Bible
 * Retrieval System's "EC02" file): an 84-byte header ("EC", version "02", an 80-byte description),
 * big-endian window size and window count, a table of count + 1 file offsets, then each window of the
 * text compressed on its own with {@link Lzw} (16-bit codes). The text is one verse per line,
 * {@code Ge1:1 In the beginning ...}, after a one-line title.
 */
public final class KjvText {
    /** One verse: its book (as the file abbreviates it), chapter and verse numbers, and its text. */
    public record Verse(String book, int chapter, int verse, String text) {}

    private static final int HEADER = 84;
    private static final int MAX_BITS = 16;

    private KjvText() {}

    /** The uncompressed text of the file. */
    public static String text(Path file) {
        return text(RLazyLoad.readAll(file), file.toString());
    }

    static String text(byte[] d, String where) {
        if (d.length < HEADER + 8 || d[0] != 'E' || d[1] != 'C') {
            throw new TritException(where + ": not a Bible Retrieval System data file (no 'EC' header)");
        }
        if (d[2] != '0' || d[3] != '2') {
            throw new TritException(where + ": data file version '" + (char) d[2] + (char) d[3] + "', only '02' is supported");
        }
        int wsize = i32(d, HEADER), wnum = i32(d, HEADER + 4);
        if (wsize < 1024 || wsize > 1 << 24) throw new TritException(where + ": window size " + wsize + " is implausible");
        long tableEnd = HEADER + 8 + 4L * (wnum + 1L);
        if (wnum < 1 || tableEnd > d.length) throw new TritException(where + ": " + wnum + " windows do not fit in " + d.length + " bytes");
        int[] start = new int[wnum + 1];
        for (int w = 0; w <= wnum; w++) {
            start[w] = i32(d, HEADER + 8 + 4 * w);
            if (start[w] < tableEnd || start[w] > d.length || (w > 0 && start[w] < start[w - 1])) {
                throw new TritException(where + ": window " + w + " starts at " + start[w] + ", outside the data");
            }
        }
        if ((long) wsize * wnum > 256L << 20) throw new TritException(where + ": text of " + (long) wsize * wnum + " bytes is implausible");
        StringBuilder sb = new StringBuilder(wsize * wnum);
        for (int w = 0; w < wnum; w++) {
            byte[] win = Lzw.decode(d, start[w], start[w + 1], MAX_BITS, wsize, where + " window " + w);
            if (win.length != wsize && w != wnum - 1) {
                throw new TritException(where + ": window " + w + " decodes to " + win.length + " bytes, not " + wsize);
            }
            for (byte b : win) {
                if (b < 0) throw new TritException(where + ": window " + w + " holds a non-ASCII byte (corrupt or not the KJV text)");
            }
            sb.append(new String(win, StandardCharsets.US_ASCII));
        }
        return sb.toString();
    }

    /** The verses of the file, in order. */
    public static List<Verse> verses(Path file) {
        return verses(text(file), file.toString());
    }

    static List<Verse> verses(String text, String where) {
        String[] lines = text.split("\n", -1);
        List<Verse> out = new ArrayList<>(32000);
        for (int i = 1; i < lines.length; i++) { // line 0 is the title
            String line = lines[i];
            if (line.isEmpty()) continue;
            out.add(parse(line, i + 1, where));
        }
        if (out.isEmpty()) throw new TritException(where + ": no verses");
        return out;
    }

    /** {@code Book<chapter>:<verse> <text>}, the book being letters after an optional digit (1Sm, SSol). */
    private static Verse parse(String line, int lineNo, String where) {
        int i = 0;
        if (i < line.length() && Character.isDigit(line.charAt(i))) i++;
        while (i < line.length() && isAsciiLetter(line.charAt(i))) i++;
        String book = line.substring(0, i);
        int colon = line.indexOf(':', i);
        int space = line.indexOf(' ', i);
        if (book.isEmpty() || colon < 0 || space < colon) throw badLine(where, lineNo, line);
        int chapter = number(line.substring(i, colon), where, lineNo, line);
        int verse = number(line.substring(colon + 1, space), where, lineNo, line);
        return new Verse(book, chapter, verse, line.substring(space + 1));
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static int number(String s, String where, int lineNo, String line) {
        if (s.isEmpty() || s.length() > 4) throw badLine(where, lineNo, line);
        for (int k = 0; k < s.length(); k++) if (!Character.isDigit(s.charAt(k))) throw badLine(where, lineNo, line);
        return Integer.parseInt(s);
    }

    private static TritException badLine(String where, int lineNo, String line) {
        String shown = line.length() > 40 ? line.substring(0, 40) + "..." : line;
        return new TritException(where + ": line " + lineNo + " is not a verse ('" + shown + "')");
    }

    private static int i32(byte[] d, int at) {
        return (d[at] & 0xFF) << 24 | (d[at + 1] & 0xFF) << 16 | (d[at + 2] & 0xFF) << 8 | (d[at + 3] & 0xFF);
    }
}
