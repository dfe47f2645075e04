package trit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trit.TritException;
import trit.corpus.Corpus;
import trit.corpus.Split;
import trit.gguf.GgufFile;
import trit.kernel.Parallel;
import trit.model.Perplexity;
import trit.model.Transformer;
import trit.tokenizer.Tokenizer;

@Command(name = "perplexity", mixinStandardHelpOptions = true,
        description = {"Perplexity and bits per byte of a model on a text file or a split of the corpus",
                "(non-overlapping windows of --ctx tokens, each behind BOS; every token scored once)."})
final class PerplexityCommand implements Callable<Integer> {
    /** Windows default to the model's context, capped here: longer windows cost quadratic attention time. */
    static final int DEFAULT_WINDOW = 512;

    @Mixin ModelOptions model;

    static final class TextSource {
        @Option(names = "--file", paramLabel = "FILE", description = "Evaluate a UTF-8 text file.")
        Path file;

        @Option(names = "--split", paramLabel = "SPLIT", description = "Evaluate a split of the corpus: train, valid or test (default: test).")
        String split;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    TextSource source;

    @Option(names = "--corpus", paramLabel = "DIR", description = "Corpus built by trit corpus (default: the shipped one).")
    Path corpus;

    @Option(names = "--checkpoint", paramLabel = "CKPT",
            description = "Score a training checkpoint with the training forward pass (QAT for ternary checkpoints) instead of a model file.")
    Path checkpoint;

    @Option(names = "--tokenizer", paramLabel = "TOK", description = "Tokenizer GGUF for --checkpoint (default: the shipped one).")
    Path tokenizer;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "No progress line.")
    boolean quiet;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        String label;
        String text;
        if (source != null && source.file != null) {
            label = source.file.toString();
            try {
                text = Files.readString(source.file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new TritException(source.file + ": no such file");
            } catch (IOException e) {
                throw new TritException(source.file + ": cannot read as UTF-8 text (" + e.getMessage() + ")");
            }
        } else {
            Split split = Split.parse(source == null || source.split == null ? "test" : source.split);
            Corpus c = corpus == null ? Corpus.shipped() : Corpus.open(corpus);
            label = split.label() + " split of " + c.location();
            text = c.text(split);
        }
        if (checkpoint != null && model.model != null) throw new TritException("give --model or --checkpoint, not both");
        if (tokenizer != null && checkpoint == null) throw new TritException("--tokenizer goes with --checkpoint (a model file has its own)");
        Path modelPath = checkpoint != null ? checkpoint : model.model();
        PrintWriter o = spec.commandLine().getOut();
        try (Parallel pool = Parallel.create(model.threads())) {
            Perplexity.Result r;
            if (checkpoint != null) {
                Tokenizer tok = tokenizer == null ? trit.tokenizer.TrainedTokenizer.shipped() : trit.tokenizer.TrainedTokenizer.load(tokenizer);
                int ctx = model.context(trit.train.Checkpoint.weights(checkpoint).shape().ctx(), DEFAULT_WINDOW);
                try (Progress p = new Progress(spec.commandLine().getErr(), quiet)) {
                    p.update("scoring " + label + " with the training forward pass...");
                    r = trit.train.QatPerplexity.evaluate(checkpoint, tok, tok.encode(text, false, false), ctx, pool);
                }
            } else {
                try (GgufFile f = GgufFile.open(modelPath)) {
                    Tokenizer tok = Tokenizer.fromGguf(f);
                    Transformer m = Transformer.load(f, pool);
                    int ctx = model.context(m.config().context(), DEFAULT_WINDOW);
                    try (Progress p = new Progress(spec.commandLine().getErr(), quiet)) {
                        p.update("tokenizing " + label + "...");
                        int[] ids = tok.encode(text, false, false);
                        r = Perplexity.evaluate(m, tok, ids, ctx, n -> p.update("scored " + n + " / " + ids.length + " tokens"));
                    }
                }
            }
            if (json) {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("model", modelPath.toString());
                j.put("text", label);
                j.put("perplexity", r.perplexity());
                j.put("bits_per_byte", r.bitsPerByte());
                j.put("nll_per_token", r.meanNll());
                j.put("tokens", r.tokens());
                j.put("bytes", r.bytes());
                j.put("windows", r.windows());
                j.put("ctx", r.context());
                j.put("seconds", r.nanos() / 1e9);
                j.put("tokens_per_second", r.tokensPerSecond());
                j.put("threads", model.threads());
                o.println(Json.write(j));
            } else {
                o.printf("%s on %s: perplexity %.4f, %.4f bits/byte (%s tokens, %s bytes, %d windows of %d tokens)%n",
                        modelPath, label, r.perplexity(), r.bitsPerByte(), Text.grouped(r.tokens()), Text.grouped(r.bytes()),
                        r.windows(), r.context());
                o.printf("[%.1f tokens/s over %.1f s (measured), %d threads]%n", r.tokensPerSecond(), r.nanos() / 1e9, model.threads());
            }
        }
        o.flush();
        return Main.EXIT_OK;
    }
}
