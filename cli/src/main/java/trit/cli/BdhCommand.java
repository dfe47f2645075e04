package trit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trit.TritException;
import trit.bdh.AdamW;
import trit.bdh.BdhBench;
import trit.bdh.BdhCheckpoint;
import trit.bdh.BdhConfig;
import trit.bdh.BdhGguf;
import trit.bdh.BdhModel;
import trit.bdh.BdhTrainer;
import trit.kernel.Parallel;

/** BDH (Dragon Hatchling) models: train a byte-level one, compare the dense and sparse kernels. */
@Command(name = "bdh", mixinStandardHelpOptions = true,
        description = "BDH sparse-activation models with Hebbian state: train, benchmark the sparse kernel.",
        subcommands = {BdhCommand.Train.class, BdhCommand.Bench.class})
final class BdhCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Model shape flags shared by train and bench (bench uses them for a random model). */
    static final class Shape {
        @Option(names = "--layers", defaultValue = "4", description = "Block applications (weights shared; default ${DEFAULT-VALUE}).")
        int layers;

        @Option(names = "--dim", defaultValue = "128", description = "Residual width D (default ${DEFAULT-VALUE}).")
        int dim;

        @Option(names = "--heads", defaultValue = "4", description = "Heads (default ${DEFAULT-VALUE}).")
        int heads;

        @Option(names = "--neurons", defaultValue = "512", description = "Neurons per head N, even (default ${DEFAULT-VALUE}).")
        int neurons;

        @Option(names = "--rope-theta", defaultValue = "65536", description = "RoPE base (default ${DEFAULT-VALUE}).")
        double theta;

        BdhConfig config() {
            return new BdhConfig(layers, dim, heads, neurons, 256, theta);
        }
    }

    static byte[] readText(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            throw new TritException(p + ": no such file");
        } catch (IOException e) {
            throw new TritException(p + ": cannot read (" + e.getMessage() + ")");
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train a byte-level BDH language model on a text file and write it as GGUF (arch bdh).")
    static final class Train implements Callable<Integer> {
        @Option(names = "--text", required = true, paramLabel = "FILE", description = "Training text (bytes are tokens).")
        Path text;

        @Option(names = {"-o", "--out"}, required = true, paramLabel = "OUT.gguf", description = "Where to write the model.")
        Path out;

        @Mixin Shape shape;

        @Option(names = "--steps", defaultValue = "200", description = "Optimizer steps (default ${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--seq", defaultValue = "64", description = "Bytes per training window (default ${DEFAULT-VALUE}).")
        int seq;

        @Option(names = "--batch", defaultValue = "8", description = "Windows per step (default ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--lr", defaultValue = "3e-3", description = "Peak learning rate (default ${DEFAULT-VALUE}).")
        double lr;

        @Option(names = "--warmup", defaultValue = "20", description = "Warmup steps (default ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--weight-decay", defaultValue = "0.1", description = "AdamW weight decay (default ${DEFAULT-VALUE}).")
        double weightDecay;

        @Option(names = "--clip", defaultValue = "1.0", description = "Gradient norm clip, 0 = none (default ${DEFAULT-VALUE}).")
        double clip;

        @Option(names = "--val-fraction", defaultValue = "0.1", description = "Tail of the text held out (default ${DEFAULT-VALUE}).")
        double valFraction;

        @Option(names = "--valid", paramLabel = "FILE", description = "Held-out text (then all of --text is trained on and --val-fraction is ignored).")
        Path valid;

        @Option(names = "--eval-every", defaultValue = "50", description = "Held-out loss every N steps (default ${DEFAULT-VALUE}).")
        int evalEvery;

        @Option(names = "--eval-windows", defaultValue = "16", description = "Held-out windows per evaluation (default ${DEFAULT-VALUE}).")
        int evalWindows;

        @Option(names = "--seed", defaultValue = "1", description = "Seed for weights and batches (default ${DEFAULT-VALUE}).")
        long seed;
        @Mixin RunCheckpoints.Options saving = new RunCheckpoints.Options();

        @Mixin ThreadsOption threads;

        @Option(names = "--json", description = "Print one JSON object with the figures.")
        boolean json;

        @Option(names = {"-q", "--quiet"}, description = "No progress line.")
        boolean quiet;

        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            if (!(valFraction >= 0 && valFraction < 1)) throw new TritException("--val-fraction must be in [0, 1), got " + valFraction);
            BdhConfig c = shape.config();
            if (saving.resume != null) RunCheckpoints.refuseShapeFlags(spec.commandLine().getParseResult(), "--layers", "--dim", "--heads", "--neurons", "--rope-theta");
            BdhTrainer.Settings s = new BdhTrainer.Settings(seq, batch, steps, lr, warmup, weightDecay, clip, seed,
                    evalEvery, evalWindows);
            int[] all = BdhTrainer.bytesToTokens(readText(text));
            int nVal = valid != null ? 0 : (int) (all.length * valFraction);
            int[] train = Arrays.copyOfRange(all, 0, all.length - nVal);
            int[] val = valid != null ? BdhTrainer.bytesToTokens(readText(valid)) : Arrays.copyOfRange(all, all.length - nVal, all.length);
            if (valid != null && val.length <= seq) throw new TritException(valid + ": " + val.length + " bytes, shorter than --seq " + seq);
            if (nVal > 0 && val.length <= seq) throw new TritException("held-out part (" + val.length + " bytes) is shorter than --seq " + seq);
            Map<String, String> data = new LinkedHashMap<>();
            data.put("train_bytes", Integer.toString(train.length));
            data.put("train_crc", RunCheckpoints.crc(tokensAsBytes(train)));
            data.put("val_bytes", Integer.toString(val.length));
            data.put("val_crc", RunCheckpoints.crc(tokensAsBytes(val)));
            BdhModel m;
            AdamW opt;
            BdhTrainer.RunState from;
            if (saving.resume != null) {
                BdhCheckpoint.Loaded ck = BdhCheckpoint.load(saving.resume);
                BdhTrainer.Settings stored = BdhTrainer.settingsOf(ck.state());
                RunCheckpoints.checkSameSettings(saving.resume, BdhTrainer.settingsMap(stored), BdhTrainer.settingsMap(s), FLAGS, spec.commandLine().getParseResult());
                RunCheckpoints.checkSameData(saving.resume, ck.state(), data, "give the same --text/--valid/--val-fraction");
                s = BdhTrainer.settingsOf(RunCheckpoints.withSteps(BdhTrainer.settingsMap(stored), spec.commandLine().getParseResult(), steps, err0()));
                m = ck.model();
                if (m.config().vocab() != 256) throw new TritException(saving.resume + ": not a byte-level BDH run (vocabulary " + m.config().vocab() + ")");
                opt = ck.optimizer(s.weightDecay());
                from = BdhTrainer.RunState.fromMap(ck.state());
                c = m.config();
            } else {
                m = BdhModel.random(c, seed);
                opt = new AdamW(weightDecay);
                from = BdhTrainer.RunState.start(seed);
            }
            BdhTrainer.Settings run = s;
            String name = "bdh byte-level (" + text.getFileName() + ")";
            Path ckpt = saving.path(out);
            BdhTrainer.Checkpointer saver = ckpt == null ? null : st -> {
                Map<String, String> state = new LinkedHashMap<>(BdhTrainer.settingsMap(run));
                state.putAll(st.toMap());
                state.putAll(data);
                BdhCheckpoint.save(BdhGguf.writer(m, name, run.seqLen()), m, opt, state, ckpt);
            };
            PrintWriter err = spec.commandLine().getErr();
            double[] lastVal = {from.valLoss()};
            BdhTrainer.Result r;
            try (Parallel pool = Parallel.create(threads.get()); Progress p = new Progress(err, quiet || json)) {
                r = new BdhTrainer(m, opt, pool, run).train(train, val, from, saver, new BdhTrainer.Listener() {
                    @Override
                    public void onStep(int step, double loss, double lrNow, double tps) {
                        p.update(String.format("step %d/%d  loss %.3f  val %.3f  lr %.2e  %.0f bytes/s", step, run.steps(), loss,
                                lastVal[0], lrNow, tps));
                    }

                    @Override
                    public void onEval(int step, double valLoss) {
                        lastVal[0] = valLoss;
                    }
                });
            }
            BdhGguf.write(m, name, run.seqLen(), out);
            double[] density = val.length > seq ? heldOutDensity(m, val, seq, Math.max(1, evalWindows)) : new double[0];
            PrintWriter o = spec.commandLine().getOut();
            double bpb = r.valLoss() / Math.log(2);
            if (json) {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("out", out.toString());
                j.put("parameters", c.parameterCount());
                j.put("layers", c.layers());
                j.put("dim", c.dim());
                j.put("heads", c.heads());
                j.put("neurons_per_head", c.neurons());
                j.put("train_bytes", train.length);
                j.put("val_bytes", val.length);
                j.put("steps", r.steps());
                j.put("first_loss", r.firstLoss());
                j.put("last_loss", r.lastLoss());
                j.put("val_loss", r.valLoss());
                j.put("val_bits_per_byte", bpb);
                j.put("seconds", r.seconds());
                j.put("tokens_per_second", r.tokens() / r.seconds());
                j.put("threads", threads.get());
                j.put("x_density_per_layer", density);
                j.put("x_density", mean(density));
                o.println(Json.write(j));
            } else {
                o.printf("trained %,d parameters (%d layers, D=%d, %d heads x %d neurons) on %,d bytes for %d steps in %.1f s (measured)%n",
                        c.parameterCount(), c.layers(), c.dim(), c.heads(), c.neurons(), train.length, r.steps(), r.seconds());
                o.printf("loss %.3f -> %.3f (train, nats/byte); held-out %.3f nats/byte = %.3f bits/byte (measured on %d windows)%n",
                        r.firstLoss(), r.lastLoss(), r.valLoss(), bpb, evalWindows);
                if (density.length > 0) {
                    o.printf("activation density (x > 0, held-out windows, per layer): %s, mean %.3f (measured)%n",
                            Arrays.toString(Arrays.stream(density).map(d -> Math.round(d * 1000) / 1000.0).toArray()), mean(density));
                }
                o.printf("wrote %s%n", out);
            }
            return Main.EXIT_OK;
        }

        private static final String[][] FLAGS = {{"seq", "--seq"}, {"batch", "--batch"}, {"lr", "--lr"},
                {"warmup", "--warmup"}, {"weight_decay", "--weight-decay"}, {"clip", "--clip"}, {"seed", "--seed"},
                {"eval_every", "--eval-every"}, {"eval_windows", "--eval-windows"}};

        private PrintWriter err0() {
            return spec.commandLine().getErr();
        }

        private static byte[] tokensAsBytes(int[] t) {
            byte[] b = new byte[t.length];
            for (int i = 0; i < t.length; i++) b[i] = (byte) t[i];
            return b;
        }

        /** Per-layer fraction of x neurons firing, averaged over evenly spaced held-out windows. */
        static double[] heldOutDensity(BdhModel m, int[] val, int seq, int windows) {
            trit.bdh.BdhParallel p = new trit.bdh.BdhParallel(m);
            double[] sum = new double[m.config().layers()];
            int span = val.length - seq;
            for (int i = 0; i < windows; i++) {
                int start = windows == 1 ? 0 : (int) ((long) span * i / (windows - 1));
                p.forward(Arrays.copyOfRange(val, start, start + seq));
                double[] d = p.density();
                for (int l = 0; l < d.length; l++) sum[l] += d[l] / windows;
            }
            return sum;
        }

        static double mean(double[] a) {
            return a.length == 0 ? Double.NaN : Arrays.stream(a).average().orElse(Double.NaN);
        }
    }

    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = "Per-token time of the dense and the sparse recurrent kernel at equal outputs, and activation density per layer.")
    static final class Bench implements Callable<Integer> {
        @Option(names = {"-m", "--model"}, paramLabel = "MODEL.gguf", description = "A bdh model (default: a random model of --layers/--dim/... shape).")
        Path model;

        @Mixin Shape shape;

        @Option(names = "--text", paramLabel = "FILE", description = "Feed this text's first bytes (default: random bytes).")
        Path text;

        @Option(names = {"-n", "--tokens"}, defaultValue = "128", description = "Tokens fed per repetition (default ${DEFAULT-VALUE}).")
        int tokens;

        @Option(names = {"-r", "--repetitions"}, defaultValue = "5", description = "Timed repetitions (default ${DEFAULT-VALUE}).")
        int reps;

        @Option(names = "--seed", defaultValue = "1", description = "Seed for the random model and bytes (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--json", description = "Print one JSON object with the figures.")
        boolean json;

        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            if (tokens < 1) throw new TritException("--tokens must be positive, got " + tokens);
            if (reps < 1) throw new TritException("--repetitions must be positive, got " + reps);
            BdhModel m = model != null ? BdhGguf.read(model) : BdhModel.random(shape.config(), seed);
            int[] ids = new int[tokens];
            if (text != null) {
                int[] all = BdhTrainer.bytesToTokens(readText(text));
                if (all.length < tokens) throw new TritException(text + ": " + all.length + " bytes, fewer than --tokens " + tokens);
                ids = Arrays.copyOf(all, tokens);
            } else {
                trit.sample.SplitMix64 rng = new trit.sample.SplitMix64(seed + 1);
                for (int i = 0; i < tokens; i++) ids[i] = (int) (rng.nextDouble() * m.config().vocab());
            }
            BdhBench.Result r = BdhBench.run(m, ids, reps);
            BdhConfig c = m.config();
            PrintWriter o = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("model", model == null ? "random" : model.toString());
                j.put("parameters", c.parameterCount());
                j.put("layers", c.layers());
                j.put("dim", c.dim());
                j.put("heads", c.heads());
                j.put("neurons_per_head", c.neurons());
                j.put("tokens", r.tokens());
                j.put("repetitions", r.repetitions());
                j.put("dense_us_per_token", r.denseNanosPerToken() / 1e3);
                j.put("sparse_us_per_token", r.sparseNanosPerToken() / 1e3);
                j.put("speedup", r.speedup());
                j.put("dense_best_us_per_token", r.denseBestNanosPerToken() / 1e3);
                j.put("sparse_best_us_per_token", r.sparseBestNanosPerToken() / 1e3);
                j.put("best_speedup", r.bestSpeedup());
                j.put("max_relative_logit_diff", r.maxRelativeDiff());
                j.put("x_density", r.xDensity());
                j.put("xy_density", r.xyDensity());
                o.println(Json.write(j));
            } else {
                o.printf("%s: %,d parameters, %d layers, D=%d, %d heads x %d neurons; %d tokens x %d repetitions, one thread%n",
                        model == null ? "random model" : model.toString(), c.parameterCount(), c.layers(), c.dim(), c.heads(),
                        c.neurons(), r.tokens(), r.repetitions());
                o.printf("         median us/token   best us/token (measured)%n");
                o.printf("dense    %14.1f   %13.1f%n", r.denseNanosPerToken() / 1e3, r.denseBestNanosPerToken() / 1e3);
                o.printf("sparse   %14.1f   %13.1f%n", r.sparseNanosPerToken() / 1e3, r.sparseBestNanosPerToken() / 1e3);
                o.printf("speed-up %13.2fx   %12.2fx   (logits agree to %.1e relative)%n", r.speedup(), r.bestSpeedup(),
                        r.maxRelativeDiff());
                o.println("layer  x density  x*y density (measured)");
                for (int l = 0; l < c.layers(); l++) o.printf("%5d  %9.3f  %11.3f%n", l, r.xDensity()[l], r.xyDensity()[l]);
            }
            return Main.EXIT_OK;
        }
    }
}
