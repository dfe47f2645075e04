package trit.roi;

import java.util.Locale;
import trit.TritException;

/**
 * How fast the machine turns requests into outputs, and where that figure comes from: tokens per
 * second (generation, and prompt processing when requests carry a prompt), outputs per machine-hour,
 * or, where only a published estimate exists, the compute cost of one output stated outright.
 *
 * @param label "measured" or "stated"
 * @param source what measured or stated it (a bench file, a fresh bench, a citation)
 */
public record Throughput(Kind kind, double tokensPerSecond, double promptTokensPerSecond, double outputsPerHour,
                         double costPerOutput, String label, String source) {
    public enum Kind { TOKENS, OUTPUTS_PER_HOUR, COST_PER_OUTPUT }

    public static Throughput tokens(double tg, double pp, String label, String source) {
        return new Throughput(Kind.TOKENS, tg, pp, 0, 0, label, source);
    }

    /** Faster by {@code f} (a stated cost per output gets cheaper by the same factor). */
    public Throughput faster(double f) {
        return new Throughput(kind, tokensPerSecond * f, promptTokensPerSecond * f, outputsPerHour * f, costPerOutput / f, label, source);
    }

    public String describe() {
        return switch (kind) {
            case TOKENS -> String.format(Locale.ROOT, "%.2f generated tokens/s%s (%s: %s)", tokensPerSecond,
                    promptTokensPerSecond > 0 ? String.format(Locale.ROOT, ", %.2f prompt tokens/s", promptTokensPerSecond) : "",
                    label, source);
            case OUTPUTS_PER_HOUR -> String.format(Locale.ROOT, "%.3f outputs per machine-hour (%s: %s)", outputsPerHour, label, source);
            case COST_PER_OUTPUT -> String.format(Locale.ROOT, "compute cost $%.4f per output (%s: %s)", costPerOutput, label, source);
        };
    }

    static Throughput from(Fields f) {
        String label = f.string("label", "stated");
        if (!label.equals("stated") && !label.equals("measured")) throw f.bad("label", "must be \"stated\" or \"measured\"", label);
        String source = f.string("source", "no source given");
        int kinds = (f.has("tokens_per_second") ? 1 : 0) + (f.has("outputs_per_hour") ? 1 : 0) + (f.has("cost_per_output") ? 1 : 0);
        if (kinds == 0) {
            throw new TritException("missing field " + f.name("tokens_per_second") + " (or " + f.name("outputs_per_hour") + ", or "
                    + f.name("cost_per_output") + ")");
        }
        if (kinds > 1) {
            throw new TritException(f.name("tokens_per_second") + ", " + f.name("outputs_per_hour") + " and "
                    + f.name("cost_per_output") + " exclude each other: give one");
        }
        if (f.has("tokens_per_second")) {
            Double pp = f.optPositive("prompt_tokens_per_second");
            return new Throughput(Kind.TOKENS, f.positive("tokens_per_second"), pp == null ? 0 : pp, 0, 0, label, source);
        }
        if (f.has("outputs_per_hour")) return new Throughput(Kind.OUTPUTS_PER_HOUR, 0, 0, f.positive("outputs_per_hour"), 0, label, source);
        return new Throughput(Kind.COST_PER_OUTPUT, 0, 0, 0, f.positive("cost_per_output"), label, source);
    }
}
