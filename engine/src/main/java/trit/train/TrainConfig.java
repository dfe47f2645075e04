package trit.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import trit.TritException;

/**
 * What a training run does: the model shape (vocabulary from the tokenizer) and the recipe. Read from
 * {@code key=value} lines (a config file; '#' starts a comment) and/or flags with the same names.
 */
public record TrainConfig(int dim, int layers, int heads, int kvHeads, int ffn, int ctx, int batch, int steps,
                          double lr, int warmup, Schedule schedule, double weightDecay, double clip, long seed,
                          boolean ternary, int evalEvery, int evalBatches) {

    /** Learning-rate schedules after the linear warm-up. */
    public enum Schedule {
        /** Cosine from lr down to lr / 10 at the last step; weight decay constant. */
        COSINE("cosine"),
        /**
         * BitNet b1.58's two stages: the first half decays (cosine) from lr to lr / 2; at mid-training the
         * rate drops to lr / 5 and decays (cosine) to lr / 50, and weight decay is 0 in the second stage.
         */
        TWO_STAGE("two-stage");

        public final String label;

        Schedule(String label) { this.label = label; }

        static Schedule parse(String s) {
            for (Schedule x : values()) if (x.label.equals(s)) return x;
            throw new TritException("schedule '" + s + "' is unknown (cosine, two-stage)");
        }
    }

    /** The keys a config file may hold, with their defaults (a ~10M-parameter model at ctx 256). */
    public static final Map<String, String> DEFAULTS;
    static {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("dim", "384");
        d.put("layers", "6");
        d.put("heads", "6");
        d.put("kv-heads", "");      // empty: = heads
        d.put("ffn", "1024");
        d.put("ctx", "256");
        d.put("batch", "8");
        d.put("steps", "1000");
        d.put("lr", "");            // empty: 1.5e-3 ternary, 6e-4 fp32
        d.put("warmup", "");        // empty: steps / 20
        d.put("schedule", "cosine");
        d.put("weight-decay", "0.1");
        d.put("clip", "1.0");
        d.put("seed", "42");
        d.put("mode", "ternary");
        d.put("eval-every", "100");
        d.put("eval-batches", "4");
        DEFAULTS = java.util.Collections.unmodifiableMap(d);
    }

    public TrainConfig {
        if (batch < 1 || steps < 1 || warmup < 0 || evalEvery < 1 || evalBatches < 1) {
            throw new TritException("--batch, --steps, --eval-every and --eval-batches must be positive and --warmup not negative");
        }
        if (!(lr > 0) || !(weightDecay >= 0) || !(clip >= 0)) {
            throw new TritException("--lr must be positive, --weight-decay and --clip not negative (0 = no clipping)");
        }
    }

    public ModelShape shape(int vocab) {
        return new ModelShape(vocab, dim, layers, heads, kvHeads, ffn, ctx, ModelShape.DEFAULT_ROPE_BASE, ModelShape.DEFAULT_EPS);
    }

    /** Reads {@code key=value} lines; unknown keys and malformed lines are errors naming the line. */
    public static Map<String, String> readFile(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new TritException(file + ": cannot read the config (" + e.getMessage() + ")");
        }
        Map<String, String> m = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            if (hash >= 0) line = line.substring(0, hash);
            line = line.strip();
            if (line.isEmpty()) continue;
            int eq = line.indexOf('=');
            if (eq <= 0) throw new TritException(file + ":" + (i + 1) + ": expected key=value, got '" + line + "'");
            String key = line.substring(0, eq).strip(), value = line.substring(eq + 1).strip();
            if (!DEFAULTS.containsKey(key)) {
                throw new TritException(file + ":" + (i + 1) + ": unknown key '" + key + "' (keys: " + String.join(", ", DEFAULTS.keySet()) + ")");
            }
            m.put(key, value);
        }
        return m;
    }

    /** Builds a config from defaults overridden by {@code values} (already merged: file, then flags). */
    public static TrainConfig from(Map<String, String> values) {
        Map<String, String> v = new LinkedHashMap<>(DEFAULTS);
        for (var e : values.entrySet()) {
            if (!DEFAULTS.containsKey(e.getKey())) throw new TritException("unknown training setting '" + e.getKey() + "'");
            v.put(e.getKey(), e.getValue());
        }
        String mode = v.get("mode");
        if (!mode.equals("ternary") && !mode.equals("fp32")) throw new TritException("--mode must be ternary or fp32, got '" + mode + "'");
        boolean ternary = mode.equals("ternary");
        int heads = integer(v, "heads");
        int steps = integer(v, "steps");
        return new TrainConfig(integer(v, "dim"), integer(v, "layers"), heads,
                v.get("kv-heads").isEmpty() ? heads : integer(v, "kv-heads"), integer(v, "ffn"), integer(v, "ctx"),
                integer(v, "batch"), steps,
                v.get("lr").isEmpty() ? (ternary ? 1.5e-3 : 6e-4) : real(v, "lr"),
                v.get("warmup").isEmpty() ? Math.max(1, steps / 20) : integer(v, "warmup"),
                Schedule.parse(v.get("schedule")), real(v, "weight-decay"), real(v, "clip"), longValue(v, "seed"),
                ternary, integer(v, "eval-every"), integer(v, "eval-batches"));
    }

    /** The settings as {@code key=value} strings (what a checkpoint stores and a config file holds). */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("dim", Integer.toString(dim));
        m.put("layers", Integer.toString(layers));
        m.put("heads", Integer.toString(heads));
        m.put("kv-heads", Integer.toString(kvHeads));
        m.put("ffn", Integer.toString(ffn));
        m.put("ctx", Integer.toString(ctx));
        m.put("batch", Integer.toString(batch));
        m.put("steps", Integer.toString(steps));
        m.put("lr", Double.toString(lr));
        m.put("warmup", Integer.toString(warmup));
        m.put("schedule", schedule.label);
        m.put("weight-decay", Double.toString(weightDecay));
        m.put("clip", Double.toString(clip));
        m.put("seed", Long.toString(seed));
        m.put("mode", ternary ? "ternary" : "fp32");
        m.put("eval-every", Integer.toString(evalEvery));
        m.put("eval-batches", Integer.toString(evalBatches));
        return m;
    }

    /** Learning rate at step {@code t} (0-based). */
    public double learningRate(int t) {
        if (t < warmup) return lr * (t + 1) / warmup;
        return switch (schedule) {
            case COSINE -> cosine(lr, lr / 10, progress(t, warmup, steps));
            case TWO_STAGE -> {
                int mid = Math.max(warmup, steps / 2);
                yield t < mid ? cosine(lr, lr / 2, progress(t, warmup, mid)) : cosine(lr / 5, lr / 50, progress(t, mid, steps));
            }
        };
    }

    /** Weight decay at step {@code t}: zero in the second stage of the two-stage schedule. */
    public double weightDecayAt(int t) {
        return schedule == Schedule.TWO_STAGE && t >= Math.max(warmup, steps / 2) ? 0 : weightDecay;
    }

    private static double progress(int t, int from, int to) {
        return to <= from ? 1 : Math.min(1, (double) (t - from) / (to - from));
    }

    private static double cosine(double from, double to, double p) {
        return to + (from - to) * 0.5 * (1 + Math.cos(Math.PI * p));
    }

    private static int integer(Map<String, String> v, String key) {
        try {
            return Integer.parseInt(v.get(key).strip());
        } catch (NumberFormatException e) {
            throw new TritException("--" + key + " must be an integer, got '" + v.get(key) + "'");
        }
    }

    private static long longValue(Map<String, String> v, String key) {
        try {
            return Long.parseLong(v.get(key).strip());
        } catch (NumberFormatException e) {
            throw new TritException("--" + key + " must be an integer, got '" + v.get(key) + "'");
        }
    }

    private static double real(Map<String, String> v, String key) {
        try {
            return Double.parseDouble(v.get(key).strip().toLowerCase(Locale.ROOT));
        } catch (NumberFormatException e) {
            throw new TritException("--" + key + " must be a number, got '" + v.get(key) + "'");
        }
    }
}
