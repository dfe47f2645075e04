package trit.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trit.corpus.Corpus;
import trit.corpus.Split;
import trit.tokenizer.BpeTrainer;
import trit.tokenizer.TrainedTokenizer;
import trit.tokenizer.Tokenizer;

@Command(name = "tokenizer", mixinStandardHelpOptions = true,
        description = "Train byte-level BPE tokenizers on the corpus.",
        subcommands = {TokenizerCommand.Train.class})
final class TokenizerCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = {"Train a byte-level BPE vocabulary on the corpus's train split and write it as a GGUF file",
                    "holding only tokenizer metadata (llama.cpp reads it as tokenizer.ggml.model = gpt2)."})
    static final class Train implements Callable<Integer> {
        @Option(names = "--vocab", paramLabel = "N", defaultValue = "4096",
                description = "Vocabulary size, BOS and EOS included (default: ${DEFAULT-VALUE}).")
        int vocab;

        @Option(names = "--corpus", paramLabel = "DIR", description = "Corpus built by trit corpus (default: the shipped one).")
        Path corpus;

        @Option(names = "--pre", paramLabel = "NAME", defaultValue = BpeTrainer.Options.DEFAULT_PRE,
                description = "llama.cpp pre-tokenizer (tokenizer.ggml.pre) to split words with (default: ${DEFAULT-VALUE}).")
        String pre;

        @Option(names = "--out", paramLabel = "FILE.gguf", required = true, description = "Output file.")
        Path out;

        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Option(names = {"-q", "--quiet"}, description = "No progress line.")
        boolean quiet;

        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            BpeTrainer.Options opt = new BpeTrainer.Options(vocab, pre, "<|begin_of_text|>", "<|end_of_text|>");
            Corpus c = corpus == null ? Corpus.shipped() : Corpus.open(corpus);
            String train = c.text(Split.TRAIN), valid = c.text(Split.VALID);
            long t0 = System.nanoTime();
            TrainedTokenizer tt;
            try (Progress p = new Progress(spec.commandLine().getErr(), quiet)) {
                p.update("counting words...");
                BpeTrainer trainer = new BpeTrainer(opt).add(train);
                int target = vocab - 258;
                tt = trainer.train(m -> {
                    if (m % 64 == 0) p.update("merges " + m + " / " + target);
                });
            }
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            String name = out.getFileName().toString().replaceFirst("\\.gguf$", "");
            tt.write(out, name);

            Tokenizer tok = TrainedTokenizer.load(out);
            long t1 = System.nanoTime();
            int[] ids = tok.encode(valid, false, false);
            double encodeSeconds = (System.nanoTime() - t1) / 1e9;
            boolean lossless = tok.decode(ids).equals(valid);
            if (!lossless) throw new IllegalStateException("the trained tokenizer does not round-trip the valid split");
            long validBytes = valid.getBytes(StandardCharsets.UTF_8).length;

            PrintWriter o = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("out", out.toString());
                j.put("vocab_size", tt.vocabSize());
                j.put("merges", tt.mergeCount());
                j.put("pre_tokenizer", tt.preTokenizer());
                j.put("bos_id", tt.bos());
                j.put("eos_id", tt.eos());
                j.put("corpus", c.location());
                j.put("distinct_words", tt.distinctWords());
                j.put("train_seconds", trainSeconds);
                j.put("valid_bytes", validBytes);
                j.put("valid_tokens", ids.length);
                j.put("valid_bytes_per_token", validBytes / (double) ids.length);
                j.put("valid_encode_bytes_per_second", validBytes / encodeSeconds);
                j.put("valid_round_trip", lossless);
                o.println(Json.write(j));
            } else {
                o.printf("%s: %d tokens (%d merges, pre-tokenizer %s, BOS %d, EOS %d), trained in %.1f s on %s words%n",
                        out, tt.vocabSize(), tt.mergeCount(), tt.preTokenizer(), tt.bos(), tt.eos(), trainSeconds,
                        Text.grouped(tt.distinctWords()));
                o.printf("valid split: %s bytes -> %s tokens, %.3f bytes/token (measured), decodes back exactly%n",
                        Text.grouped(validBytes), Text.grouped(ids.length), validBytes / (double) ids.length);
            }
            o.flush();
            return Main.EXIT_OK;
        }
    }
}
