package trit.train;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import trit.TritException;
import trit.gguf.GgufFile;
import trit.gguf.GgufTensor;
import trit.gguf.GgufValue;
import trit.gguf.GgufWriter;
import trit.kernel.Parallel;
import trit.tensor.GgmlType;

/**
 * Training checkpoints as GGUF files: every latent parameter tensor under its model name in F32, AdamW's
 * moments under {@code adam.m.NAME} and {@code adam.v.NAME}, and under {@code trit.train.*} the settings,
 * the step, the sampler's RNG state (which is the data position), the tokenizer's hash and a CRC-32C of
 * all tensor bytes. Written atomically (temp file + rename), so a failed save leaves the previous one.
 */
public final class Checkpoint {
    private Checkpoint() {}

    public static final String TYPE = "trit-train-checkpoint";
    private static final String P = "trit.train.";
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public static void save(Trainer t, Path path) {
        Model m = t.model;
        GgufWriter w = new GgufWriter();
        w.put("general.type", GgufValue.ofString(TYPE));
        w.put("general.architecture", GgufValue.ofString(TYPE));
        for (var e : t.config.toMap().entrySet()) w.put(P + e.getKey(), GgufValue.ofString(e.getValue()));
        w.put(P + "vocab", GgufValue.ofU32(m.shape.vocab()));
        w.put(P + "step", GgufValue.ofU64(t.step));
        w.put(P + "rng_state", GgufValue.ofU64(t.rng.state()));
        w.put(P + "tokenizer_hash", GgufValue.ofString(t.tokenizerHash));
        w.put(P + "loss", GgufValue.ofString(Double.toString(t.lastLoss)));
        w.put(P + "val_loss", GgufValue.ofString(Double.toString(t.lastValLoss)));
        w.put(P + "checksum", GgufValue.ofU64(checksum(m.tensors, m.w, t.adamM, t.adamV)));
        for (float[] arr : new float[][] {m.w, t.adamM, t.adamV}) {
            String prefix = arr == m.w ? "" : arr == t.adamM ? "adam.m." : "adam.v.";
            for (Model.Tensor x : m.tensors) {
                w.addTensor(prefix + x.name(), GgmlType.F32, shape(x),
                        dst -> MemorySegment.copy(arr, x.offset(), dst, F32, 0, x.size()));
            }
        }
        w.write(path);
    }

    static long[] shape(Model.Tensor x) {
        return x.rows() == 1 ? new long[] {x.cols()} : new long[] {x.cols(), x.rows()};
    }

    /** CRC-32C of the three arrays' tensors in file order, as little-endian floats. */
    private static long checksum(List<Model.Tensor> tensors, float[]... arrays) {
        FloatCrc crc = new FloatCrc();
        for (float[] a : arrays) for (Model.Tensor x : tensors) crc.add(a, x.offset(), x.offset() + x.size());
        return crc.value();
    }

    /** The settings stored in a checkpoint, for a caller that needs the shape before loading. */
    public record Header(TrainConfig config, int vocab, int step, String tokenizerHash) {}

    public static Header header(GgufFile f) {
        if (!TYPE.equals(f.getString("general.type", ""))) {
            throw new TritException(f.path() + ": not a trit training checkpoint (general.type is '" + f.getString("general.type", "") + "')");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : TrainConfig.DEFAULTS.keySet()) {
            GgufValue v = f.get(P + key);
            if (v == null) throw new TritException(f.path() + ": checkpoint lacks " + P + key);
            values.put(key, v.asString());
        }
        long vocab = f.getLong(P + "vocab", -1), step = f.getLong(P + "step", -1);
        if (vocab < 2 || step < 0 || step > Integer.MAX_VALUE) throw new TritException(f.path() + ": checkpoint has no valid vocab/step");
        return new Header(TrainConfig.from(values), (int) vocab, (int) step, f.getString(P + "tokenizer_hash", ""));
    }

    /**
     * Restores a trainer from {@code path}. {@code overrides} are settings given again on the command
     * line: each must equal the checkpoint's (a resumed run continues the same recipe exactly). The
     * tokenizer must hash the same. Any mismatch or corruption is a {@link TritException}, raised before
     * anything is written.
     */
    public static Trainer load(Path path, Map<String, String> overrides, int[] train, int[] valid, String tokenizerHash, Parallel pool) {
        try (GgufFile f = GgufFile.open(path)) {
            Header h = header(f);
            Map<String, String> stored = h.config.toMap();
            for (var e : overrides.entrySet()) {
                Map<String, String> changed = new LinkedHashMap<>(stored);
                changed.put(e.getKey(), e.getValue());
                if (!TrainConfig.from(changed).equals(h.config)) {
                    throw new TritException(path + ": checkpoint was trained with --" + e.getKey() + " " + stored.get(e.getKey())
                            + ", not " + e.getValue() + " (a resumed run keeps its settings)");
                }
            }
            if (!h.tokenizerHash.equals(tokenizerHash)) {
                throw new TritException(path + ": checkpoint was trained with a different tokenizer (hash " + h.tokenizerHash
                        + ", this one " + tokenizerHash + ")");
            }
            ModelShape shape = h.config.shape(h.vocab);
            Trainer.checkMemory(shape, h.config.batch());
            float[][] arrays = read(f, path, shape, 3);
            Trainer t = new Trainer(h.config, h.vocab, train, valid, tokenizerHash, pool);
            t.restore(h.step, f.getLong(P + "rng_state", 0), arrays[0], arrays[1], arrays[2],
                    Double.parseDouble(f.getString(P + "loss", "NaN")), Double.parseDouble(f.getString(P + "val_loss", "NaN")));
            return t;
        }
    }

    /**
     * Reads the first {@code count} of weights, AdamW m, AdamW v after checking every tensor's presence,
     * type and size and the checksum over all of them.
     */
    private static float[][] read(GgufFile f, Path path, ModelShape shape, int count) {
        ModelLayout layout = new ModelLayout(shape);
        float[][] arrays = new float[count][layout.size];
        CRC32C crc = new CRC32C();
        String[] prefixes = {"", "adam.m.", "adam.v."};
        for (int a = 0; a < 3; a++) {
            for (Model.Tensor x : layout.tensors) {
                GgufTensor t = f.tensor(prefixes[a] + x.name());
                if (t == null || t.type() != GgmlType.F32 || t.elements() != x.size()) {
                    throw new TritException(path + ": checkpoint tensor " + prefixes[a] + x.name() + " is missing or misshapen");
                }
                if (a < count) MemorySegment.copy(t.data(), F32, 0, arrays[a], x.offset(), x.size());
                crc.update(t.data().asByteBuffer());
            }
        }
        if (crc.getValue() != f.getLong(P + "checksum", -1)) {
            throw new TritException(path + ": checkpoint is corrupt (tensor checksum mismatch)");
        }
        return arrays;
    }

    /** The latent weights of a checkpoint, for export. */
    public record Weights(Header header, ModelShape shape, List<Model.Tensor> tensors, float[] w) {}

    public static Weights weights(Path path) {
        try (GgufFile f = GgufFile.open(path)) {
            Header h = header(f);
            ModelShape shape = h.config.shape(h.vocab);
            float[] w = read(f, path, shape, 1)[0];
            ModelLayout layout = new ModelLayout(shape);
            return new Weights(h, shape, layout.tensors, w);
        }
    }
}
