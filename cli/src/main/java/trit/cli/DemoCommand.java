package trit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trit.TritException;
import trit.bench.ModelBench;
import trit.bench.ProcessMemory;
import trit.gguf.GgufFile;
import trit.kernel.Parallel;
import trit.model.Generator;
import trit.model.ModelConfig;
import trit.model.ModelQuantizer;
import trit.model.Session;
import trit.model.SyntheticModel;
import trit.model.Transformer;
import trit.model.WeightError;
import trit.roi.CostModel;
import trit.roi.EnergyMeter;
import trit.roi.MemoryPlan;
import trit.sample.Sampler;
import trit.sample.SamplerConfig;
import trit.tensor.GgmlType;
import trit.tokenizer.TokenDecoder;
import trit.tokenizer.Tokenizer;

/**
 * The README's main job: one model, a short generated sample, then the model in each format (ternary
 * types against the FP baseline at F32/Q8_0/Q4_0), each measured for speed, memory and quality, priced on
 * the default scenario; one table, and the full HTML report. Until the trained default model ships, the
 * model is the synthetic bitnet-tiny preset (random ternary weights) and perplexity is not available.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The main job: generate a sample, then measure the model in each format (speed, memory, quality),",
                "price it on the default scenario, print one table and write the HTML report under reports/."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = {"-m", "--model"}, paramLabel = "MODEL.gguf",
            description = "The model (default: the synthetic bitnet-tiny preset, written to --out as F32).")
    Path model;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/demo", description = "Where to write the model files (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Option(names = "--report-dir", paramLabel = "DIR", defaultValue = "reports", description = "Where to write the report (default: ${DEFAULT-VALUE}).")
    Path reportDir;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed of the synthetic weights (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin ThreadsOption threads = new ThreadsOption();
    @Mixin HistoryOption history = new HistoryOption();

    @Option(names = {"-q", "--quiet"}, description = "No progress line.")
    boolean quiet;

    @Spec CommandSpec spec;

    /** Quality of a model file; empty when it cannot be measured. The integrator plugs in test-split perplexity. */
    interface Quality {
        OptionalDouble perplexity(Path model);

        String unavailable();
    }

    static Quality quality = new Quality() {
        @Override public OptionalDouble perplexity(Path model) { return OptionalDouble.empty(); }
        @Override public String unavailable() { return "n/a (no default model yet)"; }
    };

    /** The FP baseline first, then the ternary types. */
    static final List<GgmlType> TYPES = List.of(GgmlType.F32, GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.TQ2_0, GgmlType.TQ1_0, GgmlType.I2_S);
    static final ModelBench.Options BENCH = new ModelBench.Options(32, 16, 2, 1234);
    static final String PROMPT = "Once upon a time";

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int n = threads.get();
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new TritException(outDir + ": cannot create directory (" + e.getMessage() + ")");
        }
        Path source = model != null ? model : syntheticModel(out);
        List<Map<String, Object>> rows = new ArrayList<>();
        String sample;
        try (Parallel pool = Parallel.create(n); Progress progress = new Progress(spec.commandLine().getErr(), quiet);
             GgufFile ref = GgufFile.open(source)) {
            progress.update("generating a sample");
            sample = sample(ref, pool);
            progress.close();
            out.println("sample (greedy, " + SAMPLE_TOKENS + " tokens): " + PROMPT + sample);
            out.println();
            int step = 0;
            for (GgmlType t : TYPES) {
                step++;
                String stepLabel = "[" + step + "/" + TYPES.size() + "] " + t.label();
                Path file = t == GgmlType.F32 && model == null ? source : outDir.resolve(stem(source) + "-" + t.label() + ".gguf");
                if (!file.equals(source)) {
                    progress.update(stepLabel + ": quantizing");
                    ModelQuantizer.quantize(source, file, new ModelQuantizer.Options(t, false, n), null);
                }
                rows.add(measure(ref, file, t, pool, s -> progress.update(stepLabel + ": " + s)));
            }
        }
        for (Map<String, Object> r : rows) {
            Map<String, Object> bench = (Map<String, Object>) r.remove("bench");
            history.append("bench", bench);
        }
        Text.Table table = new Text.Table("format", "bits/weight", "file", "pp" + BENCH.promptTokens() + " t/s", "tg" + BENCH.genTokens() + " t/s",
                "memory (plan)", "peak RSS", "weight error", "perplexity", "$/1M tokens", "ratio", "verdict");
        for (Map<String, Object> r : rows) {
            table.row(r.get("type"), Text.fixed((double) r.get("bits_per_weight"), 3), Text.bytes((long) r.get("file_bytes")),
                    Text.fixed((double) r.get("pp"), 1), Text.fixed((double) r.get("tg"), 1), Text.bytes((long) r.get("planned_bytes")),
                    Text.bytes((long) r.get("measured_peak_rss_bytes")), Text.fixed((double) r.get("weight_error"), 4),
                    r.get("perplexity") == null ? quality.unavailable() : Text.fixed((double) r.get("perplexity"), 2),
                    RoiCommand.money((double) r.get("cost_per_million_tokens")), RoiCommand.ratio((double) r.get("ratio")), r.get("verdict"));
        }
        out.println("each format of " + source.getFileName() + " (" + n + " threads; speed and peak RSS measured, memory planned, cost estimated):");
        out.print(table.render("  "));
        Map<String, Object> best = rows.stream().max((a, b) -> Double.compare((double) a.get("tg"), (double) b.get("tg"))).orElseThrow();
        CostModel.Result verdict = (CostModel.Result) best.remove("result");
        rows.forEach(r -> r.remove("result"));
        out.println();
        out.printf(Locale.ROOT, "default scenario (text-api: %s, %.0f%% busy, %s), fastest format %s:%n  %s%n",
                verdict.scenario().hardware().name(), 100 * verdict.scenario().utilization(), verdict.scenario().value().describe()
                        .replaceAll(" \\(.*", ""), best.get("type"), verdict.verdict().explain());
        if (model == null) {
            out.println("  (random weights: the sample is noise and quality cannot be measured until the trained default model ships)");
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("title", "trit demo: " + source.getFileName() + " in every format");
        data.put("generated", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        data.put("machine", Machine.describe());
        data.put("intro", List.of("The same model in each format, measured on this machine with " + n + " threads: pp"
                        + BENCH.promptTokens() + " and tg" + BENCH.genTokens() + " (median of " + BENCH.reps() + " runs after a warm-up), peak RSS "
                        + "of the process during those runs, and the planned memory (trit plan).",
                "Cost per 1M tokens and the verdict use the text-api scenario (its hardware, utilization, workload and API prices) "
                        + "with each format's measured throughput; see trit roi --scenario text-api."));
        data.put("sample", PROMPT + sample);
        data.put("formats", rows);
        data.put("format_notes", List.of("Perplexity: " + quality.unavailable() + ". Weight error: relative RMS of the weights "
                + "against the original (random weights make ternary formats look lossy; trained BitNet weights are ternary already)."));
        data.put("roi", roiOf(verdict));
        Path html = HtmlReport.write(reportDir, "demo", data);
        out.printf(Locale.ROOT, "%nreport: %s (%.0f s)%n", html, (System.nanoTime() - t0) / 1e9);
        out.flush();
        return Main.EXIT_OK;
    }

    private Path syntheticModel(PrintWriter out) {
        SyntheticModel.Shape shape = SyntheticModel.preset("bitnet-tiny");
        Path f32 = outDir.resolve("bitnet-tiny-f32.gguf");
        out.printf("trit demo: the synthetic %s model (%s architecture, dim %d, %d layers, %s parameters, random ternary weights, seed %d)%n",
                shape.name(), shape.arch().ggufName(), shape.dim(), shape.layers(), Text.count(shape.parameters()), seed);
        SyntheticModel.write(shape, GgmlType.F32, seed, f32, threads.get(), null);
        return f32;
    }

    static String stem(Path p) {
        String s = p.getFileName().toString();
        s = s.endsWith(".gguf") ? s.substring(0, s.length() - 5) : s;
        return s.endsWith("-f32") ? s.substring(0, s.length() - 4) : s;
    }

    static final int SAMPLE_TOKENS = 24;

    private static String sample(GgufFile f, Parallel pool) {
        Tokenizer tok = Tokenizer.fromGguf(f);
        Transformer m = Transformer.load(f, pool);
        Session s = m.newSession(Math.min(m.config().context(), 256));
        TokenDecoder dec = tok.decoder();
        StringBuilder text = new StringBuilder();
        Generator.generate(s, tok.encode(PROMPT, true, true), SAMPLE_TOKENS, new Sampler(SamplerConfig.greedy()), tok::isEndOfGeneration,
                (id, lp) -> { if (!tok.isEndOfGeneration(id)) text.append(dec.next(id)); });
        // random weights pick arbitrary bytes: show control characters and broken UTF-8 as visible symbols
        StringBuilder shown = new StringBuilder();
        text.codePoints().forEach(c -> shown.appendCodePoint(Character.isISOControl(c) && c != '\n' || c == 0xFFFD ? '\u00B7' : c));
        return shown.toString();
    }

    private Map<String, Object> measure(GgufFile ref, Path file, GgmlType t, Parallel pool, java.util.function.Consumer<String> progress) {
        try (GgufFile f = GgufFile.open(file)) {
            Transformer m = Transformer.load(f, pool);
            System.gc();
            ProcessMemory.resetPeak();
            EnergyMeter meter = EnergyMeter.start(EnergyMeter.DEFAULT_WATTS_PER_CORE);
            ModelBench.Result r = ModelBench.run(m, BENCH, progress);
            EnergyMeter.Reading energy = meter.stop();
            long rss = ProcessMemory.peakRss();
            ModelConfig c = m.config();
            int ctx = Math.max(BENCH.promptTokens(), BENCH.genTokens()) + 1;
            MemoryPlan plan = MemoryPlan.of(file.toString(), t.label(), MemoryPlan.Dims.of(c, f.tensor("output.weight") != null),
                    f.tensorBytes(), f.fileSize() - f.tensorBytes(), ctx, 1, BENCH.promptTokens(), 0);
            OptionalDouble ppl = quality.perplexity(file);
            CostModel.Result cost = HtmlReport.costAt(r.tg().median(), r.pp().median(), "trit demo: " + file.getFileName());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("type", t.label());
            row.put("file", file.toString());
            row.put("bits_per_weight", 8.0 * f.tensorBytes() / f.parameterCount());
            row.put("file_bytes", f.fileSize());
            row.put("pp", r.pp().median());
            row.put("tg", r.tg().median());
            row.put("planned_bytes", plan.inference());
            row.put("memory", plan.components());
            row.put("measured_peak_rss_bytes", rss);
            row.put("weight_error", WeightError.relativeRms(ref, f));
            row.put("perplexity", ppl.isPresent() ? ppl.getAsDouble() : null);
            row.put("perplexity_note", quality.unavailable());
            row.put("cost_per_million_tokens", cost.costPerMillionTokens());
            row.put("cost_per_million_generated_tokens", cost.costPerMillionGeneratedTokens());
            row.put("ratio", cost.ratio());
            row.put("verdict", cost.verdict().word());
            row.put("energy_joules_per_token", energy.joulesPer((long) (BENCH.promptTokens() + BENCH.genTokens()) * (BENCH.reps() + 1)));
            row.put("energy_label", energy.label());
            row.put("result", cost);
            Map<String, Object> bench = new LinkedHashMap<>();
            bench.put("model", "demo " + stem(ref.path()));
            bench.put("type", t.label());
            bench.put("parameters", f.parameterCount());
            bench.put("model_bytes", f.tensorBytes());
            bench.put("threads", pool.threads());
            bench.put("pp" + BENCH.promptTokens(), r.pp().median());
            bench.put("tg" + BENCH.genTokens(), r.tg().median());
            bench.put("peak_rss_bytes", rss);
            bench.put("kv_cache_bytes", r.kvCacheBytes());
            bench.put("energy", BenchRunner.energy(energy, (long) (BENCH.promptTokens() + BENCH.genTokens()) * (BENCH.reps() + 1)));
            bench.put("figures", "measured");
            row.put("bench", bench);
            return row;
        }
    }

    /** The verdict's case as a roi result, for the report's ROI section and sensitivity curve. */
    private static Map<String, Object> roiOf(CostModel.Result r) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("scenario", r.scenario().name());
        j.put("title", r.scenario().title() + " (fastest format's measured throughput)");
        j.put("ratio", r.ratio());
        j.put("verdict", r.verdict().word());
        j.put("cases", List.of(RoiCommand.caseJson(r)));
        j.put("sources", r.scenario().sources());
        j.put("assumptions", r.scenario().assumptions());
        return j;
    }
}
