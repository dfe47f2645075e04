package trit.kernel;

import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.B2F;
import static jdk.incubator.vector.VectorOperators.B2S;
import static jdk.incubator.vector.VectorOperators.GE;
import static jdk.incubator.vector.VectorOperators.I2F;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.S2F;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import trit.tensor.GgmlType;

/**
 * The Vector API kernels. Integer types multiply codes and int8 activations in 16-bit lanes and widen
 * the lane sums to 32 bits before they can overflow. tq2_0, q8_0 and q4_0 then fold each block into
 * float lanes with one multiply-add by {@code d_w * d_x} (tq2_0 by {@code d_x} alone when all blocks
 * share one scale, which then multiplies the row's sum once); tq1_0, q4_K and q6_K reduce each block to
 * an exact int and scale it in the reference's order, and i2_s sums the whole row exactly in int lanes,
 * so they equal {@link ScalarKernel} bit for bit. Float types multiply-add in float lanes. Float lanes
 * are summed in lane order. tq2_0 and i2_s do four rows per pass ({@link #dots}), and tq2_0 batches four
 * vectors per row ({@link #dotsBatch}).
 *
 * <p>This class is a template: {@link Specialize} defines one hidden copy of it per vector shape, whose
 * static species come from the copy's class data. The JIT can only compile Vector API code well when the
 * species are constants, and static finals are; the copies let tests run the very same code at 128, 256
 * and 512 bits in one JVM. Keep it free of lambdas, enum switches and nested classes, which would tie
 * the copies back to this class.
 *
 * <p>Ternary weights ({@code code = w + 1} in 0..2) are read as 16-bit lanes straight from the packed
 * bytes and each code is cut out with a shift and a mask; the activations were laid out beforehand
 * ({@link Layouts}) so that a plain load lines them up with the codes, and the accumulators start at
 * minus the lane's activation sum so that they end at {@code sum((code - 1) * q)}.
 */
final class VectorKernel extends RowKernel {
    private static final VectorShape SHAPE = Specialize.shapeOf(MethodHandles.lookup());

