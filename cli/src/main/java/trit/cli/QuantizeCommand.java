package trit.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trit.TritException;
import trit.model.ModelQuantizer;
import trit.tensor.GgmlType;

@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = {"Re-encode a model's weight matrices to another type. Norms and 1-D tensors stay as they are.",
                "Ternary targets (tq2_0, tq1_0, i2_s) ternarize each matrix with BitNet b1.58's absmean rule",
                "(lossless for an already-ternary model) and keep the token embedding and output at q8_0."})
final class QuantizeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN.gguf") Path in;
    @Parameters(index = "1", paramLabel = "OUT.gguf") Path out;

    @Option(names = "--type", required = true, paramLabel = "TYPE",
            description = "tq2_0 | tq1_0 | i2_s | q4_0 | q8_0 | f16 | bf16 | f32")
    String type;

    @Option(names = "--keep-output-type", description = "Leave token_embd.weight and output.weight in their source type.")
    boolean keepOutputType;

    @picocli.CommandLine.Mixin ThreadsOption threads = new ThreadsOption();

    @Option(names = "--json", description = "Print one JSON object with the per-tensor results.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "No progress line.")
    boolean quiet;

    @Spec CommandSpec spec;

    static GgmlType parseTarget(String type) {
        GgmlType t = GgmlType.byName(type);
        if (t == null || !ModelQuantizer.TARGETS.contains(t)) {
            throw new TritException("--type " + type + " is not a quantization target (choose one of "
                    + String.join(", ", ModelQuantizer.TARGETS.stream().map(GgmlType::label).toList()) + ")");
        }
        return t;
    }

    @Override
    public Integer call() {
        GgmlType target = parseTarget(type);
        ModelQuantizer.Options o = new ModelQuantizer.Options(target, keepOutputType, threads.get());
        var err = spec.commandLine().getErr();
        var stdout = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        ModelQuantizer.Result r;
        try (Progress p = new Progress(err, quiet || json)) {
            r = ModelQuantizer.quantize(in, out, o, p::update);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (json) {
            stdout.println(Json.write(json(r, seconds)));
        } else {
            stdout.print(text(r, seconds));
        }
        stdout.flush();
        return Main.EXIT_OK;
    }

    private String text(ModelQuantizer.Result r, double seconds) {
        StringBuilder b = new StringBuilder();
        Text.Table t = new Text.Table("tensor", "from", "to", "bytes before", "bytes after", "zeros", "note").left(1, 2, 6);
        for (ModelQuantizer.TensorResult x : r.tensors()) {
            if (x.from() == x.to() && x.note() == null && !x.to().isTernary()) continue;
            t.row(x.name(), x.from().label(), x.to().label(), Text.grouped(x.bytesBefore()), Text.grouped(x.bytesAfter()),
                    Double.isNaN(x.zeroFraction()) ? "" : Text.fixed(100 * x.zeroFraction(), 1) + "%",
                    x.note() == null ? "" : x.note());
        }
        b.append(t.render(""));
        double ratio = (double) r.fileBytesBefore() / Math.max(1, r.fileBytesAfter());
        b.append(String.format("%s -> %s: %s -> %s (%.2fx %s) in %.1f s%n", in, out,
                Text.bytes(r.fileBytesBefore()), Text.bytes(r.fileBytesAfter()),
                ratio >= 1 ? ratio : 1 / ratio, ratio >= 1 ? "smaller" : "larger", seconds));
        if (r.ternaryElements() > 0) {
            b.append(String.format("ternary weights: %s, of which zero: %.2f%%%n",
                    Text.grouped(r.ternaryElements()), 100.0 * r.zerosOverTernary() / r.ternaryElements()));
        }
        return b.toString();
    }

    private Map<String, Object> json(ModelQuantizer.Result r, double seconds) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("input", in.toString());
        j.put("output", out.toString());
        j.put("type", parseTarget(type).label());
        j.put("bytes_before", r.fileBytesBefore());
        j.put("bytes_after", r.fileBytesAfter());
        j.put("seconds", seconds);
        j.put("ternary_elements", r.ternaryElements());
        j.put("zero_fraction", r.ternaryElements() == 0 ? null : (double) r.zerosOverTernary() / r.ternaryElements());
        List<Object> ts = new java.util.ArrayList<>();
        for (ModelQuantizer.TensorResult x : r.tensors()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", x.name());
            m.put("from", x.from().label());
            m.put("to", x.to().label());
            m.put("elements", x.elements());
            m.put("bytes_before", x.bytesBefore());
            m.put("bytes_after", x.bytesAfter());
            if (!Double.isNaN(x.zeroFraction())) m.put("zero_fraction", x.zeroFraction());
            if (x.note() != null) m.put("note", x.note());
            ts.add(m);
        }
        j.put("tensors", ts);
        return j;
    }
}
