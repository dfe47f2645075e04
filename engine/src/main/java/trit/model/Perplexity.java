package trit.model;

import java.util.function.IntConsumer;
import trit.TritException;
import trit.tokenizer.Tokenizer;

/**
 * Perplexity and bits per byte of a model on a text.
 *
 * <p>The text is tokenized once (without special tokens) and cut into non-overlapping windows of
 * {@code ctx - 1} tokens; each window runs in a fresh sequence behind the model's BOS token, in batches
 * ({@link Session#forwardAll}), and every token of the text is scored once by the log-softmax of the
 * logits before it. A token's context is thus the part of its window before it (on average half a
 * window), which gives a higher perplexity than a sliding window would, at a fraction of the cost.
 * A model without a BOS token cannot predict a window's first token: those are left out, and so are
 * their bytes.
 *
 * <p>{@code bits_per_byte} = total negative log-likelihood in bits / UTF-8 bytes of the scored tokens,
 * which compares models with different tokenizers; perplexity is per token.
 */
public final class Perplexity {
    /**
     * @param tokens  tokens scored
     * @param bytes   UTF-8 bytes those tokens stand for
     * @param nll     their total negative log-likelihood, in nats
     * @param windows sequences run
     * @param nanos   time spent in the model (tokenization excluded)
     */
    public record Result(long tokens, long bytes, double nll, int windows, int context, long nanos) {
        public double perplexity() {
            return Math.exp(nll / tokens);
        }

        public double bitsPerByte() {
            return nll / Math.log(2) / bytes;
        }

        /** Mean negative log-likelihood per token, in nats. */
        public double meanNll() {
            return nll / tokens;
        }

        /** Tokens scored per second of model time. */
        public double tokensPerSecond() {
            return nanos == 0 ? 0 : tokens / (nanos / 1e9);
        }
    }

    private Perplexity() {}

    /**
     * Evaluates {@code text}.
     *
     * @param ctx      window length in tokens, BOS included (at most the model's context)
     * @param progress receives the number of tokens scored so far after each window; may be null
     */
    public static Result evaluate(Transformer m, Tokenizer tok, String text, int ctx, IntConsumer progress) {
        int[] ids = tok.encode(text, false, false);
        return evaluate(m, tok, ids, ctx, progress);
    }

    /** Evaluates a tokenized text ({@code ids} without BOS). */
    public static Result evaluate(Transformer m, Tokenizer tok, int[] ids, int ctx, IntConsumer progress) {
        int bos = tok.bos();
        if (ctx < 2) throw new TritException("the perplexity window must hold at least 2 tokens, got " + ctx);
        if (ctx > m.config().context()) {
            throw new TritException("window of " + ctx + " tokens exceeds the model's context of " + m.config().context());
        }
        if (ids.length == 0) throw new TritException("the text to evaluate is empty");
        int vocab = m.config().vocab();
        for (int id : ids) if (id < 0 || id >= vocab) throw new TritException("token " + id + " is outside the model's vocabulary of " + vocab);
        boolean withBos = bos >= 0 && bos < vocab;
        int step = withBos ? ctx - 1 : ctx;

        Session s = m.newSession(ctx);
        double[] nll = {0};
        long[] count = {0, 0}; // tokens, bytes
        int windows = 0;
        long t0 = System.nanoTime();
        for (int start = 0; start < ids.length; start += step) {
            int n = Math.min(step, ids.length - start);
            if (!withBos && n < 2) break; // a lone token with nothing before it cannot be scored
            int[] window = new int[withBos ? n + 1 : n];
            if (withBos) window[0] = bos;
            System.arraycopy(ids, start, window, withBos ? 1 : 0, n);
            s.reset();
            s.forwardAll(window, (i, logits, off) -> {
                if (i + 1 >= window.length) return;
                int target = window[i + 1];
                nll[0] += negLogSoftmax(logits, off, vocab, target);
                count[0]++;
                count[1] += tok.tokenBytes(target).length;
            });
            windows++;
            if (progress != null) progress.accept((int) count[0]);
        }
        long nanos = System.nanoTime() - t0;
        if (count[0] == 0) throw new TritException("the text is a single token: nothing to predict");
        return new Result(count[0], count[1], nll[0], windows, ctx, nanos);
    }

    /** {@code -log softmax(logits)[target]}, summed in double around the maximum for stability. */
    public static double negLogSoftmax(float[] logits, int off, int n, int target) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, logits[off + i]);
        double sum = 0;
        for (int i = 0; i < n; i++) sum += Math.exp(logits[off + i] - max);
        return Math.log(sum) + max - logits[off + target];
    }
}
