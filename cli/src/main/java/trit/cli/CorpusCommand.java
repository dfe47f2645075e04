package trit.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trit.TritException;
import trit.corpus.Corpus;
import trit.corpus.CorpusBuilder;
import trit.corpus.Split;

@Command(name = "corpus", mixinStandardHelpOptions = true,
        description = {"Build the training text (train/valid/test + manifest.json) from the Debian packages",
                "r-cran-janeaustenr and bible-kjv-text, and check it against the copy shipped with trit."})
final class CorpusCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/corpus",
            description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--source", paramLabel = "NAME", defaultValue = "all",
            description = "austen, kjv or all (default: ${DEFAULT-VALUE}).")
    String source;

    @Option(names = "--gzip", description = "Write train.txt.gz etc. (as shipped in data/corpus/) instead of plain text.")
    boolean gzip;

    @Option(names = "--austen-data", paramLabel = "BASE", hidden = true,
            description = "janeaustenr's lazy-load data base name (default: Debian's).")
    Path austenData;

    @Option(names = "--kjv-data", paramLabel = "FILE", hidden = true, description = "bible.data (default: Debian's).")
    Path kjvData;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "No progress line.")
    boolean quiet;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        List<CorpusBuilder.Source> sources = CorpusBuilder.Source.parse(source);
        CorpusBuilder.Inputs d = CorpusBuilder.Inputs.debian();
        CorpusBuilder.Inputs in = new CorpusBuilder.Inputs(austenData != null ? austenData : d.austenData(),
                kjvData != null ? kjvData : d.kjvData(), d.dpkgStatus());
        for (CorpusBuilder.Source s : sources) {
            if (!in.has(s)) {
                throw new TritException("the " + s.label + " text is not installed (apt-get install " + s.debianPackage
                        + "); trit ships the built corpus in data/corpus/ (trit.corpus.Corpus.shipped())");
            }
        }
        long t0 = System.nanoTime();
        CorpusBuilder.Built b;
        try (Progress p = new Progress(spec.commandLine().getErr(), quiet)) {
            p.update("reading " + source + "...");
            b = CorpusBuilder.build(sources, in);
            p.update("writing " + out + "...");
            CorpusBuilder.write(b, out, gzip);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;

        // the shipped corpus is built from all sources: compare when this build is too
        Boolean matches = null;
        if (sources.size() == CorpusBuilder.Source.values().length) {
            try {
                Corpus shipped = Corpus.shipped();
                matches = true;
                for (Split s : Split.values()) matches &= shipped.sha256(s).equals(sha(b, s));
            } catch (TritException e) {
                matches = null; // no shipped corpus in this build
            }
        }

        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("out", out.toString());
            j.put("sources", sources.stream().map(s -> s.label).toList());
            Map<String, Object> splits = new LinkedHashMap<>();
            for (Split s : Split.values()) splits.put(s.label(), splitInfo(b, s));
            j.put("splits", splits);
            j.put("matches_shipped", matches);
            j.put("seconds", seconds);
            o.println(Json.write(j));
        } else {
            Text.Table t = new Text.Table("split", "documents", "characters", "bytes", "share", "sha256").left(5);
            for (Split s : Split.values()) {
                Map<String, Object> si = splitInfo(b, s);
                t.row(s.label(), si.get("documents"), Text.grouped((Long) si.get("chars")), Text.grouped((Long) si.get("bytes")),
                        Text.fixed(100 * (Double) si.get("fraction_of_chars"), 1) + "%", ((String) si.get("sha256")).substring(0, 16));
            }
            o.print(t.render(""));
            o.printf("wrote %s (%s, manifest.json) in %.1f s%n", out, gzip ? "*.txt.gz" : "*.txt", seconds);
            if (matches != null) {
                o.println(matches ? "identical to the shipped corpus (data/corpus/manifest.json SHA-256s)"
                        : "DIFFERS from the shipped corpus (data/corpus/manifest.json): the Debian packages or the builder changed");
            }
        }
        o.flush();
        return Main.EXIT_OK;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> splitInfo(CorpusBuilder.Built b, Split s) {
        Map<String, Object> si = new LinkedHashMap<>((Map<String, Object>) ((Map<String, Object>) b.manifest().get("splits")).get(s.label()));
        si.remove("document_ids");
        return si;
    }

    private static String sha(CorpusBuilder.Built b, Split s) {
        return (String) splitInfo(b, s).get("sha256");
    }
}
