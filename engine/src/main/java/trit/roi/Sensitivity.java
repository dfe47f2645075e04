package trit.roi;

import java.util.ArrayList;
import java.util.List;

/**
 * How the compute-to-value ratio moves as one input moves, others held: throughput and hardware
 * price (as multiples of the scenario's), utilization (absolute), and the value per output (multiples).
 * Each curve comes with the point where the ratio crosses the 0.1 line ({@code breakEven}, in the
 * curve's own unit; NaN where no value of that input alone can reach it). The ratio is inversely
 * proportional to throughput, utilization and value and proportional to the hardware price, so the
 * crossing points are exact; the curves themselves are computed by re-running the cost model.
 */
public final class Sensitivity {
    public record Point(double x, double ratio) {}

    /** @param unit "multiple" (of the scenario's figure) or "fraction" (absolute utilization) */
    public record Curve(String parameter, String unit, double current, List<Point> points, double breakEven) {}

    private Sensitivity() {}

    public static List<Curve> of(Scenario scenario) {
        CostModel.Result base = CostModel.evaluate(scenario);
        // the daily volume is held where it is: a stated daily spend would otherwise turn cheaper outputs
        // into more outputs for the same spend and revenue, and no input could move the ratio
        Scenario s = scenario.withVolume(base.outputsPerDay());
        double r = base.ratio();
        double need = r / Verdict.THRESHOLD; // ratio is inversely proportional to throughput and value
        List<Curve> out = new ArrayList<>();
        out.add(curve("throughput", "multiple", 1, multiples(need), need, m -> s.withThroughput(s.throughput().faster(m))));
        if (s.throughput().kind() != Throughput.Kind.COST_PER_OUTPUT) {
            double u = s.utilization() * need;
            List<Double> xs = new ArrayList<>();
            for (int i = 1; i <= 20; i++) xs.add(i / 20.0);
            out.add(curve("utilization", "fraction", s.utilization(), xs, u <= 1 ? u : Double.NaN, s::withUtilization));
            double hw = 1 / need;
            out.add(curve("hardware price", "multiple", 1, multiples(hw), hw, m -> s.withHardware(s.hardware().priced(m))));
        }
        out.add(curve("value per output", "multiple", 1, multiples(need), need, m -> s.withValue(s.value().scaled(m))));
        return out;
    }

    private interface Variant {
        Scenario at(double x);
    }

    private static Curve curve(String name, String unit, double current, List<Double> xs, double breakEven, Variant v) {
        List<Point> pts = new ArrayList<>();
        for (double x : xs) pts.add(new Point(x, CostModel.evaluate(v.at(x)).ratio()));
        return new Curve(name, unit, current, pts, breakEven);
    }

    /** 25 log-spaced multiples spanning 1 (today) and the break-even multiple, with room on both sides. */
    static List<Double> multiples(double breakEven) {
        double lo = Math.min(1, breakEven) / 4, hi = Math.max(1, breakEven) * 4;
        List<Double> xs = new ArrayList<>();
        int n = 25;
        for (int i = 0; i < n; i++) xs.add(lo * Math.pow(hi / lo, i / (double) (n - 1)));
        return xs;
    }
}
