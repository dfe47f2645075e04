package trit.kernel;

import java.lang.foreign.MemorySegment;
import trit.tensor.GgmlType;
import trit.tensor.Half;

/**
 * The reference: plain loops that follow ggml's generic {@code ggml_vec_dot_*} (quants.c, vec.cpp) and
 * bitnet.cpp's I2_S product element by element, summing each block's integer dot exactly and adding
 * {@code sumi * (d_w * d_x)} block after block in float. Activations stay in element order.
 */
final class ScalarKernel extends RowKernel {

    ScalarKernel(GgmlType type, int cols, float tensorScale) {
        super(type, cols, tensorScale, null, 0, 0);
    }

    @Override
    float dot(MemorySegment w, long off, Activation a, int[] scratch) {
        return switch (type) {
            case Q8_0 -> q8_0(w, off, a);
            case Q4_0 -> q4_0(w, off, a);
            case Q4_K -> q4_K(w, off, a);
            case Q6_K -> q6_K(w, off, a);
            case TQ1_0 -> tq1_0(w, off, a);
            case TQ2_0 -> tq2_0(w, off, a);
            case I2_S -> i2_s(w, off, a);
            case F32, F16, BF16 -> floats(w, off, a);
            default -> throw new AssertionError(type);
        };
    }

    /** {@code ggml_vec_dot_q8_0_q8_0}: blocks of {fp16 d, int8 qs[32]}. */
    private float q8_0(MemorySegment w, long off, Activation a) {
        float sumf = 0;
        for (int b = 0; b < cols / 32; b++, off += 34) {
            int sumi = 0;
            for (int j = 0; j < 32; j++) sumi += i8(w, off + 2 + j) * a.q[32 * b + j];
            sumf += sumi * (f16(w, off) * a.d[b]);
        }
        return sumf;
    }

    /**
     * {@code ggml_vec_dot_q4_0_q8_0}: blocks of {fp16 d, u8 qs[16]}, byte j holding element j (low
     * nibble) and j + 16 (high), each minus 8. The scale product is formed first as in the x86 build
     * (the generic C multiplies {@code sumi * d_w} first, which can differ in the last bit).
     */
    private float q4_0(MemorySegment w, long off, Activation a) {
        float sumf = 0;
        for (int b = 0; b < cols / 32; b++, off += 18) {
            int sumi0 = 0, sumi1 = 0;
            for (int j = 0; j < 16; j++) {
                int v = u8(w, off + 2 + j);
                sumi0 += ((v & 0x0F) - 8) * a.q[32 * b + j];
                sumi1 += ((v >>> 4) - 8) * a.q[32 * b + j + 16];
            }
            sumf += (sumi0 + sumi1) * (f16(w, off) * a.d[b]);
        }
        return sumf;
    }

    /**
     * {@code ggml_vec_dot_q4_K_q8_K}: per 256, sum over sub-blocks of scale * sum(nibble * q8), times
     * fp16(d) * d8, minus fp16(dmin) * d8 * sum(bsums * min).
     */
    private float q4_K(MemorySegment w, long off, Activation a) {
        float sumf = 0, mins = 0;
        for (int b = 0; b < cols / 256; b++, off += 144) {
            int sumi = 0;
            for (int j = 0; j < 8; j++) {
                int dot = 0;
                for (int l = 0; l < 32; l++) {
                    int byteV = u8(w, off + 16 + 32L * (j / 2) + l);
                    int nib = (j & 1) == 0 ? byteV & 0xF : byteV >>> 4;
                    dot += nib * a.q[256 * b + 32 * j + l];
                }
                sumi += q4kScale(w, off, j) * dot;
            }
            int summins = 0;
            for (int j = 0; j < 16; j++) summins += a.bsums[16 * b + j] * q4kMin(w, off, j / 2);
            sumf += f16(w, off) * a.d[b] * sumi;
            mins += f16(w, off + 2) * a.d[b] * summins;
        }
        return sumf - mins;
    }

