package trit.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trit.TritException;
import trit.gguf.GgufFile;
import trit.model.ModelConfig;
import trit.model.ModelQuantizer;
import trit.model.Session;
import trit.model.SyntheticModel;
import trit.roi.MemoryPlan;
import trit.tensor.GgmlType;

@Command(name = "plan", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Memory planner: weights + KV cache + activations + runtime for inference, and for LoRA training",
                "with --lora-rank. --validate runs trit bench on synthetic models in child processes and compares",
                "the plan with their measured peak RSS."})
final class PlanCommand implements Callable<Integer> {
    static final class Source {
        @Option(names = "--synthetic", paramLabel = "NAME", description = "A synthetic preset (see trit synth --list).") String synthetic;
        @Option(names = {"-m", "--model"}, paramLabel = "MODEL.gguf", description = "A GGUF model (its shape from the metadata).") Path model;
        @Option(names = "--validate", paramLabel = "NAME:TYPE", split = ",", arity = "0..*", fallbackValue = "",
                description = "Measure peak RSS of these synthetic models (default: " + DEFAULT_VALIDATION + ") and compare.")
        List<String> validate;
    }

    static final String DEFAULT_VALIDATION = "bitnet-tiny:tq2_0,bitnet-b1.58-large:tq2_0,bitnet-b1.58-2b4t:i2_s,qwen3-4b:q4_0";

    @ArgGroup(exclusive = true, multiplicity = "1") Source source;

