package trit.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Where each parameter tensor of a {@link ModelShape} lives in the one flat parameter array, in GGUF names. */
public final class ModelLayout {
    public final List<Model.Tensor> tensors;
    public final int size;
    final int emb, outNorm;
    final int[] attnNorm, wQ, wK, wV, subA, wO, ffnNorm, gate, up, subF, down;

    public ModelLayout(ModelShape s) {
        int L = s.layers();
        List<Model.Tensor> list = new ArrayList<>();
        attnNorm = new int[L]; wQ = new int[L]; wK = new int[L]; wV = new int[L]; subA = new int[L]; wO = new int[L];
        ffnNorm = new int[L]; gate = new int[L]; up = new int[L]; subF = new int[L]; down = new int[L];
        int[] at = {0};
        emb = add(list, at, "token_embd.weight", s.vocab(), s.dim(), false);
        for (int l = 0; l < L; l++) {
            String p = "blk." + l + ".";
            attnNorm[l] = add(list, at, p + "attn_norm.weight", 1, s.dim(), false);
            wQ[l] = add(list, at, p + "attn_q.weight", s.qDim(), s.dim(), true);
            wK[l] = add(list, at, p + "attn_k.weight", s.kvDim(), s.dim(), true);
            wV[l] = add(list, at, p + "attn_v.weight", s.kvDim(), s.dim(), true);
            subA[l] = add(list, at, p + "attn_sub_norm.weight", 1, s.qDim(), false);
            wO[l] = add(list, at, p + "attn_output.weight", s.dim(), s.qDim(), true);
            ffnNorm[l] = add(list, at, p + "ffn_norm.weight", 1, s.dim(), false);
            gate[l] = add(list, at, p + "ffn_gate.weight", s.ffn(), s.dim(), true);
            up[l] = add(list, at, p + "ffn_up.weight", s.ffn(), s.dim(), true);
            subF[l] = add(list, at, p + "ffn_sub_norm.weight", 1, s.ffn(), false);
            down[l] = add(list, at, p + "ffn_down.weight", s.dim(), s.ffn(), true);
        }
        outNorm = add(list, at, "output_norm.weight", 1, s.dim(), false);
        if (at[0] != s.parameters()) throw new IllegalStateException("parameter layout " + at[0] + " != " + s.parameters());
        this.tensors = Collections.unmodifiableList(list);
        this.size = at[0];
    }

    private static int add(List<Model.Tensor> list, int[] at, String name, int rows, int cols, boolean ternary) {
        int off = at[0];
        list.add(new Model.Tensor(name, off, rows, cols, ternary));
        at[0] = Math.addExact(at[0], Math.multiplyExact(rows, cols));
        return off;
    }
}
