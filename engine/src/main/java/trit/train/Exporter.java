package trit.train;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import trit.TritException;
import trit.gguf.GgufValue;
import trit.gguf.GgufWriter;
import trit.tensor.GgmlType;
import trit.tensor.TensorCodec;

/**
 * Writes a checkpoint as a model GGUF of llama.cpp's {@code bitnet} architecture, which trit's runtime
 * and llama.cpp run. A ternary checkpoint's matrices become their ternary codes at unit scale in TQ2_0,
 * TQ1_0 or I2_S (lossless: every block's scale is 1) plus the absmean scale as a one-element F32
 * {@code *.scale} tensor, which llama.cpp's BitNet graph multiplies after each product, so nothing is
 * rounded to fp16. As f32/f16 they are written as s * code. An fp32 checkpoint exports to f32 or f16.
 * The embedding (also the output matrix) is f32, f16 or q8_0; norms are f32.
 */
public final class Exporter {
    private Exporter() {}

    public static final Set<GgmlType> TYPES = Set.of(GgmlType.TQ2_0, GgmlType.TQ1_0, GgmlType.I2_S, GgmlType.F32, GgmlType.F16);
    public static final Set<GgmlType> EMBEDDING_TYPES = Set.of(GgmlType.F32, GgmlType.F16, GgmlType.Q8_0);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public record Result(long parameters, long bytes, GgmlType type, GgmlType embeddingType) {}

    public static Result export(Path checkpoint, Path out, GgmlType type, GgmlType embType, Map<String, GgufValue> tokenizer, int threads) {
        if (!TYPES.contains(type)) throw new TritException("--type " + type.label() + " is not an export type (tq2_0, tq1_0, i2_s, f32, f16)");
        if (!EMBEDDING_TYPES.contains(embType)) throw new TritException("--embedding-type must be f32, f16 or q8_0");
        Checkpoint.Weights cw = Checkpoint.weights(checkpoint);
        ModelShape s = cw.shape();
        boolean ternaryModel = cw.header().config().ternary();
        if (type.isTernary() && !ternaryModel) {
            throw new TritException(checkpoint + ": an fp32 checkpoint exports to f32 or f16 (then `trit quantize` to a ternary type)");
        }
        if (TokenizerMeta.vocabSize(tokenizer) != s.vocab()) {
            throw new TritException("the tokenizer has " + TokenizerMeta.vocabSize(tokenizer) + " tokens but the model " + s.vocab());
        }
        if (!TokenizerMeta.hash(tokenizer).equals(cw.header().tokenizerHash())) {
            throw new TritException("the tokenizer is not the one " + checkpoint + " was trained with (hash "
                    + TokenizerMeta.hash(tokenizer) + " vs " + cw.header().tokenizerHash() + ")");
        }
        for (Model.Tensor t : cw.tensors()) {
            GgmlType tt = t.ternary() ? type : t.name().equals("token_embd.weight") ? embType : GgmlType.F32;
            if (t.cols() % tt.blockSize() != 0) {
                throw new TritException(t.name() + " has rows of " + t.cols() + ", not a multiple of the " + tt.label() + " block of "
                        + tt.blockSize() + " (choose --dim/--ffn multiples of 256 for ternary types)");
            }
        }
        String a = "bitnet";
        GgufWriter w = new GgufWriter();
        trit.model.Hparams.write(w, a, "trit-trained " + (ternaryModel ? "ternary" : "fp32") + " " + s.dim() + "x" + s.layers(), type,
                s.vocab(), s.ctx(), s.dim(), s.layers(), s.ffn(), s.heads(), s.kvHeads(), s.headDim(), s.ropeBase(), s.eps());
        w.putAll(tokenizer);
        float[] lw = cw.w();
        long bytes = 0;
        for (Model.Tensor t : cw.tensors()) {
            long[] shape = Checkpoint.shape(t);
            if (!t.ternary()) {
                GgmlType tt = t.name().equals("token_embd.weight") ? embType : GgmlType.F32;
                float[] src = java.util.Arrays.copyOfRange(lw, t.offset(), t.offset() + t.size());
                w.addTensor(t.name(), tt, shape, dst -> TensorCodec.quantize(tt, src, dst, threads));
                bytes += tt.tensorBytes(t.size());
                continue;
            }
            float[] q = new float[t.size()];
            float scale = 1f;
            if (ternaryModel) {
                scale = Quant.absmeanScale(lw, t.offset(), t.size());
                for (int i = 0; i < q.length; i++) q[i] = Quant.code(lw[t.offset() + i], scale);
                if (!type.isTernary()) {
                    for (int i = 0; i < q.length; i++) q[i] *= scale;
                    scale = 1f;
                }
            } else {
                System.arraycopy(lw, t.offset(), q, 0, q.length);
            }
            w.addTensor(t.name(), type, shape, dst -> TensorCodec.quantize(type, q, dst, threads));
            bytes += type.tensorBytes(t.size());
            if (type.isTernary()) {
                float sc = scale;
                w.addTensor(t.name().replace(".weight", ".scale"), GgmlType.F32, new long[] {1}, dst -> dst.set(F32, 0, sc));
            }
        }
        w.write(out);
        return new Result(s.parameters(), bytes, type, embType);
    }
}
