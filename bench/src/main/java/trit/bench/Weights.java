package trit.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import trit.tensor.GgmlType;
import trit.tensor.Half;

/**
 * Random weight tensors in a type's GGUF encoding, off-heap as a mapped model would be. The speed of the
 * kernels does not depend on the values, but the values are kept ordinary: finite floats without
 * subnormals, fp16 block scales in [1e-3, 1e-2), ternary codes in 0..2. The ternary block types get
 * one scale for the whole tensor, as BitNet models converted to TQ1_0 / TQ2_0 have.
 */
public final class Weights {
    private Weights() {}

    private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** A {@code rows x cols} tensor of {@code type} in {@code arena}. */
    public static MemorySegment random(GgmlType type, int rows, int cols, Arena arena, long seed) {
        long n = (long) rows * cols;
        MemorySegment seg = arena.allocate(type.tensorBytes(n), 64);
        SplittableRandom rng = new SplittableRandom(seed);
        long size = seg.byteSize();
        long words = size / 8;
        for (long i = 0; i < words; i++) seg.set(LONG_LE, 8 * i, bits(type, rng.nextLong()));
        for (long i = 8 * words; i < size; i++) seg.set(ValueLayout.JAVA_BYTE, i, (byte) rng.nextInt());
        long blocks = n / type.blockSize();
        short tensorScale = Half.floatToF16((float) rng.nextDouble(1e-3, 1e-2));
        switch (type) {
            case Q8_0, Q4_0 -> {
                for (long b = 0; b < blocks; b++) seg.set(SHORT_LE, b * type.blockBytes(), scale(rng));
            }
            case Q4_K -> {
                for (long b = 0; b < blocks; b++) {
                    seg.set(SHORT_LE, b * type.blockBytes(), scale(rng));
                    seg.set(SHORT_LE, b * type.blockBytes() + 2, scale(rng));
                }
            }
            case Q6_K -> {
                for (long b = 0; b < blocks; b++) seg.set(SHORT_LE, b * type.blockBytes() + 208, scale(rng));
            }
            case TQ2_0, TQ1_0 -> {
                for (long b = 0; b < blocks; b++) seg.set(SHORT_LE, (b + 1) * type.blockBytes() - 2, tensorScale);
            }
            case I2_S -> seg.set(FLOAT_LE, n / 4, 0.01f);
            default -> { }
        }
        return seg;
    }

    private static short scale(SplittableRandom rng) {
        return Half.floatToF16((float) rng.nextDouble(1e-3, 1e-2));
    }

    /** Eight random bytes made valid for the type's payload. */
    private static long bits(GgmlType type, long r) {
        return switch (type) {
            // four fp16 / bf16: clear the top exponent bit (|w| < 2), set the lowest (no subnormals)
            case F16 -> r & 0xBFFF_BFFF_BFFF_BFFFL | 0x0400_0400_0400_0400L;
            case BF16 -> r & 0xBFFF_BFFF_BFFF_BFFFL | 0x0080_0080_0080_0080L;
            // two floats likewise
            case F32 -> r & 0xBFFF_FFFF_BFFF_FFFFL | 0x0080_0000_0080_0000L;
            // 2-bit codes: turn every 3 into a 1
            case TQ2_0, I2_S -> r & ~(((r & 0xAAAA_AAAA_AAAA_AAAAL) >>> 1 & r & 0x5555_5555_5555_5555L) << 1);
            default -> r;
        };
    }

    /** Gaussian activations with a few large outliers, as after a norm layer. */
    public static float[] activations(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rng.nextGaussian();
            if (rng.nextInt(64) == 0) x[i] *= 12;
        }
        return x;
    }
}
