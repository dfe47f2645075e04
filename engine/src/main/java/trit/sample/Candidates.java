package trit.sample;

import java.util.Arrays;

/**
 * The tokens still eligible at one sampling step, over a logits vector indexed by token id: the filters
 * ({@link #topK}, {@link #topP}, {@link #minP}) narrow the set, and {@link #draw} picks one of them. It
 * starts as the whole vocabulary in id order, held implicitly; once narrowed, its members are held as
 * packed {@code long} keys (the high half orders logits descending, the low half is the id), so sorting
 * is a primitive {@code long} sort and ties between equal logits always go to the lower id. Nothing sorts
 * the whole vocabulary unless the kept set is that large: top-k selects with a bounded heap
 * ({@code O(n log k)}), top-p locates its cut with a histogram of probability mass ({@code O(n)}) and
 * sorts only the tokens at or above the cut's bucket. The logits are only read.
 *
 * <p>Buffers are kept across {@link #reset} calls and grow to the largest vocabulary seen, so a sampling
 * loop allocates nothing. Not thread-safe.
 */
public final class Candidates {
    /**
     * Top-p's histogram: {@code BUCKETS} buckets of {@code 1 / BUCKETS_PER_LOGIT} logit each below the
     * maximum, then one for everything lower (whose tokens each weigh less than {@code e^-64} of the best).
     */
    static final int BUCKETS_PER_LOGIT = 16;
    static final int BUCKETS = 64 * BUCKETS_PER_LOGIT;

    private static final long[] NONE = new long[0];

    private float[] logits;
    private long[] keys = NONE;
    private long[] spare = NONE;
    private final double[] bucketMass = new double[BUCKETS + 1];
    private final int[] bucketCount = new int[BUCKETS + 1];
    private int size;
    private boolean all;
    private boolean sorted;

    /** Every token of {@code logits} becomes a candidate, in id order. */
    public Candidates reset(float[] logits) {
        this.logits = logits;
        size = logits.length;
        all = true;
        sorted = false;
        return this;
    }

    public int size() {
        return size;
    }

    /** Whether the candidates are in descending logit order (ties by ascending id). */
    public boolean isSorted() {
        return sorted;
    }

    /** The token id of the {@code i}-th candidate. */
    public int id(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException("index " + i + ", size " + size);
        return idAt(i);
    }

    /** The candidates' token ids, in their current order. */
    public int[] ids() {
        int[] out = new int[size];
        for (int i = 0; i < size; i++) out[i] = idAt(i);
        return out;
    }

    /** The highest logit among the candidates. */
    public float maxLogit() {
        if (sorted) return logits[idAt(0)];
        float max = Float.NEGATIVE_INFINITY;
        if (all) {
            for (float v : logits) if (v > max) max = v;
        } else {
            for (int i = 0; i < size; i++) {
                float v = logits[(int) keys[i]];
                if (v > max) max = v;
            }
        }
        return max;
    }

    /**
     * Keeps the {@code k} candidates with the highest logits, sorted; {@code k <= 0} or
     * {@code k >= size()} keeps all (as they are).
     */
    public Candidates topK(int k) {
        if (k <= 0 || k >= size) return this;
        if (sorted) {
            size = k;
            return this;
        }
        ensureCapacity();
        adopt(selectBest(spare, k));
        return this;
    }

