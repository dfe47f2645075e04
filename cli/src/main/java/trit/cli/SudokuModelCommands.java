package trit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trit.TritException;
import trit.bdh.AdamW;
import trit.bdh.BdhCheckpoint;
import trit.bdh.BdhConfig;
import trit.bdh.BdhGguf;
import trit.bdh.BdhModel;
import trit.bdh.SudokuCheckPieces;
import trit.bdh.SudokuTask;
import trit.bdh.SudokuTraining;
import trit.gguf.GgufFile;
import trit.gguf.GgufValue;
import trit.gguf.GgufWriter;
import trit.kernel.Parallel;
import trit.model.DefaultModel;
import trit.sudoku.Dataset;
import trit.sudoku.Grid;
import trit.sudoku.PuzzleFile;

/** {@code trit sudoku train}, {@code predict} and {@code exact}: a BDH model that answers Sudoku puzzles without search. */
final class SudokuModelCommands {
    private SudokuModelCommands() {}

    /** GGUF key holding the number of answer passes the model was trained with. */
    static final String PASSES_KEY = BdhGguf.ARCH + ".sudoku.passes";

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = {"Train a BDH model to answer Sudoku puzzles (no search: the puzzle, then K answer passes, each",
                    "reading the previous pass's answer; see docs/BDH.md). Training puzzles are moved by random symmetries.",
                    "Every --eval-every steps the held-out puzzles are answered (exact match, cell accuracy: the learning",
                    "curve, also written to --curve) and the model is written (atomically) to --out."})
    static final class Train implements Callable<Integer> {
        @Option(names = "--train", required = true, paramLabel = "CSV",
                description = "Training dataset (source,q,a,rating); repeatable: the files' rows in the order given.")
        List<Path> trainFiles;
        @Option(names = "--valid", paramLabel = "CSV", description = "Held-out dataset for the learning curve (default: the last --holdout rows of --train, not trained on).")
        Path validFile;
        @Option(names = "--holdout", defaultValue = "100", description = "Rows held out of --train when there is no --valid (default ${DEFAULT-VALUE}).")
        int holdout;
        @Option(names = "--valid-count", defaultValue = "200", description = "Rows of --valid used (its first ones; default ${DEFAULT-VALUE}).")
        int validCount;
        @Option(names = {"-o", "--out"}, required = true, paramLabel = "MODEL.gguf", description = "Where to write the model.")
        Path out;
        @Option(names = "--init", paramLabel = "MODEL.gguf", description = {"Continue from this Sudoku model (its shape; shape flags ignored, except --layers:",
                "the layers share one block, so the model can go on at another depth; and --heads above the model's: new heads",
                "with zero decoder rows, so training starts from the same function, wider)."})
        Path init;
        @Option(names = "--curve", paramLabel = "FILE.json", description = "Write the learning curve here (atomically, at every evaluation).")
        Path curveFile;
        @Mixin RunCheckpoints.Options saving = new RunCheckpoints.Options();
        @Option(names = "--layers", defaultValue = "4", description = "Block applications (default ${DEFAULT-VALUE}).") int layers;
        @Option(names = "--dim", defaultValue = "64", description = "Residual width D (default ${DEFAULT-VALUE}).") int dim;
        @Option(names = "--heads", defaultValue = "4", description = "Heads (default ${DEFAULT-VALUE}).") int heads;
        @Option(names = "--neurons", defaultValue = "128", description = "Neurons per head, even (default ${DEFAULT-VALUE}).") int neurons;
        @Option(names = "--rope-theta", defaultValue = "65536", description = "RoPE base (default ${DEFAULT-VALUE}).") double theta;
        @Option(names = "--passes", defaultValue = "1", description = "Answer passes K (default ${DEFAULT-VALUE}).") int passes;
        @Option(names = "--encoding", defaultValue = "CELL", description = "Tokens: CELL ((cell, value) pairs, 1620) or PLAIN (values only, 20; default ${DEFAULT-VALUE}).")
        SudokuTask.Encoding encoding;
        @Option(names = "--steps", defaultValue = "500", description = "Optimizer steps (default ${DEFAULT-VALUE}).") int steps;
        @Option(names = "--batch", defaultValue = "8", description = "Puzzles per step (default ${DEFAULT-VALUE}).") int batch;
        @Option(names = "--lr", defaultValue = "3e-3", description = "Peak learning rate (default ${DEFAULT-VALUE}).") double lr;
        @Option(names = "--warmup", defaultValue = "20", description = "Warmup steps (default ${DEFAULT-VALUE}).") int warmup;
        @Option(names = "--weight-decay", defaultValue = "0.1", description = "AdamW weight decay (default ${DEFAULT-VALUE}).") double weightDecay;
        @Option(names = "--clip", defaultValue = "1.0", description = "Gradient norm clip, 0 = none (default ${DEFAULT-VALUE}).") double clip;
        @Option(names = "--eval-every", defaultValue = "50", description = "Steps between learning-curve points (default ${DEFAULT-VALUE}).") int evalEvery;
        @Option(names = "--no-augment", description = "Train on the puzzles as they are (no symmetry transforms).") boolean noAugment;
        @Option(names = "--reveal", defaultValue = "0", paramLabel = "F", description = {"Curriculum: fill in a random fraction, uniform in [0, F), of each training",
                "puzzle's blanks from its solution (the grids `predict --commit` meets; default ${DEFAULT-VALUE}: none)."}) double reveal;
        @Option(names = "--loss-on", defaultValue = "cells", paramLabel = "WHAT", description = "Loss on `cells` (every cell, givens too) or `blanks` (default ${DEFAULT-VALUE}).")
        String lossOn;
        @Option(names = "--singles-weight", defaultValue = "1", paramLabel = "W", description = {"Loss weight of the cells a naked or hidden single settles in the",
                "training grid, against 1 for the others: the cells `predict --commit` should commit surely (default ${DEFAULT-VALUE})."}) double singlesWeight;
        @Option(names = "--spread", defaultValue = "0", paramLabel = "S", description = {"Share of the target of each blank cell no single settles in the training",
                "grid spread evenly over the digits its peers leave it, so that confidence means `known`, not `a good guess` (default ${DEFAULT-VALUE})."}) double spread;
        @Option(names = "--eval-commit", paramLabel = "P", description = "Answer the held-out puzzles by committing cells at threshold P (as `predict --commit`; default: one round).")
        Double evalCommit;
        @Option(names = "--seed", defaultValue = "1", description = "Seed for weights, batches and transforms (default ${DEFAULT-VALUE}).") long seed;
        @Mixin ThreadsOption threads = new ThreadsOption();
        @Option(names = "--json", description = "Print one JSON object.") boolean json;
        @Option(names = {"-q", "--quiet"}, description = "No progress line.") boolean quiet;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            List<Dataset.Row> train = new ArrayList<>();
            for (Path f : trainFiles) train.addAll(Dataset.read(f));
            List<Dataset.Row> held;
            if (validFile != null) {
                if (validCount < 0) throw new TritException("--valid-count must not be negative");
                held = Dataset.read(validFile);
                held = new ArrayList<>(held.subList(0, Math.min(validCount, held.size())));
            } else {
                if (holdout < 0 || holdout >= train.size()) {
                    throw new TritException("--holdout must be in [0, " + train.size() + ") for the " + train.size() + " --train rows, got " + holdout);
                }
                held = new ArrayList<>(train.subList(train.size() - holdout, train.size()));
                train = new ArrayList<>(train.subList(0, train.size() - holdout));
            }
            if (!(singlesWeight > 0) || Double.isInfinite(singlesWeight)) throw new TritException("--singles-weight must be > 0, got " + singlesWeight);
            if (!(spread >= 0 && spread < 1)) throw new TritException("--spread must be in [0, 1), got " + spread);
            SudokuTraining.Settings s = new SudokuTraining.Settings(passes, batch, steps, lr, warmup, weightDecay, clip, seed,
                    evalEvery, !noAugment, reveal, blanksOnly(), evalCommit == null ? Double.NaN : evalCommit, singlesWeight, spread);
            Map<String, String> data = dataIdentity(train, held);
            BdhModel m;
            AdamW opt;
            SudokuTraining.RunState from;
            if (saving.resume != null) {
                if (init != null) throw new TritException("--resume and --init exclude each other (a checkpoint holds its model)");
                RunCheckpoints.refuseShapeFlags(spec.commandLine().getParseResult(), "--layers", "--dim", "--heads", "--neurons", "--rope-theta", "--encoding");
                BdhCheckpoint.Loaded ck = BdhCheckpoint.load(saving.resume);
                SudokuTraining.Settings stored = SudokuTraining.Settings.fromMap(ck.state());
                RunCheckpoints.checkSameSettings(saving.resume, stored.toMap(), s.toMap(), FLAGS, spec.commandLine().getParseResult());
                stored = SudokuTraining.Settings.fromMap(RunCheckpoints.withSteps(stored.toMap(), spec.commandLine().getParseResult(), steps,
                        spec.commandLine().getErr()));
                s = stored;
                RunCheckpoints.checkSameData(saving.resume, ck.state(), data, "give the same --train/--holdout/--valid");
                m = ck.model();
                SudokuTask.checkModel(m);
                opt = ck.optimizer(s.weightDecay());
                from = SudokuTraining.RunState.fromMap(ck.state());
            } else {
                BdhModel start = init != null ? readModel(init) : SudokuTask.newModel(encoding, layers, dim, heads, neurons, theta, seed);
                // new heads start silent (zero decoder rows): the grown model begins with the same outputs
                if (init != null && spec.commandLine().getParseResult().hasMatchedOption("--heads") && heads != start.config().heads()) {
                    start = start.withHeads(heads, seed ^ 0x4EAD5L); // a stream apart from the batches' seed
                }
                // BDH shares one block across layers: a model trained at one depth can go on at another
                m = init != null && spec.commandLine().getParseResult().hasMatchedOption("--layers") ? start.withLayers(layers) : start;
                opt = new AdamW(s.weightDecay());
                from = SudokuTraining.RunState.START;
            }
            SudokuTraining.Settings run = s;
            BdhConfig c = m.config();
            int threadCount = threads.get();
            PrintWriter err = spec.commandLine().getErr();
            List<Map<String, Object>> curve = new ArrayList<>();
            for (SudokuTraining.Point pt : from.curve()) curve.add(point(pt));
            String name = "bdh sudoku (" + trainFiles.stream().map(f -> f.getFileName().toString()).collect(java.util.stream.Collectors.joining(" + ")) + ", " + run.passes() + " passes)";
            Path ckpt = saving.path(out);
            SudokuTraining.Checkpointer saver = ckpt == null ? null : (o, st) -> {
                Map<String, String> state = new LinkedHashMap<>(run.toMap());
                state.putAll(st.toMap());
                state.putAll(data);
                GgufWriter w = BdhGguf.writer(m, name, SudokuTask.length(run.passes()));
                w.put(PASSES_KEY, GgufValue.ofU32(run.passes()));
                BdhCheckpoint.save(w, m, o, state, ckpt);
            };
            SudokuTraining.Result r;
            double cpu0 = processCpuSeconds();
            try (Parallel pool = Parallel.create(threadCount); Progress p = new Progress(err, quiet || json)) {
                String[] lastEval = {"-"};
                r = SudokuTraining.train(m, opt, from, train, held, pool, run, saver, new SudokuTraining.Listener() {
                    @Override
                    public void onStep(int step, double loss, double lrNow, double secs) {
                        p.update(String.format("step %d/%d  loss %.3f  held-out %s  %.2f s/step", step, run.steps(), loss, lastEval[0], secs));
                    }

                    @Override
                    public void onEval(SudokuTraining.Point pt) {
                        lastEval[0] = String.format("exact %.1f%% cells %.1f%%", 100 * pt.heldOut().exactRate(), 100 * pt.heldOut().blankAccuracy());
                        curve.add(point(pt));
                        write(m, name, run.passes(), out);
                        if (curveFile != null) writeCurve(curve);
                    }
                });
            }
            write(m, name, run.passes(), out);
            if (curveFile != null) writeCurve(curve);
            double coreHours = r.seconds() * threadCount / 3600;
            double cpuHours = (processCpuSeconds() - cpu0) / 3600;
            PrintWriter o = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("out", out.toString());
                j.put("parameters", c.parameterCount());
                j.put("layers", c.layers());
                j.put("dim", c.dim());
                j.put("heads", c.heads());
                j.put("neurons_per_head", c.neurons());
                j.put("passes", run.passes());
                j.put("encoding", SudokuTask.checkModel(m).name().toLowerCase());
                j.put("train_puzzles", train.size());
                j.put("held_out_puzzles", held.size());
                j.put("steps", run.steps());
                j.put("batch", run.batch());
                j.put("resumed_from_step", from.step());
                j.put("checkpoint", ckpt == null ? null : ckpt.toString());
                j.put("puzzles_seen", r.puzzlesSeen());
                j.put("first_loss", r.firstLoss());
                j.put("last_loss", r.lastLoss());
                j.put("seconds", r.seconds());
                j.put("threads", threadCount);
                j.put("core_hours", coreHours);
                j.put("cpu_hours", cpuHours);
                j.put("curve", curve);
                o.println(Json.write(j));
            } else {
                o.printf("trained %,d parameters (%d layers, D=%d, %d heads x %d neurons, %d passes) on %,d puzzles (%,d seen) in %.1f s, %d threads = %.3f core-hours (measured)%n",
                        c.parameterCount(), c.layers(), c.dim(), c.heads(), c.neurons(), run.passes(), train.size(), r.puzzlesSeen(), r.seconds(),
                        threadCount, coreHours);
                o.printf("loss %.3f -> %.3f (nats per answer cell); CPU time used %.3f hours (measured)%n", r.firstLoss(), r.lastLoss(), cpuHours);
                for (Map<String, Object> pt : curve) {
                    o.printf("step %5d  %7.1f s  train loss %.3f  held-out exact %6.2f%%  cells %6.2f%%  blank cells %6.2f%%%n",
                            pt.get("step"), pt.get("seconds"), pt.get("train_loss"), 100 * (double) pt.get("exact_accuracy"),
                            100 * (double) pt.get("cell_accuracy"), 100 * (double) pt.get("blank_cell_accuracy"));
                }
                o.printf("wrote %s%n", out);
            }
            o.flush();
            return Main.EXIT_OK;
        }

        private static final String[][] FLAGS = {{"passes", "--passes"}, {"batch", "--batch"}, {"lr", "--lr"}, {"warmup", "--warmup"},
                {"weight_decay", "--weight-decay"}, {"clip", "--clip"}, {"seed", "--seed"}, {"eval_every", "--eval-every"},
                {"augment", "--no-augment"}, {"reveal", "--reveal"}, {"blanks_only", "--loss-on"}, {"eval_commit", "--eval-commit"},
                {"singles_weight", "--singles-weight"}, {"spread", "--spread"}};

        /** Which puzzles a run trains and measures on: row counts and a CRC-32C of their digits. */
        private static Map<String, String> dataIdentity(List<Dataset.Row> train, List<Dataset.Row> held) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("train_rows", Integer.toString(train.size()));
            m.put("train_crc", crc(train));
            m.put("held_out_rows", Integer.toString(held.size()));
            m.put("held_out_crc", crc(held));
            return m;
        }

        private static String crc(List<Dataset.Row> rows) {
            StringBuilder b = new StringBuilder();
            for (Dataset.Row r : rows) b.append(Dataset.digits(r.q())).append(Dataset.digits(r.a()));
            return RunCheckpoints.crc(b.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }

        private boolean blanksOnly() {
            return switch (lossOn) {
                case "blanks" -> true;
                case "cells" -> false;
                default -> throw new TritException("--loss-on must be `cells` or `blanks`, got `" + lossOn + "`");
            };
        }

        private static Map<String, Object> point(SudokuTraining.Point pt) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("step", pt.step());
            j.put("seconds", pt.seconds());
            j.put("puzzles_seen", pt.puzzlesSeen());
            j.put("train_loss", pt.trainLoss());
            j.put("puzzles", pt.heldOut().puzzles());
            j.put("exact", pt.heldOut().exact());
            j.put("exact_accuracy", pt.heldOut().exactRate());
            j.put("cell_accuracy", pt.heldOut().cellAccuracy());
            j.put("blank_cell_accuracy", pt.heldOut().blankAccuracy());
            return j;
        }

        private void writeCurve(List<Map<String, Object>> curve) {
            try {
                SudokuCommand.writeText(curveFile, Json.write(Map.of("curve", curve)) + "\n");
            } catch (IOException e) {
                throw new TritException(curveFile + ": cannot write (" + e.getMessage() + ")");
            }
        }
    }

    /** CPU time of this process so far (all threads; NaN where the JVM cannot tell). */
    static double processCpuSeconds() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long ns = os.getProcessCpuTime();
            return ns < 0 ? Double.NaN : ns / 1e9;
        }
        return Double.NaN;
    }

    /** Writes the model with its pass count (atomically: GgufWriter writes a temporary file and renames it). */
    static void write(BdhModel m, String name, int passes, Path out) {
        GgufWriter w = BdhGguf.writer(m, name, SudokuTask.length(passes));
        w.put(PASSES_KEY, GgufValue.ofU32(passes));
        w.write(out);
    }

    static BdhModel readModel(Path p) {
        BdhModel m = BdhGguf.read(p);
        SudokuTask.checkModel(m);
        return m;
    }

    static int passesOf(Path p) {
        try (GgufFile f = GgufFile.open(p)) {
            long k = f.getLong(PASSES_KEY, -1);
            if (k < 1 || k > 16) throw new TritException(p + ": missing or invalid " + PASSES_KEY + " (not a trit Sudoku model?)");
            return (int) k;
        }
    }

    @Command(name = "predict", mixinStandardHelpOptions = true,
            description = {"Answer puzzles with a BDH Sudoku model: one answer per puzzle, no search or backtracking (the model's",
                    "K answer passes, K as trained). FILE: one 81-character puzzle per line ('.' or '0' blank), or a dataset CSV.",
                    "Prints one 81-digit grid per line; a malformed line gets an error (stderr, or an entry in --json) and the",
                    "batch goes on. --out writes one line per puzzle (empty for an error), the input `trit sudoku eval` scores."})
    static final class Predict implements Callable<Integer> {
        @Parameters(paramLabel = "FILE") Path file;
        @Mixin SudokuModelOption model = new SudokuModelOption();
        @Option(names = "--out", paramLabel = "FILE", description = "Also write the answers, one line per puzzle (empty for an error), for `eval`.")
        Path out;
        @Option(names = "--commit", paramLabel = "P", description = {"Answer in rounds: after each round write in the blank cells whose digit has",
                "probability >= P (at least the most confident one) and run again; never revised (default: one round)."})
        Double commit;
        @Mixin ThreadsOption threads = new ThreadsOption();
        @Option(names = "--json", description = "Print one JSON object.") boolean json;
        @Option(names = {"-q", "--quiet"}, description = "No progress line.") boolean quiet;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (commit != null) SudokuModelOption.checkCommit(commit);
            Path mp = model.path();
            BdhModel m = model.read();
            int k = model.passes();
            List<PuzzleFile.Entry> entries = PuzzleFile.read(file);
            List<int[]> puzzles = new ArrayList<>();
            for (PuzzleFile.Entry e : entries) if (e.ok()) puzzles.add(e.puzzle());
            int threadCount = threads.get();
            SudokuTraining.Predictions p;
            try (Parallel pool = Parallel.create(threadCount); Progress pr = new Progress(spec.commandLine().getErr(), quiet || json)) {
                int total = puzzles.size();
                p = SudokuTraining.predict(m, puzzles, k, commit == null ? Double.NaN : commit, model.views, pool, n -> {
                    synchronized (pr) {
                        pr.update("answered " + n + "/" + total);
                    }
                });
            }
            PrintWriter o = spec.commandLine().getOut(), err = spec.commandLine().getErr();
            StringBuilder lines = new StringBuilder();
            List<Object> results = new ArrayList<>();
            int next = 0, validGrids = 0;
            for (PuzzleFile.Entry e : entries) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("line", e.line());
                if (e.ok()) {
                    int[] a = p.answers().get(next++);
                    String s = Dataset.digits(a);
                    boolean valid = Grid.solves(e.puzzle(), a);
                    if (valid) validGrids++;
                    r.put("prediction", s);
                    r.put("valid_grid", valid);
                    lines.append(s).append('\n');
                    if (!json) o.println(s);
                } else {
                    r.put("error", e.error());
                    lines.append('\n');
                    if (!json) err.println("trit: " + file + ":" + e.line() + ": " + e.error());
                }
                results.add(r);
            }
            if (out != null) SudokuCommand.writeText(out, lines.toString());
            double meanDensity = Arrays.stream(p.density()).average().orElse(Double.NaN);
            double usPerPuzzle = puzzles.isEmpty() ? Double.NaN : p.seconds() * 1e6 / puzzles.size();
            if (json) {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("model", mp.toString());
                j.put("passes", k);
                j.put("puzzles", entries.size());
                j.put("predicted", puzzles.size());
                j.put("errors", entries.size() - puzzles.size());
                j.put("valid_grids", validGrids);
                j.put("seconds", p.seconds());
                j.put("threads", threadCount);
                j.put("microseconds_per_puzzle", usPerPuzzle);
                j.put("core_microseconds_per_puzzle", usPerPuzzle * threadCount);
                j.put("commit_threshold", commit);
                j.put("views", model.views);
                j.put("rounds_per_puzzle", p.rounds());
                j.put("forced_commits_per_puzzle", p.forcedCommits());
                j.put("x_density", meanDensity);
                j.put("x_density_per_layer", p.density());
                j.put("results", results);
                o.println(Json.write(j));
            } else {
                err.printf("%d puzzles answered in %.2f s (%.0f us each, %d threads), %d valid grids; activation density %.3f (x > 0, mean over layers; measured)%n",
                        puzzles.size(), p.seconds(), usPerPuzzle, threadCount, validGrids, meanDensity);
            }
            o.flush();
            err.flush();
            return Main.EXIT_OK;
        }
    }

    @Command(name = "exact", mixinStandardHelpOptions = true,
            description = {"Exact match of a BDH Sudoku model answering by committing cells (as `predict --commit P --views K`) on a",
                    "dataset with solutions, measured cheaply: each puzzle stops at its first wrong commit, since a committed",
                    "cell is never revised and the answer can no longer be exact. The same exact-match count as `predict` then",
                    "`eval`, with the kind of each first error (sure, or forced when no cell reached P); cell accuracies are",
                    "not measured (use predict and eval for those)."})
    static final class Exact implements Callable<Integer> {
        @Parameters(paramLabel = "DATASET") Path dataset;
        @Mixin SudokuModelOption model = new SudokuModelOption();
        @Option(names = "--commit", required = true, paramLabel = "P", description = "Commit threshold, as in `predict --commit`.") double commit;
        @Option(names = "--out", paramLabel = "FILE", description = "Also write each puzzle's outcome, one line per dataset row: solved, sure-error or forced-error.")
        Path out;
        @Option(names = "--work", paramLabel = "DIR", description = {"Keep each finished piece of " + SudokuCheckPieces.PIECE
                + " puzzles here; a rerun with the same model,", "dataset and settings goes on where a stopped one was."})
        Path work;
        @Mixin ThreadsOption threads = new ThreadsOption();
        @Option(names = "--json", description = "Print one JSON object.") boolean json;
        @Option(names = {"-q", "--quiet"}, description = "No progress line.") boolean quiet;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            SudokuModelOption.checkCommit(commit);
            if (work != null && Files.exists(work) && !Files.isDirectory(work)) {
                throw new TritException("--work " + work + " is a file, not a directory");
            }
            Path mp = model.path();
            BdhModel m = model.read();
            int k = model.passes();
            List<Dataset.Row> rows = Dataset.read(dataset);
            List<int[]> puzzles = new ArrayList<>(), solutions = new ArrayList<>();
            for (Dataset.Row r : rows) {
                puzzles.add(r.q());
                solutions.add(r.a());
            }
            int threadCount = threads.get();
            SudokuTraining.Check c;
            int reused = 0;
            try (Parallel pool = Parallel.create(threadCount); Progress pr = new Progress(spec.commandLine().getErr(), quiet || json)) {
                int total = rows.size();
                SudokuTraining.Progress progress = n -> {
                    synchronized (pr) {
                        pr.update("checked " + n + "/" + total);
                    }
                };
                if (work == null) {
                    c = SudokuTraining.check(m, puzzles, solutions, k, commit, model.views, pool, progress);
                } else {
                    SudokuCheckPieces.Result r = SudokuCheckPieces.check(m, puzzles, solutions, k, commit, model.views, pool, work, progress);
                    c = r.check();
                    reused = r.reused();
                }
            }
            Map<String, int[]> buckets = new LinkedHashMap<>(); // bucket -> puzzles, solved, sure errors, forced errors
            for (double b : trit.sudoku.Evaluation.BUCKETS) buckets.put(trit.sudoku.Evaluation.bucket(b), new int[4]);
            int[] all = new int[4];
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < rows.size(); i++) {
                SudokuTask.Outcome o = c.outcomes().get(i);
                int[] b = buckets.computeIfAbsent(trit.sudoku.Evaluation.bucket(rows.get(i).rating()), x -> new int[4]);
                for (int[] t : new int[][] {b, all}) {
                    t[0]++;
                    t[1 + o.ordinal()]++;
                }
                lines.append(outcomeWord(o)).append('\n');
            }
            if (out != null) SudokuCommand.writeText(out, lines.toString());
            double coreUsPerPuzzle = rows.isEmpty() ? Double.NaN : c.coreSeconds() * 1e6 / rows.size();
            PrintWriter o = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("model", mp.toString());
                j.put("passes", k);
                j.put("commit_threshold", commit);
                j.put("views", model.views);
                j.putAll(tally("all", all));
                List<Object> bs = new ArrayList<>();
                for (var e : buckets.entrySet()) if (e.getValue()[0] > 0) bs.add(tally(e.getKey(), e.getValue()));
                j.put("buckets", bs);
                j.put("seconds", c.seconds());
                j.put("threads", threadCount);
                j.put("core_microseconds_per_puzzle", coreUsPerPuzzle);
                j.put("reused_puzzles", reused);
                j.put("rounds_per_puzzle", c.rounds());
                j.put("forced_commits_per_puzzle", c.forcedCommits());
                j.put("x_density", Arrays.stream(c.density()).average().orElse(Double.NaN));
                o.println(Json.write(j));
            } else {
                Text.Table t = new Text.Table("bucket", "puzzles", "exact", "exact %", "first error sure", "first error forced").left(0);
                for (var e : buckets.entrySet()) if (e.getValue()[0] > 0) row(t, e.getKey(), e.getValue());
                row(t, "all", all);
                o.print(t.render(""));
                spec.commandLine().getErr().printf("%d puzzles checked in %.2f s (%.0f us of core time each, %d threads, stopped at the first wrong commit),"
                        + " %.1f rounds and %.1f forced commits per puzzle (measured)%s%n", rows.size(), c.seconds(), coreUsPerPuzzle, threadCount,
                        c.rounds(), c.forcedCommits(), reused == 0 ? "" : "; " + reused + " of them read back from " + work);
            }
            o.flush();
            return Main.EXIT_OK;
        }

        private static String outcomeWord(SudokuTask.Outcome o) {
            return switch (o) {
                case SOLVED -> "solved";
                case CONFIDENT_ERROR -> "sure-error";
                case FORCED_ERROR -> "forced-error";
            };
        }

        private static void row(Text.Table t, String name, int[] v) {
            t.row(name, v[0], v[1], String.format("%.2f%%", 100.0 * v[1] / v[0]), v[2], v[3]);
        }

        private static Map<String, Object> tally(String name, int[] v) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("bucket", name);
            m.put("puzzles", v[0]);
            m.put("exact", v[1]);
            m.put("exact_accuracy", v[0] == 0 ? Double.NaN : (double) v[1] / v[0]);
            m.put("first_error_sure", v[2]);
            m.put("first_error_forced", v[3]);
            return m;
        }
    }
}
