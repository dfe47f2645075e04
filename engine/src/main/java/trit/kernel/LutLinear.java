package trit.kernel;

import static jdk.incubator.vector.VectorOperators.I2F;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.S2I;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import trit.tensor.GgmlType;

/**
 * The ternary product by table lookup (the idea of T-MAC and bitnet.cpp's TL kernels, on 512-bit
 * vectors): at load, the weights of a tq2_0, tq1_0 or i2_s tensor whose blocks share one scale are
 * repacked as base-3 indices of three weights each, 32 rows side by side; per activation vector, a
 * table holds for each three consecutive activations the 27 sums {@code w0 q0 + w1 q1 + w2 q2} over
 * all ternary {@code w}. One 16-bit table lookup ({@code vpermw}) then does three multiply-adds for 32
 * rows, so a 16-bit lane of packed indices (three indices, nine weights) costs two shifts, three
 * lookups and three adds, about a third of the operations of {@link VectorKernel}'s shift-mask-multiply
 * loop; the repacked weights take 1.81 bits each (tq2_0: 2.06).
 *
 * <p>Layout. Columns go in blocks of 256 (q8_K's blocks; i2_s's last block may be half empty); a block
 * has 87 groups of three columns (the last one and two thirds are padding, whose activations are
 * zero), and slot s of a block holds groups 3s, 3s + 1 and 3s + 2 in bits 4:0, 9:5 and 14:10 of a
 * 16-bit lane. A group's index is {@code c0 + 3 c1 + 9 c2} with {@code c = w + 1}. Rows go in row
 * blocks of 32 (missing rows of the last one are zero weights); the packed tensor is
 * {@code [row block][block][slot][row]} as little-endian shorts.
 *
 * <p>Sums. A block's 87 lookups are added in two 16-bit sums (58 and 29 lookups of at most 3 * 128, so
 * neither can overflow), widened, and then folded exactly as {@link ScalarKernel}
 * does: tq types add {@code (float) sumi * (d_x * d_w)} block after block, i2_s sums the row in int,
 * so the results equal the reference bit for bit.
 */
