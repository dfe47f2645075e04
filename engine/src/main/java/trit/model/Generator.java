package trit.model;

import java.util.Arrays;
import java.util.function.IntPredicate;
import trit.TritException;
import trit.sample.Sample;
import trit.sample.Sampler;
import trit.sample.TokenWindow;

/**
 * The decode loop: feeds a prompt into a {@link TokenSession}, then samples one token at a time until
 * {@code maxTokens} or a stop token. Token ids in and out; text is the caller's business.
 */
public final class Generator {
    /** Called with each chosen token as soon as it is sampled (before it is fed back). */
    public interface Listener {
        void onToken(int token, double logProb);
    }

    /**
     * @param promptNanos time to process the prompt (prefill) and produce the first logits
     * @param genNanos    time from the first logits to the last generated token
     * @param stoppedBy   "stop" when a stop token ended generation (it is included in {@code tokens}),
     *                    "length" when {@code maxTokens} were produced
     */
    public record Result(int[] prompt, int[] tokens, double[] logProbs, long promptNanos, long genNanos, String stoppedBy) {
        public double promptTokensPerSecond() {
            return promptNanos == 0 ? 0 : prompt.length / (promptNanos / 1e9);
        }

        /** Tokens produced per second of decoding (the first token comes from the prompt's logits). */
        public double generatedTokensPerSecond() {
            return genNanos == 0 || tokens.length < 2 ? 0 : (tokens.length - 1) / (genNanos / 1e9);
        }
    }

    private Generator() {}

    /** Throws a {@link TritException} unless a prompt of that length plus {@code maxTokens} fit the session. */
    public static void checkFits(TokenSession s, int promptLength, int maxTokens) {
        if (maxTokens < 0) throw new TritException("-n must be >= 0, got " + maxTokens);
        if (promptLength == 0) throw new TritException("the prompt is empty (and the model adds no BOS token)");
        int needed = s.position() + promptLength + Math.max(0, maxTokens - 1);
        if (needed > s.contextLength()) {
            throw new TritException("prompt (" + promptLength + " tokens) plus " + maxTokens + " generated tokens need "
                    + needed + " positions, but the context holds " + s.contextLength() + " (see --ctx)");
        }
    }

    public static Result generate(TokenSession s, int[] prompt, int maxTokens, Sampler sampler, IntPredicate isStop,
                                  Listener listener) {
        checkFits(s, prompt.length, maxTokens);
        TokenWindow recent = new TokenWindow(Math.max(1, sampler.config().repeatLastN()));
        for (int t : prompt) recent.add(t);
        long t0 = System.nanoTime();
        float[] logits = s.forward(prompt);
        long t1 = System.nanoTime();
        int[] out = new int[maxTokens];
        double[] lp = new double[maxTokens];
        int n = 0;
        String stop = "length";
        while (n < maxTokens) {
            Sample next = sampler.next(logits, recent);
            out[n] = next.token();
            lp[n] = next.logProb();
            n++;
            recent.add(next.token());
            if (listener != null) listener.onToken(next.token(), next.logProb());
            if (isStop != null && isStop.test(next.token())) {
                stop = "stop";
                break;
            }
            if (n < maxTokens) logits = s.forward(next.token());
        }
        long t2 = System.nanoTime();
        return new Result(prompt, Arrays.copyOf(out, n), Arrays.copyOf(lp, n), t1 - t0, t2 - t1, stop);
    }
}
