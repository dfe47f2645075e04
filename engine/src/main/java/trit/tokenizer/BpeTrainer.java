package trit.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.IntConsumer;
import trit.TritException;

/**
 * Trains a byte-level BPE vocabulary (GPT-2 style) on text.
 *
 * <p>The text is cut into words by one of llama.cpp's named pre-tokenizers ({@link PreTokenizer}, the
 * same code that encodes later), each distinct word is counted once with its frequency, and starts as
 * its UTF-8 bytes (token id = byte value). Each step merges the most frequent adjacent pair of tokens
 * across all words, weighted by word frequency; ties go to the pair with the smaller left token id,
 * then the smaller right id. A pair is merged in a word left to right without overlaps ("aaa" gives
 * "aa"+"a"). Pair counts are kept incrementally: a merge only revisits the words that contain the pair
 * (an index from pair to words), and a priority queue with lazy deletion finds the next best pair.
 *
 * <p>A pair whose concatenation is already a token is never merged, so every token has exactly one
 * merge that makes it. That makes llama.cpp's encoder (lowest merge rank first, leftmost on ties)
 * reproduce the training segmentation exactly, and makes every token encode to itself, so
 * pre-tokenizers with llama.cpp's {@code ignore_merges} (Llama 3's) give the same tokens too.
 */
public final class BpeTrainer {
    /** What to train. */
    public record Options(int vocabSize, String preTokenizer, String bosText, String eosText) {
        public static final String DEFAULT_PRE = "llama-bpe";

        public static Options defaults(int vocabSize) {
            return new Options(vocabSize, DEFAULT_PRE, "<|begin_of_text|>", "<|end_of_text|>");
        }

        public Options {
            if (vocabSize < 258 || vocabSize > 1 << 20) {
                throw new TritException("vocabulary size must be between 258 (256 bytes + BOS + EOS) and " + (1 << 20) + ", got " + vocabSize);
            }
            PreTokenizer p = PreTokenizer.forName(preTokenizer);
            if (!p.byteEncoded()) throw new TritException("pre-tokenizer '" + preTokenizer + "' is not byte-level");
        }
    }

    private final Options opt;
    private final PreTokenizer pre;
    private final Map<String, int[]> wordCounts = new HashMap<>();

    public BpeTrainer(Options opt) {
        this.opt = opt;
        this.pre = PreTokenizer.forName(opt.preTokenizer());
    }

    /** Counts the words of {@code text} (may be called for several texts). */
    public BpeTrainer add(String text) {
        // pre-tokenize in pieces that end after a newline run: the pre-tokenizers trit trains with always
        // end a word there, so the words are those of the whole text, with far less memory at once
        int from = 0;
        final int chunk = 1 << 16;
        while (from < text.length()) {
            int to = Math.min(text.length(), from + chunk);
            while (to < text.length() && !(text.charAt(to - 1) == '\n' && !Character.isWhitespace(text.charAt(to)))) to++;
            for (String w : pre.split(text.substring(from, to))) {
                wordCounts.computeIfAbsent(w, k -> new int[1])[0]++;
            }
            from = to;
        }
        return this;
    }

    /** Distinct words counted so far. */
    public int distinctWords() {
        return wordCounts.size();
    }

