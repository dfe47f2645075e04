package trit.corpus;

import java.util.ArrayList;
import java.util.List;

/**
 * Text normalisation shared by the sources. Case, spelling and punctuation are kept as printed
 * (including Project Gutenberg's {@code _italics_} underscores and {@code --} dashes); only layout
 * changes: the hard line wraps of the source are undone, so a paragraph is one line; runs of spaces
 * and tabs become one space; paragraphs are separated by one blank line.
 */
public final class Paragraphs {
    private Paragraphs() {}

    /** Collapses every run of whitespace to one space and trims the ends. */
    public static String collapse(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || c == '\u00A0') {
                space = sb.length() > 0;
            } else {
                if (space) sb.append(' ');
                space = false;
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * Paragraphs of wrapped lines: maximal runs of non-blank lines, each joined with single spaces.
     * Null lines (R's NA) count as blank.
     */
    public static List<String> of(String[] lines) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : lines) {
            String l = line == null ? "" : collapse(line);
            if (l.isEmpty()) {
                if (!cur.isEmpty()) out.add(cur.toString());
                cur.setLength(0);
            } else {
                if (!cur.isEmpty()) cur.append(' ');
                cur.append(l);
            }
        }
        if (!cur.isEmpty()) out.add(cur.toString());
        return out;
    }
}
