package trit.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import trit.TritException;
import trit.sudoku.Benchmark;
import trit.sudoku.Dataset;
import trit.sudoku.Evaluation;
import trit.sudoku.Grid;
import trit.sudoku.Miner;
import trit.sudoku.PuzzleFile;
import trit.sudoku.Rater;
import trit.sudoku.RatingStats;
import trit.sudoku.Solver;

/**
 * {@code trit sudoku ...}: the Sudoku benchmark (generate, rate, solve, split, eval). Model commands
 * add themselves to {@code subcommands}.
 */
@Command(name = "sudoku", mixinStandardHelpOptions = true,
        description = "Sudoku benchmark: generate and rate hard puzzles, solve, split leakage-free, score predictions.",
        subcommands = {SudokuCommand.Generate.class, SudokuCommand.Rate.class, SudokuCommand.Solve.class,
                SudokuCommand.Split.class, SudokuCommand.Eval.class, SudokuModelCommands.Train.class, SudokuModelCommands.Predict.class,
                SudokuModelCommands.Exact.class})
final class SudokuCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = {"Generate rated puzzles: random minimal ones plus hard ones mined by local search.",
                    "`generate extreme --out DIR` writes the named datasets extreme-train.csv.gz (1,000) and extreme-test.csv.gz (10,000);",
                    "`generate --count N --out FILE.csv[.gz]` writes one file. Deterministic from --seed whatever --threads."})
    static final class Generate implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", arity = "0..1", description = "A named dataset: extreme.")
        String name;
        @Option(names = "--out", paramLabel = "PATH", description = "Output directory (named dataset) or CSV file.")
        Path out;
        @Option(names = "--count", description = "Puzzles to write (without NAME).")
        Integer count;
        @Option(names = "--train", defaultValue = "1000", description = "Train puzzles of a named dataset (default: ${DEFAULT-VALUE}).")
        int train;
        @Option(names = "--test", defaultValue = "10000", description = "Test puzzles of a named dataset (default: ${DEFAULT-VALUE}).")
        int test;
        @Option(names = "--random-share", defaultValue = "0.26", description = "Share of random minimal puzzles, the rest mined (default: ${DEFAULT-VALUE}, Sudoku-Extreme's easy share).")
        double randomShare;
        @Option(names = "--min-rating", defaultValue = "20", description = "Lowest rating a mined puzzle may have (default: ${DEFAULT-VALUE}).")
        double minRating;
        @Option(names = "--samples", defaultValue = "16", description = "Symmetric images averaged per rating (default: ${DEFAULT-VALUE}).")
        int samples;
        @Option(names = "--pool", defaultValue = "32", description = "Puzzles kept per mining chain (default: ${DEFAULT-VALUE}).")
        int pool;
        @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed;
        @Option(names = "--work", paramLabel = "DIR", description = "Keep each finished chain here; a rerun with the same settings resumes.")
        Path work;
        @Option(names = "--exclude", paramLabel = "CSV", description = {"With --count: drop puzzles equivalent to one in this dataset (repeatable),",
                "and all but the first of equivalent ones, e.g. to grow a training set that stays off a test set."})
        List<Path> exclude = new ArrayList<>();
        @Mixin ThreadsOption threads = new ThreadsOption();
        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;
        @Option(names = {"-q", "--quiet"}, description = "No progress line.")
        boolean quiet;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (out == null) throw new TritException("generate needs --out");
            if (randomShare < 0 || randomShare > 1) throw new TritException("--random-share must be in [0, 1], got " + randomShare);
            Miner.Settings s = new Miner.Settings(seed, minRating, pool, samples, 20_000);
            long t0 = System.nanoTime();
            Map<String, Object> result = new LinkedHashMap<>();
            Map<String, List<Dataset.Row>> files = new LinkedHashMap<>();
            try (Progress p = new Progress(spec.commandLine().getErr(), quiet)) {
                Miner.Progress progress = (done, chains, emitted, wanted) ->
                        p.update(String.format("mining: %d/%d puzzles, %d/%d chains, %.0f s", emitted, wanted, done, chains, (System.nanoTime() - t0) / 1e9));
                if (name != null) {
                    if (!name.equals("extreme")) throw new TritException("unknown dataset '" + name + "' (known: extreme)");
                    if (count != null) throw new TritException("--count is for unnamed output; a named dataset takes --train and --test");
                    if (!exclude.isEmpty()) throw new TritException("--exclude is for --count output; a named dataset keeps its train and test sets apart itself");
                    if (train < 1 || test < 1) throw new TritException("--train and --test must be positive");
                    if (randomShare != Benchmark.EXTREME_RANDOM_SHARE) throw new TritException("the extreme dataset has a fixed --random-share of " + Benchmark.EXTREME_RANDOM_SHARE);
                    Benchmark.Sets sets = Benchmark.extreme(s, train, test, threads.get(), work, progress);
                    files.put(out.resolve("extreme-train.csv.gz").toString(), sets.train());
                    files.put(out.resolve("extreme-test.csv.gz").toString(), sets.test());
                } else {
                    if (count == null || count < 1) throw new TritException("generate needs --count N (or a dataset NAME)");
                    List<Dataset.Row> excluded = new ArrayList<>();
                    for (Path x : exclude) excluded.addAll(Dataset.read(x));
                    List<Dataset.Row> rows = new ArrayList<>();
                    for (List<Dataset.Row> chain : Miner.run(s, Miner.jobs(count, randomShare, 0), threads.get(), work, progress)) rows.addAll(chain);
                    if (!exclude.isEmpty()) {
                        int mined = rows.size();
                        rows = Dataset.distinctExcept(rows, excluded);
                        result.put("dropped", mined - rows.size());
                    }
                    files.put(out.toString(), rows);
                }
            }
            var o = spec.commandLine().getOut();
            Map<String, Object> fileInfo = new LinkedHashMap<>();
            for (var e : files.entrySet()) {
                Dataset.write(Path.of(e.getKey()), e.getValue());
                RatingStats st = RatingStats.of(e.getValue().stream().mapToDouble(Dataset.Row::rating).toArray());
                Map<String, Object> f = st.toMap();
                f.put("mined", e.getValue().stream().filter(r -> r.source().equals("trit-mined")).count());
                f.put("mean_givens", e.getValue().stream().mapToInt(r -> Grid.givens(r.q())).average().orElse(Double.NaN));
                fileInfo.put(e.getKey(), f);
                if (!json) o.printf("%s: %s (measured)%n", e.getKey(), st.line());
            }
            if (!json && result.containsKey("dropped")) o.printf("dropped %d puzzles equivalent to an earlier one or to one in --exclude%n", result.get("dropped"));
            result.put("files", fileInfo);
            result.put("seed", seed);
            result.put("min_rating", minRating);
            result.put("samples", samples);
            result.put("seconds", (System.nanoTime() - t0) / 1e9);
            if (json) o.println(Json.write(result));
            o.flush();
            return Main.EXIT_OK;
        }
    }

    @Command(name = "rate", mixinStandardHelpOptions = true,
            description = {"Rate puzzles: mean guesses of trit's fixed solver over K random symmetric images (see docs/SUDOKU.md).",
                    "FILE: one puzzle per line, or a dataset CSV. Prints one 'line rating' per puzzle and a summary."})
    static final class Rate implements Callable<Integer> {
        @Parameters(paramLabel = "FILE") Path file;
        @Option(names = "--samples", defaultValue = "16", description = "Images per puzzle (default: ${DEFAULT-VALUE}).")
        int samples;
        @Mixin ThreadsOption threads = new ThreadsOption();
        @Option(names = "--json", description = "Print one JSON object.") boolean json;
        @Option(names = {"-q", "--quiet"}, description = "No progress line.") boolean quiet;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (samples < 1) throw new TritException("--samples must be at least 1");
            List<PuzzleFile.Entry> entries = PuzzleFile.read(file);
            int n = entries.size();
            String[] errors = new String[n];
            double[] ratings = new double[n];
            ThreadLocal<Rater> raters = ThreadLocal.withInitial(() -> new Rater(samples));
            ThreadLocal<Solver> solvers = ThreadLocal.withInitial(Solver::new);
            try (Progress p = new Progress(spec.commandLine().getErr(), quiet)) {
                forEach(n, threads.get(), done -> p.update("rated " + done + "/" + n), i -> {
                    PuzzleFile.Entry e = entries.get(i);
                    errors[i] = checkUnique(e, solvers.get());
                    if (errors[i] == null) ratings[i] = raters.get().rate(e.puzzle());
                });
            }
            List<Object> results = new ArrayList<>();
            List<Double> ok = new ArrayList<>();
            var o = spec.commandLine().getOut();
            var err = spec.commandLine().getErr();
            for (int i = 0; i < n; i++) {
                PuzzleFile.Entry e = entries.get(i);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("line", e.line());
                if (errors[i] != null) {
                    m.put("error", errors[i]);
                    if (!json) err.println("trit: " + file + ":" + e.line() + ": " + errors[i]);
                } else {
                    m.put("rating", Rater.round(ratings[i]));
                    ok.add(ratings[i]);
                    if (!json) o.println(e.line() + " " + Rater.round(ratings[i]));
                }
                results.add(m);
            }
            RatingStats st = RatingStats.of(ok.stream().mapToDouble(Double::doubleValue).toArray());
            if (json) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("puzzles", n);
                r.put("rated", ok.size());
                r.put("errors", n - ok.size());
                r.put("samples", samples);
                r.put("summary", st.toMap());
                r.put("results", results);
                o.println(Json.write(r));
            } else {
                o.println(st.line() + (n > ok.size() ? "; " + (n - ok.size()) + " lines with errors" : ""));
            }
            o.flush();
            return Main.EXIT_OK;
        }
    }

    @Command(name = "solve", mixinStandardHelpOptions = true,
            description = {"Solve puzzles: FILE has one 81-character puzzle per line ('.' or '0' blank), or is a dataset CSV.",
                    "Prints one 81-digit solution per line; a malformed, contradictory, unsolvable or ambiguous line gets an",
                    "error (on stderr, or an entry in --json) and the batch goes on. Exit status 0 unless FILE cannot be read."})
    static final class Solve implements Callable<Integer> {
        @Parameters(paramLabel = "FILE") Path file;
        @Option(names = "--out", paramLabel = "FILE", description = "Also write the solutions, one line per puzzle (empty for an error), for `eval`.")
        Path out;
        @Option(names = "--json", description = "Print one JSON object.") boolean json;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            List<PuzzleFile.Entry> entries = PuzzleFile.read(file);
            Solver solver = new Solver();
            List<Object> results = new ArrayList<>();
            StringBuilder lines = new StringBuilder();
            var o = spec.commandLine().getOut();
            var err = spec.commandLine().getErr();
            int solved = 0;
            long nanos = 0;
            for (PuzzleFile.Entry e : entries) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("line", e.line());
                m.put("puzzle", e.text());
                String error = e.error();
                if (error == null) error = Grid.conflict(e.puzzle()) == null ? null : "contradictory givens: " + Grid.conflict(e.puzzle());
                if (error == null) {
                    long t = System.nanoTime();
                    Solver.Result r = solver.solve(e.puzzle(), 2);
                    nanos += System.nanoTime() - t;
                    if (r.solutions() == 0) error = "no solution";
                    else if (r.solutions() > 1) error = "more than one solution";
                    else {
                        String sol = Dataset.digits(r.solution());
                        m.put("solution", sol);
                        m.put("guesses", r.guesses());
                        lines.append(sol).append('\n');
                        if (!json) o.println(sol);
                        solved++;
                    }
                }
                if (error != null) {
                    m.put("error", error);
                    lines.append('\n');
                    if (!json) err.println("trit: " + file + ":" + e.line() + ": " + error);
                }
                results.add(m);
            }
            if (out != null) writeText(out, lines.toString());
            if (json) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("puzzles", entries.size());
                r.put("solved", solved);
                r.put("errors", entries.size() - solved);
                r.put("microseconds_per_puzzle", solved == 0 ? Double.NaN : nanos / 1e3 / solved);
                r.put("results", results);
                o.println(Json.write(r));
            }
            o.flush();
            return Main.EXIT_OK;
        }
    }

    @Command(name = "split", mixinStandardHelpOptions = true,
            description = {"Split a dataset CSV into train and test so that no puzzle in one is a symmetric copy of one in the other",
                    "(grouped by canonical form; whole groups go to one side)."})
    static final class Split implements Callable<Integer> {
        @Parameters(paramLabel = "IN.csv") Path in;
        @Option(names = "--train", required = true, description = "Rows in the train split.") int train;
        @Option(names = "--test", defaultValue = "-1", description = "Rows in the test split (default: all the rest).") int test;
        @Option(names = "--out-train", required = true, paramLabel = "FILE") Path outTrain;
        @Option(names = "--out-test", required = true, paramLabel = "FILE") Path outTest;
        @Option(names = "--seed", defaultValue = "1", description = "Shuffle seed (default: ${DEFAULT-VALUE}).") long seed;
        @Option(names = "--json", description = "Print one JSON object.") boolean json;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (train < 0) throw new TritException("--train must not be negative");
            List<Dataset.Row> rows = Dataset.read(in);
            Dataset.Split s = Dataset.split(rows, train, test, seed);
            Dataset.write(outTrain, s.train());
            Dataset.write(outTest, s.test());
            int classes = Dataset.distinct(rows).size();
            var o = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("rows", rows.size());
                r.put("classes", classes);
                r.put("train", s.train().size());
                r.put("test", s.test().size());
                o.println(Json.write(r));
            } else {
                o.printf("%d rows in %d equivalence classes -> %s (%d), %s (%d)%n", rows.size(), classes, outTrain, s.train().size(), outTest, s.test().size());
            }
            o.flush();
            return Main.EXIT_OK;
        }
    }

    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = {"Score predictions against a dataset: exact match (all 81 cells) and per-cell accuracy, overall and per",
                    "rating bucket, and on the blank cells a naked or hidden single settles in the puzzle as given",
                    "(`single cells`). PREDICTIONS: one 81-digit grid per line in the dataset's order (a header line naming",
                    "column 'a' or 'prediction' selects that CSV column); a missing or malformed line counts as wrong."})
    static final class Eval implements Callable<Integer> {
        @Parameters(paramLabel = "PREDICTIONS") Path predictions;
        @Option(names = "--dataset", required = true, paramLabel = "FILE", description = "The dataset CSV (source,q,a,rating).") Path dataset;
        @Option(names = "--json", description = "Print one JSON object.") boolean json;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            List<Dataset.Row> rows = Dataset.read(dataset);
            List<int[]> preds = readPredictions(predictions);
            if (preds.size() > rows.size()) {
                throw new TritException(predictions + ": " + preds.size() + " predictions for " + rows.size() + " puzzles in " + dataset);
            }
            Evaluation.Result r = Evaluation.score(rows, preds);
            var o = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> m = score(r.overall());
                m.put("missing", r.missing());
                List<Object> b = new ArrayList<>();
                for (Evaluation.Score s : r.buckets()) b.add(score(s));
                m.put("buckets", b);
                o.println(Json.write(m));
            } else {
                Text.Table t = new Text.Table("bucket", "puzzles", "exact", "cells", "blank cells", "single cells").left(0);
                for (Evaluation.Score s : r.buckets()) row(t, s);
                row(t, r.overall());
                o.print(t.render(""));
                if (r.missing() > 0) o.println(r.missing() + " predictions missing or malformed (counted wrong)");
            }
            o.flush();
            return Main.EXIT_OK;
        }

        private static void row(Text.Table t, Evaluation.Score s) {
            t.row(s.name, s.puzzles, pct(s.exactRate()), pct(s.cellAccuracy()), pct(s.blankAccuracy()), pct(s.singleAccuracy()));
        }

        private static String pct(double x) {
            return Double.isNaN(x) ? "-" : String.format("%.2f%%", 100 * x);
        }

        private static Map<String, Object> score(Evaluation.Score s) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("bucket", s.name);
            m.put("puzzles", s.puzzles);
            m.put("exact", s.exact);
            m.put("exact_accuracy", s.exactRate());
            m.put("cell_accuracy", s.cellAccuracy());
            m.put("blank_cell_accuracy", s.blankAccuracy());
            m.put("single_cells", s.singles);
            m.put("single_cell_accuracy", s.singleAccuracy());
            return m;
        }
    }

    /** Prediction lines in order; null for a line that is not a grid. */
    static List<int[]> readPredictions(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<int[]> out = new ArrayList<>();
        int column = -1;
        int start = 0;
        if (!lines.isEmpty() && lines.get(0).contains(",")) {
            String[] names = lines.get(0).split(",", -1);
            for (int i = 0; i < names.length; i++) {
                String nm = names[i].strip().toLowerCase();
                if (nm.equals("prediction") || nm.equals("a") && column < 0) column = i;
            }
            if (column >= 0) start = 1;
        }
        for (int i = start; i < lines.size(); i++) {
            String s = lines.get(i);
            if (column >= 0) {
                String[] f = s.split(",", -1);
                s = column < f.length ? f[column] : "";
            }
            try {
                out.add(Grid.parse(s));
            } catch (TritException e) {
                out.add(null);
            }
        }
        return out;
    }

    /** Null when the entry parses to a puzzle with exactly one solution, else the reason. */
    static String checkUnique(PuzzleFile.Entry e, Solver solver) {
        if (!e.ok()) return e.error();
        String c = Grid.conflict(e.puzzle());
        if (c != null) return "contradictory givens: " + c;
        int n = solver.solve(e.puzzle(), 2).solutions();
        return n == 0 ? "no solution" : n > 1 ? "more than one solution" : null;
    }

    /** Runs {@code body} for 0..n-1 on {@code threads} threads, reporting progress now and then. */
    static void forEach(int n, int threads, IntConsumer progress, IntConsumer body) throws Exception {
        AtomicInteger next = new AtomicInteger(), done = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                fs.add(pool.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < n; ) {
                        body.accept(i);
                        int d = done.incrementAndGet();
                        if (d % 64 == 0) progress.accept(d);
                    }
                }));
            }
            for (Future<?> f : fs) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) throw re;
                    throw e;
                }
            }
        }
    }

    /** Writes text atomically (temporary sibling, then rename). */
    static void writeText(Path file, String text) throws IOException {
        trit.AtomicFiles.replace(file, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    }
}