    @Option(names = "--type", paramLabel = "TYPE", description = "Weight type (synthetic: default tq2_0; a model: as if quantized to it).") String type;
    @Option(names = "--ctx", paramLabel = "N", description = "KV cache positions per sequence (default: the model's, at most 4096).") Integer ctx;
    @Option(names = "--batch", paramLabel = "B", defaultValue = "1", description = "Sequences at once (default: ${DEFAULT-VALUE}).") int batch;
    @Option(names = "--prompt-batch", paramLabel = "N", defaultValue = "" + Session.MAX_BATCH,
            description = "Largest prompt chunk per forward pass (default: ${DEFAULT-VALUE}).") int promptBatch;
    @Option(names = "--lora-rank", paramLabel = "R", defaultValue = "0", description = "Also plan LoRA training at this rank.") int loraRank;
    @picocli.CommandLine.Mixin ThreadsOption threads = new ThreadsOption();
    @Option(names = "--json", description = "Print one JSON object.") boolean json;
    @Option(names = {"-q", "--quiet"}, description = "No progress line.") boolean quiet;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        if (source.validate != null) return validate(out);
        MemoryPlan p = plan(source.synthetic, source.model, type, ctx, batch, promptBatch, loraRank);
        if (json) out.println(Json.write(json(p)));
        else out.print(text(p));
        out.flush();
        return Main.EXIT_OK;
    }

    static MemoryPlan plan(String synthetic, Path model, String type, Integer ctx, int batch, int promptBatch, int loraRank) {
        if (synthetic != null) {
            SyntheticModel.Shape s = SyntheticModel.preset(synthetic);
            GgmlType t = QuantizeCommand.parseTarget(type == null ? "tq2_0" : type);
            long[] bytes = MemoryPlan.syntheticBytes(s, t);
            MemoryPlan.Dims d = MemoryPlan.Dims.of(s);
            return MemoryPlan.of(s.name(), t.label(), d, bytes[0], bytes[1], ctx != null ? ctx : Math.min(4096, d.maxContext()),
                    batch, promptBatch, loraRank);
        }
        try (GgufFile f = GgufFile.open(model)) {
            ModelConfig c = ModelConfig.from(f);
            MemoryPlan.Dims d = MemoryPlan.Dims.of(c, f.tensor("output.weight") != null);
            long tensors = type == null ? f.tensorBytes() : ModelQuantizer.plannedTensorBytes(f, QuantizeCommand.parseTarget(type));
            String label = type == null ? BenchRunner.mainType(f) : QuantizeCommand.parseTarget(type).label();
            return MemoryPlan.of(model.toString(), label, d, tensors, Math.max(0, f.fileSize() - f.tensorBytes()),
                    ctx != null ? ctx : Math.min(4096, d.maxContext()), batch, promptBatch, loraRank);
        }
    }

    static Map<String, Object> json(MemoryPlan p) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("model", p.model());
        j.put("type", p.type());
        j.put("context", p.context());
        j.put("sequences", p.sequences());
        j.put("prompt_batch", p.promptBatch());
        j.put("components", p.components());
        j.put("inference_bytes", p.inference());
        if (p.lora() != null) {
            j.put("lora_rank", p.lora().rank());
            j.put("lora_parameters", p.lora().adapterParameters());
            j.put("lora_training_bytes", p.total());
        }
        j.put("total_bytes", p.total());
        j.put("figures", "estimated (weights and KV cache exact; runtime measured once: JVM baseline "
                + MemoryPlan.JVM_BASELINE + " bytes; LoRA estimated)");
        return j;
    }

    private static String text(MemoryPlan p) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "memory plan: %s at %s, context %d, %d sequence%s, prompt chunks of %d%n%n", p.model(), p.type(),
                p.context(), p.sequences(), p.sequences() == 1 ? "" : "s", p.promptBatch()));
        Text.Table t = new Text.Table("component", "bytes", "basis", "how").left(3);
        t.row("weights", Text.bytes(p.weights()), "exact", "tensor bytes, kept in their encoding");
        t.row("KV cache", Text.bytes(p.kvCache()), "exact", "F16 keys and values: 2 x 2 B x layers x context x KV dim per sequence");
        t.row("activations", Text.bytes(p.activations()), "estimated", "session buffers (64-token batch) + quantized matrix inputs + norms");
        t.row("runtime", Text.bytes(p.runtime()), "measured", "JVM baseline (trit bench on bitnet-tiny) + GGUF header");
        t.row("inference", Text.bytes(p.inference()), "", "");
        if (p.lora() != null) {
            MemoryPlan.Lora l = p.lora();
            t.row("LoRA adapters", Text.bytes(l.adapterState()), "estimated",
                    Text.count(l.adapterParameters()) + " params (rank " + l.rank() + ", all 7 matrices) x 16 B: weights, grads, AdamW m and v");
            t.row("LoRA activations", Text.bytes(l.savedActivations()), "estimated", "kept for backward, attention probabilities included");
            t.row("LoRA logits", Text.bytes(l.logits()), "estimated", "logits and their gradient, F32");
            t.row("LoRA training", Text.bytes(p.total()), "", "");
        }
        b.append(t.render("  "));
        return b.toString();
    }

    /** Plans each NAME:TYPE as `trit bench -p 8 -n 4 -r 1` runs it, runs that bench in a child JVM and compares. */
    private int validate(java.io.PrintWriter out) {
        List<String> specs = source.validate.isEmpty() || source.validate.equals(List.of("")) ? List.of(DEFAULT_VALIDATION.split(","))
                : source.validate;
        int n = threads.get();
        List<Map<String, Object>> rows = new ArrayList<>();
        Text.Table t = new Text.Table("model", "type", "weights", "planned", "measured peak RSS", "error");
        try (Progress progress = new Progress(spec.commandLine().getErr(), quiet || json)) {
            for (String s : specs) {
                String[] nt = s.split(":");
                if (nt.length != 2) throw new TritException("--validate takes NAME:TYPE, got '" + s + "'");
                MemoryPlan p = plan(nt[0], null, nt[1], 9, 1, 8, 0);
                progress.update("measuring " + s + " (trit bench -p 8 -n 4 -r 1 in a child process)");
                long rss = measure(nt[0], nt[1], n);
                double err = (double) (p.inference() - rss) / rss;
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("model", nt[0]);
                r.put("type", nt[1]);
                r.put("planned_bytes", p.inference());
                r.put("components", p.components());
                r.put("measured_peak_rss_bytes", rss);
                r.put("relative_error", err);
                rows.add(r);
                t.row(nt[0], nt[1], Text.bytes(p.weights()), Text.bytes(p.inference()), Text.bytes(rss),
                        String.format(Locale.ROOT, "%+.1f%%", 100 * err));
            }
        }
        if (json) {
            out.println(Json.write(Map.of("validation", rows, "command", "trit bench --synthetic NAME --type TYPE -p 8 -n 4 -r 1 --threads " + n,
                    "figures", "planned: estimated; peak RSS: measured")));
        } else {
            out.println("plan (context 9, 8-token prompt chunks, as the bench runs) against measured peak RSS:");
            out.print(t.render("  "));
        }
        return Main.EXIT_OK;
    }

    private static long measure(String name, String type, int threads) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "bench", "--synthetic", name, "--type", type,
                "-p", "8", "-n", "4", "-r", "1", "--threads", Integer.toString(threads), "--json", "--no-history"));
        try {
            Process pr = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String outText = new String(pr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (pr.waitFor() != 0) throw new TritException("trit bench --synthetic " + name + " --type " + type + " failed in the child process");
            var m = new com.fasterxml.jackson.databind.ObjectMapper().readValue(outText, Map.class);
            return ((Number) m.get("peak_rss_bytes")).longValue();
        } catch (IOException e) {
            throw new TritException("cannot run the child bench (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TritException("interrupted");
        }
    }
}
