package trit.tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Inputs of the golden fixtures that tools/golden/make-golden.sh feeds to llama.cpp's reference
 * (de)quantizers. Random inputs come from fixed seeds and are stored next to llama.cpp's outputs, so the
 * tests only read files; the exhaustive fp16/bf16 sets are enumerations that the tests rebuild here, and
 * only a SHA-256 of llama.cpp's output is stored for them.
 *
 * <p>Run: {@code java -cp engine/target/test-classes:engine/target/classes trit.tensor.GoldenInputs DIR}
 */
public final class GoldenInputs {
    private GoldenInputs() {}

    /** Types whose quantized outputs are checked (each input seeded from the type name). */
    static final String[] QUANTIZE = {"q8_0", "q4_0", "tq1_0", "tq2_0"};
    /** Types whose dequantized outputs are checked against random block bytes. */
    static final String[] DEQUANTIZE = {"q8_0", "q4_0", "q4_k", "q6_k", "tq1_0", "tq2_0"};

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        for (String t : QUANTIZE) Files.write(dir.resolve(t + ".q.in.f32"), floatBytes(quantizeInput(t)));
        for (String t : DEQUANTIZE) Files.write(dir.resolve(t + ".dq.in.bin"), dequantizeInput(t));
        Files.write(dir.resolve("f16.exhaustive.q.in.f32"), floatBytes(f16RoundingInputs()));
        Files.write(dir.resolve("bf16.exhaustive.q.in.f32"), floatBytes(bf16RoundingInputs()));
        Files.write(dir.resolve("f16.exhaustive.dq.in.bin"), allHalves());
        Files.write(dir.resolve("bf16.exhaustive.dq.in.bin"), allHalves());
    }

    // ---- quantize inputs ------------------------------------------------------------------------

    static float[] quantizeInput(String type) {
        SplittableRandom rng = new SplittableRandom(seed(type));
        boolean ternary = type.startsWith("tq");
        int block = ternary ? 256 : 32;
        int kinds = ternary ? TERNARY_KINDS : KINDS;
        int blocks = ternary ? kinds + 3 : 64;
        float[] x = new float[blocks * block];
        for (int b = 0; b < blocks; b++) {
            // Every kind appears in order first, then at random.
            int kind = b < kinds ? b : rng.nextInt(kinds);
            if (ternary) ternaryBlock(rng, kind, x, b * block, block);
            else scaledBlock(rng, kind, type.equals("q4_0"), x, b * block, block);
        }
        return x;
    }

    private static final int KINDS = 12;

    /** Block shapes that stress q8_0 / q4_0's scale choice, rounding and degenerate scales. */
    private static void scaledBlock(SplittableRandom rng, int kind, boolean q4, float[] x, int o, int n) {
        switch (kind) {
            case 0 -> fill(x, o, n, () -> (float) rng.nextGaussian());
            case 1 -> { double m = Math.pow(10, rng.nextDouble(-3, 3)); fill(x, o, n, () -> (float) (rng.nextGaussian() * m)); }
            case 2 -> fill(x, o, n, () -> 0f);
            case 3 -> { float v = (float) (rng.nextGaussian() * 3); fill(x, o, n, () -> v); }
            case 4 -> {
                // The scale is exactly 1 (q8_0: amax 127; q4_0: max -8), so scaled values are exact
                // half-integers: ties for roundf, and exact .5 offsets for q4_0's truncation.
                if (q4) fill(x, o, n, () -> rng.nextInt(-16, 17) / 2f);
                else fill(x, o, n, () -> rng.nextInt(-127, 127) + 0.5f);
                x[o + rng.nextInt(n)] = q4 ? -8f : (rng.nextBoolean() ? 127f : -127f);
            }
            case 5 -> fill(x, o, n, () -> (float) (rng.nextGaussian() * 1e-20));
            case 6 -> fill(x, o, n, () -> (float) (rng.nextGaussian() * 1e-39));   // 1/d overflows to inf
            case 7 -> fill(x, o, n, () -> (float) (rng.nextGaussian() * (q4 ? 1e5 : 1e7))); // fp16(d) overflows
            case 8 -> {
                // Opposite-signed maxima: q4_0 must keep the first one.
                fill(x, o, n, () -> rng.nextInt(4) == 0 ? (float) rng.nextGaussian() : 0f);
                int i = rng.nextInt(n / 2), j = n / 2 + rng.nextInt(n / 2);
                float a = 4.25f;
                x[o + i] = rng.nextBoolean() ? a : -a;
                x[o + j] = -x[o + i];
            }
            case 9 -> fill(x, o, n, () -> rng.nextInt(-64, 65) / 64f);
            case 10 -> {
                // Just off the ties of case 4.
                float[] eps = {-1e-5f, 0f, 1e-5f};
                if (q4) fill(x, o, n, () -> rng.nextInt(-16, 17) / 2f + eps[rng.nextInt(3)]);
                else fill(x, o, n, () -> rng.nextInt(-126, 126) + 0.5f + eps[rng.nextInt(3)] * 100);
                x[o] = q4 ? 8f : 127f;
            }
            default -> fill(x, o, n, () -> Float.intBitsToFloat(rng.nextInt(0x0080_0000, 0x4F00_0000))
                    * (rng.nextBoolean() ? 1 : -1));   // any finite magnitude below 2^31
        }
    }

    private static final int TERNARY_KINDS = 9;

    /** Block shapes for tq1_0 / tq2_0. */
    private static void ternaryBlock(SplittableRandom rng, int kind, float[] x, int o, int n) {
        switch (kind) {
            case 0 -> { float s = (float) rng.nextDouble(0.01, 2);
                        fill(x, o, n, () -> (rng.nextInt(3) - 1) * s + (float) (rng.nextGaussian() * 0.05 * s)); }
            case 1 -> fill(x, o, n, () -> (float) rng.nextGaussian());
            case 2 -> fill(x, o, n, () -> 0f);
            case 3 -> {
                // amax is exactly 1: exact ties at ±0.5 and their neighbours.
                float[] v = {0.5f, -0.5f, 0.49999997f, -0.49999997f, 0.50000006f, -0.50000006f,
                             0.25f, -0.75f, 1f, -1f, 0f};
                fill(x, o, n, () -> v[rng.nextInt(v.length)]);
                x[o + rng.nextInt(n)] = 1f;
            }
            case 4 -> { float v = -(float) rng.nextDouble(0.1, 10); fill(x, o, n, () -> v); }
            case 5 -> { float s = (float) rng.nextDouble(1e-3, 1e3); fill(x, o, n, () -> (rng.nextInt(3) - 1) * s); }
            case 6 -> fill(x, o, n, () -> (float) (rng.nextGaussian() * 1e-30));
            case 7 -> fill(x, o, n, () -> (float) (rng.nextGaussian() * 1e-40));   // 1/d overflows to inf
            default -> fill(x, o, n, () -> (float) (rng.nextGaussian() * 1e30));   // fp16(d) overflows
        }
    }

    // ---- dequantize inputs ----------------------------------------------------------------------

    static byte[] dequantizeInput(String type) {
        SplittableRandom rng = new SplittableRandom(seed(type) ^ 0x5EED);
        GgmlType t = GgmlType.byName(type);
        int blocks = t.blockSize() == 32 ? 64 : 8;
        ByteBuffer buf = ByteBuffer.allocate(blocks * t.blockBytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (int b = 0; b < blocks; b++) {
            byte[] block = new byte[t.blockBytes()];
            rng.nextBytes(block);
            ByteBuffer bb = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
            switch (t) {
                case Q8_0, Q4_0 -> bb.putShort(0, scaleHalf(rng, b, true));
                case Q4_K -> bb.putShort(0, scaleHalf(rng, b, false)).putShort(2, scaleHalf(rng, b + 1, false));
                case Q6_K, TQ1_0, TQ2_0 -> bb.putShort(t.blockBytes() - 2, scaleHalf(rng, b, false));
                default -> throw new IllegalArgumentException(type);
            }
            buf.put(block);
        }
        return buf.array();
    }

    /**
     * A block scale: mostly a normal fp16 of either sign, some subnormals and zeros, and (when
     * {@code special}) one infinity and one NaN so that their propagation is checked too.
     */
    private static short scaleHalf(SplittableRandom rng, int block, boolean special) {
        if (special && block == 5) return (short) 0x7C00;
        if (special && block == 6) return (short) 0xFE01;
        int sign = rng.nextBoolean() ? 0x8000 : 0;
        return (short) (sign | switch (block % 8) {
            case 1 -> rng.nextInt(0x0400);                      // subnormal or zero
            case 2 -> 0;
            default -> rng.nextInt(1, 31) << 10 | rng.nextInt(0x0400);
        });
    }

    // ---- exhaustive fp16 / bf16 sets ------------------------------------------------------------

    /**
     * For every non-NaN fp16 value v: v, the midpoint to its successor away from zero (a tie), and the
     * floats just below and above that midpoint; plus one NaN per fp16 NaN pattern, with extra payload.
     */
    static float[] f16RoundingInputs() {
        float[] x = new float[4 * 65536];
        for (int h = 0; h < 65536; h++) {
            float v = Float.float16ToFloat((short) h);
            if (Float.isNaN(v)) {
                int bits = (h & 0x8000) << 16 | 0x7F80_0000 | (h & 0x3FF) << 13;
                for (int k = 0; k < 4; k++) x[4 * h + k] = Float.intBitsToFloat(bits | k);
                continue;
            }
            // The successor of the largest finite value is taken as 2^16 (where it would be).
            float next = (h & 0x7FFF) == 0x7BFF ? Math.copySign(65536f, v)
                    : (h & 0x7FFF) == 0x7C00 ? v : Float.float16ToFloat((short) (h + 1));
            float mid = (v + next) / 2;     // exact: fp16 significands have 11 bits
            x[4 * h] = v;
            x[4 * h + 1] = mid;
            x[4 * h + 2] = Math.nextDown(mid);
            x[4 * h + 3] = Math.nextUp(mid);
        }
        return x;
    }

    /**
     * For every bf16 pattern b: the float b·2^16 itself, the tie b·2^16 + 0x8000 and its neighbours
     * ±1 ulp. Patterns with an all-ones exponent give infinities and NaNs, signalling ones included.
     */
    static float[] bf16RoundingInputs() {
        float[] x = new float[4 * 65536];
        int[] low = {0, 0x8000, 0x7FFF, 0x8001};
        for (int b = 0; b < 65536; b++) {
            for (int k = 0; k < 4; k++) x[4 * b + k] = Float.intBitsToFloat(b << 16 | low[k]);
        }
        return x;
    }

    /** Every 16-bit pattern, little-endian. */
    static byte[] allHalves() {
        ByteBuffer buf = ByteBuffer.allocate(2 * 65536).order(ByteOrder.LITTLE_ENDIAN);
        for (int h = 0; h < 65536; h++) buf.putShort((short) h);
        return buf.array();
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static long seed(String type) {
        return 0x7A17_0000L + type.hashCode();
    }

    private static void fill(float[] x, int o, int n, FloatSupplier s) {
        for (int i = 0; i < n; i++) x[o + i] = s.get();
    }

    @FunctionalInterface
    private interface FloatSupplier { float get(); }

    static byte[] floatBytes(float[] x) {
        ByteBuffer buf = ByteBuffer.allocate(4 * x.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : x) buf.putInt(Float.floatToRawIntBits(v));
        return buf.array();
    }
}
