package trit.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trit.TritException;
import trit.bench.ModelBench;
import trit.gguf.GgufFile;
import trit.kernel.Parallel;
import trit.roi.CostModel;
import trit.roi.EnergyMeter;
import trit.roi.Scenario;
import trit.roi.Sensitivity;
import trit.roi.Throughput;
import trit.roi.Verdict;
import trit.tensor.GgmlType;

@Command(name = "roi", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compute-ROI audit: cost per output and per 1M tokens, cost per day/month, the compute-to-value ratio",
                "and the verdict against the rule \"more than $1,000 of compute per $10,000 of value is unsustainable\"",
                "(ratio > 0.1), with its margin and how it moves with throughput, utilization and price.",
                "Flags override the scenario's figures; every figure says whether it was measured, stated or estimated."})
final class RoiCommand implements Callable<Integer> {
    @Option(names = "--scenario", paramLabel = "NAME|FILE", defaultValue = "text-api",
            description = "A built-in scenario (text-api, sora, music) or a scenario file, JSON or YAML (default: ${DEFAULT-VALUE}).")
    String scenario;

    @Option(names = "--list", description = "List the built-in scenarios.")
    boolean list;

    @Option(names = "--price-per-hour", paramLabel = "$", description = "Hardware rented on demand: $ per hour.") Double pricePerHour;
    @Option(names = "--purchase-price", paramLabel = "$", description = "Hardware owned: purchase price.") Double purchasePrice;
    @Option(names = "--amortization-years", paramLabel = "Y", description = "Owned hardware: years to spread the price over.") Double amortizationYears;
    @Option(names = "--power-watts", paramLabel = "W", description = "Owned hardware: power draw.") Double powerWatts;
    @Option(names = "--price-per-kwh", paramLabel = "$", description = "Owned hardware: electricity price.") Double pricePerKwh;
    @Option(names = "--utilization", paramLabel = "U", description = "Fraction of paid hours the machine is busy, in (0, 1].") Double utilization;
    @Option(names = "--modality", paramLabel = "M", description = "text, image, video, audio, ... (labels the output).") String modality;
    @Option(names = "--unit", paramLabel = "NAME", description = "What one output is (request, video, track, ...).") String unit;
    @Option(names = "--requests-per-day", paramLabel = "N", description = "Requests per day.") Double requestsPerDay;
    @Option(names = "--input-tokens", paramLabel = "N", description = "Prompt tokens per request.") Double inputTokens;
    @Option(names = "--output-tokens", paramLabel = "N", description = "Generated tokens per request.") Double outputTokens;
    @Option(names = "--value-per-output", paramLabel = "$", description = "Price charged or value delivered per output.") Double valuePerOutput;
    @Option(names = "--price-per-million-output-tokens", paramLabel = "$", description = "Value as an API price per 1M generated tokens.") Double pricePerMOut;
    @Option(names = "--price-per-million-input-tokens", paramLabel = "$", description = "... and per 1M prompt tokens.") Double pricePerMIn;

    static final class Source {
        @Option(names = "--bench", paramLabel = "FILE", description = "Throughput from a `trit bench --json` result (measured).") Path benchFile;
        @Option(names = "--bench-synthetic", paramLabel = "NAME", description = "Throughput from a fresh bench of a synthetic model (measured).") String benchSynthetic;
        @Option(names = "--tokens-per-second", paramLabel = "X", description = "Throughput stated: generated tokens per second.") Double tokensPerSecond;
        @Option(names = "--outputs-per-hour", paramLabel = "X", description = "Throughput stated: outputs per machine-hour.") Double outputsPerHour;
        @Option(names = "--cost-per-output", paramLabel = "$", description = "Compute cost per output stated outright.") Double costPerOutput;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Source source;

    @Option(names = "--prompt-tokens-per-second", paramLabel = "X", description = "Prompt processing speed (with --tokens-per-second).") Double promptTokensPerSecond;
    @Option(names = "--bench-type", paramLabel = "TYPE", defaultValue = "tq2_0", description = "Weight type for --bench-synthetic (default: ${DEFAULT-VALUE}).") String benchType;
    @Option(names = "--bench-reps", paramLabel = "N", defaultValue = "2", description = "Repetitions for --bench-synthetic (pp64, tg32; default: ${DEFAULT-VALUE}).") int benchReps;
    @Option(names = "--watts-per-core", paramLabel = "W", defaultValue = "" + EnergyMeter.DEFAULT_WATTS_PER_CORE,
            description = "Power model of the energy estimate where RAPL cannot be read (default: ${DEFAULT-VALUE} W per busy core).")
    double wattsPerCore;

