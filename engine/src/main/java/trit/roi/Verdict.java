package trit.roi;

import java.util.Locale;

/**
 * The rule of thumb: more than $1,000 of compute per $10,000 of value is unsustainable, i.e. a
 * compute-to-value ratio above 0.1. The margin says how far the figures may move before the verdict flips.
 *
 * @param headroom threshold / ratio: above 1, compute may grow this many times before it crosses the
 *                 line; below 1, it must shrink by 1/headroom (or value grow by as much) to reach it
 */
public record Verdict(double ratio, boolean sustainable, double headroom, double maxCostPerOutput, double requiredValuePerOutput) {
    public static final double THRESHOLD = 0.1;

    public static Verdict of(double costPerOutput, double valuePerOutput) {
        double ratio = costPerOutput / valuePerOutput;
        return new Verdict(ratio, ratio <= THRESHOLD, THRESHOLD / ratio, valuePerOutput * THRESHOLD, costPerOutput / THRESHOLD);
    }

    public String word() {
        return sustainable ? "sustainable" : "unsustainable";
    }

    /** One sentence: the verdict and its margin. */
    public String explain() {
        if (sustainable) {
            return String.format(Locale.ROOT, "sustainable: compute is %s of value (limit 10%%); it could grow %.1fx before crossing",
                    percent(ratio), headroom);
        }
        return String.format(Locale.ROOT, "unsustainable: compute is %s of value (limit 10%%); compute must fall %.1fx, or value per output"
                + " reach $%s", percent(ratio), 1 / headroom, money(requiredValuePerOutput));
    }

    static String percent(double r) {
        return r >= 10 ? String.format(Locale.ROOT, "%,.0f%%", 100 * r) : String.format(Locale.ROOT, "%.2f%%", 100 * r);
    }

    static String money(double v) {
        if (v >= 100) return String.format(Locale.ROOT, "%,.0f", v);
        if (v >= 1) return String.format(Locale.ROOT, "%.2f", v);
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