    /**
     * Nucleus filter: with {@code q} the softmax of the candidates' logits (temperature 1, as llama.cpp
     * applies it before temperature), keeps the smallest prefix of the candidates, best first, whose
     * {@code q} adds up to at least {@code p}, leaving them sorted. {@code p >= 1} keeps all. At least one
     * candidate always stays.
     *
     * <p>Unsorted candidates are not sorted whole: one pass adds each token's weight to a histogram bucket
     * by its distance below the best logit, the buckets are summed from the top until they reach
     * {@code p}, and only the tokens in or above that bucket are sorted to find the exact cut.
     */
    public Candidates topP(double p) {
        if (!(p < 1) || size <= 1) return this;
        double max = maxLogit();
        if (sorted) {
            double sum = 0;
            for (int i = 0; i < size; i++) sum += Math.exp(logits[idAt(i)] - max);
            int cut = nucleus(keys, size, p, max, sum);
            if (cut > 0) size = cut;
            return this;
        }
        ensureCapacity();
        Arrays.fill(bucketMass, 0);
        Arrays.fill(bucketCount, 0);
        double sum = 0;
        for (int i = 0; i < size; i++) {
            double d = logits[idAt(i)] - max;
            double w = Math.exp(d);
            int b = bucket(d);
            bucketMass[b] += w;
            bucketCount[b]++;
            sum += w;
        }
        double target = p * sum;
        double cum = 0;
        int last = 0;
        int count = 0;
        while (true) {
            cum += bucketMass[last];
            count += bucketCount[last];
            if (cum >= target || last == BUCKETS) break;
            last++;
        }
        int m = 0;
        if (count == size) {
            for (int i = 0; i < size; i++) {
                int id = idAt(i);
                spare[m++] = key(logits[id], id);
            }
        } else {
            for (int i = 0; i < size; i++) {
                int id = idAt(i);
                float v = logits[id];
                if (bucket(v - max) <= last) spare[m++] = key(v, id);
            }
        }
        Arrays.sort(spare, 0, m);
        int cut = nucleus(spare, m, p, max, sum);
        if (cut < 0 && m < size) {
            // the bucket sums reached p but the exact running sum fell short by a rounding error: take all
            m = 0;
            for (int i = 0; i < size; i++) {
                int id = idAt(i);
                spare[m++] = key(logits[id], id);
            }
            Arrays.sort(spare, 0, m);
            cut = nucleus(spare, m, p, max, sum);
        }
        adopt(cut > 0 ? cut : m);
        return this;
    }

    /** Top-p's histogram bucket for a logit {@code d <= 0} below the maximum. */
    private static int bucket(double d) {
        double x = -d * BUCKETS_PER_LOGIT;
        return x < BUCKETS ? (int) x : BUCKETS;
    }

    /**
     * Keeps the candidates whose probability is at least {@code p} times the best one's, that is whose
     * logit is at least {@code max + ln p} (llama.cpp's test). {@code p <= 0} keeps all; the best
     * candidate always stays. Order is kept.
     */
    public Candidates minP(double p) {
        if (!(p > 0) || size == 0) return this;
        double threshold = maxLogit() + Math.log(p);
        if (sorted) {
            int i = 1;
            while (i < size && logits[idAt(i)] >= threshold) i++;
            size = i;
            return this;
        }
        ensureCapacity();
        int m = 0;
        for (int i = 0; i < size; i++) {
            int id = idAt(i);
            float v = logits[id];
            if (v >= threshold) keys[m++] = all ? key(v, id) : keys[i];
        }
        size = m;
        all = false;
        return this;
    }

    /**
     * Writes each candidate's unnormalized weight {@code exp((l_i - max) / temperature)} to
     * {@code out[0 .. size())} and returns their sum; {@code out[i] / sum} is the probability the draw gives
     * candidate {@code i}. Needs {@code temperature > 0}.
     */
    public double weights(double temperature, double[] out) {
        if (!(temperature > 0)) throw new IllegalArgumentException("temperature " + temperature + " is not > 0");
        double max = maxLogit();
        double sum = 0;
        for (int i = 0; i < size; i++) {
            double w = Math.exp((logits[idAt(i)] - max) / temperature);
            out[i] = w;
            sum += w;
        }
        return sum;
    }

