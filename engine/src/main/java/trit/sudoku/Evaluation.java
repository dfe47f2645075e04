package trit.sudoku;

import java.util.ArrayList;
import java.util.List;

/**
 * Scores predicted grids against a dataset: exact match (all 81 cells right, Sudoku-Extreme's measure)
 * and per-cell accuracy, both over all 81 cells and over the blank cells only (givens are easy to copy),
 * overall and per difficulty bucket; and the accuracy on the blank cells a naked or hidden single settles
 * in the puzzle as given ({@link Grid#singles}), the deductions a solver makes first. A missing or malformed prediction counts as wrong everywhere.
 */
public final class Evaluation {
    /** Bucket lower bounds on the rating scale (mean guesses of {@link Rater}). */
    public static final double[] BUCKETS = {0, 1, 4, 16, 64};

    public static final class Score {
        public final String name;
        public int puzzles, exact;
        public long cells, cellsRight, blanks, blanksRight, singles, singlesRight;

        Score(String name) {
            this.name = name;
        }

        public double exactRate() { return puzzles == 0 ? Double.NaN : (double) exact / puzzles; }
        public double cellAccuracy() { return cells == 0 ? Double.NaN : (double) cellsRight / cells; }
        public double blankAccuracy() { return blanks == 0 ? Double.NaN : (double) blanksRight / blanks; }
        public double singleAccuracy() { return singles == 0 ? Double.NaN : (double) singlesRight / singles; }

        void add(int[] q, int[] a, int[] predicted) {
            puzzles++;
            int right = 0, blanksHere = 0, blanksOk = 0;
            int[] kind = Grid.singles(q);
            for (int c = 0; c < Grid.CELLS; c++) {
                boolean ok = predicted != null && predicted[c] == a[c];
                if (ok) right++;
                if (q[c] == 0) {
                    blanksHere++;
                    if (ok) blanksOk++;
                }
                if (kind[c] != Grid.NOT_SINGLE) {
                    singles++;
                    if (ok) singlesRight++;
                }
            }
            if (right == Grid.CELLS) exact++;
            cells += Grid.CELLS;
            cellsRight += right;
            blanks += blanksHere;
            blanksRight += blanksOk;
        }
    }

    public record Result(Score overall, List<Score> buckets, int missing) {}

    /** Bucket label of a rating, e.g. "4-16" or "64+". */
    public static String bucket(double rating) {
        for (int i = BUCKETS.length - 1; i >= 0; i--) {
            if (rating >= BUCKETS[i]) return i == BUCKETS.length - 1 ? fmt(BUCKETS[i]) + "+" : fmt(BUCKETS[i]) + "-" + fmt(BUCKETS[i + 1]);
        }
        return "unrated";
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    /**
     * Scores {@code predictions.get(i)} against {@code rows.get(i)}; a null entry (or a list shorter than
     * the dataset) is a missing prediction.
     */
    public static Result score(List<Dataset.Row> rows, List<int[]> predictions) {
        Score overall = new Score("all");
        List<Score> buckets = new ArrayList<>();
        for (int i = 0; i < BUCKETS.length; i++) buckets.add(new Score(bucket(BUCKETS[i])));
        Score unrated = new Score("unrated");
        int missing = 0;
        for (int i = 0; i < rows.size(); i++) {
            Dataset.Row r = rows.get(i);
            int[] p = i < predictions.size() ? predictions.get(i) : null;
            if (p == null) missing++;
            overall.add(r.q(), r.a(), p);
            Score b = unrated;
            if (!Double.isNaN(r.rating())) {
                for (int k = BUCKETS.length - 1; k >= 0; k--) {
                    if (r.rating() >= BUCKETS[k]) {
                        b = buckets.get(k);
                        break;
                    }
                }
            }
            b.add(r.q(), r.a(), p);
        }
        if (unrated.puzzles > 0) buckets.add(unrated);
        buckets.removeIf(s -> s.puzzles == 0);
        return new Result(overall, buckets, missing);
    }
}
