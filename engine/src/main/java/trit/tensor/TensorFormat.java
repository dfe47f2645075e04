package trit.tensor;

import java.lang.foreign.MemorySegment;

/**
 * Encoding and decoding of one tensor element type, bit for bit as ggml's reference
 * {@code quantize_row_*_ref} / {@code dequantize_row_*} (and bitnet.cpp's {@code quantize_i2_s}).
 *
 * <p>All offsets are in elements of the tensor whose bytes are {@code tensor} (a segment that starts
 * at the tensor's first byte). {@code first} and {@code n} must be multiples of the type's block size.
 * Implementations are stateless and thread-safe: callers split a tensor into row ranges and encode or
 * decode them in parallel.
 */
public interface TensorFormat {

    GgmlType type();

    /** Decodes elements {@code [first, first + n)} into {@code dst[dstOff ..]}. */
    void dequantize(MemorySegment tensor, long first, float[] dst, int dstOff, int n);

    /** True when {@link #quantize} is implemented for this type. */
    default boolean canQuantize() { return true; }

    /** Encodes {@code src[srcOff .. srcOff + n)} as elements {@code [first, first + n)} of the tensor. */
    void quantize(float[] src, int srcOff, int n, MemorySegment tensor, long first);

    /**
     * Completes a tensor of {@code n} elements once every range is encoded. Only formats with a
     * per-tensor scale (I2_S) store anything here; {@code absMax} is the tensor's largest |x|.
     */
    default void finish(MemorySegment tensor, long n, float absMax) {}
}
