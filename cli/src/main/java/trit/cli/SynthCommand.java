package trit.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trit.TritException;
import trit.gguf.GgufFile;
import trit.model.SyntheticModel;
import trit.tensor.GgmlType;

@Command(name = "synth", mixinStandardHelpOptions = true,
        description = {"Write a random-weight model with the exact shape of a published model, to measure speed and",
                "memory before downloading anything. Ternary-valued where the architecture (or type) is ternary."})
final class SynthCommand implements Callable<Integer> {
    @Option(names = "--arch", paramLabel = "NAME", description = "Shape to copy; --list shows them.")
    String arch;

    @Option(names = "--type", paramLabel = "TYPE", defaultValue = "tq2_0",
            description = "Type of the weight matrices (default: ${DEFAULT-VALUE}).")
    String type;

    @Option(names = "--as", paramLabel = "ARCH",
            description = "Write under another architecture with the same tensors, e.g. --as bitnet for llama.cpp, which has no bitnet-b1.58.")
    String as;

    @Option(names = "--list", description = "List the shapes.")
    boolean list;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @picocli.CommandLine.Mixin ThreadsOption threads = new ThreadsOption();

    @Option(names = {"-q", "--quiet"}, description = "No progress line.")
    boolean quiet;

    @Parameters(paramLabel = "OUT.gguf", arity = "0..1")
    Path out;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        var o = spec.commandLine().getOut();
        if (list) {
            Text.Table t = new Text.Table("name", "arch", "params", "dim", "layers", "heads/kv", "ffn", "vocab").left(1);
            for (SyntheticModel.Shape s : SyntheticModel.PRESETS.values()) {
                t.row(s.name(), s.arch().ggufName(), Text.count(s.parameters()), s.dim(), s.layers(),
                        s.heads() + "/" + s.kvHeads(), s.ffn(), s.vocab());
            }
            o.print(t.render(""));
            o.flush();
            return Main.EXIT_OK;
        }
        if (arch == null || out == null) throw new TritException("synth needs --arch NAME and OUT.gguf (or --list)");
        SyntheticModel.Shape s = SyntheticModel.preset(arch);
        if (as != null) {
            trit.model.Architecture a = trit.model.Architecture.byName(as);
            if (a == null || a.subNorms != s.arch().subNorms || a.qkNorm() != s.arch().qkNorm()) {
                throw new TritException("--as " + as + " does not have the tensors of " + s.arch().ggufName());
            }
            s = s.withArch(a);
        }
        GgmlType t = QuantizeCommand.parseTarget(type);
        long t0 = System.nanoTime();
        try (Progress p = new Progress(spec.commandLine().getErr(), quiet)) {
            SyntheticModel.write(s, t, seed, out, threads.get(), name -> p.update("writing " + name));
        }
        try (GgufFile f = GgufFile.open(out)) {
            o.printf("%s: %s, %s parameters, %s (%.3f bits/weight) in %.1f s%n", out, s.name(), Text.count(f.parameterCount()),
                    Text.bytes(f.fileSize()), 8.0 * f.tensorBytes() / f.parameterCount(), (System.nanoTime() - t0) / 1e9);
        }
        o.flush();
        return Main.EXIT_OK;
    }
}