    private static final VectorSpecies<Short> S = VectorSpecies.of(short.class, SHAPE);
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, half(SHAPE));
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, SHAPE);
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class, SHAPE);
    /** 16 bytes: the unit the tiled product decodes weights in (into 16 / LF float vectors). */
    private static final VectorSpecies<Byte> B16 = ByteVector.SPECIES_128;
    /** 16 shorts: tq1_0's base-3 digits are cut out of 16 bytes at a time in 16-bit lanes. */
    private static final VectorSpecies<Short> S16 = ShortVector.SPECIES_256;
    /** Short lanes: 8, 16 or 32. */
    private static final int L = S.length();
    /** Float (and int) lanes. */
    private static final int LF = F.length();
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /** Chunks of I2_S codes (8 products per lane each, at most 3 * 128 apiece) summed in 16-bit lanes. */
    private static final int I2S_CHUNKS_PER_GROUP = 10;

    /** The upper half of the int lanes (q6_K at 512 bits). */
    private static final VectorMask<Integer> UPPER_INT_HALF = VectorMask.fromLong(I, ((1L << LF) - 1) & ~((1L << LF / 2) - 1));

    /** Byte offsets of the 16-bit loads that cover a tq1_0 block. */
    private static final int[] TQ1_WINDOWS = L <= 16 ? Layouts.tq1_0Windows(L) : new int[0];

    private static final int TQ2_0 = 0, TQ1_0 = 1, I2_S = 2, Q8_0 = 3, Q4_0 = 4, Q4_K = 5, Q6_K = 6,
            FLOAT = 7;

    private static final boolean NO_X4 = Boolean.getBoolean("trit.nox4");
    private static final boolean NO_TILE = Boolean.getBoolean("trit.notile");
    private final int kind;
    private final int blocks;

    VectorKernel(GgmlType type, int cols, float tensorScale) {
        this(type, cols, tensorScale, false);
    }

    /**
     * {@code tilesOnly}: a kernel for {@link #tiled} alone, which works at any width, for types whose row
     * kernels are narrower than the CPU's vectors ({@link #maxBits}); its activations stay in element order.
     */
    VectorKernel(GgmlType type, int cols, float tensorScale, boolean tilesOnly) {
        super(type, cols, tensorScale, tilesOnly ? null : layout(type), tilesOnly ? 0 : biasLanes(type),
                tilesOnly ? 0 : floatPairs(type));
        if (!tilesOnly && SHAPE.vectorBitSize() > maxBits(type)) {
            throw new IllegalArgumentException(type.label() + " kernels are at most " + maxBits(type) + " bits wide");
        }
        this.kind = kind(type);
        this.blocks = cols / type.blockSize();
    }

    /** Whether batches of this type can run as the tiled float product. */
    static boolean tiles(GgmlType t) {
        return t == GgmlType.TQ2_0 || t == GgmlType.TQ1_0 || t == GgmlType.I2_S || t == GgmlType.Q8_0 || t == GgmlType.Q4_0;
    }

    private static VectorShape half(VectorShape s) {
        return VectorShape.forBitSize(s.vectorBitSize() / 2);
    }

    /**
     * Widest vectors a type's kernel takes: tq1_0 and q4_0 work on 16-byte groups of their blocks,
     * so {@link Specialize} runs them in the 256-bit copy on wider machines. Every copy thus works in one
     * vector shape only; mixing shapes in one class lets the JIT's type profiles of the shared helpers
     * see two vector classes, which costs a factor of thirty.
     */
    static int maxBits(GgmlType t) {
        return t == GgmlType.TQ1_0 || t == GgmlType.Q4_0 ? 256 : 512;
    }

    /** F16 / BF16 activations come in runs of 2 * LF, even elements first (see {@link #floats}). */
    private static int floatPairs(GgmlType t) {
        return t == GgmlType.F16 || t == GgmlType.BF16 ? 2 * LF : 0;
    }

    private static int kind(GgmlType t) {
        if (t == GgmlType.TQ2_0) return TQ2_0;
        if (t == GgmlType.TQ1_0) return TQ1_0;
        if (t == GgmlType.I2_S) return I2_S;
        if (t == GgmlType.Q8_0) return Q8_0;
        if (t == GgmlType.Q4_0) return Q4_0;
        if (t == GgmlType.Q4_K) return Q4_K;
        if (t == GgmlType.Q6_K) return Q6_K;
        if (t == GgmlType.F32 || t == GgmlType.F16 || t == GgmlType.BF16) return FLOAT;
        throw new IllegalArgumentException("no vector kernel for " + t);
    }

    private static Layout layout(GgmlType t) {
        if (t == GgmlType.TQ2_0) return Layouts.tq2_0(L);
        if (t == GgmlType.TQ1_0) return Layouts.tq1_0(L);
        if (t == GgmlType.I2_S) return Layouts.i2_s(L);
        return null;
    }

    private static int biasLanes(GgmlType t) {
        if (t == GgmlType.TQ2_0) return L;
        if (t == GgmlType.TQ1_0) return L;
        return 0;
    }

    @Override
    int scratch() {
        return kind == TQ1_0 ? blocks : 0;
    }

    /**
     * tq2_0 and i2_s take four rows per pass, which shares the activation loads and the per-block work on
     * the activations between them (measured: 1.1-1.2x the speed of a row at a time; tq1_0, whose trits
     * take more registers to cut out, ran 15% slower that way and stays a row at a time). The four rows
     * are the same row of each quarter of the range, so that each is a long sequential stream: four
     * adjacent rows, read in turns, ran 20% slower than one row at a time once the weights came from
     * DRAM rather than cache (2B4T shape), as the hardware prefetcher lost track of the short runs.
     */
    @Override
    void dots(MemorySegment w, long rowBytes, Activation a, int[] scratch, float[] y, int yOff, int from, int to) {
        if ((kind != TQ2_0 && kind != I2_S) || NO_X4) {
            super.dots(w, rowBytes, a, scratch, y, yOff, from, to);
            return;
        }
        int quarter = (to - from) / 4;
        long stride = quarter * rowBytes;
        long off = from * rowBytes;
        for (int i = 0; i < quarter; i++, off += rowBytes) {
            if (kind == TQ2_0) tq2_0x4(w, off, stride, a, y, yOff + from + i, quarter);
            else i2_sx4(w, off, stride, a, y, yOff + from + i, quarter);
        }
        for (int r = from + 4 * quarter; r < to; r++) y[yOff + r] = dot(w, r * rowBytes, a, scratch);
    }

    /**
     * tq2_0 batches go four vectors at a time through each row, so that each weight is cut out of its
     * bits once for four products.
     */
    @Override
    void dotsBatch(MemorySegment w, long rowBytes, Activation[] as, int v0, int n, int[] scratch, float[] y, int rows,
                   int from, int to) {
        int v = v0;
        if (kind == TQ2_0) {
            for (; v + 4 <= v0 + n; v += 4) {
                long off = from * rowBytes;
                for (int r = from; r < to; r++, off += rowBytes) tq2_0v4(w, off, as[v], as[v + 1], as[v + 2], as[v + 3], y, v * rows + r, rows);
            }
        }
        super.dotsBatch(w, rowBytes, as, v, v0 + n - v, scratch, y, rows, from, to);
    }

    @Override
    float dot(MemorySegment w, long off, Activation a, int[] scratch) {
        return switch (kind) {
            case TQ2_0 -> tq2_0(w, off, a);
            case TQ1_0 -> tq1_0(w, off, a, scratch);
            case I2_S -> i2_s(w, off, a);
            case Q8_0 -> q8_0(w, off, a);
            case Q4_0 -> q4_0(w, off, a);
            case Q4_K -> q4_K(w, off, a);
            case Q6_K -> q6_K(w, off, a);
            default -> floats(w, off, a);
        };
    }

    // ---- tiled products for prompts -------------------------------------------------------------------
    //
    // A prompt batch is compute-bound, so tq2_0, tq1_0, i2_s, q8_0 and q4_0 batches run as a matrix product in
    // float lanes. Tokens go in groups of TILE_VECTORS float vectors; for each group and weight block, the
    // group's activation codes for the block (a few KB) stay in L1 while tiles of TILE_ROWS rows are decoded
    // one block at a time into small float rows (codes, not scaled: every product and every block sum is an
    // exact integer in float) and multiplied against them with one multiply-add per weight and vector.
    // After each block the sums are folded into the results times d_w * d_x (i2_s: the tensor scale over
    // the token's). Decoding is shared by the group's tokens, and the inner loop is all multiply-adds, where
    // the integer kernels spend four operations per 16-bit lane product. Sums come out in another order
    // than in the one-vector kernels, so a batch product can differ from the single one in the last bits.
    // (Measured on the 2B4T shape, 2 threads: 4 rows x 4 vectors with the blocks outermost ran pp64 at
    // 1.6x the integer kernels; this order keeps the activations in L1 instead of streaming them from L2.)

    /** Weight rows per tile and float vectors of tokens per group (16 accumulators). */
    private static final int TILE_ROWS = 8, TILE_VECTORS = 2;

    @Override
    int tileTokens(int n) {
        return tiles(type) && !NO_TILE && n >= 2 * LF ? TILE_VECTORS * LF : 0;
    }

    @Override
    void tiled(MemorySegment w, long rowBytes, Panel p, float[] y, int rows, int from, int to) {
        int bs = kind == I2_S ? 128 : type.blockSize();
        long blockBytes = kind == I2_S ? 32 : type.blockBytes();
        int nb = cols / bs, group = p.group, span = to - from;
        float[] wbuf = new float[TILE_ROWS * bs];
        float[] ws = new float[TILE_ROWS];
        float[] fin = new float[(span + TILE_ROWS) * group];
        for (int g = 0; g < p.groups; g++) {
            java.util.Arrays.fill(fin, 0f);
            for (int b = 0; b < nb; b++) {
                for (int r0 = from; r0 < to; r0 += TILE_ROWS) {
                    int nr = Math.min(TILE_ROWS, to - r0);
                    for (int i = 0; i < nr; i++) ws[i] = decodeBlock(w, (r0 + i) * rowBytes + b * blockBytes, wbuf, i * bs);
                    if (nr < TILE_ROWS) {
                        java.util.Arrays.fill(wbuf, nr * bs, TILE_ROWS * bs, 0f);
                        java.util.Arrays.fill(ws, nr, TILE_ROWS, 0f);
                    }
                    tile(p, b, g, bs, nb, wbuf, ws, fin, (r0 - from) * group);
                }
            }
            for (int t = g * group, end = Math.min(p.n, t + group); t < end; t++) {
                int j = t - g * group;
                for (int r = from; r < to; r++) y[t * rows + r] = fin[(r - from) * group + j];
            }
        }
    }

    /** Decodes one block's codes into {@code out[at ..]} as floats; returns the block's weight scale. */
    private float decodeBlock(MemorySegment w, long off, float[] out, int at) {
        switch (kind) {
            case TQ2_0 -> {
                // element 128h + 32k + j: bits 2k+1:2k of byte 32h + j
                for (int h = 0; h < 2; h++) {
                    for (int j = 0; j < 32; j += 16) {
                        for (int k = 0; k < 4; k++) codes(w, off + 32 * h + j, 2 * k, 3, 1, out, at + 128 * h + 32 * k + j);
                    }
                }
                return f16(w, off + 64);
            }
            case TQ1_0 -> {
                // trit n of byte m is element 32n + m (bytes 0-31), 160 + 16n + (m - 32) (bytes 32-47), and of
                // qh byte j element 240 + 4n + j (4 trits each); trit n of b is ((b * 3^n) mod 256) * 3 >> 8
                for (int n = 0, pow = 1; n < 5; n++, pow *= 3) {
                    trits(w, off, pow, out, at + 32 * n);
                    trits(w, off + 16, pow, out, at + 32 * n + 16);
                    trits(w, off + 32, pow, out, at + 160 + 16 * n);
                }
                for (int n = 0, pow = 1; n < 4; n++, pow *= 3) {
                    for (int j = 0; j < 4; j++) out[at + 240 + 4 * n + j] = ((u8(w, off + 48 + j) * pow & 0xFF) * 3 >>> 8) - 1;
                }
                return f16(w, off + 52);
            }
            case I2_S -> {
                // byte m holds elements m, m + 32, m + 64, m + 96 in bits 7:6 .. 1:0
                for (int m = 0; m < 32; m += 16) {
                    for (int g = 0; g < 4; g++) codes(w, off + m, 6 - 2 * g, 3, 1, out, at + 32 * g + m);
                }
                return tensorScale;
            }
            case Q8_0 -> {
                codes(w, off + 2, 0, -1, 0, out, at);
                codes(w, off + 18, 0, -1, 0, out, at + 16);
                return f16(w, off);
            }
            default -> {   // Q4_0: element j in the low nibble of byte j, j + 16 in the high one
                codes(w, off + 2, 0, 0xF, 8, out, at);
                codes(w, off + 2, 4, 0xF, 8, out, at + 16);
                return f16(w, off);
            }
        }
    }

    /**
     * 16 codes {@code ((byte >>> shift) & mask) - sub} of the 16 bytes at {@code off}, as floats into
     * {@code out[at .. at + 16)}. (The vectors stay inside: see {@link #tile}.)
     */
    private static void codes(MemorySegment w, long off, int shift, int mask, int sub, float[] out, int at) {
        ByteVector v = ByteVector.fromMemorySegment(B16, w, off, LE).lanewise(LSHR, shift).and((byte) mask).sub((byte) sub);
        for (int part = 0; part < 16 / LF; part++) {
            ((FloatVector) v.convertShape(B2F, F, part)).intoArray(out, at + part * LF);
        }
    }

    /** Trit {@code log3(pow)} of each of the 16 bytes at {@code off}, minus one, as floats into {@code out[at .. at + 16)}. */
    private static void trits(MemorySegment w, long off, int pow, float[] out, int at) {
        ShortVector b = ((ShortVector) ByteVector.fromMemorySegment(B16, w, off, LE).convertShape(B2S, S16, 0)).and((short) 0xFF);
        ShortVector t = b.mul((short) pow).and((short) 0xFF).mul((short) 3).lanewise(LSHR, 8).sub((short) 1);
        for (int part = 0; part < 16 / LF; part++) {
            ((FloatVector) t.convertShape(S2F, F, part)).intoArray(out, at + part * LF);
        }
    }

    /**
     * Block b of the tile's rows times token group g, folded into {@code fin} (row i of the tile at
     * {@code at + i * group}; rows past the range are zero and land in fin's padding).
     */
    private static void tile(Panel p, int b, int g, int bs, int nb, float[] wbuf, float[] ws, float[] fin, int at) {
        float[] x = p.x;
        int group = p.group;
        FloatVector z = FloatVector.zero(F);
        FloatVector a00 = z, a01 = z, a10 = z, a11 = z, a20 = z, a21 = z, a30 = z, a31 = z;
        FloatVector a40 = z, a41 = z, a50 = z, a51 = z, a60 = z, a61 = z, a70 = z, a71 = z;
        for (int k = 0, xo = (g * p.cols + b * bs) * group; k < bs; k++, xo += group) {
            FloatVector x0 = FloatVector.fromArray(F, x, xo), x1 = FloatVector.fromArray(F, x, xo + LF);
            FloatVector w = FloatVector.broadcast(F, wbuf[k]);
            a00 = x0.fma(w, a00); a01 = x1.fma(w, a01);
            w = FloatVector.broadcast(F, wbuf[bs + k]);
            a10 = x0.fma(w, a10); a11 = x1.fma(w, a11);
            w = FloatVector.broadcast(F, wbuf[2 * bs + k]);
            a20 = x0.fma(w, a20); a21 = x1.fma(w, a21);
            w = FloatVector.broadcast(F, wbuf[3 * bs + k]);
            a30 = x0.fma(w, a30); a31 = x1.fma(w, a31);
            w = FloatVector.broadcast(F, wbuf[4 * bs + k]);
            a40 = x0.fma(w, a40); a41 = x1.fma(w, a41);
            w = FloatVector.broadcast(F, wbuf[5 * bs + k]);
            a50 = x0.fma(w, a50); a51 = x1.fma(w, a51);
            w = FloatVector.broadcast(F, wbuf[6 * bs + k]);
            a60 = x0.fma(w, a60); a61 = x1.fma(w, a61);
            w = FloatVector.broadcast(F, wbuf[7 * bs + k]);
            a70 = x0.fma(w, a70); a71 = x1.fma(w, a71);
        }
        int dOff = (g * nb + b) * group;
        FloatVector d0 = FloatVector.fromArray(F, p.d, dOff), d1 = FloatVector.fromArray(F, p.d, dOff + LF);
        // written out: a helper taking vectors is not inlined once compiled on its own, and boxes them
        int o0 = at;
        float s0 = ws[0];
        a00.fma(d0.mul(s0), FloatVector.fromArray(F, fin, o0)).intoArray(fin, o0);
        a01.fma(d1.mul(s0), FloatVector.fromArray(F, fin, o0 + LF)).intoArray(fin, o0 + LF);
        int o1 = at + group;
        float s1 = ws[1];
        a10.fma(d0.mul(s1), FloatVector.fromArray(F, fin, o1)).intoArray(fin, o1);
        a11.fma(d1.mul(s1), FloatVector.fromArray(F, fin, o1 + LF)).intoArray(fin, o1 + LF);
        int o2 = at + 2 * group;
        float s2 = ws[2];
        a20.fma(d0.mul(s2), FloatVector.fromArray(F, fin, o2)).intoArray(fin, o2);
        a21.fma(d1.mul(s2), FloatVector.fromArray(F, fin, o2 + LF)).intoArray(fin, o2 + LF);
        int o3 = at + 3 * group;
        float s3 = ws[3];
        a30.fma(d0.mul(s3), FloatVector.fromArray(F, fin, o3)).intoArray(fin, o3);
        a31.fma(d1.mul(s3), FloatVector.fromArray(F, fin, o3 + LF)).intoArray(fin, o3 + LF);
        int o4 = at + 4 * group;
        float s4 = ws[4];
        a40.fma(d0.mul(s4), FloatVector.fromArray(F, fin, o4)).intoArray(fin, o4);
        a41.fma(d1.mul(s4), FloatVector.fromArray(F, fin, o4 + LF)).intoArray(fin, o4 + LF);
        int o5 = at + 5 * group;
        float s5 = ws[5];
        a50.fma(d0.mul(s5), FloatVector.fromArray(F, fin, o5)).intoArray(fin, o5);
        a51.fma(d1.mul(s5), FloatVector.fromArray(F, fin, o5 + LF)).intoArray(fin, o5 + LF);
        int o6 = at + 6 * group;
        float s6 = ws[6];
        a60.fma(d0.mul(s6), FloatVector.fromArray(F, fin, o6)).intoArray(fin, o6);
        a61.fma(d1.mul(s6), FloatVector.fromArray(F, fin, o6 + LF)).intoArray(fin, o6 + LF);
        int o7 = at + 7 * group;
        float s7 = ws[7];
        a70.fma(d0.mul(s7), FloatVector.fromArray(F, fin, o7)).intoArray(fin, o7);
        a71.fma(d1.mul(s7), FloatVector.fromArray(F, fin, o7 + LF)).intoArray(fin, o7 + LF);
    }

    // ---- shared pieces ---------------------------------------------------------------------------
    // Helpers that take or return vectors must stay within the JIT's always-inline size (35 bytes of
    // bytecode): a vector crossing a call that is not inlined gets boxed.

    /** Sums of adjacent 16-bit lanes as 32-bit lanes (lane i: short lanes 2i and 2i + 1). */
    private static IntVector widen(ShortVector s) {
        IntVector v = s.reinterpretAsInts();
        return v.lanewise(LSHL, 16).lanewise(ASHR, 16).add(v.lanewise(ASHR, 16));
    }

    /**
     * The lanes' sum, lane 0 first. (The Vector API leaves the order of a float reduceLanes open, and
     * the JIT's order differs from the interpreter's, which would make results depend on warm-up.)
     */
    private static float sum(FloatVector v) {
        float s = 0;
        for (int i = 0; i < LF; i++) s += v.lane(i);
        return s;
    }

    /** {@code acc + ints * scale} in float lanes. */
    private static FloatVector fold(IntVector ints, float scale, FloatVector acc) {
        FloatVector f = (FloatVector) ints.convert(I2F, 0);
        return f.fma(acc.broadcast(scale), acc);
    }

    // ---- ternary --------------------------------------------------------------------------------
    //
    // These loops keep every vector inside one method: a helper that passed vectors in or out would
    // have them boxed whenever the JIT declines to inline it (as it does once such a helper has been
    // compiled on its own and is big), which costs an order of magnitude.

    /**
     * tq2_0 blocks: {u8 qs[64], fp16 d}; see {@link Layouts#tq2_0}. Each block's lane sums are exact;
     * they are added times {@code d_x * d_w} in float lanes, summed in lane order at the end. When all
     * blocks share one scale ({@link #tensorScale}), the lanes gather {@code d_x * sum} and the row's
     * sum is multiplied by it once.
     */
    private float tq2_0(MemorySegment w, long off, Activation a) {
        short[] q = a.q, bias = a.bias;
        float[] d = a.d;
        float ws = tensorScale;
        FloatVector facc = FloatVector.zero(F);
        for (int b = 0, p = 0; b < blocks; b++, off += 66) {
            ShortVector acc = ShortVector.fromArray(S, bias, b * L);
            for (int c = 0; c < 32; c += L) {
                ShortVector v = ShortVector.fromMemorySegment(S, w, off + 2L * c, LE);
                for (int k = 0; k < 8; k++, p += L) {
                    acc = acc.add(v.lanewise(LSHR, 2 * k).and((short) 3).mul(ShortVector.fromArray(S, q, p)));
                }
            }
            IntVector i = acc.reinterpretAsInts();
            IntVector sums = i.lanewise(LSHL, 16).lanewise(ASHR, 16).add(i.lanewise(ASHR, 16));
            float scale = ws != 0 ? d[b] : d[b] * f16(w, off + 64);
            facc = ((FloatVector) sums.convert(I2F, 0)).fma(FloatVector.broadcast(F, scale), facc);
        }
        return ws != 0 ? sum(facc) * ws : sum(facc);
    }

    /** {@link #tq2_0} for four rows {@code stride} bytes apart, into {@code y[r + k * step]} for k = 0..3. */
    private void tq2_0x4(MemorySegment w, long off, long stride, Activation a, float[] y, int r, int step) {
        short[] q = a.q, bias = a.bias;
        float[] d = a.d;
        float ws = tensorScale;
        FloatVector f0 = FloatVector.zero(F), f1 = f0, f2 = f0, f3 = f0;
        long o1 = off + stride, o2 = o1 + stride, o3 = o2 + stride;
        for (int b = 0, p = 0; b < blocks; b++, off += 66, o1 += 66, o2 += 66, o3 += 66) {
            ShortVector acc0 = ShortVector.fromArray(S, bias, b * L), acc1 = acc0, acc2 = acc0, acc3 = acc0;
            for (int c = 0; c < 32; c += L) {
                ShortVector v0 = ShortVector.fromMemorySegment(S, w, off + 2L * c, LE);
                ShortVector v1 = ShortVector.fromMemorySegment(S, w, o1 + 2L * c, LE);
                ShortVector v2 = ShortVector.fromMemorySegment(S, w, o2 + 2L * c, LE);
                ShortVector v3 = ShortVector.fromMemorySegment(S, w, o3 + 2L * c, LE);
                for (int k = 0; k < 8; k++, p += L) {
                    ShortVector x = ShortVector.fromArray(S, q, p);
                    acc0 = acc0.add(v0.lanewise(LSHR, 2 * k).and((short) 3).mul(x));
                    acc1 = acc1.add(v1.lanewise(LSHR, 2 * k).and((short) 3).mul(x));
                    acc2 = acc2.add(v2.lanewise(LSHR, 2 * k).and((short) 3).mul(x));
                    acc3 = acc3.add(v3.lanewise(LSHR, 2 * k).and((short) 3).mul(x));
                }
            }
            IntVector i0 = acc0.reinterpretAsInts(), i1 = acc1.reinterpretAsInts();
            IntVector i2 = acc2.reinterpretAsInts(), i3 = acc3.reinterpretAsInts();
            IntVector s0 = i0.lanewise(LSHL, 16).lanewise(ASHR, 16).add(i0.lanewise(ASHR, 16));
            IntVector s1 = i1.lanewise(LSHL, 16).lanewise(ASHR, 16).add(i1.lanewise(ASHR, 16));
            IntVector s2 = i2.lanewise(LSHL, 16).lanewise(ASHR, 16).add(i2.lanewise(ASHR, 16));
            IntVector s3 = i3.lanewise(LSHL, 16).lanewise(ASHR, 16).add(i3.lanewise(ASHR, 16));
            float d0 = d[b], d1 = d0, d2 = d0, d3 = d0;
            if (ws == 0) {
                d0 *= f16(w, off + 64);
                d1 *= f16(w, o1 + 64);
                d2 *= f16(w, o2 + 64);
                d3 *= f16(w, o3 + 64);
            }
            f0 = ((FloatVector) s0.convert(I2F, 0)).fma(FloatVector.broadcast(F, d0), f0);
            f1 = ((FloatVector) s1.convert(I2F, 0)).fma(FloatVector.broadcast(F, d1), f1);
            f2 = ((FloatVector) s2.convert(I2F, 0)).fma(FloatVector.broadcast(F, d2), f2);
            f3 = ((FloatVector) s3.convert(I2F, 0)).fma(FloatVector.broadcast(F, d3), f3);
        }
        float m = ws != 0 ? ws : 1f;
        y[r] = sum(f0) * m;
        y[r + step] = sum(f1) * m;
        y[r + 2 * step] = sum(f2) * m;
        y[r + 3 * step] = sum(f3) * m;
    }

    /** {@link #tq2_0} of one row against four vectors, into {@code y[at + v * step]} for v = 0..3. */
    private void tq2_0v4(MemorySegment w, long off, Activation a0, Activation a1, Activation a2, Activation a3,
                         float[] y, int at, int step) {
        short[] q0 = a0.q, q1 = a1.q, q2 = a2.q, q3 = a3.q;
        float ws = tensorScale;
        FloatVector f0 = FloatVector.zero(F), f1 = f0, f2 = f0, f3 = f0;
        for (int b = 0, p = 0; b < blocks; b++, off += 66) {
            ShortVector acc0 = ShortVector.fromArray(S, a0.bias, b * L), acc1 = ShortVector.fromArray(S, a1.bias, b * L);
            ShortVector acc2 = ShortVector.fromArray(S, a2.bias, b * L), acc3 = ShortVector.fromArray(S, a3.bias, b * L);
            for (int c = 0; c < 32; c += L) {
                ShortVector v = ShortVector.fromMemorySegment(S, w, off + 2L * c, LE);
                for (int k = 0; k < 8; k++, p += L) {
                    ShortVector code = v.lanewise(LSHR, 2 * k).and((short) 3);
                    acc0 = acc0.add(code.mul(ShortVector.fromArray(S, q0, p)));
                    acc1 = acc1.add(code.mul(ShortVector.fromArray(S, q1, p)));
                    acc2 = acc2.add(code.mul(ShortVector.fromArray(S, q2, p)));
                    acc3 = acc3.add(code.mul(ShortVector.fromArray(S, q3, p)));
                }
            }
            IntVector i0 = acc0.reinterpretAsInts(), i1 = acc1.reinterpretAsInts();
            IntVector i2 = acc2.reinterpretAsInts(), i3 = acc3.reinterpretAsInts();
            IntVector s0 = i0.lanewise(LSHL, 16).lanewise(ASHR, 16).add(i0.lanewise(ASHR, 16));
            IntVector s1 = i1.lanewise(LSHL, 16).lanewise(ASHR, 16).add(i1.lanewise(ASHR, 16));
            IntVector s2 = i2.lanewise(LSHL, 16).lanewise(ASHR, 16).add(i2.lanewise(ASHR, 16));
            IntVector s3 = i3.lanewise(LSHL, 16).lanewise(ASHR, 16).add(i3.lanewise(ASHR, 16));
            float wb = ws != 0 ? 1f : f16(w, off + 64);
            f0 = ((FloatVector) s0.convert(I2F, 0)).fma(FloatVector.broadcast(F, a0.d[b] * wb), f0);
            f1 = ((FloatVector) s1.convert(I2F, 0)).fma(FloatVector.broadcast(F, a1.d[b] * wb), f1);
            f2 = ((FloatVector) s2.convert(I2F, 0)).fma(FloatVector.broadcast(F, a2.d[b] * wb), f2);
            f3 = ((FloatVector) s3.convert(I2F, 0)).fma(FloatVector.broadcast(F, a3.d[b] * wb), f3);
        }
        float m = ws != 0 ? ws : 1f;
        y[at] = sum(f0) * m;
        y[at + step] = sum(f1) * m;
        y[at + 2 * step] = sum(f2) * m;
        y[at + 3 * step] = sum(f3) * m;
    }

    /**
     * i2_s rows: contiguous 32-byte blocks, one scale per tensor, read as chunks of L 16-bit lanes of
     * 2-bit codes (code k of a lane in bits 2k+1:2k; chunks 2L bytes apart) against the activations in
     * slot order. A chunk adds 8 products of at most 3 * 128 to a lane, so the 16-bit lanes are widened
     * into 32-bit ones every {@link #I2S_CHUNKS_PER_GROUP} chunks, and the row's int sum is exact, so
     * the result equals the reference bit for bit. Rows of an odd number of blocks make the last 512-bit
     * chunk read 32 bytes past the row (the next row, or the tensor's 32-byte trailer), which meet zero
     * activations.
     */
    private float i2_s(MemorySegment w, long off, Activation a) {
        short[] q = a.q;
        int chunks = layout.length(cols) / (8 * L);
        IntVector total = IntVector.zero(I);
        for (int first = 0, p = 0; first < chunks; first += I2S_CHUNKS_PER_GROUP) {
            ShortVector acc = ShortVector.zero(S);
            for (int c = first, end = Math.min(chunks, first + I2S_CHUNKS_PER_GROUP); c < end; c++, off += 2L * L, p += 8 * L) {
                ShortVector v = ShortVector.fromMemorySegment(S, w, off, LE);
                for (int k = 0; k < 8; k++) {
                    acc = acc.add(v.lanewise(LSHR, 2 * k).and((short) 3).mul(ShortVector.fromArray(S, q, p + k * L)));
                }
            }
            IntVector i = acc.reinterpretAsInts();
            total = total.add(i.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(i.lanewise(ASHR, 16));
        }
        return ((float) total.reduceLanes(ADD) - a.sum) / a.scale * tensorScale;
    }

    /** {@link #i2_s} for four rows {@code stride} bytes apart, into {@code y[r + k * step]} for k = 0..3. */
    private void i2_sx4(MemorySegment w, long off, long stride, Activation a, float[] y, int r, int step) {
        short[] q = a.q;
        int chunks = layout.length(cols) / (8 * L);
        IntVector t0 = IntVector.zero(I), t1 = t0, t2 = t0, t3 = t0;
        long o1 = off + stride, o2 = o1 + stride, o3 = o2 + stride;
        for (int first = 0, p = 0; first < chunks; first += I2S_CHUNKS_PER_GROUP) {
            ShortVector acc0 = ShortVector.zero(S), acc1 = acc0, acc2 = acc0, acc3 = acc0;
            for (int c = first, end = Math.min(chunks, first + I2S_CHUNKS_PER_GROUP); c < end; c++, p += 8 * L) {
                long at = 2L * L * c;
                ShortVector v0 = ShortVector.fromMemorySegment(S, w, off + at, LE);
                ShortVector v1 = ShortVector.fromMemorySegment(S, w, o1 + at, LE);
                ShortVector v2 = ShortVector.fromMemorySegment(S, w, o2 + at, LE);
                ShortVector v3 = ShortVector.fromMemorySegment(S, w, o3 + at, LE);
                for (int k = 0; k < 8; k++) {
                    ShortVector x = ShortVector.fromArray(S, q, p + k * L);
                    acc0 = acc0.add(v0.lanewise(LSHR, 2 * k).and((short) 3).mul(x));
                    acc1 = acc1.add(v1.lanewise(LSHR, 2 * k).and((short) 3).mul(x));
                    acc2 = acc2.add(v2.lanewise(LSHR, 2 * k).and((short) 3).mul(x));
                    acc3 = acc3.add(v3.lanewise(LSHR, 2 * k).and((short) 3).mul(x));
                }
            }
            IntVector i0 = acc0.reinterpretAsInts(), i1 = acc1.reinterpretAsInts();
            IntVector i2 = acc2.reinterpretAsInts(), i3 = acc3.reinterpretAsInts();
            t0 = t0.add(i0.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(i0.lanewise(ASHR, 16));
            t1 = t1.add(i1.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(i1.lanewise(ASHR, 16));
            t2 = t2.add(i2.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(i2.lanewise(ASHR, 16));
            t3 = t3.add(i3.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(i3.lanewise(ASHR, 16));
        }
        float sum = a.sum, scale = a.scale, ws = tensorScale;
        y[r] = ((float) t0.reduceLanes(ADD) - sum) / scale * ws;
        y[r + step] = ((float) t1.reduceLanes(ADD) - sum) / scale * ws;
        y[r + 2 * step] = ((float) t2.reduceLanes(ADD) - sum) / scale * ws;
        y[r + 3 * step] = ((float) t3.reduceLanes(ADD) - sum) / scale * ws;
    }

    /** tq1_0 blocks: {u8 qs[48], u8 qh[4], fp16 d}, five base-3 trits per byte; see {@link Layouts#tq1_0}. */
    private float tq1_0(MemorySegment w, long off, Activation a, int[] sums) {
        tritSums(w, off, blocks, a.q, a.bias, sums);
        float sumf = 0;
        for (int b = 0; b < blocks; b++, off += 54) sumf += (float) sums[b] * (f16(w, off + 52) * a.d[b]);
        return sumf;
    }

    /**
     * For each tq1_0 block, the exact {@code bias + sum(trit * q)} into {@code out[b]}: each window of L
     * 16-bit lanes holds two bytes per lane, and trit n of a byte x is the integer part of
     * 3 * ((x * 3^n) mod 256) / 256, got by tripling and keeping the low byte at each step.
     */
    private static void tritSums(MemorySegment w, long off, int blocks, short[] q, short[] bias, int[] out) {
        int p = 0;
        for (int b = 0; b < blocks; b++, off += 54) {
            ShortVector acc = ShortVector.fromArray(S, bias, b * L);
            for (int start : TQ1_WINDOWS) {
                ShortVector v = ShortVector.fromMemorySegment(S, w, off + start, LE);
                for (int half = 0; half < 2; half++, p += 5 * L) {
                    ShortVector t = v.lanewise(LSHR, 8 * half).and((short) 0xFF);
                    for (int n = 0; n < 5; n++) {
                        ShortVector u = t.add(t).add(t);
                        acc = acc.add(u.lanewise(LSHR, 8).mul(ShortVector.fromArray(S, q, p + n * L)));
                        t = u.and((short) 0xFF);
                    }
                }
            }
            IntVector i = acc.reinterpretAsInts();
            out[b] = i.lanewise(LSHL, 16).lanewise(ASHR, 16).add(i.lanewise(ASHR, 16)).reduceLanes(ADD);
        }
    }

    // ---- q8_0 activations -------------------------------------------------------------------------

    /** q8_0 blocks: {fp16 d, int8 qs[32]}. Products of two int8 fit 16 bits; pairs are widened first. */
    private float q8_0(MemorySegment w, long off, Activation a) {
        short[] q = a.q;
        float[] d = a.d;
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++, off += 34) {
            IntVector s = IntVector.zero(I);
            for (int c = 0; c < 32; c += L) {
                ShortVector wv = (ShortVector) ByteVector.fromMemorySegment(B, w, off + 2 + c, LE).convertShape(B2S, S, 0);
                s = s.add(widen(wv.mul(ShortVector.fromArray(S, q, 32 * b + c))));
            }
            acc = fold(s, f16(w, off) * d[b], acc);
        }
        return sum(acc);
    }

    /** q4_0 blocks: {fp16 d, u8 qs[16]}: element j in the low nibble of byte j, j + 16 in the high one. */
    private float q4_0(MemorySegment w, long off, Activation a) {
        short[] q = a.q;
        float[] d = a.d;
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++, off += 18) {
            IntVector s = IntVector.zero(I);
            for (int c = 0; c < 16; c += L) {
                ShortVector wv = (ShortVector) ByteVector.fromMemorySegment(B, w, off + 2 + c, LE).convertShape(B2S, S, 0);
                ShortVector lo = wv.and((short) 0xF).sub((short) 8);
                ShortVector hi = wv.lanewise(LSHR, 4).and((short) 0xF).sub((short) 8);
                ShortVector prod = lo.mul(ShortVector.fromArray(S, q, 32 * b + c))
                        .add(hi.mul(ShortVector.fromArray(S, q, 32 * b + 16 + c)));
                s = s.add(widen(prod));
            }
            acc = fold(s, f16(w, off) * d[b], acc);
        }
        return sum(acc);
    }

    // ---- q8_K activations (k-quants) ------------------------------------------------------------

    /**
     * q4_K blocks: {fp16 d, fp16 dmin, u8 scales[12], u8 qs[128]}; 32 bytes of qs carry sub-blocks 2j
     * (low nibbles) and 2j + 1 (high). Each block's integer sum is exact and is scaled in the order of
     * the reference, so the results equal it bit for bit; the mins go through the activation's bsums.
     */
    private float q4_K(MemorySegment w, long off, Activation a) {
        float sumf = 0, mins = 0;
        for (int b = 0; b < blocks; b++, off += 144) {
            int s0 = w.get(INT_LE, off + 4), s1 = w.get(INT_LE, off + 8), s2 = w.get(INT_LE, off + 12);
            int sumi = q4kBlock(w, off, a.q, 256 * b, s0, s1, s2);
            int summins = 0;
            for (int j = 0; j < 8; j++) {
                summins += (a.bsums[16 * b + 2 * j] + a.bsums[16 * b + 2 * j + 1]) * q4kMin(s0, s1, s2, j);
            }
            sumf += f16(w, off) * a.d[b] * sumi;
            mins += f16(w, off + 2) * a.d[b] * summins;
        }
        return sumf - mins;
    }

    /**
     * sum over sub-blocks of scale * sum(nibble * q8) for one q4_K block whose 12 scale bytes are
     * {@code s0, s1, s2} (little-endian ints). Blocks are big enough to afford a reduction each, and a
     * method per block keeps each compiled method small enough for the JIT to inline its vector operations.
     */
    private static int q4kBlock(MemorySegment w, long off, short[] q, int e0, int s0, int s1, int s2) {
        IntVector s = IntVector.zero(I);
        for (int j = 0; j < 4; j++) {
            ShortVector lo = ShortVector.zero(S), hi = ShortVector.zero(S);
            int e = e0 + 64 * j;
            for (int c = 0; c < 32; c += L) {
                ShortVector wv = (ShortVector) ByteVector.fromMemorySegment(B, w, off + 16 + 32 * j + c, LE)
                        .convertShape(B2S, S, 0);
                lo = lo.add(wv.and((short) 0xF).mul(ShortVector.fromArray(S, q, e + c)));
                hi = hi.add(wv.lanewise(LSHR, 4).and((short) 0xF).mul(ShortVector.fromArray(S, q, e + 32 + c)));
            }
            IntVector li = lo.reinterpretAsInts(), hv = hi.reinterpretAsInts();
            IntVector loSum = li.lanewise(LSHL, 16).lanewise(ASHR, 16).add(li.lanewise(ASHR, 16));
            IntVector hiSum = hv.lanewise(LSHL, 16).lanewise(ASHR, 16).add(hv.lanewise(ASHR, 16));
            s = s.add(loSum.mul(q4kScale(s0, s1, s2, 2 * j))).add(hiSum.mul(q4kScale(s0, s1, s2, 2 * j + 1)));
        }
        return s.reduceLanes(ADD);
    }

    /** {@code get_scale_min_k4}'s scale j from the scale bytes as three little-endian ints. */
    private static int q4kScale(int s0, int s1, int s2, int j) {
        return j < 4 ? s0 >>> 8 * j & 63 : s2 >>> 8 * (j - 4) & 0xF | (s0 >>> 8 * (j - 4) + 6 & 3) << 4;
    }

    /** {@code get_scale_min_k4}'s min j, likewise. */
    private static int q4kMin(int s0, int s1, int s2, int j) {
        return j < 4 ? s1 >>> 8 * j & 63 : s2 >>> 8 * (j - 4) + 4 & 0xF | (s1 >>> 8 * (j - 4) + 6 & 3) << 4;
    }

    /**
     * q6_K blocks: {u8 ql[128], u8 qh[64], int8 scales[16], fp16 d}; per half of 128, element l + 32k
     * takes a nibble of ql[l + 32 (k &amp; 1)] (the high one for k &gt;= 2) and bits 2k+1:2k of qh[l],
     * minus 32. Exact block sums, scaled as the reference does.
     */
    private float q6_K(MemorySegment w, long off, Activation a) {
        float sumf = 0;
        for (int b = 0; b < blocks; b++, off += 210) {
            sumf += f16(w, off + 208) * a.d[b] * q6kBlock(w, off, a.q, 256 * b);
        }
        return sumf;
    }

    /** sum of scale * sum(code * q8) over the 16-element groups of one q6_K block (vectors of at most 16 lanes). */
    private static int q6kBlock(MemorySegment w, long off, short[] q, int e0) {
        IntVector s = IntVector.zero(I);
        for (int h = 0; h < 2; h++) {
            for (int c = 0; c < 32; c += L) {
                ShortVector hb = (ShortVector) ByteVector.fromMemorySegment(B, w, off + 128 + 32L * h + c, LE)
                        .convertShape(B2S, S, 0);
                for (int k = 0; k < 4; k++) {
                    ShortVector src = (ShortVector) ByteVector.fromMemorySegment(B, w, off + 64L * h + 32 * (k & 1) + c, LE)
                            .convertShape(B2S, S, 0);
                    ShortVector nib = src.lanewise(LSHR, 4 * (k >> 1)).and((short) 0xF);
                    ShortVector code = nib.or(hb.lanewise(LSHR, 2 * k).and((short) 3).lanewise(LSHL, 4)).sub((short) 32);
                    IntVector prod = widen(code.mul(ShortVector.fromArray(S, q, e0 + 128 * h + 32 * k + c)));
                    long sc = off + 192 + 8L * h + 2 * k + c / 16;
                    // 512 bits: one vector spans two 16-element groups, whose scales fill the two int halves
                    IntVector scale = L <= 16 ? IntVector.broadcast(I, i8(w, sc))
                            : IntVector.broadcast(I, i8(w, sc)).blend(i8(w, sc + 1), UPPER_INT_HALF);
                    s = s.add(prod.mul(scale));
                }
            }
        }
        return s.reduceLanes(ADD);
    }

    // ---- float types --------------------------------------------------------------------------------

    private float floats(MemorySegment w, long off, Activation a) {
        return type == GgmlType.F32 ? f32(w, off, a.f) : halves(w, off, a.f);
    }

    /** F32 rows: four float accumulators, a scalar tail. */
    private float f32(MemorySegment w, long off, float[] x) {
        int n = cols;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (; i + 4 * LF <= n; i += 4 * LF) {
            a0 = FloatVector.fromMemorySegment(F, w, off + 4L * i, LE).fma(FloatVector.fromArray(F, x, i), a0);
            a1 = FloatVector.fromMemorySegment(F, w, off + 4L * (i + LF), LE).fma(FloatVector.fromArray(F, x, i + LF), a1);
            a2 = FloatVector.fromMemorySegment(F, w, off + 4L * (i + 2 * LF), LE).fma(FloatVector.fromArray(F, x, i + 2 * LF), a2);
            a3 = FloatVector.fromMemorySegment(F, w, off + 4L * (i + 3 * LF), LE).fma(FloatVector.fromArray(F, x, i + 3 * LF), a3);
        }
        for (; i + LF <= n; i += LF) {
            a0 = FloatVector.fromMemorySegment(F, w, off + 4L * i, LE).fma(FloatVector.fromArray(F, x, i), a0);
        }
        float sum = sum(a0.add(a1).add(a2.add(a3)));
        for (; i < n; i++) sum += w.get(FLOAT_LE, off + 4L * i) * x[i];
        return sum;
    }

    /**
     * F16 / BF16 rows: 2 * LF weights are loaded as LF int lanes, element 2i in the low half of lane i and
     * 2i + 1 in the high half; the activations were stored in runs of 2 * LF with the even elements first,
     * so each half lines up with a plain load. One conversion serves both types: the 16 bits' magnitude
     * moved up by {@code shift} and scaled by {@code scale} (F16: 13 and 2^112, exact for normals and
     * subnormals; BF16: 16 and 1), infinities and NaNs rebuilt with all exponent bits (NaNs quiet, as
     * {@link trit.tensor.Half}), then the sign. The elements past the last whole run go one by one.
     */
    private float halves(MemorySegment w, long off, float[] x) {
        boolean bf = type == GgmlType.BF16;
        int shift = bf ? 16 : 13, mant = bf ? 0x7F : 0x3FF, quietShift = bf ? 15 : 12, special = bf ? 0x7F80 : 0x7C00;
        float scale = bf ? 1f : 0x1p112f;
        int n = cols;
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i + 2 * LF <= n; i += 2 * LF) {
            IntVector v = IntVector.fromMemorySegment(I, w, off + 2L * i, LE);
            for (int part = 0; part < 2; part++) {
                IntVector h = v.lanewise(LSHR, 16 * part);
                IntVector em = h.and(0x7FFF);
                IntVector bits = em.lanewise(LSHL, shift);
                IntVector mag = bits.reinterpretAsFloats().mul(scale).reinterpretAsInts();
                IntVector quiet = em.and(mant).add(mant).and(mant + 1).lanewise(LSHL, quietShift);
                IntVector f = mag.blend(bits.or(0x7F80_0000).or(quiet), em.compare(GE, special))
                        .or(h.and(0x8000).lanewise(LSHL, 16));
                acc = f.reinterpretAsFloats().fma(FloatVector.fromArray(F, x, i + part * LF), acc);
            }
        }
        float sum = sum(acc);
        for (; i < n; i++) sum += scalarWeight(w, off + 2L * i) * x[i];
        return sum;
    }

    private float scalarWeight(MemorySegment w, long at) {
        if (type == GgmlType.F32) return w.get(FLOAT_LE, at);
        short h = w.get(SHORT_LE, at);
        return type == GgmlType.BF16 ? trit.tensor.Half.bf16ToFloat(h) : trit.tensor.Half.f16ToFloat(h);
    }
}
