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
 * The README's main job: trit's shipped BitNet b1.58 model and its FP32 baseline (same shape, same
 * training tokens), a short generated sample, then each in its formats (the baseline at F32, Q8_0, Q4_0
 * and post-training TQ2_0; the ternary model at TQ2_0, TQ1_0, I2_S), each measured for speed, memory and
 * test-split perplexity, priced on the default scenario; one table, and the full HTML report. With
 * {@code --model}, that model is quantized to each format instead.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The main job: generate a sample, then measure the model in each format (speed, memory, quality),",
                "price it on the default scenario, print one table and write the HTML report under reports/."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = {"-m", "--model"}, paramLabel = "MODEL.gguf",
            description = "A model to quantize to each format (default: trit's shipped ternary model and its FP32 baseline).")
    Path model;

    @Option(names = "--synthetic", paramLabel = "NAME",
            description = "Use a synthetic model of a preset shape instead (random weights, written to --out as F32; see trit synth --list).")
    String synthetic;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/demo", description = "Where to write the model files (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Option(names = "--report-dir", paramLabel = "DIR", defaultValue = "reports", description = "Where to write the report (default: ${DEFAULT-VALUE}).")
    Path reportDir;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed of synthetic weights (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--ppl-tokens", paramLabel = "N", defaultValue = "8192",
            description = "Tokens of the corpus test split scored for perplexity per format (0: skip; default: ${DEFAULT-VALUE}).")
    int pplTokens;

    @Mixin ThreadsOption threads = new ThreadsOption();
    @Mixin HistoryOption history = new HistoryOption();

    @Option(names = {"-q", "--quiet"}, description = "No progress line.")
    boolean quiet;

    @Spec CommandSpec spec;

    static final ModelBench.Options BENCH = new ModelBench.Options(32, 16, 3, 1234);
    static final String PROMPT = "It is a truth universally acknowledged";

    /** One row of the table: a model file in one format, made from {@code source} unless shipped. */
    record Variant(String model, GgmlType type, Path file, Path source, Path reference) {}

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int n = threads.get();
        long t0 = System.nanoTime();
        if (pplTokens < 0) throw new TritException("--ppl-tokens must be 0 or more, got " + pplTokens);
        if (model != null && synthetic != null) throw new TritException("give --model or --synthetic, not both");
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new TritException(outDir + ": cannot create directory (" + e.getMessage() + ")");
        }
        List<Variant> variants = variants(out);
        Path sampleModel = variants.stream().filter(v -> v.source() == null).reduce((a, b) -> b).orElseThrow().file();
        List<Map<String, Object>> rows = new ArrayList<>();
        String sample;
        boolean random = synthetic != null;
        try (Parallel pool = Parallel.create(n); Progress progress = new Progress(spec.commandLine().getErr(), quiet)) {
            progress.update("generating a sample");
            try (GgufFile f = GgufFile.open(sampleModel)) {
                sample = sample(f, pool);
            }
            progress.close();
            out.println("sample from " + sampleModel.getFileName() + " (greedy, " + SAMPLE_TOKENS + " tokens): " + PROMPT + sample);
            out.println();
            int step = 0;
            for (Variant v : variants) {
                step++;
                String stepLabel = "[" + step + "/" + variants.size() + "] " + v.model() + " " + v.type().label();
                if (v.source() != null) {
                    progress.update(stepLabel + ": quantizing");
                    // re-encoding the ternary model keeps its embedding as trained, so only the matrices' container changes
                    boolean keepEmbedding = "ternary".equals(v.model());
                    ModelQuantizer.quantize(v.source(), v.file(), new ModelQuantizer.Options(v.type(), keepEmbedding, n), null);
                }
                try (GgufFile ref = GgufFile.open(v.reference())) {
                    rows.add(measure(ref, v, pool, random, s -> progress.update(stepLabel + ": " + s)));
                }
            }
        }
        for (Map<String, Object> r : rows) {
            Map<String, Object> bench = (Map<String, Object>) r.remove("bench");
            history.append("bench", bench);
        }
        String pplHeader = pplTokens > 0 && !random ? "test ppl (" + pplTokens + " tok)" : "test ppl";
        Text.Table table = new Text.Table("model", "format", "bits/weight", "file", "pp" + BENCH.promptTokens() + " t/s", "tg" + BENCH.genTokens() + " t/s",
                "memory (plan)", "peak RSS", "weight error", pplHeader, "$/1M tokens", "ratio", "verdict");
        for (Map<String, Object> r : rows) {
            table.row(r.get("model"), r.get("type"), Text.fixed((double) r.get("bits_per_weight"), 3), Text.bytes((long) r.get("file_bytes")),
                    Text.fixed((double) r.get("pp"), 1), Text.fixed((double) r.get("tg"), 1), Text.bytes((long) r.get("planned_bytes")),
                    Text.bytes((long) r.get("measured_peak_rss_bytes")), Text.fixed((double) r.get("weight_error"), 4),
                    r.get("perplexity") == null ? r.get("perplexity_note") : Text.fixed((double) r.get("perplexity"), 2),
                    RoiCommand.money((double) r.get("cost_per_million_tokens")), RoiCommand.ratio((double) r.get("ratio")), r.get("verdict"));
        }
        out.println("each format (" + n + " threads; speed, peak RSS and perplexity measured, memory planned, cost estimated):");
        out.print(table.render("  "));
        Map<String, Object> best = rows.stream().max((a, b) -> Double.compare((double) a.get("tg"), (double) b.get("tg"))).orElseThrow();
        CostModel.Result verdict = (CostModel.Result) best.remove("result");
        rows.forEach(r -> r.remove("result"));
        out.println();
        out.printf(Locale.ROOT, "default scenario (text-api: %s, %.0f%% busy, %s), fastest format %s %s:%n  %s%n",
                verdict.scenario().hardware().name(), 100 * verdict.scenario().utilization(), verdict.scenario().value().describe()
                        .replaceAll(" \\(.*", ""), best.get("model"), best.get("type"), verdict.verdict().explain());
        if (random) out.println("  (random weights: the sample is noise and perplexity is not measured)");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("title", "trit demo: " + (model != null ? model.getFileName() : random ? "synthetic " + synthetic : "the shipped models") + " in every format");
        data.put("generated", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        data.put("machine", Machine.describe());
        data.put("intro", List.of("Each model in each format, measured on this machine with " + n + " threads: pp"
                        + BENCH.promptTokens() + " and tg" + BENCH.genTokens() + " (median of " + BENCH.reps() + " runs after a warm-up), peak RSS "
                        + "of the process during those runs, the planned memory (trit plan), and the perplexity of the first "
                        + pplTokens + " tokens of the corpus test split (trit perplexity --split test scores all of it).",
                "Cost per 1M tokens and the verdict use the text-api scenario (its hardware, utilization, workload and API prices) "
                        + "with each format's measured throughput; see trit roi --scenario text-api."));
        data.put("sample", PROMPT + sample);
        data.put("formats", rows);
        data.put("format_notes", List.of("Perplexity: measured on the first " + pplTokens + " tokens of the test split, windows of the "
                + "model's context. Weight error: relative RMS of the weights against the model's shipped file (re-encoding ternary "
                + "weights is lossless; the baseline's quantized formats show their rounding)."));
        data.put("roi", roiOf(verdict));
        Path html = HtmlReport.write(reportDir, "demo", data);
        out.printf(Locale.ROOT, "%nreport: %s (%.0f s)%n", html, (System.nanoTime() - t0) / 1e9);
        out.flush();
        return Main.EXIT_OK;
    }

    private List<Variant> variants(PrintWriter out) {
        List<Variant> v = new ArrayList<>();
        if (model == null && synthetic == null) {
            Path base = trit.model.DefaultModel.baseline(), tern = trit.model.DefaultModel.ternary();
            out.println("trit demo: trit's shipped BitNet b1.58 model (" + tern.getFileName() + ", trained by trit with quantization-aware"
                    + " training) and its FP32 baseline (" + base.getFileName() + ", same shape and tokens); see docs/QUALITY.md");
            v.add(new Variant("baseline", GgmlType.F32, base, null, base));
            for (GgmlType t : List.of(GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.TQ2_0)) {
                v.add(new Variant("baseline", t, outDir.resolve(stem(base) + "-" + t.label() + ".gguf"), base, base));
            }
            v.add(new Variant("ternary", GgmlType.TQ2_0, tern, null, tern));
            for (GgmlType t : List.of(GgmlType.TQ1_0, GgmlType.I2_S)) {
                v.add(new Variant("ternary", t, outDir.resolve(stem(tern) + "-" + t.label() + ".gguf"), tern, tern));
            }
            return v;
        }
        Path source = model != null ? model : syntheticModel(out);
        String name = stem(source);
        for (GgmlType t : TYPES) {
            boolean self = t == GgmlType.F32 && synthetic != null;
            v.add(new Variant(name, t, self ? source : outDir.resolve(name + "-" + t.label() + ".gguf"), self ? null : source, source));
        }
        return v;
    }

    /** The formats a given model is quantized to: the FP baseline first, then the ternary types. */
    static final List<GgmlType> TYPES = List.of(GgmlType.F32, GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.TQ2_0, GgmlType.TQ1_0, GgmlType.I2_S);

    private Path syntheticModel(PrintWriter out) {
        SyntheticModel.Shape shape = SyntheticModel.preset(synthetic);
        Path f32 = outDir.resolve(synthetic + "-f32.gguf");
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
        // a random model picks arbitrary bytes: show control characters and broken UTF-8 as visible symbols
        StringBuilder shown = new StringBuilder();
        text.codePoints().forEach(c -> shown.appendCodePoint(Character.isISOControl(c) && c != '\n' || c == 0xFFFD ? '\u00B7' : c));
        return shown.toString();
    }

    private Map<String, Object> measure(GgufFile ref, Variant v, Parallel pool, boolean random, java.util.function.Consumer<String> progress) {
        Path file = v.file();
        GgmlType t = v.type();
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
            progress.accept("perplexity");
            OptionalDouble ppl = random || pplTokens == 0 ? OptionalDouble.empty() : perplexity(f, m);
            CostModel.Result cost = HtmlReport.costAt(r.tg().median(), r.pp().median(), "trit demo: " + file.getFileName());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("model", v.model());
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
            row.put("perplexity_note", random ? "n/a (random weights)" : pplTokens == 0 ? "skipped" : "first " + pplTokens + " tokens of the test split");
            row.put("cost_per_million_tokens", cost.costPerMillionTokens());
            row.put("cost_per_million_generated_tokens", cost.costPerMillionGeneratedTokens());
            row.put("ratio", cost.ratio());
            row.put("verdict", cost.verdict().word());
            row.put("energy_joules_per_token", energy.joulesPer(r.tokensProcessed(BENCH)));
            row.put("energy_label", energy.label());
            row.put("result", cost);
            Map<String, Object> bench = new LinkedHashMap<>();
            bench.put("model", "demo " + v.model() + " " + stem(ref.path()));
            bench.put("type", t.label());
            bench.put("parameters", f.parameterCount());
            bench.put("model_bytes", f.tensorBytes());
            bench.put("threads", pool.threads());
            bench.put("pp" + BENCH.promptTokens(), r.pp().median());
            bench.put("tg" + BENCH.genTokens(), r.tg().median());
            bench.put("peak_rss_bytes", rss);
            bench.put("kv_cache_bytes", r.kvCacheBytes());
            bench.put("energy", BenchRunner.energy(energy, r.tokensProcessed(BENCH)));
            bench.put("figures", "measured");
            row.put("bench", bench);
            return row;
        }
    }

    /** Perplexity of the first {@link #pplTokens} tokens of the corpus test split, in windows of the model's context. */
    private OptionalDouble perplexity(GgufFile f, Transformer m) {
        Tokenizer tok = Tokenizer.fromGguf(f);
        String text = trit.corpus.Corpus.load(trit.corpus.Split.TEST);
        // a prefix of the text is enough for the first pplTokens tokens (BPE tokens are under 16 bytes here)
        text = text.substring(0, (int) Math.min(text.length(), 16L * pplTokens));
        int[] all = tok.encode(text, false, false);
        int[] ids = java.util.Arrays.copyOf(all, Math.min(all.length, pplTokens));
        int ctx = Math.min(m.config().context(), 512);
        return OptionalDouble.of(trit.model.Perplexity.evaluate(m, tok, ids, ctx, null).perplexity());
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
