package trit.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * trit against outputs of llama.cpp's reference (de)quantizers, stored in src/test/resources/golden by
 * tools/golden/make-golden.sh: byte for byte when encoding, bit for bit when decoding.
 */
class GoldenTest {

    static final String[] QUANTIZE = GoldenInputs.QUANTIZE;
    static final String[] DEQUANTIZE = GoldenInputs.DEQUANTIZE;

    @ParameterizedTest
    @FieldSource("QUANTIZE")
    void quantizeMatchesLlamaCpp(String name) throws IOException {
        GgmlType type = GgmlType.byName(name);
        float[] in = floats(resource(name + ".q.in.f32"));
        byte[] expected = resource(name + ".q.ref.bin");
        byte[] actual = new byte[(int) type.tensorBytes(in.length)];
        TensorCodec.quantize(type, in, MemorySegment.ofArray(actual), 3);
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != actual[i]) {
                int block = i / type.blockBytes();
                fail("%s: byte %d (block %d, byte %d in block) is %02x, llama.cpp wrote %02x".formatted(
                        name, i, block, i % type.blockBytes(), actual[i], expected[i]));
            }
        }
        assertEquals(expected.length, actual.length);
    }

    @ParameterizedTest
    @FieldSource("DEQUANTIZE")
    void dequantizeMatchesLlamaCpp(String name) throws IOException {
        GgmlType type = GgmlType.byName(name);
        byte[] in = resource(name + ".dq.in.bin");
        float[] expected = floats(resource(name + ".dq.ref.f32"));
        float[] actual = TensorCodec.dequantize(type, MemorySegment.ofArray(in), expected.length);
        assertSameBits(name, expected, actual, type.blockSize());
    }

    @ParameterizedTest
    @ValueSource(strings = {"f16", "bf16"})
    void exhaustiveHalfRoundingMatchesLlamaCpp(String name) throws IOException {
        GgmlType type = GgmlType.byName(name);
        float[] in = name.equals("f16") ? GoldenInputs.f16RoundingInputs() : GoldenInputs.bf16RoundingInputs();
        byte[] out = new byte[2 * in.length];
        TensorCodec.quantize(type, in, MemorySegment.ofArray(out), 4);
        assertEquals(text(name + ".exhaustive.q.sha256"), sha256(out),
                name + ": encoding of the exhaustive rounding set differs from llama.cpp's");
    }

    @ParameterizedTest
    @ValueSource(strings = {"f16", "bf16"})
    void exhaustiveHalfDecodingMatchesLlamaCpp(String name) throws IOException {
        GgmlType type = GgmlType.byName(name);
        float[] out = TensorCodec.dequantize(type, MemorySegment.ofArray(GoldenInputs.allHalves()), 65536);
        assertEquals(text(name + ".exhaustive.dq.sha256"), sha256(GoldenInputs.floatBytes(out)),
                name + ": decoding of all 65536 patterns differs from llama.cpp's");
    }

    static void assertSameBits(String what, float[] expected, float[] actual, int blockSize) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            int e = Float.floatToRawIntBits(expected[i]), a = Float.floatToRawIntBits(actual[i]);
            if (e != a) {
                fail("%s: element %d (block %d) is %s (0x%08x), expected %s (0x%08x)".formatted(
                        what, i, i / blockSize, actual[i], a, expected[i], e));
            }
        }
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream s = GoldenTest.class.getResourceAsStream("/golden/" + name)) {
            if (s == null) throw new IOException("missing fixture golden/" + name + " (tools/golden/make-golden.sh)");
            return s.readAllBytes();
        }
    }

    private static String text(String name) throws IOException {
        return new String(resource(name), StandardCharsets.US_ASCII).strip();
    }

    static float[] floats(byte[] b) {
        float[] f = new float[b.length / 4];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
