package trit.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trit.TritException;
import trit.gguf.GgufFile;
import trit.gguf.GgufValue;
import trit.kernel.Parallel;
import trit.tokenizer.Tokenizer;
import trit.train.Checkpoint;
import trit.train.FmaPeak;
import trit.train.TokenizerMeta;
import trit.train.TrainConfig;
import trit.train.Trainer;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a BitNet b1.58 model (ternary quantization-aware training) or an FP32 baseline from text.",
                "Settings come from --config FILE (key=value lines, keys as the flags without dashes) and flags,",
                "flags winning. Progress: step, loss, validation loss, tokens/s, MFU against the measured FMA peak, ETA."})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--train", required = true, paramLabel = "FILE", description = "Training text (UTF-8).") Path trainFile;
    @Option(names = "--valid", required = true, paramLabel = "FILE", description = "Validation text (UTF-8).") Path validFile;
    @Option(names = "--tokenizer", required = true, paramLabel = "TOK",
            description = "A GGUF holding tokenizer.ggml.* metadata, or 'bytes' for the built-in byte-level vocabulary (258 tokens).")
    String tokenizer;
    @Option(names = "--config", paramLabel = "FILE", description = "key=value settings (dim, layers, heads, kv-heads, ffn, ctx, batch, steps, lr, warmup, schedule, weight-decay, clip, seed, mode, eval-every, eval-batches).")
    Path config;

    @Option(names = "--dim") String dim;
    @Option(names = "--layers") String layers;
    @Option(names = "--heads") String heads;
    @Option(names = "--kv-heads") String kvHeads;
    @Option(names = "--ffn") String ffn;
    @Option(names = "--ctx") String ctx;
    @Option(names = "--batch", description = "Sequences per step.") String batch;
    @Option(names = "--steps") String steps;
    @Option(names = "--lr", description = "Peak learning rate (default 1.5e-3 ternary, 6e-4 fp32).") String lr;
    @Option(names = "--warmup", description = "Linear warm-up steps (default steps/20).") String warmup;
    @Option(names = "--schedule", description = "cosine | two-stage (BitNet: lr drop and no weight decay in the second half).") String schedule;
    @Option(names = "--weight-decay") String weightDecay;
    @Option(names = "--clip", description = "Global gradient-norm clip (0: off).") String clip;
    @Option(names = "--seed") String seed;
    @Option(names = "--mode", description = "ternary | fp32") String mode;
    @Option(names = "--eval-every", paramLabel = "N", description = "Validation loss every N steps.") String evalEvery;
    @Option(names = "--eval-batches", paramLabel = "N", description = "Batches in a validation pass.") String evalBatches;

    @Option(names = "--checkpoint", paramLabel = "PATH", description = "Checkpoint file, written atomically every --every steps and at the end.")
    Path checkpoint;
    @Option(names = "--every", paramLabel = "N", defaultValue = "0", description = "Checkpoint interval in steps (0: only at the end).")
    int every;
    @Option(names = "--resume", paramLabel = "CKPT", description = "Continue a checkpoint exactly (its settings; flags given must match).")
    Path resume;
    @Option(names = "--remeasure-peak", description = "Measure the FMA peak again instead of reading the cache.") boolean remeasure;

    @picocli.CommandLine.Mixin ThreadsOption threads = new ThreadsOption();
    @Option(names = "--json", description = "Print one JSON object at the end.") boolean json;
    @Option(names = {"-q", "--quiet"}, description = "No progress line.") boolean quiet;
    @Spec CommandSpec spec;

    private Map<String, String> settings() {
        Map<String, String> m = new LinkedHashMap<>();
        if (config != null) m.putAll(TrainConfig.readFile(config));
        String[][] flags = {{"dim", dim}, {"layers", layers}, {"heads", heads}, {"kv-heads", kvHeads}, {"ffn", ffn}, {"ctx", ctx},
                {"batch", batch}, {"steps", steps}, {"lr", lr}, {"warmup", warmup}, {"schedule", schedule},
                {"weight-decay", weightDecay}, {"clip", clip}, {"seed", seed}, {"mode", mode}, {"eval-every", evalEvery},
                {"eval-batches", evalBatches}};
        for (String[] f : flags) if (f[1] != null) m.put(f[0], f[1]);
        return m;
    }

    /** Token ids of a text file under the chosen tokenizer. */
    static int[] tokenize(Path file, Tokenizer tok) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TritException(file + ": cannot read (" + e.getMessage() + ")");
        }
        if (tok != null) return tok.encode(text, false, false);
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[b.length];
        for (int i = 0; i < b.length; i++) ids[i] = b[i] & 0xff;
        return ids;
    }

    /** The tokenizer metadata and, for a file, the tokenizer itself (null for the built-in bytes, whose ids are the bytes). */
    record Tok(Map<String, GgufValue> meta, Tokenizer tokenizer) {}

    static Tok loadTokenizer(String spec) {
        if (spec.equals(TokenizerMeta.BUILT_IN_BYTES)) return new Tok(TokenizerMeta.byteLevel(), null);
        try (GgufFile f = GgufFile.open(Path.of(spec))) {
            return new Tok(TokenizerMeta.from(f), Tokenizer.fromGguf(f));
        }
    }

    @Override
    public Integer call() {
        if (every < 0) throw new TritException("--every must not be negative");
        if (checkpoint != null && resume == null && Files.exists(checkpoint) && Files.isDirectory(checkpoint)) {
            throw new TritException(checkpoint + " is a directory");
        }
        var err = spec.commandLine().getErr();
        var out = spec.commandLine().getOut();
        Tok tok = loadTokenizer(tokenizer);
        String hash = TokenizerMeta.hash(tok.meta());
        int vocab = TokenizerMeta.vocabSize(tok.meta());
        Map<String, String> settings = settings();
        if (resume == null) TrainConfig.from(settings);   // bad settings fail before the corpus is read
        int[] train = tokenize(trainFile, tok.tokenizer());
        int[] valid = tokenize(validFile, tok.tokenizer());
        try (Parallel pool = Parallel.create(threads.get())) {
            Trainer t = resume != null
                    ? Checkpoint.load(resume, settings, train, valid, hash, pool)
                    : new Trainer(TrainConfig.from(settings), vocab, train, valid, hash, pool);
            FmaPeak.Result peak = FmaPeak.get(pool, remeasure);
            Trainer.Result r;
            try (Progress p = new Progress(err, quiet || json)) {
                r = t.run(checkpoint, every, peak.flopsPerSecond(), pr -> p.update(String.format(java.util.Locale.ROOT,
                        "step %d/%d loss %.3f val %s | %s tok/s | MFU %.1f%% | ETA %s", pr.step(), pr.steps(), pr.loss(),
                        Double.isNaN(pr.valLoss()) ? "-" : String.format(java.util.Locale.ROOT, "%.3f", pr.valLoss()),
                        Text.grouped(Math.round(pr.tokensPerSecond())), 100 * pr.mfu(), duration(pr.etaSeconds()))));
            }
            if (json) {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("final_loss", r.finalLoss());
                j.put("val_loss", r.valLoss());
                j.put("steps", r.steps());
                j.put("tokens", r.tokens());
                j.put("tokens_per_second", r.tokensPerSecond());
                j.put("mfu", r.mfu());
                j.put("seconds", r.seconds());
                j.put("parameters", r.parameters());
                j.put("flops_per_token", t.model().shape().flopsPerToken());
                j.put("peak_flops_per_second", r.peakFlops());
                j.put("threads", pool.threads());
                j.put("mode", t.config().ternary() ? "ternary" : "fp32");
                j.put("checkpoint", checkpoint == null ? null : checkpoint.toString());
                out.println(Json.write(j));
            } else {
                out.printf(java.util.Locale.ROOT, "trained %s parameters (%s) to step %d: loss %.4f, validation loss %.4f%n",
                        Text.grouped(r.parameters()), t.config().ternary() ? "ternary" : "fp32", r.steps(), r.finalLoss(), r.valLoss());
                out.printf(java.util.Locale.ROOT, "%s tokens in %.1f s: %s tokens/s, MFU %.1f%% of a measured %.1f GFLOP/s FMA peak (%d threads)%n",
                        Text.grouped(r.tokens()), r.seconds(), Text.grouped(Math.round(r.tokensPerSecond())), 100 * r.mfu(),
                        r.peakFlops() / 1e9, pool.threads());
                if (checkpoint != null) out.println("checkpoint: " + checkpoint);
            }
            out.flush();
        }
        return Main.EXIT_OK;
    }

    static String duration(double s) {
        if (!Double.isFinite(s)) return "-";
        long x = Math.round(s);
        return x >= 3600 ? x / 3600 + "h" + (x % 3600) / 60 + "m" : x >= 60 ? x / 60 + "m" + x % 60 + "s" : x + "s";
    }
}
