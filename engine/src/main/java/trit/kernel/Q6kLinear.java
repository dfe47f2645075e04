package trit.kernel;

import static jdk.incubator.vector.VectorOperators.B2I;
import static jdk.incubator.vector.VectorOperators.B2S;
import static jdk.incubator.vector.VectorOperators.I2F;
import static jdk.incubator.vector.VectorOperators.S2I;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import trit.tensor.GgmlType;

/**
 * The q6_K product (the output layer of most published GGUFs) on weights repacked at load as int8
 * codes with 32 rows side by side: a 16-bit lane is a row, so each activation code is broadcast and
 * multiplied into 32 rows at once, the products of a row's 16-element scale group add up in its lane
 * (8 at a time, at most 8 * 32 * 127 in 16 bits), and the group sums are widened and multiplied by the
 * 32 rows' scales. That takes about 4 vector operations per 32 multiply-adds, where the row kernel
 * spends about 15 cutting the 6-bit codes out of their bit planes. Sums are exact per block and scaled
 * as {@link ScalarKernel} does ({@code d_w * d_x * sumi}), so results equal the reference bit for bit.
 *
 * <p>A layout that keeps the 6 bits (a plane of low nibbles, 4 to a 16-bit lane, and one of high bit
 * pairs, 8 to a lane: 6,784 bytes per 32 rows and block) took about twice the operations per code and
 * ran the 2B4T output layer slower from memory on 2 threads (15.0 against 17.2 multiply-adds/ns in a
 * one-off harness; one thread streams too little to hide the extra work), so the codes are bytes.
 *
 * <p>Per row block and block of 256 columns: codes minus 32 as int8 {@code [element][row]} (8,192
 * bytes), the int8 scales {@code [group][row]} (512), the fp16 {@code d} widened to float {@code [row]}
 * (128): 8,832 bytes for 32 rows, 1.31 times the 6,720 of q6_K.
 */
final class Q6kLinear extends RowBlockLinear {
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_512;
    private static final VectorSpecies<Byte> B32 = ByteVector.SPECIES_256;
    private static final VectorSpecies<Byte> B16 = ByteVector.SPECIES_128;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private static final long SCALES = 256L * LANES, D = SCALES + 16L * LANES, BLOCK_BYTES = D + 4L * LANES;

    private static final boolean DISABLED = Boolean.getBoolean("trit.norepack");


    static boolean applies(GgmlType type, VectorShape shape) {
        return !DISABLED && type == GgmlType.Q6_K && shape.vectorBitSize() == 512;
    }

    /** The product with {@code data} (validated by the caller) repacked; a mapped tensor's pages are released. */
    static Q6kLinear of(MemorySegment data, int rows, int cols, Parallel pool) {
        Q6kLinear lin = new Q6kLinear(rows, cols, pool);
        pool.forRange(lin.rowBlocks, 1, (from, to) -> {
            byte[] block = new byte[(int) BLOCK_BYTES];
            for (int rb = from; rb < to; rb++) {
                for (int b = 0; b < lin.blocks; b++) lin.pack(data, rb, b, block);
            }
        });
        release(data);
        return lin;
    }

    private Q6kLinear(int rows, int cols, Parallel pool) {
        super(GgmlType.Q6_K, rows, cols, pool, BLOCK_BYTES);
    }


