package trit.sudoku;

import trit.TritException;

/**
 * The 9x9 board: cells numbered 0..80 row by row, values 1..9, 0 for a blank. Holds the unit and peer
 * tables the solver and the symmetry code share, and the text form (81 characters, '.' or '0' blank).
 */
public final class Grid {
    public static final int CELLS = 81;
    /** The 27 units (9 rows, 9 columns, 9 boxes), each 9 cell indices. */
    static final int[][] UNITS = new int[27][9];
    /** The 20 peers of each cell (same row, column or box, itself excluded). */
    static final int[][] PEERS = new int[CELLS][20];

    static {
        for (int i = 0; i < 9; i++) {
            for (int j = 0; j < 9; j++) {
                UNITS[i][j] = i * 9 + j;
                UNITS[9 + i][j] = j * 9 + i;
                UNITS[18 + i][j] = (i / 3 * 3 + j / 3) * 9 + i % 3 * 3 + j % 3;
            }
        }
        for (int c = 0; c < CELLS; c++) {
            int n = 0;
            for (int p = 0; p < CELLS; p++) {
                if (p != c && (row(p) == row(c) || col(p) == col(c) || box(p) == box(c))) PEERS[c][n++] = p;
            }
        }
    }

    private Grid() {}

    public static int row(int cell) { return cell / 9; }
    public static int col(int cell) { return cell % 9; }
    public static int box(int cell) { return cell / 27 * 3 + cell % 9 / 3; }

    /**
     * Parses one puzzle line: exactly 81 characters, digits 1-9 for givens and '.' or '0' for blanks
     * (surrounding whitespace ignored). Throws a TritException naming what is wrong; does not check
     * that the givens are consistent (see {@link #conflict}).
     */
    public static int[] parse(String text) {
        String s = text.strip();
        if (s.length() != CELLS) throw new TritException("expected 81 cells, got " + s.length() + " characters");
        int[] g = new int[CELLS];
        for (int i = 0; i < CELLS; i++) {
            char ch = s.charAt(i);
            if (ch >= '1' && ch <= '9') g[i] = ch - '0';
            else if (ch != '.' && ch != '0') {
                throw new TritException("bad character '" + printable(ch) + "' at position " + (i + 1) + " (expected 1-9, '.' or '0')");
            }
        }
        return g;
    }

    /** A description of two equal givens in one unit, or null when the givens do not contradict each other directly. */
    public static String conflict(int[] g) {
        for (int u = 0; u < 27; u++) {
            int seen = 0;
            for (int c : UNITS[u]) {
                if (g[c] == 0) continue;
                int bit = 1 << g[c];
                if ((seen & bit) != 0) return "digit " + g[c] + " appears twice in " + unitName(u);
                seen |= bit;
            }
        }
        return null;
    }

    static String unitName(int u) {
        return (u < 9 ? "row " : u < 18 ? "column " : "box ") + (u % 9 + 1);
    }

    /** The 81-character text, '.' for blanks. */
    public static String format(int[] g) {
        char[] s = new char[CELLS];
        for (int i = 0; i < CELLS; i++) s[i] = g[i] == 0 ? '.' : (char) ('0' + g[i]);
        return new String(s);
    }

    public static int givens(int[] g) {
        int n = 0;
        for (int v : g) if (v != 0) n++;
        return n;
    }

    /** True when {@code solution} is a complete valid grid that agrees with every given of {@code puzzle}. */
    public static boolean solves(int[] puzzle, int[] solution) {
        for (int i = 0; i < CELLS; i++) {
            if (solution[i] < 1 || solution[i] > 9) return false;
            if (puzzle[i] != 0 && puzzle[i] != solution[i]) return false;
        }
        return conflict(solution) == null;
    }

    /**
     * Per cell, the digits its peers' values leave it, as bits 1..9 of a mask (bit d set: d is possible);
     * 0 for a given.
     */
    public static int[] candidates(int[] g) {
        if (g.length != CELLS) throw new TritException("expected 81 cells, got " + g.length);
        int[] candidates = new int[CELLS];
        for (int c = 0; c < CELLS; c++) {
            if (g[c] != 0) continue;
            int m = 0x3FE;
            for (int p : PEERS[c]) m &= ~(1 << g[p]);
            candidates[c] = m;
        }
        return candidates;
    }

    /** Kinds of blank cell {@link #singles} tells apart. */
    public static final int NOT_SINGLE = 0, NAKED_SINGLE = 1, HIDDEN_SINGLE = 2;

    /**
     * Which blank cells of {@code g} the two simplest deductions settle now, without looking further: a
     * naked single (one digit left after striking its peers' values) or a hidden single (the only cell of
     * a row, column or box that can still take some digit). Givens and other blanks are {@link #NOT_SINGLE};
     * a cell that is both is {@link #NAKED_SINGLE}. Does not check that {@code g} is consistent.
     */
    public static int[] singles(int[] g) {
        int[] candidates = candidates(g);
        int[] kind = new int[CELLS];
        for (int c = 0; c < CELLS; c++) if (g[c] == 0 && Integer.bitCount(candidates[c]) == 1) kind[c] = NAKED_SINGLE;
        for (int[] unit : UNITS) {
            for (int d = 1; d <= 9; d++) {
                int places = 0, at = -1;
                for (int c : unit) {
                    if ((candidates[c] >> d & 1) != 0) {
                        places++;
                        at = c;
                    }
                }
                if (places == 1 && kind[at] == NOT_SINGLE) kind[at] = HIDDEN_SINGLE;
            }
        }
        return kind;
    }

    private static String printable(char ch) {
        return ch >= 0x20 && ch < 0x7f ? String.valueOf(ch) : String.format("\\u%04x", (int) ch);
    }
}
