package trit.sudoku;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Summary of a set of ratings: mean, quantiles, counts per {@link Evaluation#BUCKETS} bucket, shares above thresholds. */
public record RatingStats(int count, double mean, double median, double p90, double max, Map<String, Integer> histogram,
                          Map<String, Double> shareAtLeast) {
    public static final double[] THRESHOLDS = {1, 4, 10, 16, 20, 32, 64};

    public static RatingStats of(double[] ratings) {
        double[] r = ratings.clone();
        Arrays.sort(r);
        int n = r.length;
        Map<String, Integer> hist = new LinkedHashMap<>();
        for (double b : Evaluation.BUCKETS) hist.put(Evaluation.bucket(b), 0);
        for (double x : r) hist.merge(Evaluation.bucket(x), 1, Integer::sum);
        Map<String, Double> share = new LinkedHashMap<>();
        for (double t : THRESHOLDS) {
            int at = 0;
            for (double x : r) if (x >= t) at++;
            share.put(">=" + (long) t, n == 0 ? Double.NaN : (double) at / n);
        }
        return new RatingStats(n, n == 0 ? Double.NaN : Arrays.stream(r).average().orElse(Double.NaN), quantile(r, 0.5), quantile(r, 0.9),
                n == 0 ? Double.NaN : r[n - 1], hist, share);
    }

    private static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) return Double.NaN;
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", count);
        m.put("mean", mean);
        m.put("median", median);
        m.put("p90", p90);
        m.put("max", max);
        m.put("histogram", histogram);
        m.put("share_at_least", shareAtLeast);
        return m;
    }

    /** One line: mean, median, p90, max and the shares at 16 and 64. */
    public String line() {
        return String.format("%d puzzles, rating mean %.1f, median %.1f, p90 %.1f, max %.1f; >=16: %.0f%%, >=64: %.1f%%", count, mean, median, p90, max,
                100 * shareAtLeast.get(">=16"), 100 * shareAtLeast.get(">=64"));
    }
}
