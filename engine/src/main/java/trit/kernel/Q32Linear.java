package trit.kernel;

import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.GE;
import static jdk.incubator.vector.VectorOperators.I2F;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.S2I;
import static jdk.incubator.vector.VectorOperators.ZERO_EXTEND_S2I;

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
 * The q4_0 and q8_0 products (blocks of 32 codes and one fp16 scale, against q8_0 activations) on weights
 * repacked at load with 32 rows side by side, one row per 16-bit lane, at the format's own size: per row
 * block and block of 32 columns, the codes as shorts {@code [k][row]}, then the 32 rows' fp16 scales.
 * q4_0: 8 shorts per row, element 4k + n in bits 4n+3:4n of short k; q8_0: 16 shorts per row, element
 * 2k in the low byte of short k and 2k + 1 in the high one. Each activation code is broadcast into the
 * 32 rows: a q4_0 code costs a shift, a mask and the minus 8 (about 4.5 operations per 32 multiply-adds
 * with the multiply and add, against about 12 in the row kernel), a q8_0 code a shift or two (its
 * products are summed in pairs, at most 2 * 127 * 127 in 16 bits, then widened). Block sums are exact
 * and folded as {@link ScalarKernel} does ({@code sumi * (d_w * d_x)}), so results equal the reference
 * bit for bit.
 */
