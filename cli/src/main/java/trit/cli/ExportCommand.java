package trit.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trit.TritException;
import trit.tensor.GgmlType;
import trit.train.Exporter;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write a training checkpoint as a model GGUF (llama.cpp's bitnet architecture) that trit and llama.cpp run.",
                "Ternary checkpoints: tq2_0 | tq1_0 | i2_s (codes plus per-tensor f32 scales), or f32/f16. FP32 checkpoints: f32 | f16."})
final class ExportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CKPT") Path checkpoint;
    @Parameters(index = "1", paramLabel = "OUT.gguf") Path out;
    @Option(names = "--type", required = true, paramLabel = "TYPE", description = "tq2_0 | tq1_0 | i2_s | f32 | f16") String type;
    @Option(names = "--embedding-type", paramLabel = "TYPE", defaultValue = "f16", description = "Token embedding (= output): f16 (default) | q8_0 | f32.")
    String embeddingType;
    @Option(names = "--tokenizer", required = true, paramLabel = "TOK", description = "The tokenizer GGUF the model was trained with, or 'bytes'.")
    String tokenizer;
    @picocli.CommandLine.Mixin ThreadsOption threads = new ThreadsOption();
    @Option(names = "--json", description = "Print one JSON object.") boolean json;
    @Spec CommandSpec spec;

    private static GgmlType parse(String name, String flag) {
        GgmlType t = GgmlType.byName(name);
        if (t == null) throw new TritException(flag + " " + name + " is not a tensor type");
        return t;
    }

    @Override
    public Integer call() {
        GgmlType t = parse(type, "--type"), e = parse(embeddingType, "--embedding-type");
        TrainCommand.Tok tok = TrainCommand.loadTokenizer(tokenizer);
        Exporter.Result r = Exporter.export(checkpoint, out, t, e, tok.meta(), threads.get());
        var o = spec.commandLine().getOut();
        long size = out.toFile().length();
        if (json) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("output", out.toString());
            j.put("type", t.label());
            j.put("embedding_type", e.label());
            j.put("parameters", r.parameters());
            j.put("file_bytes", size);
            o.println(Json.write(j));
        } else {
            o.println("wrote " + out + ": " + Text.grouped(r.parameters()) + " parameters, matrices " + t.label() + ", embedding "
                    + e.label() + ", " + Text.bytes(size));
        }
        o.flush();
        return Main.EXIT_OK;
    }
}
