package trit.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import trit.TritException;
import trit.gguf.GgufFile;
import trit.gguf.GgufTensor;
import trit.gguf.GgufValue;
import trit.gguf.GgufWriter;
import trit.tensor.Formats;
import trit.tensor.GgmlType;
import trit.tensor.TensorCodec;
import trit.tensor.Ternary;

/**
 * Re-encodes a model's weight matrices to one type (what `trit quantize` does). Norms, biases and
 * other 1-D tensors stay as they are. For ternary targets each matrix is first ternarized with
 * BitNet b1.58's absmean rule, then packed; the token embedding and output matrix go to Q8_0 instead,
 * since ternarizing them costs far more quality than it saves (BitNet keeps them in high precision).
 */
public final class ModelQuantizer {
    /** Types `trit quantize` can produce. */
    public static final List<GgmlType> TARGETS = List.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0,
            GgmlType.Q4_0, GgmlType.TQ2_0, GgmlType.TQ1_0, GgmlType.I2_S);

    public record Options(GgmlType target, boolean keepOutputType, int threads) {}

    /** What happened to one tensor; {@code zeroFraction} is NaN unless the tensor was ternarized. */
    public record TensorResult(String name, GgmlType from, GgmlType to, long elements, long bytesBefore,
                               long bytesAfter, double zeroFraction, String note) {}

    public record Result(List<TensorResult> tensors, long fileBytesBefore, long fileBytesAfter) {
        public long zerosOverTernary() {
            double z = 0;
            for (TensorResult t : tensors) if (!Double.isNaN(t.zeroFraction)) z += t.zeroFraction * t.elements;
            return Math.round(z);
        }

        public long ternaryElements() {
            long n = 0;
            for (TensorResult t : tensors) if (!Double.isNaN(t.zeroFraction)) n += t.elements;
            return n;
        }
    }

    /** llama.cpp's {@code llama_ftype} for a file whose matrices are mostly of {@code t} (bitnet.cpp: I2_S = 40). */
    public static int fileType(GgmlType t) {
        return switch (t) {
            case F32 -> 0;
            case F16 -> 1;
            case Q4_0 -> 2;
            case Q8_0 -> 7;
            case BF16 -> 32;
            case TQ1_0 -> 36;
            case TQ2_0 -> 37;
            case I2_S -> 40;
            default -> throw new IllegalArgumentException("no file type for " + t);
        };
    }

    private ModelQuantizer() {}

    /** Chooses each tensor's output type and why. */
    static TensorPlan plan(GgufTensor t, Options o) {
        boolean matrix = t.shape().length >= 2 && t.name().endsWith("weight");
        if (!matrix) return new TensorPlan(t.type(), null);
        boolean embOrOut = t.name().equals("token_embd.weight") || t.name().equals("output.weight");
        if (embOrOut && o.keepOutputType()) return new TensorPlan(t.type(), "kept (--keep-output-type)");
        GgmlType to = o.target();
        String note = null;
        if (embOrOut && to.isTernary() && !t.type().isTernary()) {
            to = GgmlType.Q8_0;
            note = "embedding/output kept at 8 bits";
        }
        if (t.rowLength() % to.blockSize() != 0) {
            GgmlType fallback = t.rowLength() % GgmlType.Q8_0.blockSize() == 0 ? GgmlType.Q8_0 : GgmlType.F16;
            note = "row length " + t.rowLength() + " is not a multiple of " + to.blockSize() + ", used " + fallback.label();
            to = fallback;
        }
        return new TensorPlan(to, note);
    }

    record TensorPlan(GgmlType to, String note) {}

    /** Tensor bytes of {@code f} after quantizing it to {@code target} with {@code quantize}'s rules. */
    public static long plannedTensorBytes(trit.gguf.GgufFile f, GgmlType target) {
        if (!TARGETS.contains(target)) throw new TritException("cannot quantize to " + target.label());
        Options o = new Options(target, false, 1);
        long bytes = 0;
        for (GgufTensor t : f.tensors()) bytes += plan(t, o).to().tensorBytes(t.elements());
        return bytes;
    }

    public static Result quantize(Path in, Path out, Options o, Consumer<String> progress) {
        if (!TARGETS.contains(o.target())) {
            throw new TritException("cannot quantize to " + o.target().label() + " (targets: "
                    + String.join(", ", TARGETS.stream().map(GgmlType::label).toList()) + ")");
        }
        if (in.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
            throw new TritException(out + ": the output must not be the input file");
        }
        try (GgufFile src = GgufFile.open(in)) {
            GgufWriter w = new GgufWriter().putAll(src.metadata());
            w.put("general.file_type", GgufValue.ofU32(fileType(o.target())));
            if (o.target() != GgmlType.F32 && o.target() != GgmlType.F16 && o.target() != GgmlType.BF16) {
                w.put("general.quantization_version", GgufValue.ofU32(2));
            }
            List<Job> jobs = new ArrayList<>();
            for (GgufTensor t : src.tensors()) {
                Job job = new Job(t, plan(t, o));
                jobs.add(job);
                GgmlType to = job.plan.to();
                if (to == t.type()) {
                    w.addTensor(t.name(), to, t.shape(), t.data());
                    if (to.isTernary()) job.zeroFraction = zeroFraction(t);
                } else {
                    checkDecodable(src, t);
                    // Ternary input (e.g. llama.cpp's TQ2_0 with per-block scales) moves losslessly between
                    // the block-scaled TQ types; only float input, or I2_S's single scale, needs absmean.
                    boolean ternarize = to.isTernary() && !(t.type().isTernary() && to != GgmlType.I2_S);
                    w.addTensor(t.name(), to, t.shape(), dst -> {
                        float[] x = TensorCodec.dequantize(t.type(), t.data(), t.elements());
                        if (ternarize) job.zeroFraction = Ternary.absmean(x, x).zeroFraction();
                        else if (to.isTernary()) job.zeroFraction = Ternary.zeroFraction(x);
                        TensorCodec.quantize(to, x, dst, o.threads());
                    });
                }
            }
            int[] done = {0};
            w.write(out, name -> {
                done[0]++;
                if (progress != null) progress.accept("[" + done[0] + "/" + jobs.size() + "] " + name);
            });
            List<TensorResult> results = new ArrayList<>();
            for (Job j : jobs) {
                long n = j.tensor.elements();
                results.add(new TensorResult(j.tensor.name(), j.tensor.type(), j.plan.to(), n, j.tensor.bytes(),
                        j.plan.to().tensorBytes(n), j.zeroFraction, j.plan.note()));
            }
            return new Result(results, src.fileSize(), fileSize(out));
        }
    }

    private static final class Job {
        final GgufTensor tensor;
        final TensorPlan plan;
        double zeroFraction = Double.NaN;

        Job(GgufTensor tensor, TensorPlan plan) {
            this.tensor = tensor;
            this.plan = plan;
        }
    }

    private static double zeroFraction(GgufTensor t) {
        return Ternary.zeroFraction(TensorCodec.dequantize(t.type(), t.data(), t.elements()));
    }

    private static long fileSize(Path p) {
        try {
            return java.nio.file.Files.size(p);
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private static void checkDecodable(GgufFile src, GgufTensor t) {
        if (!Formats.isSupported(t.type())) {
            throw new TritException(src.path() + ": tensor '" + t.name() + "' is " + t.type().label()
                    + ", which trit cannot decode yet");
        }
        if (t.elements() > Integer.MAX_VALUE - 8) {
            throw new TritException(src.path() + ": tensor '" + t.name() + "' has " + t.elements()
                    + " elements, more than trit quantize handles in one piece");
        }
    }
}
