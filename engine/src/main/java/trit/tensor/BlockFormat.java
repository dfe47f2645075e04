package trit.tensor;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * A format made of fixed-size blocks that are encoded and decoded independently. Subclasses supply the
 * per-block kernels; this class checks ranges and walks the blocks.
 */
abstract class BlockFormat implements TensorFormat {
    private final GgmlType type;
    private final int blockSize;
    private final int blockBytes;

    BlockFormat(GgmlType type) {
        this.type = type;
        this.blockSize = type.blockSize();
        this.blockBytes = type.blockBytes();
    }

    @Override
    public final GgmlType type() { return type; }

    /** Decodes the block at byte offset {@code off} into {@code dst[o .. o + blockSize)}. */
    abstract void dequantizeBlock(MemorySegment t, long off, float[] dst, int o);

    /** Encodes {@code src[o .. o + blockSize)} into the block at byte offset {@code off}. */
    abstract void quantizeBlock(float[] src, int o, MemorySegment t, long off);

    @Override
    public final void dequantize(MemorySegment tensor, long first, float[] dst, int dstOff, int n) {
        checkRange(first, n);
        Objects.checkFromIndexSize(dstOff, n, dst.length);
        long off = first / blockSize * blockBytes;
        for (int i = 0; i < n; i += blockSize, off += blockBytes) {
            dequantizeBlock(tensor, off, dst, dstOff + i);
        }
    }

    @Override
    public void quantize(float[] src, int srcOff, int n, MemorySegment tensor, long first) {
        checkRange(first, n);
        Objects.checkFromIndexSize(srcOff, n, src.length);
        long off = first / blockSize * blockBytes;
        for (int i = 0; i < n; i += blockSize, off += blockBytes) {
            quantizeBlock(src, srcOff + i, tensor, off);
        }
    }

    private void checkRange(long first, int n) {
        if (first < 0 || n < 0 || first % blockSize != 0 || n % blockSize != 0) {
            throw new IllegalArgumentException("%s: range [%d, +%d) is not aligned to blocks of %d elements"
                    .formatted(type.label(), first, n, blockSize));
        }
    }
}
