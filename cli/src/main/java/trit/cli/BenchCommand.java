package trit.cli;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trit.TritException;
import trit.bench.MemoryBandwidth;
import trit.bench.ModelBench;
import trit.bench.ProcessMemory;
import trit.gguf.GgufFile;
import trit.gguf.GgufWriter;
import trit.kernel.Parallel;
import trit.model.SyntheticModel;
import trit.model.Transformer;
import trit.tensor.GgmlType;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure prompt processing (pp) and generation (tg) speed, time to first token, time per output",
                "token, peak memory and the memory-bandwidth roofline, with llama-bench's test names (pp64, tg32)."})
final class BenchCommand implements Callable<Integer> {
    static final class Source {
        @Option(names = {"-m", "--model"}, paramLabel = "MODEL.gguf", description = "A GGUF model.")
        Path model;

        @Option(names = "--synthetic", paramLabel = "NAME", description = "A random model of a published shape, built in memory (see trit synth --list).")
        String synthetic;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--type", paramLabel = "TYPE", defaultValue = "tq2_0", description = "Weight type of a --synthetic model (default: ${DEFAULT-VALUE}).")
    String type;

    @Option(names = "-p", paramLabel = "N", defaultValue = "64", description = "Prompt tokens (default: ${DEFAULT-VALUE}; 0 skips pp).")
    int p;

    @Option(names = "-n", paramLabel = "N", defaultValue = "32", description = "Generated tokens (default: ${DEFAULT-VALUE}; 0 skips tg).")
    int n;

    @Option(names = "-r", paramLabel = "N", defaultValue = "5", description = "Repetitions after one warm-up (default: ${DEFAULT-VALUE}).")
    int reps;

    @picocli.CommandLine.Mixin ThreadsOption threads = new ThreadsOption();

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--remeasure-bandwidth", description = "Measure memory bandwidth again instead of using the cached figure.")
    boolean remeasure;

    @Option(names = {"-q", "--quiet"}, description = "No progress line.")
    boolean quiet;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        ModelBench.Options opts = new ModelBench.Options(p, n, reps, 1234);
        int nThreads = threads.get();
        var out = spec.commandLine().getOut();
        try (Parallel pool = Parallel.create(nThreads); Progress progress = new Progress(spec.commandLine().getErr(), quiet || json)) {
            String label;
            GgmlType synthType = null;
            GgufFile f;
            if (source.synthetic != null) {
                SyntheticModel.Shape shape = SyntheticModel.preset(source.synthetic);
                synthType = QuantizeCommand.parseTarget(type);
                GgufWriter w = SyntheticModel.writer(shape, synthType, 1, nThreads);
                Arena arena = Arena.ofShared();
                MemorySegment mem = arena.allocate(w.size(), 64);
                w.writeTo(mem, name -> progress.update("building " + shape.name() + " " + type + ": " + name));
                label = "synthetic " + shape.name();
                f = GgufFile.fromMemory(label, mem, arena);
            } else {
                f = GgufFile.open(source.model);
                label = source.model.toString();
            }
            try (f) {
                Transformer m = Transformer.load(f, pool);
                progress.update("memory bandwidth");
                MemoryBandwidth.Result bw = MemoryBandwidth.get(pool, remeasure);
                System.gc(); // drop the set-up garbage, then count only what the runs themselves hold
                ProcessMemory.resetPeak();
                ModelBench.Result r = ModelBench.run(m, opts, progress::update);
                long rss = ProcessMemory.peakRss();
                progress.close();
                double roofline = bw.gbPerSecond() * 1e9 / r.weightBytesPerToken();
                if (json) {
                    out.println(Json.write(json(label, synthType, f, m, nThreads, r, rss, bw, roofline)));
                } else {
                    out.print(text(label, f, m, nThreads, r, rss, bw, roofline));
                }
                out.flush();
            }
        }
        return Main.EXIT_OK;
    }

    private String typeLabel(GgufFile f) {
        Map<GgmlType, Long> bytes = new LinkedHashMap<>();
        for (var t : f.tensors()) if (t.shape().length >= 2) bytes.merge(t.type(), t.bytes(), Long::sum);
        return bytes.entrySet().stream().max(Map.Entry.comparingByValue()).map(e -> e.getKey().label()).orElse("?");
    }

