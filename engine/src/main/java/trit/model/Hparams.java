package trit.model;

import trit.gguf.GgufValue;
import trit.gguf.GgufWriter;
import trit.tensor.GgmlType;

/** The GGUF metadata keys of a transformer's shape, as llama.cpp reads them, for the files trit writes. */
public final class Hparams {
    private Hparams() {}

    /**
     * Writes {@code general.architecture}, {@code general.name}, {@code general.file_type} and the
     * {@code ARCH.*} shape keys. Key and value lengths are written only when they differ from dim / heads.
     */
    public static void write(GgufWriter w, String arch, String name, GgmlType type, int vocab, int context, int dim,
                             int layers, int ffn, int heads, int kvHeads, int headDim, float ropeBase, float eps) {
        w.put("general.architecture", GgufValue.ofString(arch));
        w.put("general.name", GgufValue.ofString(name));
        w.put("general.file_type", GgufValue.ofU32(type == GgmlType.F32 ? 0 : ModelQuantizer.fileType(type)));
        w.put(arch + ".vocab_size", GgufValue.ofU32(vocab));
        w.put(arch + ".context_length", GgufValue.ofU32(context));
        w.put(arch + ".embedding_length", GgufValue.ofU32(dim));
        w.put(arch + ".block_count", GgufValue.ofU32(layers));
        w.put(arch + ".feed_forward_length", GgufValue.ofU32(ffn));
        w.put(arch + ".attention.head_count", GgufValue.ofU32(heads));
        w.put(arch + ".attention.head_count_kv", GgufValue.ofU32(kvHeads));
        if (headDim * heads != dim) {
            w.put(arch + ".attention.key_length", GgufValue.ofU32(headDim));
            w.put(arch + ".attention.value_length", GgufValue.ofU32(headDim));
        }
        w.put(arch + ".rope.dimension_count", GgufValue.ofU32(headDim));
        w.put(arch + ".rope.freq_base", GgufValue.ofF32(ropeBase));
        w.put(arch + ".attention.layer_norm_rms_epsilon", GgufValue.ofF32(eps));
    }
}