final class Q32Linear extends RowBlockLinear {
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_512;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);

    /** Code shorts per row of one block of 32. */
    private final int codeShorts;
    /** Bytes per row block of one block of 32 (codes and one fp16 scale per row), and of 256 columns. */
    private final long subBytes, blockBytes;
    private static final short M4 = 0xF, EIGHT = 8;

    private static final boolean DISABLED = Boolean.getBoolean("trit.norepack");


    /** Whether a q4_0 / q8_0 tensor of {@code cols} columns runs here at this vector width (blocks of 256 columns). */
    static boolean applies(GgmlType type, int cols, VectorShape shape) {
        return !DISABLED && (type == GgmlType.Q4_0 || type == GgmlType.Q8_0) && cols % BLOCK == 0
                && shape.vectorBitSize() == 512;
    }

    /** The product with {@code data} (validated by the caller) repacked; a mapped tensor's pages are released. */
    static Q32Linear of(GgmlType type, MemorySegment data, int rows, int cols, Parallel pool) {
        Q32Linear lin = new Q32Linear(type, rows, cols, pool);
        pool.forRange(lin.rowBlocks, 1, (from, to) -> {
            short[] block = new short[(int) (lin.blockBytes / 2)];
            for (int rb = from; rb < to; rb++) {
                for (int b = 0; b < lin.blocks; b++) lin.pack(data, rb, b, block);
            }
        });
        release(data);
        return lin;
    }

    private static int codeShorts(GgmlType type) {
        return type == GgmlType.Q8_0 ? 16 : 8;
    }

    private static long subBytes(GgmlType type) {
        return (codeShorts(type) + 1) * 2L * LANES;
    }

    private Q32Linear(GgmlType type, int rows, int cols, Parallel pool) {
        super(type, rows, cols, pool, 8 * subBytes(type));
        this.codeShorts = codeShorts(type);
        this.subBytes = subBytes(type);
        this.blockBytes = 8 * subBytes;
    }


    /**
     * Columns 256b .. 256b + 255 of row block rb. q4_0 blocks are {fp16 d, u8 qs[16]} (byte j: element j
     * in the low nibble, j + 16 in the high one), q8_0 blocks {fp16 d, int8 qs[32]}.
     */
    private void pack(MemorySegment w, int rb, int b, short[] out) {
        java.util.Arrays.fill(out, (short) 0);
        long rowBytes = type.rowBytes(cols), qBytes = type.blockBytes();
        boolean q8 = type == GgmlType.Q8_0;
        for (int j = 0; j < LANES && rb * LANES + j < rows; j++) {
            for (int i = 0; i < 8; i++) {
                long off = (rb * LANES + j) * rowBytes + qBytes * (8 * b + i);
                int at = (int) (i * subBytes / 2);
                for (int e = 0; e < 32; e++) {
                    if (q8) {
                        out[at + e / 2 * LANES + j] |= (short) ((RowKernel.u8(w, off + 2 + e)) << 8 * (e % 2));
                    } else {
                        int v = RowKernel.u8(w, off + 2 + e % 16);
                        int nib = e < 16 ? v & 0xF : v >>> 4;
                        out[at + e / 4 * LANES + j] |= (short) (nib << 4 * (e % 4));
                    }
                }
                out[at + codeShorts * LANES + j] = w.get(SHORT_LE, off);
            }
        }
        MemorySegment.copy(out, 0, packed, SHORT_LE, ((long) rb * blocks + b) * blockBytes, out.length);
    }

    /** Each 16 (q8_0: 32) bytes of codes meet one 2-byte activation: the weights stay in L1. */
    @Override
    boolean activationsInner() {
        return true;
    }

    @Override
    int blockShorts() {
        return BLOCK;
    }

    @Override
    int scalesPerBlock() {
        return BLOCK / ActQuant.QK8_0;
    }

    @Override
    void prepare(float[] xs, int off, short[] q, Activation a, float[] d, int dOff, short[] tab, int t) {
        float[] bd = a.d(cols / ActQuant.QK8_0);
        ActQuant.q8_0(xs, off, cols, q, bd);
        System.arraycopy(bd, 0, d, dOff, cols / ActQuant.QK8_0);
        System.arraycopy(q, 0, tab, t, cols);
    }

    @Override
    void product(int rb, int b0, int b1, short[] tab, int t, float[] d, int dOff, float[] facc, int[] iacc, int acc) {
        long off = ((long) rb * blocks + b0) * blockBytes;
        boolean q8 = codeShorts == 16;
        FloatVector f0 = FloatVector.fromArray(F, facc, acc), f1 = FloatVector.fromArray(F, facc, acc + 16);
        for (int sb = 8 * b0, e = t + b0 * BLOCK; sb < 8 * b1; sb++, off += subBytes, e += 32) {
            IntVector i0, i1;
            if (q8) {
                // pairs of products (one short of codes) in 16 bits, widened at once
                i0 = IntVector.zero(I);
                i1 = i0;
                for (int k = 0; k < 16; k++) {
                    ShortVector v = ShortVector.fromMemorySegment(S, packed, off + 2L * k * LANES, LE);
                    ShortVector pair = v.lanewise(LSHL, 8).lanewise(ASHR, 8).mul(tab[e + 2 * k])
                            .add(v.lanewise(ASHR, 8).mul(tab[e + 2 * k + 1]));
                    i0 = i0.add((IntVector) pair.convertShape(S2I, I, 0));
                    i1 = i1.add((IntVector) pair.convertShape(S2I, I, 1));
                }
            } else {
                ShortVector sum = ShortVector.zero(S);
                for (int k = 0; k < 8; k++) {
                    ShortVector v = ShortVector.fromMemorySegment(S, packed, off + 2L * k * LANES, LE);
                    int x = e + 4 * k;
                    sum = sum.add(v.and(M4).sub(EIGHT).mul(tab[x]))
                            .add(v.lanewise(LSHR, 4).and(M4).sub(EIGHT).mul(tab[x + 1]))
                            .add(v.lanewise(LSHR, 8).and(M4).sub(EIGHT).mul(tab[x + 2]))
                            .add(v.lanewise(LSHR, 12).sub(EIGHT).mul(tab[x + 3]));
                }
                i0 = (IntVector) sum.convertShape(S2I, I, 0);
                i1 = (IntVector) sum.convertShape(S2I, I, 1);
            }
            // the 32 rows' fp16 scales widened as Half.f16ToFloat: magnitude bits moved up and scaled by
            // 2^112 (exact for normals and subnormals), infinities and NaNs (made quiet) rebuilt, then the
            // sign. Written out here and in fold: a helper returning vectors would box them, and one that
            // wrote them to an array made q4_0 decode 12% slower (2B4T, tg32 11.7 vs 13.3-13.4).
            long dAt = off + 2L * codeShorts * LANES;
            float dx = d[dOff + sb];
            ShortVector hs = ShortVector.fromMemorySegment(S, packed, dAt, LE);
            IntVector h0 = (IntVector) hs.convertShape(ZERO_EXTEND_S2I, I, 0), h1 = (IntVector) hs.convertShape(ZERO_EXTEND_S2I, I, 1);
            IntVector em0 = h0.and(0x7FFF), em1 = h1.and(0x7FFF);
            IntVector bits0 = em0.lanewise(LSHL, 13), bits1 = em1.lanewise(LSHL, 13);
            IntVector w0 = bits0.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts()
                    .blend(bits0.or(0x7F80_0000).or(em0.and(0x3FF).add(0x3FF).and(0x400).lanewise(LSHL, 12)), em0.compare(GE, 0x7C00))
                    .or(h0.and(0x8000).lanewise(LSHL, 16));
            IntVector w1 = bits1.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts()
                    .blend(bits1.or(0x7F80_0000).or(em1.and(0x3FF).add(0x3FF).and(0x400).lanewise(LSHL, 12)), em1.compare(GE, 0x7C00))
                    .or(h1.and(0x8000).lanewise(LSHL, 16));
            f0 = f0.add(((FloatVector) i0.convert(I2F, 0)).mul(w0.reinterpretAsFloats().mul(dx)));
            f1 = f1.add(((FloatVector) i1.convert(I2F, 0)).mul(w1.reinterpretAsFloats().mul(dx)));
        }
        f0.intoArray(facc, acc);
        f1.intoArray(facc, acc + 16);
    }

    /** Batches: four vectors per pass over a row block's block, so that each short of codes is cut up once for four. */
    @Override
    int vectorGroup() {
        return 4;
    }

    /**
     * Four vectors (codes {@code tl} apart, scales {@code blocks * 8} apart, accumulators {@code as} apart);
     * other counts go one vector at a time ({@link #product}, which keeps its sums in registers: folding
     * each block through memory cost q4_0 decode a quarter). Per block of 32 columns, the type's loop
     * leaves each vector's 32 int sums in {@code sums}, and {@link #fold} scales them into the
     * accumulators: vectors passed to a helper would be boxed, and one loop per type keeps each compiled
     * method small enough to be compiled soon (a 1,300-byte method that did both types took the JIT two
     * seconds to finish on a small model).
     */
    @Override
    void products(int rb, int b0, int b1, short[] tab, int t, int tl, float[] d, int dOff, float[] facc, int[] iacc,
                  int acc, int as, int count) {
        if (count != 4) {
            super.products(rb, b0, b1, tab, t, tl, d, dOff, facc, iacc, acc, as, count);
            return;
        }
        long off = ((long) rb * blocks + b0) * blockBytes;
        int ds = blocks * scalesPerBlock();
        int[] sums = new int[4 * LANES];
        for (int sb = 8 * b0, e = t + b0 * BLOCK; sb < 8 * b1; sb++, off += subBytes, e += 32) {
            if (codeShorts == 16) q8Sums4(off, tab, e, tl, sums);
            else q4Sums4(off, tab, e, tl, sums);
            long dAt = off + 2L * codeShorts * LANES;
            for (int c = 0; c < 4; c++) fold(sums, c * LANES, dAt, d[dOff + c * ds + sb], facc, acc + c * as);
        }
    }

    /** q8_0, four vectors {@code tl} apart: pairs of products (one short of codes) in 16 bits, widened at once. */
    private void q8Sums4(long off, short[] tab, int e, int tl, int[] sums) {
        IntVector x0 = IntVector.zero(I), y0 = x0, x1 = x0, y1 = x0, x2 = x0, y2 = x0, x3 = x0, y3 = x0;
        for (int k = 0; k < 16; k++) {
            ShortVector v = ShortVector.fromMemorySegment(S, packed, off + 2L * k * LANES, LE);
            ShortVector lo = v.lanewise(LSHL, 8).lanewise(ASHR, 8), hi = v.lanewise(ASHR, 8);
            int a = e + 2 * k;
            ShortVector p0 = lo.mul(tab[a]).add(hi.mul(tab[a + 1]));
            ShortVector p1 = lo.mul(tab[a + tl]).add(hi.mul(tab[a + tl + 1]));
            ShortVector p2 = lo.mul(tab[a + 2 * tl]).add(hi.mul(tab[a + 2 * tl + 1]));
            ShortVector p3 = lo.mul(tab[a + 3 * tl]).add(hi.mul(tab[a + 3 * tl + 1]));
            x0 = x0.add((IntVector) p0.convertShape(S2I, I, 0));
            y0 = y0.add((IntVector) p0.convertShape(S2I, I, 1));
            x1 = x1.add((IntVector) p1.convertShape(S2I, I, 0));
            y1 = y1.add((IntVector) p1.convertShape(S2I, I, 1));
            x2 = x2.add((IntVector) p2.convertShape(S2I, I, 0));
            y2 = y2.add((IntVector) p2.convertShape(S2I, I, 1));
            x3 = x3.add((IntVector) p3.convertShape(S2I, I, 0));
            y3 = y3.add((IntVector) p3.convertShape(S2I, I, 1));
        }
        x0.intoArray(sums, 0);
        y0.intoArray(sums, 16);
        x1.intoArray(sums, LANES);
        y1.intoArray(sums, LANES + 16);
        x2.intoArray(sums, 2 * LANES);
        y2.intoArray(sums, 2 * LANES + 16);
        x3.intoArray(sums, 3 * LANES);
        y3.intoArray(sums, 3 * LANES + 16);
    }

    /** q4_0, four vectors {@code tl} apart: a block's 32 products fit in 16 bits. */
    private void q4Sums4(long off, short[] tab, int e, int tl, int[] sums) {
        ShortVector s0 = ShortVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        for (int k = 0; k < 8; k++) {
            ShortVector v = ShortVector.fromMemorySegment(S, packed, off + 2L * k * LANES, LE);
            ShortVector c0 = v.and(M4).sub(EIGHT), c1 = v.lanewise(LSHR, 4).and(M4).sub(EIGHT);
            ShortVector c2 = v.lanewise(LSHR, 8).and(M4).sub(EIGHT), c3 = v.lanewise(LSHR, 12).sub(EIGHT);
            int a = e + 4 * k, a1 = a + tl, a2 = a + 2 * tl, a3 = a + 3 * tl;
            s0 = s0.add(c0.mul(tab[a])).add(c1.mul(tab[a + 1])).add(c2.mul(tab[a + 2])).add(c3.mul(tab[a + 3]));
            s1 = s1.add(c0.mul(tab[a1])).add(c1.mul(tab[a1 + 1])).add(c2.mul(tab[a1 + 2])).add(c3.mul(tab[a1 + 3]));
            s2 = s2.add(c0.mul(tab[a2])).add(c1.mul(tab[a2 + 1])).add(c2.mul(tab[a2 + 2])).add(c3.mul(tab[a2 + 3]));
            s3 = s3.add(c0.mul(tab[a3])).add(c1.mul(tab[a3 + 1])).add(c2.mul(tab[a3 + 2])).add(c3.mul(tab[a3 + 3]));
        }
        ((IntVector) s0.convertShape(S2I, I, 0)).intoArray(sums, 0);
        ((IntVector) s0.convertShape(S2I, I, 1)).intoArray(sums, 16);
        ((IntVector) s1.convertShape(S2I, I, 0)).intoArray(sums, LANES);
        ((IntVector) s1.convertShape(S2I, I, 1)).intoArray(sums, LANES + 16);
        ((IntVector) s2.convertShape(S2I, I, 0)).intoArray(sums, 2 * LANES);
        ((IntVector) s2.convertShape(S2I, I, 1)).intoArray(sums, 2 * LANES + 16);
        ((IntVector) s3.convertShape(S2I, I, 0)).intoArray(sums, 3 * LANES);
        ((IntVector) s3.convertShape(S2I, I, 1)).intoArray(sums, 3 * LANES + 16);
    }

    /**
     * Adds one block's 32 int sums (at {@code sums[at ..]}) times {@code d_w * dx} to the accumulators at
     * {@code acc}, as {@link ScalarKernel} does ({@code sumi * (d_w * d_x)}); the 32 rows' fp16 scales at
     * {@code dAt} are widened as {@code Half.f16ToFloat}: magnitude bits moved up and scaled by 2^112
     * (exact for normals and subnormals), infinities and NaNs (made quiet) rebuilt, then the sign.
     */
    private void fold(int[] sums, int at, long dAt, float dx, float[] facc, int acc) {
        ShortVector hs = ShortVector.fromMemorySegment(S, packed, dAt, LE);
        IntVector h0 = (IntVector) hs.convertShape(ZERO_EXTEND_S2I, I, 0), h1 = (IntVector) hs.convertShape(ZERO_EXTEND_S2I, I, 1);
        IntVector em0 = h0.and(0x7FFF), em1 = h1.and(0x7FFF);
        IntVector bits0 = em0.lanewise(LSHL, 13), bits1 = em1.lanewise(LSHL, 13);
        IntVector w0 = bits0.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts()
                .blend(bits0.or(0x7F80_0000).or(em0.and(0x3FF).add(0x3FF).and(0x400).lanewise(LSHL, 12)), em0.compare(GE, 0x7C00))
                .or(h0.and(0x8000).lanewise(LSHL, 16));
        IntVector w1 = bits1.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts()
                .blend(bits1.or(0x7F80_0000).or(em1.and(0x3FF).add(0x3FF).and(0x400).lanewise(LSHL, 12)), em1.compare(GE, 0x7C00))
                .or(h1.and(0x8000).lanewise(LSHL, 16));
        FloatVector.fromArray(F, facc, acc).add(((FloatVector) IntVector.fromArray(I, sums, at).convert(I2F, 0))
                .mul(w0.reinterpretAsFloats().mul(dx))).intoArray(facc, acc);
        FloatVector.fromArray(F, facc, acc + 16).add(((FloatVector) IntVector.fromArray(I, sums, at + 16).convert(I2F, 0))
                .mul(w1.reinterpretAsFloats().mul(dx))).intoArray(facc, acc + 16);
    }
}