    /**
     * Picks a candidate with probability proportional to its {@link #weights} at {@code temperature}, by
     * inverse transform of the uniform {@code u} in [0, 1): the first candidate, in the current order,
     * whose running weight exceeds {@code u * sum}. Returns its token id. {@code scratch} needs room for
     * {@code size()} values.
     */
    public int draw(double temperature, double u, double[] scratch) {
        if (size == 0) throw new IllegalStateException("no candidates left");
        double sum = weights(temperature, scratch);
        double target = u * sum;
        double cum = 0;
        int last = 0;
        for (int i = 0; i < size; i++) {
            double w = scratch[i];
            if (w > 0) {
                cum += w;
                last = i;
                if (cum > target) return idAt(i);
            }
        }
        return idAt(last);   // u * sum rounded up to the sum itself
    }

    private int idAt(int i) {
        return all ? i : (int) keys[i];
    }

    private void ensureCapacity() {
        if (keys.length < logits.length) {
            keys = new long[logits.length];
            spare = new long[logits.length];
        }
    }

    /** The first {@code m} keys of {@code spare} become the (sorted) candidates. */
    private void adopt(int m) {
        long[] t = keys;
        keys = spare;
        spare = t;
        size = m;
        all = false;
        sorted = true;
    }

    /**
     * Smallest {@code c} such that the first {@code c} of {@code ks} (sorted) hold probability mass
     * {@code >= p}, or -1 if the first {@code m} do not reach it.
     */
    private int nucleus(long[] ks, int m, double p, double max, double sum) {
        double cum = 0;
        for (int i = 0; i < m; i++) {
            cum += Math.exp(logits[(int) ks[i]] - max) / sum;
            if (cum >= p) return i + 1;
        }
        return -1;
    }

    /**
     * The best {@code k} candidates ({@code 0 < k < size}) into {@code out[0 .. k)}, sorted, via a max-heap
     * of keys whose root is the worst kept; a logit below the root's is rejected without building its key.
     */
    private int selectBest(long[] out, int k) {
        int h = 0;
        int i = 0;
        for (; h < k; i++) {
            int id = idAt(i);
            siftUp(out, h++, key(logits[id], id));
        }
        float worst = logits[(int) out[0]];
        if (all) {
            for (; i < size; i++) {
                float v = logits[i];
                if (v >= worst) worst = offer(out, k, key(v, i), worst);
            }
        } else {
            for (; i < size; i++) {
                int id = (int) keys[i];
                float v = logits[id];
                if (v >= worst) worst = offer(out, k, key(v, id), worst);
            }
        }
        Arrays.sort(out, 0, k);
        return k;
    }

    /** Puts {@code key} in the full heap if it beats the root; returns the (new) root's logit. */
    private float offer(long[] heap, int k, long key, float worst) {
        if (key >= heap[0]) return worst;
        siftDown(heap, k, key);
        return logits[(int) heap[0]];
    }

    private static void siftUp(long[] heap, int pos, long key) {
        while (pos > 0) {
            int parent = (pos - 1) >>> 1;
            if (heap[parent] >= key) break;
            heap[pos] = heap[parent];
            pos = parent;
        }
        heap[pos] = key;
    }

    /** Replaces the root of {@code heap[0 .. n)} with {@code key} and restores the heap. */
    private static void siftDown(long[] heap, int n, long key) {
        int pos = 0;
        while (true) {
            int child = 2 * pos + 1;
            if (child >= n) break;
            if (child + 1 < n && heap[child + 1] > heap[child]) child++;
            if (heap[child] <= key) break;
            heap[pos] = heap[child];
            pos = child;
        }
        heap[pos] = key;
    }

    /**
     * A key that sorts ascending as (logit descending, id ascending): the float's bits mapped to an int of
     * the same order (-0 counted as +0), complemented, above the id.
     */
    static long key(float logit, int id) {
        int bits = Float.floatToRawIntBits(logit + 0f);
        int ordered = bits ^ ((bits >> 31) & 0x7FFF_FFFF);
        return ((long) ~ordered << 32) | id;
    }
}
