package trit.tensor;

/**
 * Tensor element types as numbered in ggml's {@code enum ggml_type} (ggml.h), plus bitnet.cpp's I2_S.
 * Sizes are per block; a row's length must be a multiple of {@link #blockSize()}.
 * Types trit cannot decode are still listed so that any GGUF file can be inspected.
 */
public enum GgmlType {
    F32(0, 1, 4),
    F16(1, 1, 2),
    Q4_0(2, 32, 18),
    Q4_1(3, 32, 20),
    Q5_0(6, 32, 22),
    Q5_1(7, 32, 24),
    Q8_0(8, 32, 34),
    Q8_1(9, 32, 36),
    Q2_K(10, 256, 84),
    Q3_K(11, 256, 110),
    Q4_K(12, 256, 144),
    Q5_K(13, 256, 176),
    Q6_K(14, 256, 210),
    Q8_K(15, 256, 292),
    IQ2_XXS(16, 256, 66),
    IQ2_XS(17, 256, 74),
    IQ3_XXS(18, 256, 98),
    IQ1_S(19, 256, 50),
    IQ4_NL(20, 32, 18),
    IQ3_S(21, 256, 110),
    IQ2_S(22, 256, 82),
    IQ4_XS(23, 256, 136),
    I8(24, 1, 1),
    I16(25, 1, 2),
    I32(26, 1, 4),
    I64(27, 1, 8),
    F64(28, 1, 8),
    IQ1_M(29, 256, 56),
    BF16(30, 1, 2),
    TQ1_0(34, 256, 54),
    TQ2_0(35, 256, 66),
    /**
     * bitnet.cpp's x86 2-bit ternary layout (id 36 in its ggml fork): 128-element blocks of 32 bytes,
     * then one f32 scale for the whole tensor and padding, so a tensor of n elements takes n/4 + 32 bytes.
     */
    I2_S(36, 128, 32),
    MXFP4(39, 32, 17);

    /** Bytes bitnet.cpp appends after an I2_S tensor's codes: the f32 scale plus alignment padding. */
    public static final int I2_S_TRAILER = 32;

    private static final GgmlType[] BY_ID = new GgmlType[40];
    static {
        for (GgmlType t : values()) BY_ID[t.id] = t;
    }

    private final int id;
    private final int blockSize;
    private final int blockBytes;

    GgmlType(int id, int blockSize, int blockBytes) {
        this.id = id;
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    public int id() { return id; }

    /** Elements per block. */
    public int blockSize() { return blockSize; }

    /** Bytes per block. */
    public int blockBytes() { return blockBytes; }

    /** The type with this ggml id, or null when the id is unknown. */
    public static GgmlType byId(long id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[(int) id] : null;
    }

    /** Parses a type name case-insensitively ("tq2_0", "Q8_0", "i2_s"); null when unknown. */
    public static GgmlType byName(String name) {
        for (GgmlType t : values()) if (t.name().equalsIgnoreCase(name)) return t;
        return null;
    }

    /** Bytes of one row of {@code n} elements; {@code n} must be a multiple of the block size. */
    public long rowBytes(long n) {
        return n / blockSize * blockBytes;
    }

    /** Bytes of a whole tensor of {@code n} elements (I2_S adds its per-tensor trailer). */
    public long tensorBytes(long n) {
        return this == I2_S ? n / 4 + I2_S_TRAILER : rowBytes(n);
    }

    public double bitsPerWeight() {
        return 8.0 * blockBytes / blockSize;
    }

    /** True for the ternary formats ({-1, 0, +1} times a scale). */
    public boolean isTernary() {
        return this == TQ1_0 || this == TQ2_0 || this == I2_S;
    }

    /** Lower-case name as llama.cpp prints it. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
