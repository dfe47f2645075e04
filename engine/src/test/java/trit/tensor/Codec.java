package trit.tensor;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;

/** Test shorthands over {@link TensorCodec}. */
final class Codec {
    private Codec() {}

    static byte[] encode(GgmlType t, float... x) {
        byte[] out = new byte[(int) t.tensorBytes(x.length)];
        TensorCodec.quantize(t, x, MemorySegment.ofArray(out), 1);
        return out;
    }

    static float[] decode(GgmlType t, byte[] bytes, int n) {
        return TensorCodec.dequantize(t, MemorySegment.ofArray(bytes), n);
    }

    /** Bytes from hex with optional spaces, e.g. "00 3c ff". */
    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    static String hex(byte[] b) {
        return HexFormat.ofDelimiter(" ").formatHex(b);
    }

    /** {@code n} copies of byte {@code b}, as hex. */
    static String rep(String b, int n) {
        return (b + " ").repeat(n).strip();
    }
}
