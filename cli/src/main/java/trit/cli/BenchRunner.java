package trit.cli;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import trit.bench.MemoryBandwidth;
import trit.bench.ModelBench;
import trit.bench.ProcessMemory;
import trit.gguf.GgufFile;
import trit.gguf.GgufWriter;
import trit.kernel.Parallel;
import trit.model.SyntheticModel;
import trit.model.Transformer;
import trit.roi.EnergyMeter;
import trit.tensor.GgmlType;

/** One whole-model measurement (pp/tg, peak RSS, energy), shared by bench, roi and demo. */
final class BenchRunner {
    private BenchRunner() {}

    /** @param energy the energy of every run, warm-up included, over {@link #tokensProcessed} tokens */
    record Measured(String label, String synthetic, String type, String arch, long parameters, long modelBytes,
                    int threads, ModelBench.Options opts, ModelBench.Result result, long peakRss,
                    MemoryBandwidth.Result bandwidth, EnergyMeter.Reading energy) {
        long tokensProcessed() {
            return result.tokensProcessed(opts);
        }

        double roofline() {
            return bandwidth.gbPerSecond() * 1e9 / result.weightBytesPerToken();
        }

        double bitsPerWeight() {
            return 8.0 * modelBytes / parameters;
        }
    }

    /** Opens a GGUF model, or builds {@code synthetic} in memory as {@code type}. */
    static GgufFile open(Path model, String synthetic, GgmlType type, int threads, Consumer<String> progress) {
        if (synthetic == null) return GgufFile.open(model);
        SyntheticModel.Shape shape = SyntheticModel.preset(synthetic);
        GgufWriter w = SyntheticModel.writer(shape, type, 1, threads);
        Arena arena = Arena.ofShared();
        MemorySegment mem = arena.allocate(w.size(), 64);
        w.writeTo(mem, name -> progress.accept("building " + shape.name() + " " + type.label() + ": " + name));
        return GgufFile.fromMemory("synthetic " + shape.name(), mem, arena);
    }

    static Measured run(GgufFile f, String label, String synthetic, GgmlType synthType, ModelBench.Options opts, Parallel pool,
                        boolean remeasureBandwidth, double wattsPerCore, Consumer<String> progress) {
        Transformer m = Transformer.load(f, pool);
        progress.accept("memory bandwidth");
        MemoryBandwidth.Result bw = MemoryBandwidth.get(pool, remeasureBandwidth);
        System.gc(); // drop the set-up garbage, then count only what the runs themselves hold
        ProcessMemory.resetPeak();
        EnergyMeter meter = EnergyMeter.start(wattsPerCore);
        ModelBench.Result r = ModelBench.run(m, opts, progress::accept);
        EnergyMeter.Reading energy = meter.stop();
        long rss = ProcessMemory.peakRss();
        return new Measured(label, synthetic, synthType != null ? synthType.label() : mainType(f), m.config().arch().ggufName(),
                f.parameterCount(), f.tensorBytes(), pool.threads(), opts, r, rss, bw, energy);
    }

    /** The type holding most of the matrix bytes. */
    static String mainType(GgufFile f) {
        Map<GgmlType, Long> bytes = new LinkedHashMap<>();
        for (var t : f.tensors()) if (t.shape().length >= 2) bytes.merge(t.type(), t.bytes(), Long::sum);
        return bytes.entrySet().stream().max(Map.Entry.comparingByValue()).map(e -> e.getKey().label()).orElse("?");
    }

    /** The bench --json object (llama-bench test names), also what the history keeps of a bench run. */
    static Map<String, Object> json(Measured x) {
        ModelBench.Result r = x.result();
        int p = x.opts().promptTokens(), n = x.opts().genTokens();
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("model", x.label());
        if (x.synthetic() != null) j.put("synthetic", x.synthetic());
        j.put("type", x.type());
        j.put("architecture", x.arch());
        j.put("parameters", x.parameters());
        j.put("model_bytes", x.modelBytes());
        j.put("bits_per_weight", x.bitsPerWeight());
        j.put("threads", x.threads());
        j.put("repetitions", x.opts().reps());
        if (r.pp() != null) j.put("pp" + p, r.pp().median());
        if (r.tg() != null) j.put("tg" + n, r.tg().median());
        Map<String, Object> tests = new LinkedHashMap<>();
        if (r.pp() != null) tests.put("pp" + p, stats(r.pp()));
        if (r.tg() != null) tests.put("tg" + n, stats(r.tg()));
        j.put("tests", tests);
        if (r.ttftMs() != null) j.put("ttft_ms", r.ttftMs().median());
        if (r.tpotMs() != null) j.put("tpot_ms", r.tpotMs().median());
        j.put("peak_rss_bytes", x.peakRss());
        j.put("kv_cache_bytes", r.kvCacheBytes());
        j.put("weight_bytes_per_token", r.weightBytesPerToken());
        j.put("bandwidth_gb_per_s", x.bandwidth().gbPerSecond());
        j.put("bandwidth_cached", x.bandwidth().cached());
        j.put("roofline_tg_tokens_per_second", x.roofline());
        if (r.tg() != null) j.put("roofline_fraction", r.tg().median() / x.roofline());
        j.put("energy", energy(x.energy(), x.tokensProcessed()));
        j.put("figures", "measured (energy: see energy.label)");
        return j;
    }

    static Map<String, Object> energy(EnergyMeter.Reading e, long tokens) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("joules", e.joules());
        j.put("tokens", tokens);
        j.put("joules_per_token", e.joulesPer(tokens));
        j.put("cpu_seconds", e.cpuSeconds());
        j.put("wall_seconds", e.wallSeconds());
        j.put("label", e.label());
        j.put("method", e.method());
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