    @Mixin ThreadsOption threads = new ThreadsOption();
    @Mixin HistoryOption history = new HistoryOption();
    @Option(names = "--json", description = "Print one JSON object.") boolean json;
    @Option(names = {"-q", "--quiet"}, description = "No progress line.") boolean quiet;
    @Spec CommandSpec spec;

    /** Energy per token with what it rests on; null when nothing measured or stated allows one. */
    record Energy(double joulesPerToken, String label, String method) {}

    private final Map<String, Object> overrides = new LinkedHashMap<>();
    private final Map<String, String> aliases = new HashMap<>();
    private Energy energy;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        if (list) {
            for (String n : Scenarios.BUILT_IN) {
                out.println(n + "  " + Scenarios.builtIn(n).getOrDefault("title", ""));
            }
            return Main.EXIT_OK;
        }
        Map<String, Object> base = Scenarios.load(scenario);
        flagsToOverrides();
        List<Scenario> cases = Scenario.expand(base, overrides, aliases);
        List<CostModel.Result> results = new ArrayList<>();
        for (Scenario s : cases) results.add(CostModel.evaluate(s));
        if (energy == null) energy = statedEnergy(cases.getFirst());
        Map<String, Object> j = json(base, results);
        history.append("roi", j);
        if (json) out.println(Json.write(j));
        else out.print(text(base, results));
        out.flush();
        return Main.EXIT_OK;
    }

    private void set(String path, Object value, String flag) {
        String[] parts = path.split("\\.");
        Map<String, Object> m = overrides;
        for (int i = 0; i < parts.length - 1; i++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> next = (Map<String, Object>) m.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
            m = next;
        }
        m.put(parts[parts.length - 1], value);
        if (flag != null) aliases.put(path, flag);
    }

    private void flagsToOverrides() {
        if (pricePerHour != null) {
            set("hardware.price_per_hour", pricePerHour, "--price-per-hour");
            set("hardware.purchase_price", null, null);
            set("hardware.source", "stated (--price-per-hour)", null);
        }
        if (purchasePrice != null) {
            set("hardware.purchase_price", purchasePrice, "--purchase-price");
            set("hardware.price_per_hour", null, null);
            set("hardware.source", "stated (--purchase-price)", null);
        }
        if (amortizationYears != null) set("hardware.amortization_years", amortizationYears, "--amortization-years");
        if (powerWatts != null) set("hardware.power_watts", powerWatts, "--power-watts");
        if (pricePerKwh != null) set("hardware.price_per_kwh", pricePerKwh, "--price-per-kwh");
        aliases.put("hardware.amortization_years", "--amortization-years");
        aliases.put("hardware.power_watts", "--power-watts");
        aliases.put("hardware.price_per_kwh", "--price-per-kwh");
        if (utilization != null) set("utilization", utilization, "--utilization");
        if (modality != null) set("modality", modality, "--modality");
        if (unit != null) set("workload.unit", unit, "--unit");
        if (requestsPerDay != null) {
            set("workload.requests_per_day", requestsPerDay, "--requests-per-day");
            set("compute_per_day", null, null);
        }
        if (inputTokens != null) set("workload.input_tokens", inputTokens, "--input-tokens");
        if (outputTokens != null) set("workload.output_tokens", outputTokens, "--output-tokens");
        if (valuePerOutput != null) {
            value("per_output", valuePerOutput, "--value-per-output");
        } else if (pricePerMOut != null || pricePerMIn != null) {
            if (pricePerMOut != null) value("per_million_output_tokens", pricePerMOut, "--price-per-million-output-tokens");
            if (pricePerMIn != null) set("value.per_million_input_tokens", pricePerMIn, "--price-per-million-input-tokens");
            set("value.source", "stated (flags)", null);
        }
        if (promptTokensPerSecond != null) set("throughput.prompt_tokens_per_second", promptTokensPerSecond, "--prompt-tokens-per-second");
        if (source == null) return;
        if (source.tokensPerSecond != null) throughput("tokens_per_second", source.tokensPerSecond, "--tokens-per-second", "stated");
        if (source.outputsPerHour != null) throughput("outputs_per_hour", source.outputsPerHour, "--outputs-per-hour", "stated");
        if (source.costPerOutput != null) throughput("cost_per_output", source.costPerOutput, "--cost-per-output", "stated");
        if (source.benchFile != null) fromBenchFile(source.benchFile);
        if (source.benchSynthetic != null) freshBench(source.benchSynthetic);
    }

