package trit.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Human-readable figures and aligned text tables. */
final class Text {
    private Text() {}

    static String bytes(long n) {
        if (n < 1024) return n + " B";
        String[] u = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int i = -1;
        while (v >= 1024 && i < u.length - 1) { v /= 1024; i++; }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : v >= 10 ? "%.1f %s" : "%.2f %s", v, u[i]);
    }

    static String count(long n) {
        if (n < 10_000) return Long.toString(n);
        String[] u = {"K", "M", "B", "T"};
        double v = n;
        int i = -1;
        while (v >= 1000 && i < u.length - 1) { v /= 1000; i++; }
        return String.format(Locale.ROOT, "%.2f %s", v, u[i]);
    }

    static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** A table whose columns are right-aligned except the first and those marked {@link #left}. */
    static final class Table {
        private final List<String[]> rows = new ArrayList<>();
        private final int columns;
        private final boolean[] left;

        Table(String... header) {
            columns = header.length;
            left = new boolean[columns];
            left[0] = true;
            rows.add(header);
        }

        /** Left-aligns the given columns (text rather than figures). */
        Table left(int... cols) {
            for (int c : cols) left[c] = true;
            return this;
        }

        Table row(Object... cells) {
            String[] r = new String[columns];
            for (int i = 0; i < columns; i++) r[i] = i < cells.length ? String.valueOf(cells[i]) : "";
            rows.add(r);
            return this;
        }

        String render(String indent) {
            int[] w = new int[columns];
            for (String[] r : rows) for (int i = 0; i < columns; i++) w[i] = Math.max(w[i], r[i].length());
            StringBuilder b = new StringBuilder();
            for (int k = 0; k < rows.size(); k++) {
                String[] r = rows.get(k);
                b.append(indent);
                for (int i = 0; i < columns; i++) {
                    if (i > 0) b.append("  ");
                    String pad = " ".repeat(w[i] - r[i].length());
                    b.append(left[i] ? r[i] + (i == columns - 1 ? "" : pad) : pad + r[i]);
                }
                b.append('\n');
            }
            return b.toString();
        }
    }
}
