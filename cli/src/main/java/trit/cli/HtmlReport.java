package trit.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import trit.roi.CostModel;
import trit.roi.Scenario;

/**
 * The self-contained HTML report (charts inlined as PNG data URIs) and its JSON twin, both made from one
 * map: {@code formats} (one row per weight format: speed, memory, quality, cost), {@code roi} (a roi
 * result), {@code history} (runs compared). Both files are written atomically.
 */
final class HtmlReport {
    private HtmlReport() {}

    /** The default scenario's first case with a measured throughput: what a format costs per 1M tokens. */
    static CostModel.Result costAt(double tg, double pp, String source) {
        Map<String, Object> over = new LinkedHashMap<>();
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("tokens_per_second", tg);
        t.put("prompt_tokens_per_second", pp > 0 ? pp : tg);
        t.put("label", "measured");
        t.put("source", source);
        over.put("throughput", t);
        return CostModel.evaluate(Scenario.expand(Scenarios.builtIn("text-api"), over, Map.of()).getFirst());
    }

    /** Writes NAME-STAMP.html and .json under {@code dir}; returns the HTML path. */
    static Path write(Path dir, String name, Map<String, Object> data) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path html = dir.resolve(name + "-" + stamp + ".html");
        atomically(dir.resolve(name + "-" + stamp + ".json"), Json.write(data));
        atomically(html, render(data));
        return html;
    }

    static void atomically(Path target, String text) {
        trit.AtomicFiles.writeString(target, text);
    }

    @SuppressWarnings("unchecked")
    static String render(Map<String, Object> d) {
        StringBuilder b = new StringBuilder();
        b.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(str(d.get("title"))))
                .append("</title><style>").append(CSS).append("</style></head><body>\n");
        b.append("<h1>").append(esc(str(d.get("title")))).append("</h1>\n");
        b.append("<p class=\"meta\">generated ").append(esc(str(d.get("generated")))).append(" on ")
                .append(esc(machine((Map<String, Object>) d.get("machine")))).append("</p>\n");
        for (Object p : list(d.get("intro"))) b.append("<p>").append(esc(str(p))).append("</p>\n");
        if (d.get("sample") != null) b.append("<h2>Sample</h2><pre>").append(esc(str(d.get("sample")))).append("</pre>\n");
        List<Map<String, Object>> formats = (List<Map<String, Object>>) (List<?>) list(d.get("formats"));
        if (!formats.isEmpty()) formats(b, formats, list(d.get("format_notes")));
        if (d.get("roi") instanceof Map<?, ?> roi) roi(b, (Map<String, Object>) roi);
        if (d.get("history") instanceof Map<?, ?> h) history(b, (Map<String, Object>) h);
        b.append("<p class=\"meta\">Every figure is labelled: <b>measured</b> (timed or read from the OS on this machine), "
                + "<b>stated</b> (an input given by a person or a cited source) or <b>estimated</b> (computed from the inputs shown). "
                + "Charts drawn with XChart. The same numbers are in the JSON file next to this page.</p>\n");
        b.append("</body></html>\n");
        return b.toString();
    }

    private static void formats(StringBuilder b, List<Map<String, Object>> rows, List<Object> notes) {
        b.append("<h2>Formats: speed, memory, quality, cost</h2>\n<table><tr><th>format</th><th>bits/weight</th><th>file</th>"
                + "<th>pp t/s</th><th>tg t/s</th><th>memory planned</th><th>peak RSS</th><th>perplexity</th>"
                + "<th>$ / 1M tokens</th><th>ratio</th><th>verdict</th></tr>\n");
        List<String> types = new ArrayList<>();
        int n = rows.size();
        double[] bits = new double[n], pp = new double[n], tg = new double[n], cost = new double[n];
        Map<String, double[]> mem = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> r = rows.get(i);
            // the demo measures two models: label each format with its model when there is one
            types.add(r.get("model") == null ? str(r.get("type")) : str(r.get("model")) + " " + str(r.get("type")));
            bits[i] = num(r.get("bits_per_weight"));
            pp[i] = num(r.get("pp"));
            tg[i] = num(r.get("tg"));
            cost[i] = num(r.get("cost_per_million_tokens"));
            if (r.get("memory") instanceof Map<?, ?> m) {
                for (var e : m.entrySet()) mem.computeIfAbsent(str(e.getKey()), k -> new double[n])[i] = num(e.getValue()) / (1 << 20);
            }
            b.append("<tr><td>").append(esc(types.get(i))).append("</td><td>").append(Text.fixed(bits[i], 3)).append("</td><td>")
                    .append(r.get("file_bytes") == null ? "-" : Text.bytes((long) num(r.get("file_bytes")))).append("</td><td>")
                    .append(pp[i] > 0 ? Text.fixed(pp[i], 1) : "-").append("</td><td>").append(Text.fixed(tg[i], 1)).append("</td><td>")
                    .append(r.get("planned_bytes") == null ? "-" : Text.bytes((long) num(r.get("planned_bytes")))).append("</td><td>")
                    .append(r.get("measured_peak_rss_bytes") == null ? "-" : Text.bytes((long) num(r.get("measured_peak_rss_bytes"))))
                    .append("</td><td>").append(r.get("perplexity") == null ? esc(str(r.getOrDefault("perplexity_note", "n/a")))
                            : Text.fixed(num(r.get("perplexity")), 2)).append("</td><td>").append(RoiCommand.money(cost[i]))
                    .append("</td><td>").append(RoiCommand.ratio(num(r.get("ratio")))).append("</td><td>")
                    .append(esc(str(r.get("verdict")))).append("</td></tr>\n");
        }
        b.append("</table>\n");
        for (Object note : notes) b.append("<p class=\"note\">").append(esc(str(note))).append("</p>\n");
        b.append(img(Charts.throughputVsBits(types, bits, pp, tg), "throughput against bits per weight"));
        if (!mem.isEmpty()) b.append(img(Charts.memoryByComponent(types, mem, "Memory by component (weights and KV exact, "
                + "activations estimated, runtime measured)"), "memory by component"));
        b.append(img(Charts.bars(types, cost, "Cost per 1M tokens per format (estimated, default scenario)", "$ per 1M tokens"),
                "cost per format"));
    }

    @SuppressWarnings("unchecked")
    private static void roi(StringBuilder b, Map<String, Object> roi) {
        b.append("<h2>Compute ROI: ").append(esc(str(roi.get("scenario")))).append("</h2>\n<p>").append(esc(str(roi.get("title"))))
                .append("</p>\n<table><tr><th>case</th><th>$ / output</th><th>$ / day</th><th>value / output</th><th>ratio</th>"
                        + "<th>verdict</th></tr>\n");
        List<Object> cases = list(roi.get("cases"));
        for (Object o : cases) {
            Map<String, Object> c = (Map<String, Object>) o;
            b.append("<tr><td>").append(esc(str(c.get("name")))).append("</td><td>").append(RoiCommand.money(num(c.get("cost_per_output"))))
                    .append("</td><td>").append(RoiCommand.money(num(c.get("cost_per_day")))).append("</td><td>")
                    .append(RoiCommand.money(num(c.get("value_per_output")))).append("</td><td>").append(RoiCommand.ratio(num(c.get("ratio"))))
                    .append("</td><td class=\"").append(esc(str(c.get("verdict")))).append("\">").append(esc(str(c.get("verdict"))))
                    .append("</td></tr>\n");
        }
        b.append("</table>\n");
        for (Object o : cases) {
            Map<String, Object> c = (Map<String, Object>) o;
            b.append("<p class=\"note\"><b>").append(esc(str(c.get("name")))).append("</b>: ").append(esc(str(c.get("explanation"))));
            if (c.get("inputs") instanceof Map<?, ?> in) {
                b.append("<br>inputs: ");
                for (var e : in.entrySet()) b.append(esc(str(e.getKey()))).append(" = ").append(esc(str(e.getValue()))).append("; ");
            }
            b.append("</p>\n");
        }
        if (!cases.isEmpty()) {
            Map<String, Object> first = (Map<String, Object>) cases.getFirst();
            Map<String, double[][]> curves = new LinkedHashMap<>();
            for (Object s : list(first.get("sensitivity"))) {
                Map<String, Object> cv = (Map<String, Object>) s;
                if (!"multiple".equals(cv.get("unit"))) continue;
                List<Object> pts = list(cv.get("points"));
                double[][] xy = new double[2][pts.size()];
                for (int i = 0; i < pts.size(); i++) {
                    List<Object> p = pointList(pts.get(i));
                    xy[0][i] = num(p.get(0));
                    xy[1][i] = num(p.get(1));
                }
                curves.put(str(cv.get("parameter")), xy);
            }
            if (!curves.isEmpty()) {
                b.append(img(Charts.sensitivity(curves, "Sensitivity of " + str(first.get("name")) + ": the ratio as one input moves "
                        + "(dashed: 0.1)"), "sensitivity curve"));
            }
        }
        b.append("<h3>Sources</h3><ul>");
        for (Object s : list(roi.get("sources"))) b.append("<li>").append(esc(str(s))).append("</li>");
        b.append("</ul><h3>Assumptions</h3><ul>");
        for (Object s : list(roi.get("assumptions"))) b.append("<li>").append(esc(str(s))).append("</li>");
        b.append("</ul>\n");
    }

    @SuppressWarnings("unchecked")
    private static void history(StringBuilder b, Map<String, Object> h) {
        List<Object> bench = list(h.get("bench")), roi = list(h.get("roi"));
        b.append("<h2>Results history</h2><p class=\"note\">").append(esc(str(h.get("file")))).append(": ").append(bench.size())
                .append(" bench and ").append(roi.size()).append(" roi runs shown (newest last). The change is against the previous run of "
                        + "the same model, type and thread count.</p>\n");
        if (!bench.isEmpty()) {
            b.append("<table><tr><th>when</th><th>model</th><th>type</th><th>threads</th><th>pp t/s</th><th>tg t/s</th><th>tg change</th>"
                    + "<th>peak RSS</th><th>J / token</th></tr>\n");
            for (Object o : bench) {
                Map<String, Object> r = (Map<String, Object>) o;
                b.append("<tr><td>").append(esc(str(r.get("timestamp")))).append("</td><td>").append(esc(str(r.get("model"))))
                        .append("</td><td>").append(esc(str(r.get("type")))).append("</td><td>").append(esc(str(r.get("threads"))))
                        .append("</td><td>").append(r.get("pp") == null ? "-" : Text.fixed(num(r.get("pp")), 2)).append("</td><td>")
                        .append(r.get("tg") == null ? "-" : Text.fixed(num(r.get("tg")), 2)).append("</td><td>")
                        .append(r.get("tg_change") == null ? "" : String.format(Locale.ROOT, "%+.1f%%", 100 * num(r.get("tg_change"))))
                        .append("</td><td>").append(r.get("peak_rss_bytes") == null ? "-" : Text.bytes((long) num(r.get("peak_rss_bytes"))))
                        .append("</td><td>").append(r.get("joules_per_token") == null ? "-"
                                : Text.fixed(num(r.get("joules_per_token")), 3) + " (" + esc(str(r.get("energy_label"))) + ")")
                        .append("</td></tr>\n");
            }
            b.append("</table>\n");
        }
        if (!roi.isEmpty()) {
            b.append("<table><tr><th>when</th><th>scenario</th><th>ratio</th><th>verdict</th><th>ratio range over cases</th></tr>\n");
            for (Object o : roi) {
                Map<String, Object> r = (Map<String, Object>) o;
                List<Object> range = list(r.get("ratio_range"));
                b.append("<tr><td>").append(esc(str(r.get("timestamp")))).append("</td><td>").append(esc(str(r.get("scenario"))))
                        .append("</td><td>").append(RoiCommand.ratio(num(r.get("ratio")))).append("</td><td>").append(esc(str(r.get("verdict"))))
                        .append("</td><td>").append(range.size() == 2 ? RoiCommand.ratio(num(range.get(0))) + " - " + RoiCommand.ratio(num(range.get(1))) : "")
                        .append("</td></tr>\n");
            }
            b.append("</table>\n");
        }
    }

    private static List<Object> pointList(Object o) {
        if (o instanceof double[] a) return List.of(a[0], a[1]);
        return list(o);
    }

    private static String img(String dataUri, String alt) {
        return "<figure><img src=\"" + dataUri + "\" alt=\"" + esc(alt) + "\" width=\"" + Charts.W + "\" height=\"" + Charts.H + "\"></figure>\n";
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        if (o instanceof List<?> l) return (List<Object>) l;
        if (o instanceof double[] a) { List<Object> r = new ArrayList<>(); for (double v : a) r.add(v); return r; }
        return List.of();
    }

    static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    static String str(Object o) {
        return o == null ? "" : String.valueOf(o);
    }

    private static String machine(Map<String, Object> m) {
        if (m == null) return "?";
        Object mem = m.get("memory_bytes");
        return m.get("cpu") + ", " + m.get("cores") + " cores, " + (mem instanceof Number n && n.longValue() > 0 ? Text.bytes(n.longValue()) : "?")
                + ", " + m.get("java");
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static final String CSS = "body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}"
            + "table{border-collapse:collapse;margin:1em 0;font-size:14px}th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}"
            + "th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}.meta,.note{color:#555;font-size:13px}"
            + "td.unsustainable{color:#b03a2e;font-weight:600}td.sustainable{color:#1e8449;font-weight:600}"
            + "pre{background:#f7f7f7;padding:1em;white-space:pre-wrap}figure{margin:1em 0}";
}
