package trit.model;

import trit.TritException;
import trit.gguf.GgufFile;

/**
 * Hyper-parameters of a decoder-only transformer, read from GGUF metadata under the architecture's
 * prefix (llama.cpp's key names: {@code llama.embedding_length}, {@code bitnet.block_count}, ...).
 */
public record ModelConfig(
        Architecture arch,
        int vocab,
        int dim,
        int layers,
        int heads,
        int kvHeads,
        int headDim,
        int ffn,
        int context,
        float rmsEps,
        float ropeBase,
        float ropeFreqScale,
        int ropeDims) {

    public int kvDim() {
        return kvHeads * headDim;
    }

    public int qDim() {
        return heads * headDim;
    }

    public static ModelConfig from(GgufFile f) {
        String name = f.architecture();
        Architecture arch = Architecture.byName(name);
        if (arch == null) {
            throw new TritException(f.path() + ": unknown architecture '" + name + "' (trit runs: "
                    + Architecture.names() + ")");
        }
        String p = name + ".";
        int dim = required(f, p + "embedding_length");
        int layers = required(f, p + "block_count");
        int heads = required(f, p + "attention.head_count");
        int kvHeads = (int) f.getLong(p + "attention.head_count_kv", heads);
        int ffn = required(f, p + "feed_forward_length");
        int context = (int) f.getLong(p + "context_length", 2048);
        if (heads <= 0 || dim <= 0 || layers <= 0 || ffn <= 0 || kvHeads <= 0 || heads % kvHeads != 0) {
            throw new TritException(f.path() + ": inconsistent shape (dim " + dim + ", heads " + heads + ", kv heads "
                    + kvHeads + ", layers " + layers + ", ffn " + ffn + ")");
        }
        int headDim = (int) f.getLong(p + "attention.key_length", dim / heads);
        if (headDim <= 0 || headDim % 2 != 0) throw new TritException(f.path() + ": head size " + headDim + " must be even");
        int ropeDims = (int) f.getLong(p + "rope.dimension_count", headDim);
        float eps = (float) f.getDouble(p + "attention.layer_norm_rms_epsilon", 1e-5);
        float base = (float) f.getDouble(p + "rope.freq_base", 10000.0);
        float freqScale = 1.0f;
        String scaling = f.getString(p + "rope.scaling.type", "none");
        if (scaling.equals("linear")) {
            double factor = f.getDouble(p + "rope.scaling.factor", 1.0);
            if (factor > 0) freqScale = (float) (1.0 / factor);
        } else if (!scaling.equals("none")) {
            throw new TritException(f.path() + ": rope scaling '" + scaling + "' is not supported (none, linear)");
        }
        int vocab = (int) f.getLong(p + "vocab_size", -1);
        if (vocab < 0) {
            var tokens = f.get("tokenizer.ggml.tokens");
            var emb = f.tensor("token_embd.weight");
            if (tokens != null) vocab = tokens.asArray().length();
            else if (emb != null && emb.shape().length == 2) vocab = (int) emb.shape()[1];
            else throw new TritException(f.path() + ": cannot tell the vocabulary size");
        }
        return new ModelConfig(arch, vocab, dim, layers, heads, kvHeads, headDim, ffn, context, eps, base, freqScale,
                Math.min(ropeDims, headDim));
    }

    private static int required(GgufFile f, String key) {
        long v = f.getLong(key, Long.MIN_VALUE);
        if (v == Long.MIN_VALUE) throw new TritException(f.path() + ": missing metadata " + key);
        if (v <= 0 || v > Integer.MAX_VALUE) throw new TritException(f.path() + ": metadata " + key + " = " + v + " is out of range");
        return (int) v;
    }
}
