package trit.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trit.TritException;
import trit.roi.CostModel;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Render the results history as a self-contained HTML report with charts (and the same numbers as JSON):",
                "the latest bench run of each model and format, the latest roi run with its sensitivity, and every run compared."})
final class ReportCommand implements Callable<Integer> {
    @Option(names = "--history", paramLabel = "FILE", description = "History to read (default: $TRIT_HISTORY or reports/history.jsonl).")
    Path historyFile;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "reports", description = "Where to write the report (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Option(names = "--last", paramLabel = "N", defaultValue = "50", description = "Runs of each command to compare (default: ${DEFAULT-VALUE}).")
    int last;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        if (last < 1) throw new TritException("--last must be >= 1, got " + last);
        Path file = History.resolve(historyFile);
        List<Map<String, Object>> runs = History.read(file);
        if (runs.isEmpty()) throw new TritException(file + ": the history holds no runs yet (run trit bench or trit roi first)");
        Map<String, Object> data = data(file, runs, last);
        Path html = HtmlReport.write(outDir, "trit-report", data);
        var out = spec.commandLine().getOut();
        out.println("report: " + html + " (and " + html.getFileName().toString().replace(".html", ".json") + ")");
        out.flush();
        return Main.EXIT_OK;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> data(Path file, List<Map<String, Object>> runs, int last) {
        List<Map<String, Object>> benchRows = new ArrayList<>(), roiRows = new ArrayList<>();
        Map<String, Map<String, Object>> latestPerFormat = new LinkedHashMap<>();
        Map<String, Double> previousTg = new HashMap<>();
        Map<String, Object> latestRoi = null;
        Map<String, Object> machine = null;
        for (Map<String, Object> run : runs) {
            Map<String, Object> r = (Map<String, Object>) run.get("result");
            machine = (Map<String, Object>) run.get("machine");
            if ("bench".equals(run.get("command"))) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("timestamp", run.get("timestamp"));
                row.put("model", r.get("model"));
                row.put("type", r.get("type"));
                row.put("threads", r.get("threads"));
                Double pp = figure(r, "pp"), tg = figure(r, "tg");
                row.put("pp", pp);
                row.put("tg", tg);
                String key = r.get("model") + "|" + r.get("type") + "|" + r.get("threads");
                if (tg != null && previousTg.containsKey(key)) row.put("tg_change", tg / previousTg.get(key) - 1);
                if (tg != null) previousTg.put(key, tg);
                row.put("peak_rss_bytes", r.get("peak_rss_bytes"));
                if (r.get("energy") instanceof Map<?, ?> e) {
                    row.put("joules_per_token", e.get("joules_per_token"));
                    row.put("energy_label", e.get("label"));
                }
                benchRows.add(row);
                if (tg != null) latestPerFormat.put(r.get("model") + "|" + r.get("type"), r);
            } else if ("roi".equals(run.get("command"))) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("timestamp", run.get("timestamp"));
                row.put("scenario", r.get("scenario"));
                row.put("ratio", r.get("ratio"));
                row.put("verdict", r.get("verdict"));
                row.put("ratio_range", r.get("ratio_range"));
                roiRows.add(row);
                latestRoi = r;
            }
        }
        boolean manyModels = latestPerFormat.keySet().stream().map(k -> k.substring(0, k.indexOf('|'))).distinct().count() > 1;
        List<Map<String, Object>> formats = new ArrayList<>();
        for (Map<String, Object> r : latestPerFormat.values()) formats.add(formatRow(r, manyModels));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("title", "trit report");
        d.put("generated", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        d.put("machine", machine);
        d.put("intro", List.of("From the results history " + file + ": the latest bench run of each model and format, the latest roi run, "
                + "and the runs compared."));
        d.put("formats", formats);
        d.put("format_notes", List.of("Speed and peak RSS: measured by trit bench. Memory split: weights and KV cache from the bench, "
                        + "the rest of the peak RSS shown as runtime (JVM, buffers). Cost per 1M tokens: estimated with the text-api scenario's "
                        + "hardware, utilization, workload and prices at each format's measured throughput. Perplexity: not in bench runs."));
        if (latestRoi != null) d.put("roi", latestRoi);
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("file", file.toString());
        h.put("bench", benchRows.subList(Math.max(0, benchRows.size() - last), benchRows.size()));
        h.put("roi", roiRows.subList(Math.max(0, roiRows.size() - last), roiRows.size()));
        d.put("history", h);
        return d;
    }

    private static Map<String, Object> formatRow(Map<String, Object> r, boolean withModel) {
        Map<String, Object> row = new LinkedHashMap<>();
        String type = String.valueOf(r.get("type"));
        row.put("type", withModel ? r.get("model") + " " + type : type);
        double params = HtmlReport.num(r.get("parameters")), bytes = HtmlReport.num(r.get("model_bytes"));
        row.put("bits_per_weight", 8 * bytes / params);
        row.put("file_bytes", r.get("model_bytes"));
        Double pp = figure(r, "pp"), tg = figure(r, "tg");
        row.put("pp", pp);
        row.put("tg", tg);
        row.put("measured_peak_rss_bytes", r.get("peak_rss_bytes"));
        double rss = HtmlReport.num(r.get("peak_rss_bytes")), kv = HtmlReport.num(r.get("kv_cache_bytes"));
        Map<String, Object> mem = new LinkedHashMap<>();
        mem.put("weights", bytes);
        mem.put("kv_cache", kv);
        mem.put("runtime", Math.max(0, rss - bytes - kv));
        row.put("memory", mem);
        row.put("perplexity", null);
        row.put("perplexity_note", "n/a (bench runs do not measure quality)");
        CostModel.Result c = HtmlReport.costAt(tg, pp == null ? 0 : pp, "trit bench: " + r.get("model") + " " + type);
        row.put("cost_per_million_tokens", c.costPerMillionTokens());
        row.put("ratio", c.ratio());
        row.put("verdict", c.verdict().word());
        return row;
    }

    /** The first figure named pp&lt;N&gt; or tg&lt;N&gt;. */
    private static Double figure(Map<String, Object> r, String prefix) {
        for (var e : r.entrySet()) {
            if (e.getKey().matches(prefix + "[0-9]+") && e.getValue() instanceof Number n) return n.doubleValue();
        }
        return null;
    }
}
