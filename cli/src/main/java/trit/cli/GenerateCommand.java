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
import trit.bdh.BdhGguf;
import trit.bdh.BdhRecurrent;
import trit.bdh.BdhSession;
import trit.gguf.GgufFile;
import trit.kernel.Parallel;
import trit.model.Generator;
import trit.model.TokenSession;
import trit.model.Transformer;
import trit.sample.Sampler;
import trit.sample.SamplerConfig;
import trit.tokenizer.TokenDecoder;
import trit.tokenizer.Tokenizer;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate text from a prompt, streaming it as it is produced.")
final class GenerateCommand implements Callable<Integer> {
    @Mixin ModelOptions model;
    @Mixin SamplingOptions sampling;

    static final class PromptSource {
        @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT", description = "The prompt.")
        String text;

        @Option(names = "--prompt-file", paramLabel = "FILE", description = "Read the prompt from a UTF-8 file.")
        Path file;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    PromptSource prompt;

    @Option(names = {"-n", "--n-predict"}, paramLabel = "N", defaultValue = "128",
            description = "Tokens to generate (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--json", description = "Print one JSON object (token ids, text, log-probabilities, timings) instead of streaming.")
    boolean json;

    @Option(names = "--ignore-eos", description = "Keep generating past end-of-generation tokens.")
    boolean ignoreEos;

    @Spec CommandSpec spec;

    String promptText() {
        if (prompt == null) return "";
        if (prompt.text != null) return prompt.text;
        try {
            return Files.readString(prompt.file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new TritException(prompt.file + ": no such file");
        } catch (IOException e) {
            throw new TritException(prompt.file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** A transformer with its KV cache, or a BDH model's recurrent form (arch bdh). */
    private TokenSession openSession(GgufFile f, Parallel pool) {
        if (BdhGguf.isBdh(f)) {
            return new BdhSession(new BdhRecurrent(BdhGguf.read(f), true), model.context(Integer.MAX_VALUE));
        }
        Transformer m = Transformer.load(f, pool);
        return m.newSession(model.context(m.config().context()));
    }

    @Override
    public Integer call() {
        if (n < 0) throw new TritException("-n must be >= 0, got " + n);
        SamplerConfig sc = sampling.config();
        String text = promptText();
        PrintWriter out = spec.commandLine().getOut();
        try (GgufFile f = GgufFile.open(model.model()); Parallel pool = Parallel.create(model.threads())) {
            Tokenizer tok = Tokenizer.fromGguf(f);
            TokenSession s = openSession(f, pool);
            int[] ids = tok.encode(text, true, true);
            Generator.checkFits(s, ids.length, n);
            TokenDecoder dec = tok.decoder();
            StringBuilder all = new StringBuilder();
            if (!json) {
                out.print(text);
                out.flush();
            }
            Generator.Result r = Generator.generate(s, ids, n, new Sampler(sc),
                    ignoreEos ? null : tok::isEndOfGeneration,
                    (id, lp) -> {
                        if (!ignoreEos && tok.isEndOfGeneration(id)) return;
                        String piece = dec.next(id);
                        all.append(piece);
                        if (!json) {
                            out.print(piece);
                            out.flush();
                        }
                    });
            all.append(dec.finish());
            if (json) {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("model", model.model().toString());
                j.put("prompt", text);
                j.put("prompt_tokens", r.prompt());
                j.put("generated_tokens", r.tokens());
                j.put("text", all.toString());
                j.put("logprobs", r.logProbs());
                j.put("stop_reason", r.stoppedBy());
                j.put("n_prompt", r.prompt().length);
                j.put("n_generated", r.tokens().length);
                j.put("prompt_seconds", r.promptNanos() / 1e9);
                j.put("generation_seconds", r.genNanos() / 1e9);
                j.put("prompt_tokens_per_second", r.promptTokensPerSecond());
                j.put("generated_tokens_per_second", r.generatedTokensPerSecond());
                j.put("context", s.contextLength());
                j.put("kv_cache_bytes", s.kvCacheBytes());
                j.put("threads", model.threads());
                j.put("seed", sc.seed());
                j.put("temperature", sc.temperature());
                out.println(Json.write(j));
            } else {
                out.println();
                spec.commandLine().getErr().printf("[%d prompt tokens at %.1f tokens/s, %d generated at %.1f tokens/s (measured); KV cache %s]%n",
                        r.prompt().length, r.promptTokensPerSecond(), r.tokens().length, r.generatedTokensPerSecond(),
                        Text.bytes(s.kvCacheBytes()));
            }
            out.flush();
        }
        return Main.EXIT_OK;
    }
}