    /** {@code ggml_vec_dot_q6_K_q8_K}: 6-bit codes minus 32, an int8 scale per 16, fp16 d at 208. */
    private float q6_K(MemorySegment w, long off, Activation a) {
        float sumf = 0;
        for (int b = 0; b < cols / 256; b++, off += 210) {
            int sumi = 0;
            for (int g = 0; g < 16; g++) {
                int dot = 0;
                for (int i = 0; i < 16; i++) {
                    int e = 16 * g + i;
                    int half = e / 128, k = e % 128 / 32, l = e % 32;
                    int ql = u8(w, off + 64L * half + l + 32 * (k & 1));
                    int qh = u8(w, off + 128 + 32L * half + l);
                    int nib = k < 2 ? ql & 0xF : ql >>> 4;
                    int code = (nib | (qh >>> 2 * k & 3) << 4) - 32;
                    dot += code * a.q[256 * b + e];
                }
                sumi += i8(w, off + 192 + g) * dot;
            }
            sumf += f16(w, off + 208) * a.d[b] * sumi;
        }
        return sumf;
    }

    /** {@code ggml_vec_dot_tq1_0_q8_K}: base-3 packed trits, {@code (code - 1) * q8}, times d * d8. */
    private float tq1_0(MemorySegment w, long off, Activation a) {
        float sumf = 0;
        for (int b = 0; b < cols / 256; b++, off += 54) {
            int sum = 0;
            int[][] groups = {{0, 32, 5, 0}, {32, 16, 5, 160}, {48, 4, 4, 240}};
            for (int[] g : groups) {
                int first = g[0], bytes = g[1], trits = g[2], e0 = g[3];
                for (int n = 0; n < trits; n++) {
                    for (int m = 0; m < bytes; m++) {
                        int t = u8(w, off + first + m) * POW3[n] & 0xFF;
                        int code = t * 3 >>> 8;
                        sum += (code - 1) * a.q[256 * b + e0 + bytes * n + m];
                    }
                }
            }
            sumf += (float) sum * (f16(w, off + 52) * a.d[b]);
        }
        return sumf;
    }

    private static final int[] POW3 = {1, 3, 9, 27, 81};

    /** {@code ggml_vec_dot_tq2_0_q8_K}: element m + 32n of each 32-byte half in bits 2n of byte m. */
    private float tq2_0(MemorySegment w, long off, Activation a) {
        float sumf = 0;
        for (int b = 0; b < cols / 256; b++, off += 66) {
            int sumi = 0;
            for (int j = 0; j < 64; j += 32) {
                for (int l = 0; l < 4; l++) {
                    for (int k = 0; k < 32; k++) {
                        int code = u8(w, off + j + k) >>> 2 * l & 3;
                        sumi += a.q[256 * b + 4 * j + 32 * l + k] * (code - 1);
                    }
                }
            }
            sumf += (float) sumi * (a.d[b] * f16(w, off + 64));
        }
        return sumf;
    }

    /**
     * bitnet.cpp's I2_S product: {@code sum(code * q8)} over the row (byte m of each 32-byte block holds
     * elements m, m+32, m+64, m+96 in bits 7:6 .. 1:0), then
     * {@code (sum - act_sum) / act_scale * weight_scale} in float, as its ggml_compute_forward_mul_mat.
     */
    private float i2_s(MemorySegment w, long off, Activation a) {
        int sum = 0;
        for (int b = 0; b < cols / 128; b++) {
            for (int m = 0; m < 32; m++) {
                int v = u8(w, off + 32L * b + m);
                for (int g = 0; g < 4; g++) sum += (v >>> 6 - 2 * g & 3) * a.q[128 * b + 32 * g + m];
            }
        }
        return ((float) sum - a.sum) / a.scale * tensorScale;
    }

    /**
     * {@code ggml_vec_dot_f32 / _f16 / _bf16}: products of the two (rounded) values in float, summed in
     * double ({@code ggml_float}) as the scalar paths do.
     */
    private float floats(MemorySegment w, long off, Activation a) {
        double sum = 0;
        for (int i = 0; i < cols; i++) {
            float wi = switch (type) {
                case F32 -> w.get(FLOAT_LE, off + 4L * i);
                case F16 -> Half.f16ToFloat(w.get(SHORT_LE, off + 2L * i));
                default -> Half.bf16ToFloat(w.get(SHORT_LE, off + 2L * i));
            };
            sum += wi * a.f[i];
        }
        return (float) sum;
    }
}