    private void value(String key, double v, String flag) {
        for (String k : List.of("per_output", "per_million_output_tokens", "per_million_input_tokens", "total", "days")) set("value." + k, null, null);
        set("value." + key, v, flag);
        set("value.source", "stated (" + flag + ")", null);
    }

    private void throughput(String key, double v, String flag, String label) {
        for (String k : List.of("tokens_per_second", "outputs_per_hour", "cost_per_output")) set("throughput." + k, null, null);
        set("throughput." + key, v, flag);
        set("throughput.label", label, null);
        set("throughput.source", flag + " " + Text.fixed(v, 3), null);
    }

    /** Reads pp/tg from a `trit bench --json` file; the figures are measured, by that run. */
    private void fromBenchFile(Path file) {
        Map<String, Object> b = Scenarios.readJson(file, "--bench");
        Double tg = null, pp = null;
        String tgName = null;
        for (var e : b.entrySet()) {
            if (!(e.getValue() instanceof Number n)) continue;
            if (e.getKey().matches("tg[0-9]+") && tg == null) { tg = n.doubleValue(); tgName = e.getKey(); }
            if (e.getKey().matches("pp[0-9]+") && pp == null) pp = n.doubleValue();
        }
        if (tg == null) throw new TritException("--bench " + file + ": no tgN figure (expected the output of trit bench --json)");
        if (!(tg > 0)) throw new TritException("--bench " + file + ": " + tgName + " must be a positive number, got " + tg);
        if (pp != null && !(pp > 0)) throw new TritException("--bench " + file + ": pp figure must be a positive number, got " + pp);
        String src = String.format(Locale.ROOT, "trit bench --json result %s: %s %s, %s threads, %s", file, b.getOrDefault("model", "?"),
                b.getOrDefault("type", "?"), b.getOrDefault("threads", "?"), tgName);
        throughput("tokens_per_second", tg, "--bench", "measured");
        set("throughput.source", src, null);
        if (pp != null && promptTokensPerSecond == null) set("throughput.prompt_tokens_per_second", pp, "--bench");
        if (b.get("energy") instanceof Map<?, ?> e && e.get("joules_per_token") instanceof Number jpt) {
            energy = new Energy(jpt.doubleValue(), String.valueOf(e.get("label")), "from " + file + ": " + e.get("method"));
        }
    }

    private void freshBench(String name) {
        GgmlType t = QuantizeCommand.parseTarget(benchType);
        if (benchReps < 1) throw new TritException("--bench-reps must be >= 1, got " + benchReps);
        EnergyMeter.start(wattsPerCore);
        int n = threads.get();
        try (Parallel pool = Parallel.create(n); Progress progress = new Progress(spec.commandLine().getErr(), quiet || json);
             GgufFile f = BenchRunner.open(null, name, t, n, progress::update)) {
            BenchRunner.Measured x = BenchRunner.run(f, "synthetic " + name, name, t, new ModelBench.Options(64, 32, benchReps, 1234),
                    pool, false, wattsPerCore, progress::update);
            String src = String.format(Locale.ROOT, "fresh trit bench of synthetic %s %s on %d threads (pp64, tg32, median of %d)",
                    name, t.label(), n, benchReps);
            throughput("tokens_per_second", x.result().tg().median(), "--bench-synthetic", "measured");
            set("throughput.source", src, null);
            if (promptTokensPerSecond == null) set("throughput.prompt_tokens_per_second", x.result().pp().median(), "--bench-synthetic");
            energy = new Energy(x.energy().joulesPer(x.tokensProcessed()), x.energy().label(), x.energy().method());
        }
    }

    /** Without a bench: owned hardware's stated power over its token rate (an estimate). */
    private static Energy statedEnergy(Scenario s) {
        if (s.throughput().kind() != Throughput.Kind.TOKENS || s.hardware() == null || s.hardware().powerWatts() == null) return null;
        double w = s.hardware().powerWatts();
        return new Energy(w / s.throughput().tokensPerSecond(), "estimated",
                String.format(Locale.ROOT, "stated draw %.0f W / %.2f generated tokens/s", w, s.throughput().tokensPerSecond()));
    }

