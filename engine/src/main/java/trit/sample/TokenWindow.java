package trit.sample;

import java.util.Arrays;

/**
 * The most recent token ids of a sequence (prompt and generated), kept in a ring buffer of fixed capacity:
 * what the repetition penalty looks at. Adding to a full window drops the oldest token. Feed it the
 * prompt, then each token as it is chosen; a capacity of 0 keeps nothing. Not thread-safe.
 */
public final class TokenWindow {
    private final int[] ring;
    private int start;
    private int size;

    public TokenWindow(int capacity) {
        if (capacity < 0) throw new IllegalArgumentException("capacity " + capacity + " < 0");
        ring = new int[capacity];
    }

    public int capacity() {
        return ring.length;
    }

    public int size() {
        return size;
    }

    public void add(int token) {
        if (token < 0) throw new IllegalArgumentException("token id " + token + " < 0");
        int cap = ring.length;
        if (cap == 0) return;
        if (size < cap) {
            ring[(start + size) % cap] = token;
            size++;
        } else {
            ring[start] = token;
            start = (start + 1) % cap;
        }
    }

    public void addAll(int... tokens) {
        for (int t : tokens) add(t);
    }

    /** The {@code i}-th token held, oldest first ({@code 0 <= i < size()}). */
    public int get(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException("index " + i + ", size " + size);
        return ring[(start + i) % ring.length];
    }

    public void clear() {
        start = 0;
        size = 0;
    }

    /** The tokens held, oldest first. */
    public int[] toArray() {
        int[] out = new int[size];
        for (int i = 0; i < size; i++) out[i] = get(i);
        return out;
    }

    /**
     * Writes the distinct ids among the last {@code min(n, size())} tokens to {@code out} in ascending
     * order and returns how many there are; {@code out} needs room for {@code min(n, size())} ids.
     * Allocates nothing.
     */
    public int distinctRecent(int n, int[] out) {
        int m = Math.min(Math.max(n, 0), size);
        if (out.length < m) throw new IllegalArgumentException("out holds " + out.length + " ids, need " + m);
        for (int i = 0; i < m; i++) out[i] = get(size - m + i);
        Arrays.sort(out, 0, m);
        int d = 0;
        for (int i = 0; i < m; i++) {
            if (d == 0 || out[d - 1] != out[i]) out[d++] = out[i];
        }
        return d;
    }
}
