package trit.roi;

import java.util.LinkedHashMap;
import java.util.Map;
import trit.TritException;
import trit.model.Architecture;
import trit.model.ModelConfig;
import trit.model.Session;
import trit.model.SyntheticModel;
import trit.tensor.GgmlType;

/**
 * Memory a model needs, by component, as trit allocates it: weights (exact tensor bytes, kept in their
 * encoding, mapped or in memory), the F16 KV cache of each sequence (as {@link Session} allocates it), the
 * activation buffers (each Session's float buffers for a batch of {@link Session#MAX_BATCH} tokens, plus
 * the quantized activations each weight matrix keeps for its largest batch), and the runtime (the JVM
 * itself, measured, plus the GGUF header). With a LoRA rank, also the memory of LoRA training, estimated.
 *
 * @param runtime JVM baseline plus the file's header and metadata
 */
public record MemoryPlan(String model, String type, Dims dims, int context, int sequences, int promptBatch, long weights,
                         long kvCache, long activations, long runtime, Lora lora) {

    /**
     * The JVM's own resident memory under a trit command (code, metaspace, heap headroom, JIT arenas):
     * the median peak RSS of {@code trit bench --synthetic bitnet-tiny -p 8 -n 4 -r 1 --threads 2} (JDK 25,
     * AOT cache, the launcher's heap flags) minus that model's planned weights, KV cache and buffers, which
     * are under 2 MiB. Measured on the project machine, 2026-11; runs spread from 170 to 256 MiB, which
     * bounds how well small models can be planned (see docs/ROI.md).
     */
    public static final long JVM_BASELINE = 190L << 20;

    /** Bytes per element of a matrix's quantized input: 16-bit codes twice (kernel and element order), or floats. */
    private static final double ACTIVATION_BYTES_PER_ELEMENT = 4.25;

    /** The shape figures the plan needs, from a GGUF file or a synthetic preset. */
    public record Dims(int vocab, int dim, int layers, int heads, int kvHeads, int headDim, int ffn, int maxContext, int ropeDims,
                       boolean subNorms, boolean qkNorm, boolean separateOutput) {
        public int qDim() { return heads * headDim; }
        public int kvDim() { return kvHeads * headDim; }

        public static Dims of(SyntheticModel.Shape s) {
            return new Dims(s.vocab(), s.dim(), s.layers(), s.heads(), s.kvHeads(), s.headDim(), s.ffn(), s.context(), s.headDim(),
                    s.arch().subNorms, s.arch().qkNorm(), !s.tiedOutput() && !s.arch().alwaysTiedOutput);
        }

        public static Dims of(ModelConfig c, boolean separateOutput) {
            Architecture a = c.arch();
            return new Dims(c.vocab(), c.dim(), c.layers(), c.heads(), c.kvHeads(), c.headDim(), c.ffn(), c.context(), c.ropeDims(),
                    a.subNorms, a.qkNorm(), separateOutput && !a.alwaysTiedOutput);
        }
    }

    /**
     * LoRA training on every weight matrix of every layer, all estimated: adapters in F32 with their
     * gradients and AdamW's two moments (16 bytes per parameter); the activations each layer keeps for the
     * backward pass (without recomputation, attention probabilities included); the logits and their gradient.
     */
    public record Lora(int rank, long adapterParameters, long adapterState, long savedActivations, long logits) {
        public long total() { return adapterState + savedActivations + logits; }
    }

    public long inference() {
        return weights + kvCache + activations + runtime;
    }

    /** Inference plus, when planned, LoRA training's extra memory. */
    public long total() {
        return inference() + (lora == null ? 0 : lora.total());
    }

    /**
     * @param weightBytes  exact bytes of the tensors
     * @param headerBytes  the GGUF header and metadata (resident with the weights)
     * @param context      KV cache positions per sequence
     * @param sequences    sequences served at once (each with its own KV cache and buffers)
     * @param promptBatch  largest batch of prompt tokens a forward pass takes (at most Session.MAX_BATCH)
     * @param loraRank     0 for inference only
     */
    public static MemoryPlan of(String model, String type, Dims d, long weightBytes, long headerBytes, int context, int sequences,
                                int promptBatch, int loraRank) {
        if (context < 1) throw new TritException("--ctx must be >= 1, got " + context);
        if (context > d.maxContext()) throw new TritException("--ctx " + context + " exceeds the model's context of " + d.maxContext());
        if (sequences < 1) throw new TritException("--batch must be >= 1, got " + sequences);
        if (promptBatch < 1 || promptBatch > Session.MAX_BATCH) {
            throw new TritException("--prompt-batch must be between 1 and " + Session.MAX_BATCH + ", got " + promptBatch);
        }
        if (loraRank < 0) throw new TritException("--lora-rank must be >= 0, got " + loraRank);
        long kv = sequences * 2L * 2 * d.layers() * context * d.kvDim();
        long act = sequences * sessionBuffers(d, context) + matrixScratch(d, promptBatch) + normVectors(d);
        Lora lora = loraRank > 0 ? lora(d, context, sequences, loraRank) : null;
        return new MemoryPlan(model, type, d, context, sequences, promptBatch, weightBytes, kv, act, JVM_BASELINE + headerBytes, lora);
    }

    /** The float buffers of one {@link Session}: sized for a full batch whatever the prompt. */
    static long sessionBuffers(Dims d, int context) {
        long b = Session.MAX_BATCH;
        long floats = b * d.dim() * 2                 // x, xb2
                + b * Math.max(d.dim(), d.qDim())      // xb
                + b * d.qDim() * 2                     // q, att
                + b * d.kvDim() * 2L                   // k, v
                + b * d.ffn() * 2L                     // hb, hb2
                + d.vocab() + d.dim()                  // logits, last
                + b * d.ropeDims()                     // cos and sin tables, half the rotary dims each
                + (long) d.heads() * context;          // attention scores per head
        return 4 * floats;
    }

    /** Each weight matrix keeps quantized copies of its inputs for the largest batch it has seen. */
    static long matrixScratch(Dims d, int batch) {
        long colsPerLayer = 3L * d.dim() + d.qDim() + 2L * d.dim() + d.ffn(); // q k v | o | gate up | down
        long cols = d.layers() * colsPerLayer + d.dim();                     // + the output matrix
        return (long) (batch * cols * ACTIVATION_BYTES_PER_ELEMENT);
    }

    /** Norm weights, decoded to floats at load. */
    static long normVectors(Dims d) {
        long perLayer = 2L * d.dim() + (d.subNorms() ? d.qDim() + d.ffn() : 0) + (d.qkNorm() ? 2L * d.headDim() : 0);
        return 4 * (d.layers() * perLayer + d.dim());
    }

    static Lora lora(Dims d, int context, int sequences, int rank) {
        long inOutPerLayer = (d.dim() + d.qDim()) + 2L * (d.dim() + d.kvDim()) + (d.qDim() + d.dim()) + 2L * (d.dim() + d.ffn())
                + (d.ffn() + d.dim());
        long params = (long) rank * d.layers() * inOutPerLayer;
        long tokens = (long) sequences * context;
        long floatsPerTokenLayer = 4L * d.dim() + 2L * d.qDim() + 2L * d.kvDim() + 4L * d.ffn() + (long) d.heads() * context + 7L * rank;
        long saved = 4 * tokens * d.layers() * floatsPerTokenLayer;
        long logits = 2 * 4 * tokens * d.vocab();
        return new Lora(rank, params, 16 * params, saved, logits);
    }

    /** The components by name, in bytes, for JSON and charts. */
    public Map<String, Long> components() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("weights", weights);
        m.put("kv_cache", kvCache);
        m.put("activations", activations);
        m.put("runtime", runtime);
        if (lora != null) {
            m.put("lora_adapters_and_optimizer", lora.adapterState());
            m.put("lora_saved_activations", lora.savedActivations());
            m.put("lora_logits", lora.logits());
        }
        return m;
    }

    /** Exact tensor bytes of {@code s} written as {@code type} by {@link SyntheticModel}. */
    public static long[] syntheticBytes(SyntheticModel.Shape s, GgmlType type) {
        var w = SyntheticModel.writer(s, type, 1, 1);
        long tensors = w.tensorBytes();
        return new long[] {tensors, w.size() - tensors};
    }
}