    private Map<String, Object> json(Map<String, Object> base, List<CostModel.Result> results) {
        Map<String, Object> j = new LinkedHashMap<>();
        Scenario first = results.getFirst().scenario();
        j.put("scenario", first.name());
        j.put("title", first.title());
        j.put("modality", first.modality());
        j.put("unit", first.workload().unit());
        // the headline is the scenario's first case (its authors put the central estimate first); the range spans all
        CostModel.Result head = results.getFirst();
        j.put("ratio", head.ratio());
        j.put("ratio_basis", results.size() == 1 ? "the scenario" : "the first case (" + head.scenario().caseName() + "); ratio_range spans all cases");
        j.put("ratio_range", new double[] {results.stream().mapToDouble(CostModel.Result::ratio).min().orElseThrow(),
                results.stream().mapToDouble(CostModel.Result::ratio).max().orElseThrow()});
        j.put("threshold", Verdict.THRESHOLD);
        j.put("verdict", head.verdict().word());
        j.put("sustainable_cases", results.stream().filter(r -> r.verdict().sustainable()).map(r -> r.scenario().caseName()).toList());
        List<Object> cs = new ArrayList<>();
        for (CostModel.Result r : results) cs.add(caseJson(r));
        j.put("cases", cs);
        if (energy != null) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("joules_per_token", energy.joulesPerToken());
            e.put("label", energy.label());
            e.put("method", energy.method());
            Double kwh = first.hardware() == null ? null : first.hardware().pricePerKwh();
            if (kwh != null) e.put("energy_cost_per_million_tokens", energy.joulesPerToken() * 1e6 / 3.6e6 * kwh);
            j.put("energy", e);
        }
        j.put("sources", first.sources());
        j.put("assumptions", first.assumptions());
        j.put("figures", "costs, ratios and verdicts are estimated from the inputs shown; each input is labelled stated or measured");
        return j;
    }

    static Map<String, Object> caseJson(CostModel.Result r) {
        Scenario s = r.scenario();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", s.caseName() == null ? s.name() : s.caseName());
        c.put("label", s.caseLabel() == null ? s.title() : s.caseLabel());
        c.put("cost_per_output", r.costPerOutput());
        if (!Double.isNaN(r.costPerMillionTokens())) c.put("cost_per_million_tokens", r.costPerMillionTokens());
        if (!Double.isNaN(r.costPerMillionGeneratedTokens())) c.put("cost_per_million_generated_tokens", r.costPerMillionGeneratedTokens());
        c.put("outputs_per_day", r.outputsPerDay());
        c.put("cost_per_day", r.costPerDay());
        c.put("cost_per_month", r.costPerMonth());
        c.put("value_per_output", r.valuePerOutput());
        c.put("value_per_day", r.valuePerDay());
        if (!Double.isNaN(r.machines())) c.put("machines", r.machines());
        c.put("ratio", r.ratio());
        c.put("verdict", r.verdict().word());
        c.put("explanation", r.verdict().explain());
        c.put("headroom", r.verdict().headroom());
        c.put("max_cost_per_output", r.verdict().maxCostPerOutput());
        c.put("required_value_per_output", r.verdict().requiredValuePerOutput());
        Map<String, Object> in = new LinkedHashMap<>();
        if (s.hardware() != null) {
            in.put("hardware", s.hardware().basis());
            in.put("cost_per_hour", s.hardware().costPerHour());
            in.put("utilization", s.utilization());
        }
        in.put("throughput", s.throughput().describe());
        in.put("throughput_label", s.throughput().label());
        in.put("value", s.value().describe());
        in.put("workload", workload(s));
        if (s.computePerDay() != null) in.put("compute_per_day_stated", s.computePerDay());
        c.put("inputs", in);
        List<Object> sens = new ArrayList<>();
        for (Sensitivity.Curve cv : Sensitivity.of(s)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("parameter", cv.parameter());
            m.put("unit", cv.unit());
            m.put("current", cv.current());
            m.put("break_even", cv.breakEven());
            List<double[]> pts = new ArrayList<>();
            for (Sensitivity.Point p : cv.points()) pts.add(new double[] {p.x(), p.ratio()});
            m.put("points", pts);
            sens.add(m);
        }
        c.put("sensitivity", sens);
        return c;
    }

    static String workload(Scenario s) {
        var w = s.workload();
        String vol = w.requestsPerDay() != null ? String.format(Locale.ROOT, "%,.0f %ss/day", w.requestsPerDay(), w.unit())
                : String.format(Locale.ROOT, "volume from the stated compute spend of $%,.0f/day", s.computePerDay());
        if (!w.tokens()) return vol;
        return vol + String.format(Locale.ROOT, ", %.0f prompt + %.0f generated tokens each", w.inputTokens(), w.outputTokens());
    }

    static String money(double v) {
        if (Double.isNaN(v)) return "-";
        if (v >= 1000) return String.format(Locale.ROOT, "$%,.0f", v);
        if (v >= 1) return String.format(Locale.ROOT, "$%.2f", v);
        if (v >= 0.01) return String.format(Locale.ROOT, "$%.4f", v);
        return String.format(Locale.ROOT, "$%.3g", v);
    }

    static String ratio(double r) {
        return r >= 100 ? String.format(Locale.ROOT, "%,.0f", r) : r >= 1 ? String.format(Locale.ROOT, "%.2f", r)
                : String.format(Locale.ROOT, "%.4f", r);
    }

    private String text(Map<String, Object> base, List<CostModel.Result> results) {
        StringBuilder b = new StringBuilder();
        Scenario first = results.getFirst().scenario();
        b.append("trit roi: ").append(first.name()).append(" - ").append(first.title()).append('\n');
        b.append("  modality ").append(first.modality()).append(", one output = one ").append(first.workload().unit()).append("\n\n");
        boolean tokens = results.stream().anyMatch(r -> !Double.isNaN(r.costPerMillionTokens()));
        Text.Table t = new Text.Table("case", "$/output", tokens ? "$/1M tokens" : "", "$/day", "$/month", "value/output", "ratio", "verdict");
        for (CostModel.Result r : results) {
            Scenario s = r.scenario();
            t.row(s.caseName() == null ? s.name() : s.caseName(), money(r.costPerOutput()), tokens ? money(r.costPerMillionTokens()) : "",
                    money(r.costPerDay()), money(r.costPerMonth()), money(r.valuePerOutput()), ratio(r.ratio()), r.verdict().word());
        }
        b.append(t.render("  ")).append('\n');
        for (CostModel.Result r : results) {
            Scenario s = r.scenario();
            b.append(s.caseName() == null ? "inputs" : s.caseName() + ": " + s.caseLabel()).append('\n');
            if (s.hardware() != null) {
                b.append("  hardware     ").append(s.hardware().basis()).append('\n');
                b.append("  utilization  ").append(Text.fixed(100 * s.utilization(), 0)).append("% of paid hours busy\n");
            }
            b.append("  throughput   ").append(s.throughput().describe()).append('\n');
            b.append("  workload     ").append(workload(s)).append('\n');
            b.append("  value        ").append(s.value().describe()).append('\n');
            if (!Double.isNaN(r.costPerMillionGeneratedTokens())) {
                b.append("  generation   ").append(money(r.costPerMillionGeneratedTokens())).append(" per 1M generated tokens; ")
                        .append(String.format(Locale.ROOT, "%.2f machines for the daily volume", r.machines())).append('\n');
            }
            b.append("  verdict      ").append(r.verdict().explain()).append('\n');
            b.append("  sensitivity  ratio 0.1 is reached at:");
            for (Sensitivity.Curve c : Sensitivity.of(s)) {
                b.append(' ').append(c.parameter()).append(' ');
                if (Double.isNaN(c.breakEven())) b.append("(not within 100%)");
                else if (c.unit().equals("fraction")) b.append(Text.fixed(c.breakEven(), 3));
                else b.append(ratio(c.breakEven())).append('x');
                b.append(';');
            }
            b.setLength(b.length() - 1);
            b.append("\n\n");
        }
        if (energy != null) {
            b.append(String.format(Locale.ROOT, "energy per token: %.3f J (%s: %s)%n%n", energy.joulesPerToken(), energy.label(), energy.method()));
        }
        if (!first.sources().isEmpty()) {
            b.append("sources:\n");
            for (String s : first.sources()) b.append("  - ").append(s).append('\n');
        }
        if (!first.assumptions().isEmpty()) {
            b.append("assumptions:\n");
            for (String s : first.assumptions()) b.append("  - ").append(s).append('\n');
        }
        b.append("Costs, ratios and verdicts are estimates made from the inputs above; each input says whether it is stated or measured.\n");
        return b.toString();
    }
}