    /**
     * Block b of row block rb. q6_K blocks are {u8 ql[128], u8 qh[64], int8 scales[16], fp16 d}; per half
     * of 128, element l + 32k takes a nibble of ql[l + 32 (k &amp; 1)] (the high one for k &gt;= 2) and
     * bits 2k+1:2k of qh[l]. Missing rows are zero.
     */
    private void pack(MemorySegment w, int rb, int b, byte[] out) {
        java.util.Arrays.fill(out, (byte) 0);
        long rowBytes = type.rowBytes(cols);
        byte[] q = new byte[210];
        for (int j = 0; j < LANES && rb * LANES + j < rows; j++) {
            MemorySegment.copy(w, ValueLayout.JAVA_BYTE, (rb * LANES + j) * rowBytes + 210L * b, q, 0, 210);
            for (int e = 0; e < 256; e++) {
                int half = e / 128, k = e % 128 / 32, l = e % 32;
                int ql = q[64 * half + l + 32 * (k & 1)] & 0xFF;
                int qh = q[128 + 32 * half + l] & 0xFF;
                int nib = k < 2 ? ql & 0xF : ql >>> 4;
                out[e * LANES + j] = (byte) ((nib | (qh >>> 2 * k & 3) << 4) - 32);
            }
            for (int g = 0; g < 16; g++) out[(int) SCALES + g * LANES + j] = q[192 + g];
            int bits = Float.floatToRawIntBits(trit.tensor.Half.f16ToFloat((short) (q[208] & 0xFF | q[209] << 8)));
            for (int i = 0; i < 4; i++) out[(int) D + 4 * j + i] = (byte) (bits >>> 8 * i);
        }
        MemorySegment.copy(out, 0, packed, ValueLayout.JAVA_BYTE, ((long) rb * blocks + b) * BLOCK_BYTES, out.length);
    }

    /** Each 32 bytes of codes meet one 2-byte activation: the weights stay in L1. */
    @Override
    boolean activationsInner() {
        return true;
    }

    @Override
    int blockShorts() {
        return BLOCK;
    }

    @Override
    void prepare(float[] xs, int off, short[] q, Activation a, float[] d, int dOff, short[] tab, int t) {
        float[] bd = a.d(blocks);
        ActQuant.q8_K(xs, off, cols, q, bd, a.bsums(blocks * 16));
        System.arraycopy(bd, 0, d, dOff, blocks);
        System.arraycopy(q, 0, tab, t, cols);
    }

    @Override
    void product(int rb, int b0, int b1, short[] tab, int t, float[] d, int dOff, float[] facc, int[] iacc, int acc) {
        long off = ((long) rb * blocks + b0) * BLOCK_BYTES;
        FloatVector f0 = FloatVector.fromArray(F, facc, acc), f1 = FloatVector.fromArray(F, facc, acc + 16);
        for (int b = b0; b < b1; b++, off += BLOCK_BYTES) {
            IntVector s0 = IntVector.zero(I), s1 = s0;
            int e = t + b * BLOCK;
            for (int g = 0; g < 16; g++) {
                // two runs of 8 products per lane: at most 8 * 32 * 127 in 16 bits
                ShortVector a0 = ShortVector.zero(S), a1 = a0;
                long o = off + 16L * g * LANES;
                for (int i = 0; i < 8; i++, e++, o += LANES) {
                    a0 = a0.add(((ShortVector) ByteVector.fromMemorySegment(B32, packed, o, LE).convertShape(B2S, S, 0)).mul(tab[e]));
                }
                for (int i = 0; i < 8; i++, e++, o += LANES) {
                    a1 = a1.add(((ShortVector) ByteVector.fromMemorySegment(B32, packed, o, LE).convertShape(B2S, S, 0)).mul(tab[e]));
                }
                IntVector g0 = ((IntVector) a0.convertShape(S2I, I, 0)).add((IntVector) a1.convertShape(S2I, I, 0));
                IntVector g1 = ((IntVector) a0.convertShape(S2I, I, 1)).add((IntVector) a1.convertShape(S2I, I, 1));
                long so = off + SCALES + (long) g * LANES;
                s0 = s0.add(g0.mul((IntVector) ByteVector.fromMemorySegment(B16, packed, so, LE).convertShape(B2I, I, 0)));
                s1 = s1.add(g1.mul((IntVector) ByteVector.fromMemorySegment(B16, packed, so + 16, LE).convertShape(B2I, I, 0)));
            }
            // the reference's order: (d_w * d_x) * sumi, added block after block
            float dx = d[dOff + b];
            FloatVector d0 = FloatVector.fromMemorySegment(F, packed, off + D, LE), d1 = FloatVector.fromMemorySegment(F, packed, off + D + 64, LE);
            f0 = f0.add(d0.mul(dx).mul((FloatVector) s0.convert(I2F, 0)));
            f1 = f1.add(d1.mul(dx).mul((FloatVector) s1.convert(I2F, 0)));
        }
        f0.intoArray(facc, acc);
        f1.intoArray(facc, acc + 16);
    }
}
