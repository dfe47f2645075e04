package trit.sudoku;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import trit.TritException;

/**
 * Reads puzzle files for every sudoku command: either one 81-character puzzle per line ('.' or '0'
 * blank), or a dataset CSV whose header names the columns {@code q} (puzzle) and optionally {@code a}
 * (answer), {@code rating}, {@code source} (Sudoku-Extreme's layout is {@code source,q,a,rating}).
 * A name ending in .gz is gunzipped. Blank lines and lines starting with '#' are skipped. A bad line
 * does not stop the file: it comes back as an entry with an error.
 */
public final class PuzzleFile {
    private PuzzleFile() {}

    /**
     * One line: {@code puzzle} is null exactly when {@code error} is set; {@code answer} and
     * {@code rating} are null when the file has no such column.
     */
    public record Entry(int line, String text, int[] puzzle, int[] answer, Double rating, String source, String error) {
        public boolean ok() { return error == null; }
    }

    public static List<Entry> read(Path file) throws IOException {
        try (BufferedReader r = open(file)) {
            List<Entry> out = new ArrayList<>();
            String first = null;
            int lineNo = 0;
            int[] columns = null; // q, a, rating, source indices, -1 when absent
            int width = 0;
            for (String line; (line = r.readLine()) != null; ) {
                lineNo++;
                String s = line.strip();
                if (s.isEmpty() || s.startsWith("#")) continue;
                if (first == null) {
                    first = s;
                    if (s.contains(",") && !looksLikePuzzle(s.split(",", -1)[0]) && hasColumn(s, "q")) {
                        String[] names = s.split(",", -1);
                        columns = new int[] {index(names, "q"), index(names, "a"), index(names, "rating"), index(names, "source")};
                        width = names.length;
                        continue;
                    }
                }
                out.add(columns == null ? plain(lineNo, s) : csv(lineNo, s, columns, width));
            }
            return out;
        }
    }

    private static BufferedReader open(Path file) throws IOException {
        var in = Files.newInputStream(file);
        try {
            return new BufferedReader(new InputStreamReader(file.toString().endsWith(".gz") ? new GZIPInputStream(in) : in,
                    StandardCharsets.UTF_8));
        } catch (IOException e) {
            in.close();
            throw new IOException(file + ": not a gzip file", e);
        }
    }

    private static Entry plain(int lineNo, String s) {
        try {
            return new Entry(lineNo, s, Grid.parse(s), null, null, null, null);
        } catch (TritException e) {
            return new Entry(lineNo, s, null, null, null, null, e.getMessage());
        }
    }

    private static Entry csv(int lineNo, String s, int[] col, int width) {
        String[] f = s.split(",", -1);
        if (f.length != width) return new Entry(lineNo, s, null, null, null, null, "expected " + width + " fields, got " + f.length);
        String source = col[3] < 0 ? null : f[col[3]];
        try {
            int[] q = Grid.parse(f[col[0]]);
            int[] a = null;
            if (col[1] >= 0) {
                try {
                    a = Grid.parse(f[col[1]]);
                } catch (TritException e) {
                    throw new TritException("answer: " + e.getMessage());
                }
            }
            Double rating = null;
            if (col[2] >= 0 && !f[col[2]].isBlank()) {
                try {
                    rating = Double.parseDouble(f[col[2]].strip());
                } catch (NumberFormatException e) {
                    throw new TritException("rating is not a number: " + f[col[2]]);
                }
            }
            return new Entry(lineNo, f[col[0]], q, a, rating, source, null);
        } catch (TritException e) {
            return new Entry(lineNo, s, null, null, null, source, e.getMessage());
        }
    }

    private static boolean looksLikePuzzle(String s) {
        return s.strip().length() == Grid.CELLS;
    }

    private static boolean hasColumn(String header, String name) {
        return index(header.split(",", -1), name) >= 0;
    }

    private static int index(String[] names, String name) {
        for (int i = 0; i < names.length; i++) if (names[i].strip().equalsIgnoreCase(name)) return i;
        return -1;
    }
}
