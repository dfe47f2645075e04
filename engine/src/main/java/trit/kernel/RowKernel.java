package trit.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import trit.tensor.GgmlType;
import trit.tensor.Half;

/**
 * Dot products of one weight type against prepared activations, one weight row at a time. A kernel is
 * made for one row length; {@link #prepare} converts an activation vector to the type's
 * {@code vec_dot_type} (shared by all kernels, so that the reference and the vector kernels see the
 * same codes) and stores it in the order {@link #layout} asks for; {@link #dot} reads one row.
 * Kernels are stateless after construction and may be used by many threads at once.
 */
abstract class RowKernel {
    static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    final GgmlType type;
    final int cols;
    /**
     * I2_S: the per-tensor weight scale. TQ1_0 / TQ2_0: the fp16 scale all blocks share, widened, or 0
     * when they differ (vector kernels then read each block's). Unused otherwise.
     */
    final float tensorScale;
    /** Where codes go ({@code null}: element order). */
    final Layout layout;
    /** Lanes of the per-block ternary bias ({@code 0}: none). */
    final int biasLanes;
    /** F16 / BF16: float activations in runs of this many, even elements first ({@code 0}: element order). */
    final int floatRun;

    RowKernel(GgmlType type, int cols, float tensorScale, Layout layout, int biasLanes, int floatRun) {
        this.type = type;
        this.cols = cols;
        this.tensorScale = tensorScale;
        this.layout = layout;
        this.biasLanes = biasLanes;
        this.floatRun = floatRun;
    }

    /**
     * {@code W[row] . x} for the row whose bytes start at {@code off} in {@code w}. {@code scratch} has
     * at least {@link #scratch()} ints, is private to the calling thread, and may be overwritten.
     */
    abstract float dot(MemorySegment w, long off, Activation a, int[] scratch);

    /**
     * {@code y[yOff + r] = W[r] . x} for the rows {@code from <= r < to} of a tensor whose rows are
     * {@code rowBytes} apart from byte 0 of {@code w}. Kernels that do several rows per pass override it.
     */
    void dots(MemorySegment w, long rowBytes, Activation a, int[] scratch, float[] y, int yOff, int from, int to) {
        long off = from * rowBytes;
        for (int r = from; r < to; r++, off += rowBytes) y[yOff + r] = dot(w, off, a, scratch);
    }

    /**
     * {@link #dots} for the activations {@code as[v0 .. v0 + n)} (prompt processing): vector v's
     * products go to {@code y[v * rows + r]}. Kernels that share each weight's decoding between
     * vectors override it.
     */
    void dotsBatch(MemorySegment w, long rowBytes, Activation[] as, int v0, int n, int[] scratch, float[] y, int rows,
                   int from, int to) {
        for (int v = v0; v < v0 + n; v++) dots(w, rowBytes, as[v], scratch, y, v * rows, from, to);
    }

    /**
     * Tokens per group of the tiled batch product for a batch of {@code n}, or 0 when this kernel
     * keeps to {@link #dotsBatch} for it (no tiled path for the type, or too few tokens to fill a tile).
     */
    int tileTokens(int n) {
        return 0;
    }

    /** An empty panel for a batch of {@code n} activations, to {@link Panel#fill} as they are prepared. */
    Panel panel(int n) {
        int group = tileTokens(n);
        int block = switch (type) {
            case Q8_0, Q4_0 -> ActQuant.QK8_0;
            case I2_S -> type.blockSize();
            default -> ActQuant.QK_K;
        };
        return new Panel(n, group, cols, block, layout != null, type == GgmlType.I2_S);
    }

    /**
     * The batch product for the rows {@code from <= r < to} as a tiled matrix product: vector v's
     * products go to {@code y[v * rows + r]}. Only called when {@link #tileTokens} is positive.
     */
    void tiled(MemorySegment w, long rowBytes, Panel p, float[] y, int rows, int from, int to) {
        throw new UnsupportedOperationException(type.label() + " has no tiled product");
    }

