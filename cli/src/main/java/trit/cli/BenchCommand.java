package trit.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trit.bench.MemoryBandwidth;
import trit.bench.ModelBench;
import trit.gguf.GgufFile;
import trit.kernel.Parallel;
import trit.roi.EnergyMeter;
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

    @Option(names = "--watts-per-core", paramLabel = "W", defaultValue = "" + EnergyMeter.DEFAULT_WATTS_PER_CORE,
            description = "Power model for the energy estimate when RAPL cannot be read (default: ${DEFAULT-VALUE} W per busy core).")
    double wattsPerCore;

    @picocli.CommandLine.Mixin HistoryOption history = new HistoryOption();

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        ModelBench.Options opts = new ModelBench.Options(p, n, reps, 1234);
        int nThreads = threads.get();
        var out = spec.commandLine().getOut();
        try (Parallel pool = Parallel.create(nThreads); Progress progress = new Progress(spec.commandLine().getErr(), quiet || json)) {
            GgmlType synthType = source.synthetic != null ? QuantizeCommand.parseTarget(type) : null;
            EnergyMeter.start(wattsPerCore); // validates the flag before minutes of work
            try (GgufFile f = BenchRunner.open(source.model, source.synthetic, synthType, nThreads, progress::update)) {
                String label = source.synthetic != null ? "synthetic " + source.synthetic : source.model.toString();
                BenchRunner.Measured x = BenchRunner.run(f, label, source.synthetic, synthType, opts, pool, remeasure, wattsPerCore,
                        progress::update);
                progress.close();
                Map<String, Object> j = BenchRunner.json(x);
                history.append("bench", j);
                if (json) out.println(Json.write(j));
                else out.print(text(x));
                out.flush();
            }
        }
        return Main.EXIT_OK;
    }

    private String text(BenchRunner.Measured x) {
        ModelBench.Result r = x.result();
        StringBuilder b = new StringBuilder();
        Text.Table t = new Text.Table("model", "type", "size", "params", "threads", "test", "t/s (median)", "min-max").left(1);
        String size = Text.bytes(x.modelBytes()), params = Text.count(x.parameters());
        if (r.pp() != null) t.row(x.label(), x.type(), size, params, x.threads(), "pp" + p, Text.fixed(r.pp().median(), 2),
                Text.fixed(r.pp().min(), 1) + "-" + Text.fixed(r.pp().max(), 1));
        if (r.tg() != null) t.row(x.label(), x.type(), size, params, x.threads(), "tg" + n, Text.fixed(r.tg().median(), 2),
                Text.fixed(r.tg().min(), 1) + "-" + Text.fixed(r.tg().max(), 1));
        b.append(t.render(""));
        b.append(String.format("measured over %d runs after a warm-up:%n", reps));
        if (r.ttftMs() != null) b.append(String.format("  time to first token (pp%d)   %.1f ms%n", p, r.ttftMs().median()));
        if (r.tpotMs() != null) b.append(String.format("  time per output token       %.2f ms%n", r.tpotMs().median()));
        b.append(String.format("  peak RSS                    %s (weights %s + KV cache %s)%n", Text.bytes(x.peakRss()),
                Text.bytes(x.modelBytes()), Text.bytes(r.kvCacheBytes())));
        b.append(String.format("  weights read per token      %s%n", Text.bytes(r.weightBytesPerToken())));
        MemoryBandwidth.Result bw = x.bandwidth();
        b.append(String.format("  memory bandwidth            %.1f GB/s on %d threads (%s, %s)%n", bw.gbPerSecond(), bw.threads(),
                bw.cached() ? "measured " + bw.measuredOn() + ", cached" : "measured now", "read-only stream"));
        if (r.tg() != null) {
            b.append(String.format("  tg roofline                 %.1f tokens/s; tg%d reaches %.0f%% of it%n", x.roofline(), n,
                    100 * r.tg().median() / x.roofline()));
        }
        EnergyMeter.Reading e = x.energy();
        b.append(String.format("  energy per token            %.3f J (%s: %s, over %d tokens incl. warm-up)%n",
                e.joulesPer(x.tokensProcessed()), e.label(), e.method(), x.tokensProcessed()));
        return b.toString();
    }
}