    private String text(String label, GgufFile f, Transformer m, int threads, ModelBench.Result r, long rss,
                        MemoryBandwidth.Result bw, double roofline) {
        StringBuilder b = new StringBuilder();
        Text.Table t = new Text.Table("model", "type", "size", "params", "threads", "test", "t/s (median)", "min-max").left(1);
        String size = Text.bytes(f.tensorBytes()), params = Text.count(f.parameterCount());
        if (r.pp() != null) t.row(label, typeLabel(f), size, params, threads, "pp" + p, Text.fixed(r.pp().median(), 2),
                Text.fixed(r.pp().min(), 1) + "-" + Text.fixed(r.pp().max(), 1));
        if (r.tg() != null) t.row(label, typeLabel(f), size, params, threads, "tg" + n, Text.fixed(r.tg().median(), 2),
                Text.fixed(r.tg().min(), 1) + "-" + Text.fixed(r.tg().max(), 1));
        b.append(t.render(""));
        b.append(String.format("measured over %d runs after a warm-up:%n", reps));
        if (r.ttftMs() != null) b.append(String.format("  time to first token (pp%d)   %.1f ms%n", p, r.ttftMs().median()));
        if (r.tpotMs() != null) b.append(String.format("  time per output token       %.2f ms%n", r.tpotMs().median()));
        b.append(String.format("  peak RSS                    %s (weights %s + KV cache %s)%n", Text.bytes(rss),
                Text.bytes(f.tensorBytes()), Text.bytes(r.kvCacheBytes())));
        b.append(String.format("  weights read per token      %s%n", Text.bytes(r.weightBytesPerToken())));
        b.append(String.format("  memory bandwidth            %.1f GB/s on %d threads (%s, %s)%n", bw.gbPerSecond(), bw.threads(),
                bw.cached() ? "measured " + bw.measuredOn() + ", cached" : "measured now", "read-only stream"));
        if (r.tg() != null) {
            b.append(String.format("  tg roofline                 %.1f tokens/s; tg%d reaches %.0f%% of it%n", roofline, n,
                    100 * r.tg().median() / roofline));
        }
        return b.toString();
    }

    private Map<String, Object> json(String label, GgmlType synthType, GgufFile f, Transformer m, int threads,
                                     ModelBench.Result r, long rss, MemoryBandwidth.Result bw, double roofline) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("model", label);
        if (source.synthetic != null) j.put("synthetic", source.synthetic);
        j.put("type", synthType != null ? synthType.label() : typeLabel(f));
        j.put("architecture", m.config().arch().ggufName());
        j.put("parameters", f.parameterCount());
        j.put("model_bytes", f.tensorBytes());
        j.put("threads", threads);
        j.put("repetitions", reps);
        if (r.pp() != null) j.put("pp" + p, r.pp().median());
        if (r.tg() != null) j.put("tg" + n, r.tg().median());
        Map<String, Object> tests = new LinkedHashMap<>();
        if (r.pp() != null) tests.put("pp" + p, stats(r.pp()));
        if (r.tg() != null) tests.put("tg" + n, stats(r.tg()));
        j.put("tests", tests);
        if (r.ttftMs() != null) j.put("ttft_ms", r.ttftMs().median());
        if (r.tpotMs() != null) j.put("tpot_ms", r.tpotMs().median());
        j.put("peak_rss_bytes", rss);
        j.put("kv_cache_bytes", r.kvCacheBytes());
        j.put("weight_bytes_per_token", r.weightBytesPerToken());
        j.put("bandwidth_gb_per_s", bw.gbPerSecond());
        j.put("bandwidth_cached", bw.cached());
        j.put("roofline_tg_tokens_per_second", roofline);
        if (r.tg() != null) j.put("roofline_fraction", r.tg().median() / roofline);
        j.put("figures", "measured");
        return j;
    }

    private static Map<String, Object> stats(ModelBench.Stats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("median", s.median());
        m.put("min", s.min());
        m.put("max", s.max());
        m.put("stddev", s.stddev());
        m.put("samples", s.samples());
        return m;
    }
}
