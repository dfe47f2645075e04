package trit.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trit.gguf.GgufFile;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show a GGUF model: architecture, metadata, tensor table, parameter count, bits/weight, memory to load.")
final class InspectCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL.gguf", description = "GGUF file (v2 or v3).")
    Path model;

    @Option(names = "--json", description = "Print one JSON object instead of tables.")
    boolean json;

    @Option(names = "--all-metadata", description = "List every metadata key (default: the first 40).")
    boolean allMetadata;

    @Option(names = "--zeros", description = "Decode ternary tensors and report their fraction of zero weights.")
    boolean zeros;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        try (GgufFile f = GgufFile.open(model)) {
            Inspection in = new Inspection(f, zeros);
            var out = spec.commandLine().getOut();
            out.print(json ? Json.write(in.json()) + "\n" : in.text(allMetadata));
            out.flush();
        }
        return Main.EXIT_OK;
    }
}
