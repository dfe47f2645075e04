package trit.kernel;

import java.util.Arrays;

/**
 * Where a row kernel wants each activation code: the row is cut into periods of {@code period}
 * elements, and element {@code e} of a period goes to slot {@code slotOf[e]} of that period's
 * {@code slots} slots. Slots no element maps to hold zero, so a kernel may read whole vectors past the
 * useful bytes of a block (its scale, the next block, padding) and multiply them by nothing.
 */
final class Layout {
    final int period;
    final int slots;
    private final int[] slotOf;

    Layout(int period, int slots, int[] slotOf) {
        if (slotOf.length != period) throw new IllegalArgumentException("slot table of " + slotOf.length);
        boolean[] used = new boolean[slots];
        for (int s : slotOf) {
            if (s < 0 || s >= slots || used[s]) throw new IllegalArgumentException("not a permutation: " + s);
            used[s] = true;
        }
        this.period = period;
        this.slots = slots;
        this.slotOf = slotOf.clone();
    }

    /** Slots for a row of {@code cols} elements (whole periods; the last may be partly padding). */
    int length(int cols) {
        return (cols + period - 1) / period * slots;
    }

    /** Slot of element {@code e} of a row. */
    int slot(int e) {
        return e / period * slots + slotOf[e % period];
    }

    /** Copies {@code natural[0 .. cols)} into {@code out} in slot order, zeroing the unused slots. */
    void scatter(short[] natural, int cols, short[] out) {
        int len = length(cols);
        if (len != cols) Arrays.fill(out, 0, len, (short) 0);
        for (int base = 0, p = 0; p < cols; p += period, base += slots) {
            int n = Math.min(period, cols - p);
            for (int e = 0; e < n; e++) out[base + slotOf[e]] = natural[p + e];
        }
    }

    /**
     * For kernels that accumulate {@code code * q} with codes {@code c + 1} for ternary weights {@code c}:
     * per period and per lane of {@code lanes}, minus the sum of the codes that lane reads, so that
     * starting the lane's accumulator there yields {@code sum((code - 1) * q)}.
     */
    void bias(short[] ordered, int cols, int lanes, short[] out) {
        int periods = length(cols) / slots;
        for (int p = 0; p < periods; p++) {
            for (int l = 0; l < lanes; l++) {
                int sum = 0;
                for (int s = l; s < slots; s += lanes) sum += ordered[p * slots + s];
                out[p * lanes + l] = (short) -sum;
            }
        }
    }
}