    /**
     * Learns merges until the vocabulary (256 bytes + merges + BOS + EOS) has {@code vocabSize} tokens,
     * or no pair occurs twice any more. {@code progress} receives the number of merges made so far.
     */
    public TrainedTokenizer train(IntConsumer progress) {
        int targetMerges = opt.vocabSize() - 256 - 2;
        // distinct words in a fixed order (sorted), so that nothing depends on hash order
        String[] keys = wordCounts.keySet().toArray(String[]::new);
        Arrays.sort(keys);
        int n = keys.length;
        int[][] words = new int[n][];
        long[] freq = new long[n];
        for (int i = 0; i < n; i++) {
            byte[] b = keys[i].getBytes(StandardCharsets.UTF_8);
            int[] s = new int[b.length];
            for (int k = 0; k < b.length; k++) s[k] = b[k] & 0xFF;
            words[i] = s;
            freq[i] = wordCounts.get(keys[i])[0];
        }

        List<byte[]> tokenBytes = new ArrayList<>();
        Map<String, Integer> byContent = new HashMap<>();
        for (int b = 0; b < 256; b++) {
            tokenBytes.add(new byte[] {(byte) b});
            byContent.put(latin1(new byte[] {(byte) b}), b);
        }

        Pairs pairs = new Pairs();
        for (int w = 0; w < n; w++) {
            int[] s = words[w];
            for (int k = 0; k + 1 < s.length; k++) pairs.add(key(s[k], s[k + 1]), freq[w], w);
        }
        PriorityQueue<long[]> queue = new PriorityQueue<>(BpeTrainer::byCountThenIds);
        for (Map.Entry<Long, Pairs.Stat> e : pairs.map.entrySet()) queue.add(new long[] {e.getValue().count, e.getKey()});

        List<int[]> merges = new ArrayList<>();
        Set<Long> banned = new HashSet<>();
        int[] seen = new int[n];
        Arrays.fill(seen, -1);
        Map<Long, Long> delta = new HashMap<>();
        while (merges.size() < targetMerges && !queue.isEmpty()) {
            long[] top = queue.poll();
            long pk = top[1];
            Pairs.Stat st = pairs.map.get(pk);
            if (st == null || st.count != top[0]) continue; // stale entry
            if (st.count < 2) break;
            if (banned.contains(pk)) continue;
            int a = (int) (pk >>> 32), b = (int) pk;
            byte[] joined = concat(tokenBytes.get(a), tokenBytes.get(b));
            if (byContent.containsKey(latin1(joined))) {
                banned.add(pk); // another pair already makes this token
                continue;
            }
            int id = tokenBytes.size();
            tokenBytes.add(joined);
            byContent.put(latin1(joined), id);
            merges.add(new int[] {a, b});

            int stamp = merges.size();
            delta.clear();
            int[] candidates = st.words.toArray();
            for (int w : candidates) {
                if (seen[w] == stamp) continue;
                seen[w] = stamp;
                int[] s = words[w];
                int[] merged = mergeWord(s, a, b, id);
                if (merged == s) continue; // the pair left this word earlier
                long f = freq[w];
                for (int k = 0; k + 1 < s.length; k++) delta.merge(key(s[k], s[k + 1]), -f, Long::sum);
                for (int k = 0; k + 1 < merged.length; k++) {
                    long q = key(merged[k], merged[k + 1]);
                    delta.merge(q, f, Long::sum);
                    pairs.noteWord(q, w);
                }
                words[w] = merged;
            }
            for (Map.Entry<Long, Long> e : delta.entrySet()) {
                if (e.getValue() == 0) continue;
                long c = pairs.addCount(e.getKey(), e.getValue());
                if (c > 0) queue.add(new long[] {c, e.getKey()});
            }
            if (progress != null) progress.accept(merges.size());
        }

        // the trainer's own segmentation of every word, for checks and statistics
        Map<String, int[]> segmentation = HashMap.newHashMap(n);
        for (int w = 0; w < n; w++) segmentation.put(keys[w], words[w]);
        return TrainedTokenizer.of(opt, tokenBytes, merges, segmentation, wordCounts.size());
    }

    /** Higher count first; then smaller (left, right) ids, i.e. the smaller key. */
    private static int byCountThenIds(long[] x, long[] y) {
        if (x[0] != y[0]) return Long.compare(y[0], x[0]);
        return Long.compare(x[1], y[1]);
    }

    /** {@code s} with every (a, b) replaced by {@code id}, left to right; {@code s} itself if none. */
    static int[] mergeWord(int[] s, int a, int b, int id) {
        int first = -1;
        for (int k = 0; k + 1 < s.length; k++) {
            if (s[k] == a && s[k + 1] == b) {
                first = k;
                break;
            }
        }
        if (first < 0) return s;
        int[] out = new int[s.length];
        System.arraycopy(s, 0, out, 0, first);
        int o = first;
        for (int k = first; k < s.length; ) {
            if (k + 1 < s.length && s[k] == a && s[k + 1] == b) {
                out[o++] = id;
                k += 2;
            } else {
                out[o++] = s[k++];
            }
        }
        return Arrays.copyOf(out, o);
    }

    static long key(int a, int b) {
        return (long) a << 32 | (b & 0xFFFFFFFFL);
    }

    private static byte[] concat(byte[] x, byte[] y) {
        byte[] r = Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, r, x.length, y.length);
        return r;
    }

    /** A byte string as a String key (one char per byte). */
    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** Pair counts and, per pair, the words that contained it when it was last seen (may hold stale words). */
    private static final class Pairs {
        static final class Stat {
            long count;
            final IntList words = new IntList(4);
            int lastWord = -1;
        }

        final Map<Long, Stat> map = new HashMap<>();

        void add(long pair, long f, int word) {
            Stat s = map.computeIfAbsent(pair, k -> new Stat());
            s.count += f;
            if (s.lastWord != word) {
                s.words.add(word);
                s.lastWord = word;
            }
        }

        void noteWord(long pair, int word) {
            Stat s = map.computeIfAbsent(pair, k -> new Stat());
            if (s.lastWord != word) {
                s.words.add(word);
                s.lastWord = word;
            }
        }

        long addCount(long pair, long d) {
            Stat s = map.get(pair);
            s.count += d;
            if (s.count <= 0) {
                map.remove(pair);
                return 0;
            }
            return s.count;
        }
    }
}
