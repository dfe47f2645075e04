package trit.kernel;

import static jdk.incubator.vector.VectorOperators.GE;
import static jdk.incubator.vector.VectorOperators.I2F;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.S2I;
import static jdk.incubator.vector.VectorOperators.ZERO_EXTEND_S2I;

import java.lang.foreign.Arena;
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
 * The q4_0 product on weights repacked at load with 32 rows side by side, one row per 16-bit lane, the
 * same size as q4_0: per row block and q4_0 block of 32 columns, 8 shorts per row holding the nibbles of
 * elements 4k .. 4k + 3 (element 4k + n in bits 4n+3:4n of short k), then the 32 rows' fp16 scales. Each
 * activation code (q8_0) is broadcast into the 32 rows: a nibble costs a shift and a mask, the minus 8,
 * a multiply and an add (about 4.5 operations per 32 multiply-adds, against about 12 in the row kernel,
 * which cuts two nibbles per byte and widens each 16-bit product). A block's 32 products fit in 16 bits
 * (32 * 8 * 127); the sum is folded as {@link ScalarKernel} does ({@code sumi * (d_w * d_x)}), so results
 * equal the reference bit for bit.
 */
final class Q40Linear extends RowBlockLinear {
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_512;
    private static final VectorSpecies<Short> S16 = ShortVector.SPECIES_256;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);

    /** Bytes per row block of one q4_0 block: 8 shorts of nibbles and one fp16 scale per row. */
    private static final long SUB_BYTES = 9L * 2 * LANES, BLOCK_BYTES = 8 * SUB_BYTES;
    private static final short M4 = 0xF, EIGHT = 8;

    private static final boolean DISABLED = Boolean.getBoolean("trit.norepack");

    private final MemorySegment packed;

    /** Whether a q4_0 tensor of {@code cols} columns runs here at this vector width (blocks of 256 columns). */
    static boolean applies(GgmlType type, int cols, VectorShape shape) {
        return !DISABLED && type == GgmlType.Q4_0 && cols % BLOCK == 0 && shape.vectorBitSize() == 512;
    }

    /** The product with {@code data} (validated by the caller) repacked; a mapped tensor's pages are released. */
    static Q40Linear of(MemorySegment data, int rows, int cols, Parallel pool) {
        Q40Linear lin = new Q40Linear(rows, cols, pool);
        pool.forRange(lin.rowBlocks, 1, (from, to) -> {
            short[] block = new short[(int) (BLOCK_BYTES / 2)];
            for (int rb = from; rb < to; rb++) {
                for (int b = 0; b < lin.blocks; b++) lin.pack(data, rb, b, block);
            }
        });
        release(data);
        return lin;
    }

    private Q40Linear(int rows, int cols, Parallel pool) {
        super(GgmlType.Q4_0, rows, cols, pool);
        this.packed = Arena.ofAuto().allocate((long) rowBlocks * blocks * BLOCK_BYTES, 64);
    }

    @Override
    long packedBytes() {
        return packed.byteSize();
    }

    /** Columns 256b .. 256b + 255 of row block rb; q4_0 blocks are {fp16 d, u8 qs[16]}, byte j: element j (low nibble), j + 16 (high). */
    private void pack(MemorySegment w, int rb, int b, short[] out) {
        java.util.Arrays.fill(out, (short) 0);
        long rowBytes = type.rowBytes(cols);
        for (int j = 0; j < LANES && rb * LANES + j < rows; j++) {
            for (int i = 0; i < 8; i++) {
                long off = (rb * LANES + j) * rowBytes + 18L * (8 * b + i);
                int at = (int) (i * SUB_BYTES / 2);
                for (int e = 0; e < 32; e++) {
                    int v = RowKernel.u8(w, off + 2 + e % 16);
                    int nib = e < 16 ? v & 0xF : v >>> 4;
                    out[at + e / 4 * LANES + j] |= (short) (nib << 4 * (e % 4));
                }
                out[at + 8 * LANES + j] = w.get(SHORT_LE, off);
            }
        }
        MemorySegment.copy(out, 0, packed, SHORT_LE, ((long) rb * blocks + b) * BLOCK_BYTES, out.length);
    }

    /** Each 16 bytes of nibbles meet one 2-byte activation: the weights stay in L1. */
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
        long off = ((long) rb * blocks + b0) * BLOCK_BYTES;
        FloatVector f0 = FloatVector.fromArray(F, facc, acc), f1 = FloatVector.fromArray(F, facc, acc + 16);
        for (int sb = 8 * b0, e = t + b0 * BLOCK; sb < 8 * b1; sb++, off += SUB_BYTES) {
            ShortVector sum = ShortVector.zero(S);
            for (int k = 0; k < 8; k++, e += 4) {
                ShortVector v = ShortVector.fromMemorySegment(S, packed, off + 2L * k * LANES, LE);
                sum = sum.add(v.and(M4).sub(EIGHT).mul(tab[e]))
                        .add(v.lanewise(LSHR, 4).and(M4).sub(EIGHT).mul(tab[e + 1]))
                        .add(v.lanewise(LSHR, 8).and(M4).sub(EIGHT).mul(tab[e + 2]))
                        .add(v.lanewise(LSHR, 12).sub(EIGHT).mul(tab[e + 3]));
            }
            // the 32 rows' fp16 scales widened as Half.f16ToFloat: magnitude bits moved up and scaled by
            // 2^112 (exact for normals and subnormals), infinities and NaNs (made quiet) rebuilt, then the
            // sign (written out for both halves: a helper returning a vector would box it)
            long dAt = off + 16L * LANES;
            float dx = d[dOff + sb];
            IntVector h0 = (IntVector) ShortVector.fromMemorySegment(S16, packed, dAt, LE).convertShape(ZERO_EXTEND_S2I, I, 0);
            IntVector h1 = (IntVector) ShortVector.fromMemorySegment(S16, packed, dAt + 32, LE).convertShape(ZERO_EXTEND_S2I, I, 0);
            IntVector em0 = h0.and(0x7FFF), em1 = h1.and(0x7FFF);
            IntVector bits0 = em0.lanewise(LSHL, 13), bits1 = em1.lanewise(LSHL, 13);
            IntVector w0 = bits0.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts()
                    .blend(bits0.or(0x7F80_0000).or(em0.and(0x3FF).add(0x3FF).and(0x400).lanewise(LSHL, 12)), em0.compare(GE, 0x7C00))
                    .or(h0.and(0x8000).lanewise(LSHL, 16));
            IntVector w1 = bits1.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts()
                    .blend(bits1.or(0x7F80_0000).or(em1.and(0x3FF).add(0x3FF).and(0x400).lanewise(LSHL, 12)), em1.compare(GE, 0x7C00))
                    .or(h1.and(0x8000).lanewise(LSHL, 16));
            f0 = f0.add(((FloatVector) ((IntVector) sum.convertShape(S2I, I, 0)).convert(I2F, 0)).mul(w0.reinterpretAsFloats().mul(dx)));
            f1 = f1.add(((FloatVector) ((IntVector) sum.convertShape(S2I, I, 1)).convert(I2F, 0)).mul(w1.reinterpretAsFloats().mul(dx)));
        }
        f0.intoArray(facc, acc);
        f1.intoArray(facc, acc + 16);
    }
}
