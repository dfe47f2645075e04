package trit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trit.TritException;
import trit.gguf.GgufFile;
import trit.model.ModelQuantizer;
import trit.model.SyntheticModel;
import trit.model.WeightError;
import trit.tensor.GgmlType;

/**
 * The README's main job. For now: write a small synthetic llama-shaped model, quantize it to every
 * type trit encodes, inspect each file and compare size, bits/weight and weight error side by side.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Write a small synthetic model, quantize it to each type, and compare the files.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the models (default: ${DEFAULT-VALUE}).",
            defaultValue = "out/demo")
    Path outDir;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed of the synthetic weights (default: ${DEFAULT-VALUE}).")
    long seed;

    @picocli.CommandLine.Mixin ThreadsOption threads = new ThreadsOption();

    @Option(names = {"-q", "--quiet"}, description = "No progress line.")
    boolean quiet;

    @Spec CommandSpec spec;

    static final List<GgmlType> TYPES = List.of(GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0,
            GgmlType.TQ2_0, GgmlType.I2_S, GgmlType.TQ1_0);

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int n = threads.get();
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new TritException(outDir + ": cannot create directory (" + e.getMessage() + ")");
        }
        SyntheticModel.Shape shape = SyntheticModel.DEMO;
        Path f32 = outDir.resolve("synthetic-f32.gguf");
        out.printf("trit demo: a synthetic llama-shaped model (dim %d, %d layers, %d heads / %d KV heads, FFN %d, vocab %d),%n"
                        + "random Gaussian weights (seed %d), quantized to each type trit writes.%n%n",
                shape.dim(), shape.layers(), shape.heads(), shape.kvHeads(), shape.ffn(), shape.vocab(), seed);
        SyntheticModel.write(shape, seed, f32);

        Text.Table summary = new Text.Table("type", "file", "bits/weight", "matrix bits/weight", "zeros", "weight error (rel. RMS)");
        try (GgufFile ref = GgufFile.open(f32); Progress progress = new Progress(spec.commandLine().getErr(), quiet)) {
            Inspection base = new Inspection(ref, false);
            section(out, ref, base);
            summary.row("f32", Text.bytes(ref.fileSize()), Text.fixed(base.bitsPerWeight(), 3),
                    Text.fixed(matrixBits(ref), 3), "", "0 (reference)");
            for (GgmlType t : TYPES) {
                Path q = outDir.resolve("synthetic-" + t.label() + ".gguf");
                progress.update("quantizing to " + t.label());
                ModelQuantizer.quantize(f32, q, new ModelQuantizer.Options(t, false, n), null);
                try (GgufFile f = GgufFile.open(q)) {
                    Inspection in = new Inspection(f, true);
                    progress.close();
                    section(out, f, in);
                    String zeros = "";
                    for (var e : in.byType.entrySet()) {
                        if (e.getKey().isTernary() && e.getValue().zeros >= 0) {
                            zeros = Text.fixed(100.0 * e.getValue().zeros / e.getValue().parameters, 1) + "%";
                        }
                    }
                    summary.row(t.label(), Text.bytes(f.fileSize()), Text.fixed(in.bitsPerWeight(), 3),
                            Text.fixed(matrixBits(f), 3), zeros, Text.fixed(WeightError.relativeRms(ref, f), 4));
                }
            }
        }
        out.println("summary (measured on the files written to " + outDir + "):");
        out.print(summary.render("  "));
        out.println();
        out.println("Ternary types keep the token embedding and output matrix at q8_0, so their overall bits/weight");
        out.println("sits above the ternary matrices' own 1.6-2.1. The weight error of ternary types is large on random");
        out.println("Gaussian weights by design: BitNet models are trained ternary, so their weights lose nothing.");
        out.flush();
        return Main.EXIT_OK;
    }

    private static void section(PrintWriter out, GgufFile f, Inspection in) {
        out.println(f.path().getFileName() + "  (" + Text.bytes(f.fileSize()) + ", " + Text.grouped(in.parameters)
                + " parameters, memory to load " + Text.bytes(in.memoryToLoad()) + ")");
        out.print(in.typeTable().render("  "));
        out.println();
    }

    /** Bits per weight over the 2-D matrices only (what the format costs where it applies). */
    static double matrixBits(GgufFile f) {
        long bytes = 0, n = 0;
        for (var t : f.tensors()) {
            if (t.shape().length < 2 || t.name().equals("token_embd.weight") || t.name().equals("output.weight")) continue;
            bytes += t.bytes();
            n += t.elements();
        }
        return n == 0 ? 0 : 8.0 * bytes / n;
    }
}
