package trit.roi;

import trit.TritException;

/**
 * Turns a scenario into costs. With a throughput, one output occupies the machine for
 * {@code busy = input/pp + output/tg} seconds (or 3600 / outputs-per-hour), and since the machine is
 * paid for whether busy or not, an output costs {@code busy / utilization * cost-per-hour / 3600}.
 * A stated cost per output is taken as is. Every result is an estimate made from the inputs it shows.
 */
public final class CostModel {
    private CostModel() {}

    /**
     * @param busySecondsPerOutput machine-seconds one output keeps the machine busy (NaN for a stated cost)
     * @param costPerMillionTokens cost per 1M tokens processed (prompt + generated; NaN without tokens)
     * @param costPerMillionGeneratedTokens cost per 1M tokens of pure generation (NaN without a token rate)
     * @param machines machines needed to serve the daily volume at the utilization (NaN for a stated cost)
     */
    public record Result(Scenario scenario, double busySecondsPerOutput, double costPerOutput, double costPerMillionTokens,
                         double costPerMillionGeneratedTokens, double outputsPerDay, double costPerDay, double valuePerOutput,
                         double valuePerDay, double machines, Verdict verdict) {
        public double costPerMonth() {
            return costPerDay * 30;
        }

        public double ratio() {
            return verdict.ratio();
        }
    }

    public static Result evaluate(Scenario s) {
        Workload w = s.workload();
        Throughput t = s.throughput();
        double busy = switch (t.kind()) {
            case TOKENS -> ((w.inputTokens() > 0 ? w.inputTokens() / t.promptTokensPerSecond() : 0)
                    + w.outputTokens() / t.tokensPerSecond()) / w.outputsPerRequest();
            case OUTPUTS_PER_HOUR -> 3600 / t.outputsPerHour();
            case COST_PER_OUTPUT -> Double.NaN;
        };
        double cost = t.kind() == Throughput.Kind.COST_PER_OUTPUT ? t.costPerOutput()
                : busy / s.utilization() * s.hardware().costPerHour() / 3600;
        double tokensPerOutput = (w.inputTokens() + w.outputTokens()) / w.outputsPerRequest();
        double perMTok = tokensPerOutput > 0 ? cost / tokensPerOutput * 1e6 : Double.NaN;
        double perMGen = t.kind() == Throughput.Kind.TOKENS
                ? s.hardware().costPerHour() / (t.tokensPerSecond() * 3600 * s.utilization()) * 1e6 : Double.NaN;
        double outputsPerDay = s.computePerDay() != null ? s.computePerDay() / cost
                : w.requestsPerDay() * w.outputsPerRequest();
        double value = s.value().perOutput(w, outputsPerDay);
        if (!(value > 0)) throw new TritException("value per output must be positive, got " + value);
        double machines = Double.isNaN(busy) ? Double.NaN : outputsPerDay * busy / s.utilization() / 86400;
        return new Result(s, busy, cost, perMTok, perMGen, outputsPerDay, cost * outputsPerDay, value, value * outputsPerDay,
                machines, Verdict.of(cost, value));
    }
}