    /** Ints of scratch space {@link #dot} needs. */
    int scratch() {
        return 0;
    }

    /**
     * Converts {@code x[off .. off + cols)} to this type's activation form, into {@code a}; with
     * {@code arranged}, also in the order (and with the bias) this kernel's row products read, which the
     * tiled product does not need.
     */
    final void prepare(float[] x, int off, Activation a, boolean arranged) {
        switch (type) {
            case Q8_0, Q4_0 -> ActQuant.q8_0(x, off, cols, a.q(cols), a.d(cols / ActQuant.QK8_0));
            case Q4_K, Q6_K, TQ1_0, TQ2_0 -> {
                int blocks = cols / ActQuant.QK_K;
                short[] codes = layout == null ? a.q(cols) : a.natural(cols);
                ActQuant.q8_K(x, off, cols, codes, a.d(blocks), a.bsums(blocks * 16));
                if (arranged) arrange(codes, a);
            }
            case I2_S -> {
                short[] codes = layout == null ? a.q(cols) : a.natural(cols);
                ActQuant.i8_s(x, off, cols, codes, a);
                if (arranged) arrange(codes, a);
            }
            case F32 -> System.arraycopy(x, off, a.f(cols), 0, cols);
            case F16, BF16 -> {
                float[] f = a.f(cols);
                if (type == GgmlType.F16) ActQuant.f16(x, off, cols, f);
                else ActQuant.bf16(x, off, cols, f);
                if (floatRun > 0) evensFirst(f);
            }
            default -> throw new AssertionError(type);
        }
    }

    /** Puts codes given in element order where the kernel reads them (with the ternary bias). */
    void arrange(short[] natural, Activation a) {
        if (layout == null) return;
        short[] q = a.q(layout.length(cols));
        layout.scatter(natural, cols, q);
        if (biasLanes > 0) layout.bias(q, cols, biasLanes, a.bias(layout.length(cols) / layout.slots * biasLanes));
    }

    /** Reorders each whole run of {@link #floatRun} values to its even elements, then its odd ones. */
    private void evensFirst(float[] f) {
        float[] tmp = new float[floatRun];
        for (int r = 0; r + floatRun <= cols; r += floatRun) {
            for (int j = 0; j < floatRun / 2; j++) {
                tmp[j] = f[r + 2 * j];
                tmp[floatRun / 2 + j] = f[r + 2 * j + 1];
            }
            System.arraycopy(tmp, 0, f, r, floatRun);
        }
    }

    /** An fp16 at {@code off}, widened as {@code GGML_CPU_FP16_TO_FP32}. */
    static float f16(MemorySegment w, long off) {
        return Half.f16ToFloat(w.get(SHORT_LE, off));
    }

    // ---- q4_K scale packing (get_scale_min_k4) ------------------------------------------------

    /** 6-bit scale of sub-block {@code j} of the q4_K block at {@code off} (scales[12] at off + 4). */
    static int q4kScale(MemorySegment w, long off, int j) {
        long s = off + 4;
        return j < 4 ? u8(w, s + j) & 63 : u8(w, s + j + 4) & 0xF | (u8(w, s + j - 4) >>> 6) << 4;
    }

    /** 6-bit min of sub-block {@code j}, packed like {@link #q4kScale}. */
    static int q4kMin(MemorySegment w, long off, int j) {
        long s = off + 4;
        return j < 4 ? u8(w, s + j + 4) & 63 : u8(w, s + j + 4) >>> 4 | (u8(w, s + j) >>> 6) << 4;
    }

    static int u8(MemorySegment w, long off) {
        return w.get(ValueLayout.JAVA_BYTE, off) & 0xFF;
    }

    static int i8(MemorySegment w, long off) {
        return w.get(ValueLayout.JAVA_BYTE, off);
    }
}
