package trit.kernel;

import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.B2S;
import static jdk.incubator.vector.VectorOperators.GE;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.I2F;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.OR;
import static jdk.incubator.vector.VectorOperators.S2I;

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
 * The Vector API kernels. Integer types multiply codes and int8 activations in 16-bit lanes, widen the
 * lane sums to 32 bits before they can overflow, and fold each block into float lanes with one
 * multiply-add by {@code d_w * d_x}; float types multiply-add in float lanes.
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
    /** Shapes of at most 256 bits, for layouts whose groups are 16 bytes wide. */
    private static final VectorShape CSHAPE = SHAPE.vectorBitSize() > 256 ? VectorShape.S_256_BIT : SHAPE;

    private static final VectorSpecies<Short> S = VectorSpecies.of(short.class, SHAPE);
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, half(SHAPE));
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, SHAPE);
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class, SHAPE);
    private static final VectorSpecies<Short> SH = VectorSpecies.of(short.class, half(SHAPE));
    private static final VectorSpecies<Short> SC = VectorSpecies.of(short.class, CSHAPE);
    private static final VectorSpecies<Byte> BC = VectorSpecies.of(byte.class, half(CSHAPE));
    private static final VectorSpecies<Integer> IC = VectorSpecies.of(int.class, CSHAPE);
    private static final VectorSpecies<Float> FC = VectorSpecies.of(float.class, CSHAPE);
    /** Short lanes at full width (8, 16 or 32) and capped at 256 bits. */
    private static final int L = S.length();
    private static final int LC = SC.length();
    private static final int LF = F.length();
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /** Chunks of I2_S codes (8 products per lane each, at most 3 * 128 apiece) between widenings. */
    private static final int I2S_CHUNKS_PER_FLUSH = 10;

    /** Byte offsets of the 16-bit loads that cover a tq1_0 block. */
    private static final int[] TQ1_WINDOWS = Layouts.tq1_0Windows(LC);

    private static final int TQ2_0 = 0, TQ1_0 = 1, I2_S = 2, Q8_0 = 3, Q4_0 = 4, Q4_K = 5, Q6_K = 6,
            FLOAT = 7;

    private final int kind;
    private final int blocks;

    VectorKernel(GgmlType type, int cols, float tensorScale) {
        super(type, cols, tensorScale, layout(type), biasLanes(type));
        this.kind = kind(type);
        this.blocks = cols / type.blockSize();
    }

    private static VectorShape half(VectorShape s) {
        return VectorShape.forBitSize(s.vectorBitSize() / 2);
    }

    /** Vector width in bits of this copy. */
    static int bits() {
        return SHAPE.vectorBitSize();
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
        if (t == GgmlType.TQ1_0) return Layouts.tq1_0(LC);
        if (t == GgmlType.I2_S) return Layouts.i2_s(L);
        return null;
    }

    private static int biasLanes(GgmlType t) {
        if (t == GgmlType.TQ2_0) return L;
        if (t == GgmlType.TQ1_0) return LC;
        return 0;
    }

    @Override
    float dot(MemorySegment w, long off, Activation a) {
        return switch (kind) {
            case TQ2_0 -> tq2_0(w, off, a);
            case TQ1_0 -> tq1_0(w, off, a);
            case I2_S -> i2_s(w, off, a);
            case Q8_0 -> q8_0(w, off, a);
            case Q4_0 -> q4_0(w, off, a);
            case Q4_K -> q4_K(w, off, a);
            case Q6_K -> q6_K(w, off, a);
            default -> floats(w, off, a);
        };
    }

    // ---- shared pieces ---------------------------------------------------------------------------

    /** Sums of adjacent 16-bit lanes as 32-bit lanes (lane i: short lanes 2i and 2i + 1). */
    private static IntVector widen(ShortVector s) {
        IntVector v = s.reinterpretAsInts();
        return v.lanewise(LSHL, 16).lanewise(ASHR, 16).add(v.lanewise(ASHR, 16));
    }

    /** {@code acc + ints * scale} in float lanes. */
    private static FloatVector fold(IntVector ints, float scale, FloatVector acc) {
        FloatVector f = (FloatVector) ints.convert(I2F, 0);
        return f.fma(acc.broadcast(scale), acc);
    }

    /**
     * Adds the products of the eight 2-bit codes in each 16-bit lane of {@code v} (bits 2k+1:2k, k = 0..7)
     * with the next eight runs of {@code L} activations from {@code q[p]}.
     */
    private static ShortVector twoBit(ShortVector v, ShortVector acc, short[] q, int p) {
        for (int k = 0; k < 8; k++) {
            ShortVector code = v.lanewise(LSHR, 2 * k).and((short) 3);
            acc = acc.add(code.mul(ShortVector.fromArray(S, q, p + k * L)));
        }
        return acc;
    }

    // ---- ternary --------------------------------------------------------------------------------

    /** tq2_0 blocks: {u8 qs[64], fp16 d}; see {@link Layouts#tq2_0}. */
    private float tq2_0(MemorySegment w, long off, Activation a) {
        short[] q = a.q, bias = a.bias;
        float[] d = a.d;
        FloatVector acc = FloatVector.zero(F);
        int p = 0;
        for (int b = 0; b < blocks; b++, off += 66) {
            ShortVector s = ShortVector.fromArray(S, bias, b * L);
            for (int c = 0; c < 32; c += L, p += 8 * L) {
                s = twoBit(ShortVector.fromMemorySegment(S, w, off + 2L * c, LE), s, q, p);
            }
            acc = fold(widen(s), d[b] * f16(w, off + 64), acc);
        }
        return acc.reduceLanes(ADD);
    }

    /**
     * i2_s rows: contiguous 32-byte blocks, one scale per tensor. Rows of an odd number of blocks make
     * the last 512-bit chunk read 32 bytes past the row (the next row, or the tensor's 32-byte trailer),
     * which meet zero activations. The sum is exact, so the result equals the reference bit for bit.
     */
    private float i2_s(MemorySegment w, long off, Activation a) {
        short[] q = a.q;
        int chunks = layout.length(cols) / (8 * L);
        IntVector acc = IntVector.zero(I);
        int p = 0;
        for (int c = 0; c < chunks; ) {
            int end = Math.min(chunks, c + I2S_CHUNKS_PER_FLUSH);
            ShortVector s = ShortVector.zero(S);
            for (; c < end; c++, p += 8 * L) {
                s = twoBit(ShortVector.fromMemorySegment(S, w, off + 2L * L * c, LE), s, q, p);
            }
            acc = acc.add(widen(s));
        }
        int sum = acc.reduceLanes(ADD);
        return ((float) sum - a.sum) / a.scale * tensorScale;
    }

    /** tq1_0 blocks: {u8 qs[48], u8 qh[4], fp16 d}, five base-3 trits per byte; see {@link Layouts#tq1_0}. */
    private float tq1_0(MemorySegment w, long off, Activation a) {
        short[] q = a.q, bias = a.bias;
        float[] d = a.d;
        FloatVector acc = FloatVector.zero(FC);
        int p = 0;
        for (int b = 0; b < blocks; b++, off += 54) {
            ShortVector s = ShortVector.fromArray(SC, bias, b * LC);
            for (int start : TQ1_WINDOWS) {
                ShortVector v = ShortVector.fromMemorySegment(SC, w, off + start, LE);
                s = trits(v.and((short) 0xFF), s, q, p);
                s = trits(v.lanewise(LSHR, 8), s, q, p + 5 * LC);
                p += 10 * LC;
            }
            acc = fold(widen(s), f16(w, off + 52) * d[b], acc);
        }
        return acc.reduceLanes(ADD);
    }

    /**
     * Adds the products of the five trits of each byte value in {@code x} (trit n is the integer part of
     * 3 * ((x * 3^n) mod 256) / 256) with the next five runs of activations.
     */
    private static ShortVector trits(ShortVector x, ShortVector acc, short[] q, int p) {
        ShortVector t = x;
        for (int n = 0; n < 5; n++) {
            ShortVector u = t.add(t).add(t);
            acc = acc.add(u.lanewise(LSHR, 8).mul(ShortVector.fromArray(SC, q, p + n * LC)));
            t = u.and((short) 0xFF);
        }
        return acc;
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
        return acc.reduceLanes(ADD);
    }

    /** q4_0 blocks: {fp16 d, u8 qs[16]}: element j in the low nibble of byte j, j + 16 in the high one. */
    private float q4_0(MemorySegment w, long off, Activation a) {
        short[] q = a.q;
        float[] d = a.d;
        FloatVector acc = FloatVector.zero(FC);
        for (int b = 0; b < blocks; b++, off += 18) {
            IntVector s = IntVector.zero(IC);
            for (int c = 0; c < 16; c += LC) {
                ShortVector wv = (ShortVector) ByteVector.fromMemorySegment(BC, w, off + 2 + c, LE).convertShape(B2S, SC, 0);
                ShortVector lo = wv.and((short) 0xF).sub((short) 8);
                ShortVector hi = wv.lanewise(LSHR, 4).and((short) 0xF).sub((short) 8);
                ShortVector prod = lo.mul(ShortVector.fromArray(SC, q, 32 * b + c))
                        .add(hi.mul(ShortVector.fromArray(SC, q, 32 * b + 16 + c)));
                s = s.add(widen(prod));
            }
            acc = fold(s, f16(w, off) * d[b], acc);
        }
        return acc.reduceLanes(ADD);
    }

    // ---- q8_K activations (k-quants) ------------------------------------------------------------

    /**
     * q4_K blocks: {fp16 d, fp16 dmin, u8 scales[12], u8 qs[128]}; 32 bytes of qs carry sub-blocks 2j
     * (low nibbles) and 2j + 1 (high). Sums of nibble * q8 per sub-block times its 6-bit scale are kept
     * in int lanes; the mins go through the activation's bsums, as in ggml.
     */
    private float q4_K(MemorySegment w, long off, Activation a) {
        short[] q = a.q;
        float[] d = a.d;
        int[] bsums = a.bsums;
        FloatVector acc = FloatVector.zero(F);
        float mins = 0;
        for (int b = 0; b < blocks; b++, off += 144) {
            IntVector s = IntVector.zero(I);
            for (int j = 0; j < 4; j++) {
                ShortVector lo = ShortVector.zero(S), hi = ShortVector.zero(S);
                int e = 256 * b + 64 * j;
                for (int c = 0; c < 32; c += L) {
                    ShortVector wv = (ShortVector) ByteVector.fromMemorySegment(B, w, off + 16 + 32 * j + c, LE)
                            .convertShape(B2S, S, 0);
                    lo = lo.add(wv.and((short) 0xF).mul(ShortVector.fromArray(S, q, e + c)));
                    hi = hi.add(wv.lanewise(LSHR, 4).and((short) 0xF).mul(ShortVector.fromArray(S, q, e + 32 + c)));
                }
                s = s.add(widen(lo).mul(q4kScale(w, off, 2 * j))).add(widen(hi).mul(q4kScale(w, off, 2 * j + 1)));
            }
            int summins = 0;
            for (int j = 0; j < 16; j++) summins += bsums[16 * b + j] * q4kMin(w, off, j / 2);
            acc = fold(s, f16(w, off) * d[b], acc);
            mins += f16(w, off + 2) * d[b] * summins;
        }
        return acc.reduceLanes(ADD) - mins;
    }

    /**
     * q6_K blocks: {u8 ql[128], u8 qh[64], int8 scales[16], fp16 d}; per half of 128, element l + 32k
     * takes a nibble of ql[l + 32 (k &amp; 1)] (low for k &lt; 2) and bits 2k+1:2k of qh[l], minus 32.
     * Vectors are at most 16 lanes so that each one falls under a single scale.
     */
    private float q6_K(MemorySegment w, long off, Activation a) {
        short[] q = a.q;
        float[] d = a.d;
        FloatVector acc = FloatVector.zero(FC);
        for (int b = 0; b < blocks; b++, off += 210) {
            IntVector s = IntVector.zero(IC);
            for (int h = 0; h < 2; h++) {
                for (int c = 0; c < 32; c += LC) {
                    long ql = off + 64L * h + c, qh = off + 128 + 32L * h + c, sc = off + 192 + 8L * h + c / 16;
                    ShortVector lo = (ShortVector) ByteVector.fromMemorySegment(BC, w, ql, LE).convertShape(B2S, SC, 0);
                    ShortVector up = (ShortVector) ByteVector.fromMemorySegment(BC, w, ql + 32, LE).convertShape(B2S, SC, 0);
                    ShortVector hb = (ShortVector) ByteVector.fromMemorySegment(BC, w, qh, LE).convertShape(B2S, SC, 0);
                    int e = 256 * b + 128 * h + c;
                    s = q6(lo.and((short) 0xF), hb, 0, q, e, w, sc, s);
                    s = q6(up.and((short) 0xF), hb, 1, q, e, w, sc, s);
                    s = q6(lo.lanewise(LSHR, 4).and((short) 0xF), hb, 2, q, e, w, sc, s);
                    s = q6(up.lanewise(LSHR, 4).and((short) 0xF), hb, 3, q, e, w, sc, s);
                }
            }
            acc = fold(s, f16(w, off + 208) * d[b], acc);
        }
        return acc.reduceLanes(ADD);
    }

    /** Adds scale * sum(code * q8) for the code run k (elements e + 32k) of a q6_K half-block chunk. */
    private static IntVector q6(ShortVector nib, ShortVector hb, int k, short[] q, int e, MemorySegment w, long sc,
                                IntVector s) {
        ShortVector code = nib.or(hb.lanewise(LSHR, 2 * k).and((short) 3).lanewise(LSHL, 4)).sub((short) 32);
        IntVector prod = widen(code.mul(ShortVector.fromArray(SC, q, e + 32 * k)));
        return s.add(prod.mul(i8(w, sc + 2 * k)));
    }

    // ---- float types --------------------------------------------------------------------------------

    /** F32 / F16 / BF16 rows against float activations: four float accumulators, a scalar tail. */
    private float floats(MemorySegment w, long off, Activation a) {
        float[] x = a.f;
        int width = type == GgmlType.F32 ? 4 : 2;
        int n = cols;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (; i + 4 * LF <= n; i += 4 * LF) {
            a0 = weights(w, off + (long) width * i).fma(FloatVector.fromArray(F, x, i), a0);
            a1 = weights(w, off + (long) width * (i + LF)).fma(FloatVector.fromArray(F, x, i + LF), a1);
            a2 = weights(w, off + (long) width * (i + 2 * LF)).fma(FloatVector.fromArray(F, x, i + 2 * LF), a2);
            a3 = weights(w, off + (long) width * (i + 3 * LF)).fma(FloatVector.fromArray(F, x, i + 3 * LF), a3);
        }
        for (; i + LF <= n; i += LF) {
            a0 = weights(w, off + (long) width * i).fma(FloatVector.fromArray(F, x, i), a0);
        }
        float sum = a0.add(a1).add(a2.add(a3)).reduceLanes(ADD);
        for (; i < n; i++) sum += scalarWeight(w, off + (long) width * i) * x[i];
        return sum;
    }

    /** {@code LF} weights at byte offset {@code at}, widened to float. */
    private FloatVector weights(MemorySegment w, long at) {
        if (type == GgmlType.F32) return FloatVector.fromMemorySegment(F, w, at, LE);
        IntVector h = (IntVector) ShortVector.fromMemorySegment(SH, w, at, LE).convertShape(S2I, I, 0);
        if (type == GgmlType.BF16) return h.lanewise(LSHL, 16).reinterpretAsFloats();
        return halfToFloat(h);
    }

    /**
     * fp16 bits (sign-extended in int lanes) to float: magnitude bits moved into place and scaled by
     * 2^112 (exact for normals and subnormals), infinities and NaNs rebuilt with a quiet NaN bit as
     * {@link trit.tensor.Half#f16ToFloat}, then the sign.
     */
    private static FloatVector halfToFloat(IntVector h) {
        IntVector em = h.and(0x7FFF);
        IntVector bits = em.lanewise(LSHL, 13);
        IntVector mag = bits.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
        VectorMask<Integer> special = em.compare(GE, 0x7C00);
        IntVector inf = bits.or(0x7F80_0000).lanewise(OR, 0x0040_0000, em.compare(GT, 0x7C00));
        return mag.blend(inf, special).or(h.and(0x8000).lanewise(LSHL, 16)).reinterpretAsFloats();
    }

    private float scalarWeight(MemorySegment w, long at) {
        if (type == GgmlType.F32) return w.get(FLOAT_LE, at);
        short h = w.get(SHORT_LE, at);
        return type == GgmlType.BF16 ? trit.tensor.Half.bf16ToFloat(h) : trit.tensor.Half.f16ToFloat(h);
    }
}
