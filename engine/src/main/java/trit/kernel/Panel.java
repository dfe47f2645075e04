package trit.kernel;

/**
 * A batch of prepared activations laid out for the tiled product ({@link RowKernel#tiled}): the tokens
 * in groups of {@link #group} (the last group padded with zero tokens), and within a group, for each
 * element k, the group's int8 codes as floats side by side, so that one float vector load takes the
 * same element of consecutive tokens. Scales likewise: per group and per activation block, the tokens'
 * block scales side by side.
 */
final class Panel {
    final int n;
    final int group;
    final int groups;
    final int cols;
    final int block;
    /** {@code x[(g * cols + k) * group + j]}: code of element k of token {@code g * group + j}. */
    final float[] x;
    /** {@code d[(g * blocks + b) * group + j]}: scale of block b of that token. */
    final float[] d;

    private final boolean natural;
    private final boolean oneScale;

    /**
     * {@code natural}: the codes are in {@link Activation#natural} (kernels with a layout), else in
     * {@link Activation#q}. {@code oneScale}: each vector has one scale, {@code 1 / a.scale} (I8_S), else
     * one per block in {@link Activation#d}.
     */
    Panel(int n, int group, int cols, int block, boolean natural, boolean oneScale) {
        this.n = n;
        this.group = group;
        this.groups = (n + group - 1) / group;
        this.cols = cols;
        this.block = block;
        this.natural = natural;
        this.oneScale = oneScale;
        this.x = new float[groups * cols * group];
        this.d = new float[groups * (cols / block) * group];
    }

    /** Puts token {@code t}'s prepared activation in place (tokens may be filled by different threads). */
    void fill(int t, Activation a) {
        short[] q = natural ? a.natural : a.q;
        int g = t / group, j = t % group, blocks = cols / block;
        int base = g * cols * group + j;
        for (int k = 0; k < cols; k++) x[base + k * group] = q[k];
        int dBase = g * blocks * group + j;
        for (int b = 0; b < blocks; b++) d[dBase + b * group] = oneScale ? 1f / a.scale : a.d[b];
    }

    /** Tokens of the batch rounded up to whole groups. */
    int padded() {
        return groups * group;
    }
}
