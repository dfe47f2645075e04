package trit.bdh;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import trit.TritException;
import trit.gguf.GgufFile;
import trit.gguf.GgufTensor;
import trit.gguf.GgufValue;
import trit.gguf.GgufWriter;
import trit.tensor.GgmlType;
import trit.train.FloatCrc;

/**
 * A BDH training run saved so that it can go on exactly where it stopped: the model as an ordinary
 * {@code bdh} GGUF file (so a checkpoint also loads as a model), AdamW's two moments per parameter array
 * as F32 tensors {@code adam.m.NAME} / {@code adam.v.NAME} with its step count, the trainer's own state
 * as strings under {@code bdh.train.*} (settings, step, counters: whatever the training loop needs), and a
 * CRC-32C over every parameter and moment. Written atomically (temp file + rename by {@link GgufWriter}).
 */
public final class BdhCheckpoint {
    private BdhCheckpoint() {}

    public static final String TYPE = "trit-bdh-checkpoint";
    static final String STATE = BdhGguf.ARCH + ".train.";
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** What a checkpoint holds. */
    public record Loaded(BdhModel model, List<float[]> firstMoments, List<float[]> secondMoments, long adamSteps, Map<String, String> state) {
        /** The saved optimizer, with the run's weight decay (a setting the trainer keeps in {@link #state}). */
        public AdamW optimizer(double weightDecay) {
            AdamW opt = new AdamW(weightDecay);
            opt.restore(firstMoments, secondMoments, adamSteps);
            return opt;
        }

        public String get(String key) {
            String v = state.get(key);
            if (v == null) throw new TritException("checkpoint lacks " + STATE + key);
            return v;
        }
    }

    /**
     * Adds the optimizer's moments, {@code state} and the checksum to {@code w} (a writer that already
     * holds the model, from {@link BdhGguf#writer}) and writes it to {@code path}.
     */
    public static void save(GgufWriter w, BdhModel model, AdamW opt, Map<String, String> state, Path path) {
        w.put("general.type", GgufValue.ofString(TYPE));
        for (var e : state.entrySet()) w.put(STATE + e.getKey(), GgufValue.ofString(e.getValue()));
        List<BdhModel.Param> params = model.params();
        List<float[]> m = opt.firstMoments(params), v = opt.secondMoments(params);
        w.put(STATE + "adam_steps", GgufValue.ofU64(opt.steps()));
        w.put(STATE + "checksum", GgufValue.ofU64(checksum(params, m, v)));
        for (int k = 0; k < params.size(); k++) {
            float[] mk = m.get(k), vk = v.get(k);
            String name = params.get(k).name();
            w.addTensor("adam.m." + name, GgmlType.F32, new long[] {mk.length}, dst -> MemorySegment.copy(mk, 0, dst, F32, 0, mk.length));
            w.addTensor("adam.v." + name, GgmlType.F32, new long[] {vk.length}, dst -> MemorySegment.copy(vk, 0, dst, F32, 0, vk.length));
        }
        w.write(path);
    }

    public static boolean isCheckpoint(GgufFile f) {
        return TYPE.equals(f.getString("general.type", ""));
    }

    /** Reads a checkpoint, checking that it is one and that its checksum holds. */
    public static Loaded load(Path path) {
        try (GgufFile f = GgufFile.open(path)) {
            if (!isCheckpoint(f)) {
                throw new TritException(path + ": not a BDH training checkpoint (general.type is '" + f.getString("general.type", "") + "')");
            }
            BdhModel model = BdhGguf.read(f);
            List<BdhModel.Param> params = model.params();
            List<float[]> m = new ArrayList<>(), v = new ArrayList<>();
            for (BdhModel.Param p : params) {
                m.add(moment(f, path, "adam.m." + p.name(), p.data().length));
                v.add(moment(f, path, "adam.v." + p.name(), p.data().length));
            }
            long stored = f.getLong(STATE + "checksum", -1);
            if (stored != checksum(params, m, v)) throw new TritException(path + ": checkpoint checksum does not match its tensors (damaged file)");
            Map<String, String> state = new LinkedHashMap<>();
            for (var e : f.metadata().entrySet()) {
                if (e.getKey().startsWith(STATE) && e.getValue().value() instanceof String s) state.put(e.getKey().substring(STATE.length()), s);
            }
            return new Loaded(model, m, v, f.getLong(STATE + "adam_steps", 0), state);
        }
    }

    private static float[] moment(GgufFile f, Path path, String name, int n) {
        GgufTensor t = f.tensor(name);
        if (t == null || t.type() != GgmlType.F32 || t.elements() != n) throw new TritException(path + ": checkpoint tensor " + name + " is missing or misshapen");
        float[] a = new float[n];
        MemorySegment.copy(t.data(), F32, 0, a, 0, n);
        return a;
    }

    /** CRC-32C of the parameters, then the first and second moments, as little-endian floats. */
    private static long checksum(List<BdhModel.Param> params, List<float[]> m, List<float[]> v) {
        FloatCrc crc = new FloatCrc();
        for (BdhModel.Param p : params) crc.add(p.data());
        for (float[] a : m) crc.add(a);
        for (float[] a : v) crc.add(a);
        return crc.value();
    }
}
