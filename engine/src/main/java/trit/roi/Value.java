package trit.roi;

import java.util.Locale;
import trit.TritException;

/**
 * What an output is worth: a price per output, API prices per million input/output tokens, or revenue
 * over a period (spread over the period's outputs).
 *
 * @param kind "price charged", "value delivered" or "revenue"
 */
public record Value(Double perOutput, Double perMillionInputTokens, Double perMillionOutputTokens, Double total,
                    Double days, String kind, String source) {
    /** Worth of one output given the workload and, for revenue over a period, the outputs per day. */
    public double perOutput(Workload w, double outputsPerDay) {
        if (perOutput != null) return perOutput;
        if (perMillionOutputTokens != null) {
            double in = perMillionInputTokens == null ? 0 : perMillionInputTokens;
            return (w.inputTokens() * in + w.outputTokens() * perMillionOutputTokens) / 1e6 / w.outputsPerRequest();
        }
        return total / days / outputsPerDay;
    }

    public Value scaled(double f) {
        return new Value(perOutput == null ? null : perOutput * f, perMillionInputTokens == null ? null : perMillionInputTokens * f,
                perMillionOutputTokens == null ? null : perMillionOutputTokens * f, total == null ? null : total * f, days, kind, source);
    }

    public String describe() {
        if (perOutput != null) return String.format(Locale.ROOT, "$%.4f per output, %s (%s)", perOutput, kind, source);
        if (perMillionOutputTokens != null) {
            return String.format(Locale.ROOT, "$%.3f per 1M input tokens, $%.3f per 1M output tokens, %s (%s)",
                    perMillionInputTokens == null ? 0 : perMillionInputTokens, perMillionOutputTokens, kind, source);
        }
        return String.format(Locale.ROOT, "$%,.0f over %.0f days, %s (%s)", total, days, kind, source);
    }

    static Value from(Fields f, Workload w) {
        String kind = f.string("kind", "price charged");
        String source = f.string("source", "stated");
        Double per = f.optPositive("per_output");
        Double outTok = f.optPositive("per_million_output_tokens");
        Double inTok = f.optPositive("per_million_input_tokens");
        Double total = f.optPositive("total");
        int given = (per != null ? 1 : 0) + (outTok != null ? 1 : 0) + (total != null ? 1 : 0);
        if (given == 0) {
            throw new TritException("missing field " + f.name("per_output") + " (or " + f.name("per_million_output_tokens")
                    + ", or " + f.name("total") + " with " + f.name("days") + ")");
        }
        if (given > 1) {
            throw new TritException(f.name("per_output") + ", " + f.name("per_million_output_tokens") + " and " + f.name("total")
                    + " exclude each other: give one");
        }
        if (outTok != null && !w.tokens()) {
            throw new TritException(f.name("per_million_output_tokens") + " needs a workload in tokens (workload.output_tokens)");
        }
        Double days = total != null ? f.positive("days") : null;
        return new Value(per, inTok, outTok, total, days, kind, source);
    }
}