final class LutLinear extends RowBlockLinear {
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_512;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);

    static final int GROUPS = 87, SLOTS = 29;
    /** Codes per block while packing: 256 and the padding of the last groups (code 1, a zero weight). */
    private static final int PADDED = 3 * GROUPS;
    /** Shorts per group table (27 used). */
    static final int TABLE = 32;
    /** Bytes of one block of one row block. */
    private static final long BLOCK_BYTES = 2L * SLOTS * LANES;

    /** Coefficient vectors: lane i holds digit e of i in base 3, minus one (0 past 26). */
    private static final ShortVector C0 = coefficients(0), C1 = coefficients(1), C2 = coefficients(2);

    private static final boolean DISABLED = Boolean.getBoolean("trit.nolut");

    private final boolean i2s;
    /** tq types: the blocks' common scale; i2_s: the tensor scale. */
    private final float scale;

    /** Whether a tensor of this type and scale runs here at this vector width ({@code scale == 0}: blocks differ). */
    static boolean applies(GgmlType type, float scale, VectorShape shape) {
        return !DISABLED && scale != 0 && shape.vectorBitSize() == 512
                && (type == GgmlType.TQ2_0 || type == GgmlType.TQ1_0 || type == GgmlType.I2_S);
    }

    /**
     * The product with {@code data} (validated by the caller) repacked, or null when a weight code is 3
     * (which ggml reads as +2, outside the tables). When {@code data} is a mapped file, its pages are
     * then released from memory, as the product never reads them again.
     */
    static LutLinear of(GgmlType type, MemorySegment data, int rows, int cols, float scale, Parallel pool) {
        LutLinear lin = new LutLinear(type, rows, cols, scale, pool);
        long rowBytes = type == GgmlType.I2_S ? cols / 4 : type.rowBytes(cols);
        java.util.concurrent.atomic.AtomicBoolean notTernary = new java.util.concurrent.atomic.AtomicBoolean();
        pool.forRange(lin.rowBlocks, 1, (from, to) -> {
            byte[] codes = new byte[LANES * lin.blocks * PADDED];
            short[] slots = new short[lin.blocks * SLOTS * LANES];
            byte[] row = new byte[(int) rowBytes];
            for (int rb = from; rb < to && !notTernary.get(); rb++) {
                if (!lin.pack(data, rowBytes, rb, codes, slots, row)) notTernary.set(true);
            }
        });
        if (notTernary.get()) return null;
        release(data);
        return lin;
    }

    private LutLinear(GgmlType type, int rows, int cols, float scale, Parallel pool) {
        super(type, rows, cols, pool, BLOCK_BYTES);
        this.i2s = type == GgmlType.I2_S;
        this.scale = scale;
    }

    /** The weight scale (tq types: the blocks' common one). */
    float scale() {
        return scale;
    }


    // ---- packing ----------------------------------------------------------------------------------

    /**
     * Row block rb: codes {@code w + 1} of its rows (padding: 1), then the slots, into {@link #packed};
     * false when a code is 3.
     */
    private boolean pack(MemorySegment data, long rowBytes, int rb, byte[] codes, short[] slots, byte[] row) {
        int stride = blocks * PADDED;
        java.util.Arrays.fill(codes, (byte) 1);
        for (int j = 0; j < LANES && rb * LANES + j < rows; j++) {
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, (rb * LANES + j) * rowBytes, row, 0, (int) rowBytes);
            rowCodes(row, codes, j * stride);
        }
        for (byte c : codes) if (c == 3) return false;
        for (int b = 0, o = 0; b < blocks; b++) {
            for (int s = 0; s < SLOTS; s++) {
                for (int j = 0, p = b * PADDED + 9 * s; j < LANES; j++, o++, p += stride) {
                    int i0 = codes[p] + 3 * codes[p + 1] + 9 * codes[p + 2];
                    int i1 = codes[p + 3] + 3 * codes[p + 4] + 9 * codes[p + 5];
                    int i2 = codes[p + 6] + 3 * codes[p + 7] + 9 * codes[p + 8];
                    slots[o] = (short) (i0 | i1 << 5 | i2 << 10);
                }
            }
        }
        MemorySegment.copy(slots, 0, packed, SHORT_LE, rb * blocks * BLOCK_BYTES, slots.length);
        return true;
    }

    /**
     * The codes {@code w + 1} of a row (its bytes in {@code w}) into {@code out[at ..]}, block b's element e
     * at {@code at + PADDED * b + e}.
     */
    private void rowCodes(byte[] w, byte[] out, int at) {
        switch (type) {
            case TQ2_0 -> {
                // element 128h + 32l + k: bits 2l+1:2l of byte 32h + k
                for (int b = 0, off = 0; b < cols / BLOCK; b++, off += 66) {
                    int o = at + PADDED * b;
                    for (int h = 0; h < 2; h++) {
                        for (int k = 0; k < 32; k++) {
                            int v = w[off + 32 * h + k] & 0xFF;
                            for (int l = 0; l < 4; l++) out[o + 128 * h + 32 * l + k] = (byte) (v >>> 2 * l & 3);
                        }
                    }
                }
            }
            case TQ1_0 -> {
                // trit n of byte m: element 32n + m (bytes 0-31), 160 + 16n + m - 32 (32-47), 240 + 4n + m - 48 (qh)
                for (int b = 0, off = 0; b < cols / BLOCK; b++, off += 54) {
                    int o = at + PADDED * b;
                    for (int m = 0; m < 52; m++) {
                        int v = w[off + m] & 0xFF;
                        int trits = m < 48 ? 5 : 4;
                        for (int n = 0, pow = 1; n < trits; n++, pow *= 3) {
                            int el = m < 32 ? 32 * n + m : m < 48 ? 160 + 16 * n + m - 32 : 240 + 4 * n + m - 48;
                            out[o + el] = (byte) ((v * pow & 0xFF) * 3 >>> 8);
                        }
                    }
                }
            }
            default -> {
                // i2_s: byte m of each 32-byte block of 128 holds elements m, m + 32, m + 64, m + 96 in bits 7:6 .. 1:0
                for (int q = 0; q < cols / 128; q++) {
                    int o = at + PADDED * (q / 2) + 128 * (q % 2);
                    for (int m = 0; m < 32; m++) {
                        int v = w[32 * q + m] & 0xFF;
                        for (int g = 0; g < 4; g++) out[o + 32 * g + m] = (byte) (v >>> 6 - 2 * g & 3);
                    }
                }
            }
        }
    }

    // ---- tables -----------------------------------------------------------------------------------

    private static ShortVector coefficients(int digit) {
        short[] c = new short[LANES];
        for (int i = 0; i < 27; i++) c[i] = (short) (i / (digit == 0 ? 1 : digit == 1 ? 3 : 9) % 3 - 1);
        return ShortVector.fromArray(S, c, 0);
    }

    /** Three table loads of 64 bytes per 64 bytes of weights: the tables of a pass (about 24 KB) stay in L1. */
    @Override
    boolean activationsInner() {
        return false;
    }

    @Override
    int blockShorts() {
        return GROUPS * TABLE;
    }

    @Override
    void prepare(float[] xs, int off, short[] q, Activation a, float[] d, int dOff, short[] tab, int t) {
        if (i2s) {
            ActQuant.i8_s(xs, off, cols, q, a);
        } else {
            float[] bd = a.d(blocks);
            ActQuant.q8_K(xs, off, cols, q, bd, a.bsums(blocks * 16));
            System.arraycopy(bd, 0, d, dOff, blocks);
        }
        tables(q, tab, t);
    }

    /** i2_s: bitnet.cpp's {@code (sum(code * q) - act_sum) / act_scale * w_scale}; the int holds sum(w * q). */
    @Override
    float finish(float f, int i, float actScale, int actSum) {
        return i2s ? ((float) (i + actSum) - actSum) / actScale * scale : f;
    }

    /** The tables of the codes {@code q[0 .. cols)} into {@code tab[at ..]}. */
    private void tables(short[] q, short[] tab, int at) {
        for (int b = 0; b < blocks; b++) {
            int end = Math.min(cols, (b + 1) * BLOCK);
            for (int g = 0, c = b * BLOCK; g < GROUPS; g++, c += 3, at += TABLE) {
                short q0 = c < end ? q[c] : 0, q1 = c + 1 < end ? q[c + 1] : 0, q2 = c + 2 < end ? q[c + 2] : 0;
                C0.mul(q0).add(C1.mul(q1)).add(C2.mul(q2)).intoArray(tab, at);
            }
        }
    }

    // ---- the product ------------------------------------------------------------------------------

    /**
     * Blocks {@code [b0, b1)} of row block {@code rb} against the tables at {@code tab[t ..]}, added to
     * the 32 accumulators at {@code acc}: floats {@code (float) sumi * (d_x * d_w)} for the tq types
     * (block scales of the vector at {@code d[dOff ..]}), exact ints for i2_s.
     */
    @Override
    void product(int rb, int b0, int b1, short[] tab, int t, float[] d, int dOff, float[] facc, int[] iacc, int acc) {
        long off = ((long) rb * blocks + b0) * BLOCK_BYTES;
        int to = t + b0 * GROUPS * TABLE;
        // both kinds of accumulator, so that no vector variable is ever null (which would box it)
        FloatVector f0 = FloatVector.fromArray(F, facc, acc), f1 = FloatVector.fromArray(F, facc, acc + 16);
        IntVector t0 = IntVector.fromArray(I, iacc, acc), t1 = IntVector.fromArray(I, iacc, acc + 16);
        for (int b = b0; b < b1; b++) {
            // the first two lookups of each slot in one 16-bit sum, the third in another: at most 58 and 29
            // lookups of at most 3 * 128 apiece, so neither can overflow
            ShortVector sa = ShortVector.zero(S), sb = sa;
            for (int s = 0; s < SLOTS; s++, off += 2 * LANES, to += 3 * TABLE) {
                ShortVector v = ShortVector.fromMemorySegment(S, packed, off, LE);
                ShortVector l0 = v.selectFrom(ShortVector.fromArray(S, tab, to));
                ShortVector l1 = v.lanewise(LSHR, 5).selectFrom(ShortVector.fromArray(S, tab, to + TABLE));
                sb = sb.add(v.lanewise(LSHR, 10).selectFrom(ShortVector.fromArray(S, tab, to + 2 * TABLE)));
                sa = sa.add(l0.add(l1));
            }
            IntVector s0 = ((IntVector) sa.convertShape(S2I, I, 0)).add((IntVector) sb.convertShape(S2I, I, 0));
            IntVector s1 = ((IntVector) sa.convertShape(S2I, I, 1)).add((IntVector) sb.convertShape(S2I, I, 1));
            if (i2s) {
                t0 = t0.add(s0);
                t1 = t1.add(s1);
            } else {
                float sc = d[dOff + b] * scale;
                f0 = f0.add(((FloatVector) s0.convert(I2F, 0)).mul(sc));
                f1 = f1.add(((FloatVector) s1.convert(I2F, 0)).mul(sc));
            }
        }
        t0.intoArray(iacc, acc);
        t1.intoArray(iacc, acc + 16);
        f0.intoArray(facc, acc);
        f1.intoArray(facc, acc + 16);
    }

    /** Batches: four vectors per pass over a row block, so that each slot is loaded and cut up once for four. */
    @Override
    int vectorGroup() {
        return 4;
    }

    @Override
    void products(int rb, int b0, int b1, short[] tab, int t, int tl, float[] d, int dOff, float[] facc, int[] iacc,
                  int acc, int accStride, int count) {
        if (count == 4) product4(rb, b0, b1, tab, t, tl, d, dOff, facc, iacc, acc, accStride);
        else super.products(rb, b0, b1, tab, t, tl, d, dOff, facc, iacc, acc, accStride, count);
    }

    /**
     * {@link #product} for four vectors at once (tables {@code tl} apart, block scales {@link #blocks}
     * apart, accumulators {@code as} apart); each block's sums are folded into the accumulators in memory,
     * which leaves registers for the eight 16-bit sums.
     */
    private void product4(int rb, int b0, int b1, short[] tab, int t, int tl, float[] d, int dOff, float[] facc, int[] iacc,
                          int acc, int as) {
        long off = ((long) rb * blocks + b0) * BLOCK_BYTES;
        int to = t + b0 * GROUPS * TABLE;
        short[] sums = new short[8 * LANES];
        for (int b = b0; b < b1; b++) {
            ShortVector a0 = ShortVector.zero(S), b0s = a0, a1 = a0, b1s = a0, a2 = a0, b2s = a0, a3 = a0, b3s = a0;
            for (int s = 0; s < SLOTS; s++, off += 2 * LANES, to += 3 * TABLE) {
                ShortVector v = ShortVector.fromMemorySegment(S, packed, off, LE);
                ShortVector v5 = v.lanewise(LSHR, 5), v10 = v.lanewise(LSHR, 10);
                int t1 = to + tl, t2 = to + 2 * tl, t3 = to + 3 * tl;
                a0 = a0.add(v.selectFrom(ShortVector.fromArray(S, tab, to)).add(v5.selectFrom(ShortVector.fromArray(S, tab, to + TABLE))));
                b0s = b0s.add(v10.selectFrom(ShortVector.fromArray(S, tab, to + 2 * TABLE)));
                a1 = a1.add(v.selectFrom(ShortVector.fromArray(S, tab, t1)).add(v5.selectFrom(ShortVector.fromArray(S, tab, t1 + TABLE))));
                b1s = b1s.add(v10.selectFrom(ShortVector.fromArray(S, tab, t1 + 2 * TABLE)));
                a2 = a2.add(v.selectFrom(ShortVector.fromArray(S, tab, t2)).add(v5.selectFrom(ShortVector.fromArray(S, tab, t2 + TABLE))));
                b2s = b2s.add(v10.selectFrom(ShortVector.fromArray(S, tab, t2 + 2 * TABLE)));
                a3 = a3.add(v.selectFrom(ShortVector.fromArray(S, tab, t3)).add(v5.selectFrom(ShortVector.fromArray(S, tab, t3 + TABLE))));
                b3s = b3s.add(v10.selectFrom(ShortVector.fromArray(S, tab, t3 + 2 * TABLE)));
            }
            // through memory: a helper taking the vectors would box them
            a0.intoArray(sums, 0);
            b0s.intoArray(sums, LANES);
            a1.intoArray(sums, 2 * LANES);
            b1s.intoArray(sums, 3 * LANES);
            a2.intoArray(sums, 4 * LANES);
            b2s.intoArray(sums, 5 * LANES);
            a3.intoArray(sums, 6 * LANES);
            b3s.intoArray(sums, 7 * LANES);
            for (int c = 0; c < 4; c++) fold(sums, 2 * c * LANES, b, d, dOff + c * blocks, facc, iacc, acc + c * as);
        }
    }

    /** Adds block b's two 16-bit sums (at {@code sums[at ..]}) to the accumulators at {@code acc}, as {@link #product} does. */
    private void fold(short[] sums, int at, int b, float[] d, int dOff, float[] facc, int[] iacc, int acc) {
        ShortVector sa = ShortVector.fromArray(S, sums, at), sb = ShortVector.fromArray(S, sums, at + LANES);
        IntVector s0 = ((IntVector) sa.convertShape(S2I, I, 0)).add((IntVector) sb.convertShape(S2I, I, 0));
        IntVector s1 = ((IntVector) sa.convertShape(S2I, I, 1)).add((IntVector) sb.convertShape(S2I, I, 1));
        if (i2s) {
            IntVector.fromArray(I, iacc, acc).add(s0).intoArray(iacc, acc);
            IntVector.fromArray(I, iacc, acc + 16).add(s1).intoArray(iacc, acc + 16);
        } else {
            float sc = d[dOff + b] * scale;
            FloatVector.fromArray(F, facc, acc).add(((FloatVector) s0.convert(I2F, 0)).mul(sc)).intoArray(facc, acc);
            FloatVector.fromArray(F, facc, acc + 16).add(((FloatVector) s1.convert(I2F, 0)).mul(sc)).intoArray(facc, acc + 16);
        }
    }
}
