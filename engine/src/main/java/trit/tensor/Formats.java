package trit.tensor;

import java.util.EnumMap;
import java.util.Map;

/** The {@link TensorFormat} of each supported {@link GgmlType}. */
public final class Formats {
    private Formats() {}

    private static final Map<GgmlType, TensorFormat> FORMATS = new EnumMap<>(GgmlType.class);
    static {
        for (TensorFormat f : new TensorFormat[] {
                new F32Format(), new HalfFormat(GgmlType.F16), new HalfFormat(GgmlType.BF16),
                new Q8_0Format(), new Q4_0Format(), new Q4_KFormat(), new Q6_KFormat(),
                new TQ1_0Format(), new TQ2_0Format(), new I2_SFormat()}) {
            FORMATS.put(f.type(), f);
        }
    }

    /** The format of {@code type}; throws {@link UnsupportedTypeException} when trit cannot decode it. */
    public static TensorFormat of(GgmlType type) {
        TensorFormat f = FORMATS.get(type);
        if (f == null) {
            throw new UnsupportedTypeException(type, "no decoder for tensor type " + type.label()
                    + " (ggml id " + type.id() + "); supported: " + supported());
        }
        return f;
    }

    /** True when {@code type} can be decoded. */
    public static boolean isSupported(GgmlType type) {
        return FORMATS.containsKey(type);
    }

    /** Names of the supported types, for error messages. */
    static String supported() {
        return String.join(", ", FORMATS.keySet().stream().map(GgmlType::label).toList());
    }
}
