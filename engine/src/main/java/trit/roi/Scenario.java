package trit.roi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import trit.TritException;

/**
 * One costing question: a machine, how busy it is, the work, how fast the machine does it and what an
 * output is worth, with the sources and assumptions behind each figure. A scenario may hold
 * {@code cases}: named sets of overrides (e.g. the low and high ends of disputed published estimates),
 * each evaluated on its own.
 *
 * @param computePerDay stated compute spend per day; when given, the daily volume is that spend divided
 *                      by the cost per output (used where the published figure is the spend, not the volume)
 */
public record Scenario(String name, String title, String modality, Hardware hardware, double utilization, Workload workload,
                       Throughput throughput, Value value, Double computePerDay, List<String> sources,
                       List<String> assumptions, String caseName, String caseLabel, Map<String, Object> raw) {

    /** Parses and validates a scenario; {@code aliases} maps dotted field paths to the flags that set them. */
    public static Scenario fromMap(Map<String, ?> map, Map<String, String> aliases) {
        return parse(Fields.stringKeys(map), aliases, null, null);
    }

    private static Scenario parse(Map<String, Object> raw, Map<String, String> aliases, String caseName, String caseLabel) {
        Fields f = new Fields(raw, "", aliases);
        String name = f.string("name", "custom");
        String modality = f.string("modality", "text");
        Fields hw = f.optObject("hardware");
        Hardware hardware = hw == null ? null : Hardware.from(hw);
        double util = f.fraction("utilization", 1.0);
        Workload w = Workload.from(f.object("workload"), modality);
        Throughput t = Throughput.from(f.object("throughput"));
        if (t.kind() != Throughput.Kind.COST_PER_OUTPUT && hardware == null) throw f.missing("hardware");
        if (t.kind() == Throughput.Kind.TOKENS && !w.tokens()) {
            throw new TritException(f.name("throughput.tokens_per_second") + " needs a workload in tokens (workload.output_tokens)");
        }
        if (t.kind() == Throughput.Kind.TOKENS && w.inputTokens() > 0 && t.promptTokensPerSecond() <= 0) {
            throw f.missing("throughput.prompt_tokens_per_second");
        }
        Value v = Value.from(f.object("value"), w);
        Double perDay = f.optPositive("compute_per_day");
        if (perDay != null && w.requestsPerDay() != null) {
            throw new TritException(f.name("compute_per_day") + " and " + f.name("workload.requests_per_day") + " exclude each other: give one");
        }
        if (perDay == null && w.requestsPerDay() == null) throw f.missing("workload.requests_per_day");
        return new Scenario(name, f.string("title", name), modality, hardware, util, w, t, v, perDay, f.strings("sources"),
                f.strings("assumptions"), caseName, caseLabel, raw);
    }

    /**
     * The scenarios a parsed file describes: one per entry of its {@code cases} (each case's overrides laid
     * on the base), or the base alone; {@code overrides} (e.g. from command-line flags) go on top of all.
     */
    public static List<Scenario> expand(Map<String, ?> base, Map<String, ?> overrides, Map<String, String> aliases) {
        Map<String, Object> root = Fields.stringKeys(base);
        Object c = root.remove("cases");
        if (c == null) return List.of(parse(merge(root, overrides), aliases, null, null));
        if (!(c instanceof List<?> list) || list.isEmpty()) throw new TritException("cases must be a non-empty list");
        List<Scenario> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> m)) throw new TritException("cases[" + i + "] must be an object");
            Fields cf = new Fields(Fields.stringKeys(m), "cases[" + i + "]", aliases);
            String cname = cf.string("name", "case " + (i + 1));
            Map<String, Object> over = cf.optObject("overrides") == null ? Map.of() : Fields.stringKeys((Map<?, ?>) m.get("overrides"));
            out.add(parse(merge(merge(root, over), overrides), aliases, cname, cf.string("label", cname)));
        }
        return out;
    }

    /** {@code base} with {@code over} laid on top, objects merged key by key. */
    public static Map<String, Object> merge(Map<String, ?> base, Map<String, ?> over) {
        Map<String, Object> out = new LinkedHashMap<>(base);
        for (var e : over.entrySet()) {
            Object b = out.get(e.getKey());
            if (b instanceof Map<?, ?> bm && e.getValue() instanceof Map<?, ?> om) {
                out.put(e.getKey(), merge(Fields.stringKeys(bm), Fields.stringKeys(om)));
            } else {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    public Scenario withThroughput(Throughput t) {
        return new Scenario(name, title, modality, hardware, utilization, workload, t, value, computePerDay, sources, assumptions, caseName, caseLabel, raw);
    }

    public Scenario withUtilization(double u) {
        return new Scenario(name, title, modality, hardware, u, workload, throughput, value, computePerDay, sources, assumptions, caseName, caseLabel, raw);
    }

    public Scenario withValue(Value v) {
        return new Scenario(name, title, modality, hardware, utilization, workload, throughput, v, computePerDay, sources, assumptions, caseName, caseLabel, raw);
    }

    /** This scenario at a fixed volume of {@code outputsPerDay} (any stated daily spend dropped). */
    public Scenario withVolume(double outputsPerDay) {
        Workload w = workload;
        Workload fixed = new Workload(w.modality(), w.unit(), outputsPerDay / w.outputsPerRequest(), w.inputTokens(), w.outputTokens(),
                w.outputsPerRequest());
        return new Scenario(name, title, modality, hardware, utilization, fixed, throughput, value, null, sources, assumptions, caseName, caseLabel, raw);
    }

    public Scenario withHardware(Hardware h) {
        return new Scenario(name, title, modality, h, utilization, workload, throughput, value, computePerDay, sources, assumptions, caseName, caseLabel, raw);
    }
}
