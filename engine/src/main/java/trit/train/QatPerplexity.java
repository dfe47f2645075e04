package trit.train;

import java.nio.file.Path;
import trit.TritException;
import trit.kernel.Parallel;
import trit.model.Perplexity;
import trit.tokenizer.Tokenizer;

/**
 * Perplexity of a checkpoint under the training forward pass (for a ternary checkpoint: the QAT forward,
 * absmean ternary weights and int8 activations), windowed exactly as {@link Perplexity#evaluate}: windows
 * of {@code ctx} tokens, BOS first, each token scored once. An exported model must score the same, which
 * is how docs/QUALITY.md checks that TQ2_0 / TQ1_0 / I2_S files compute what training computed.
 */
public final class QatPerplexity {
    private QatPerplexity() {}

    public static Perplexity.Result evaluate(Path checkpoint, Tokenizer tok, int[] ids, int ctx, Parallel pool) {
        Checkpoint.Weights cw = Checkpoint.weights(checkpoint);
        ModelShape shape = cw.shape();
        if (ctx < 2 || ctx > shape.ctx()) throw new TritException("window of " + ctx + " tokens: must be 2.." + shape.ctx());
        if (tok.vocabSize() != shape.vocab()) {
            throw new TritException("the tokenizer has " + tok.vocabSize() + " tokens, the checkpoint " + shape.vocab());
        }
        if (ids.length == 0) throw new TritException("the text to evaluate is empty");
        int bos = tok.bos();
        if (bos < 0) throw new TritException("the tokenizer has no BOS token");
        // the training forward runs whole rows of the training context; later positions cannot change earlier ones
        int rowLen = shape.ctx();
        Model m = new Model(shape, cw.header().config().ternary(), 1, pool);
        System.arraycopy(cw.w(), 0, m.parameters(), 0, cw.w().length);
        m.prepare();
        int vocab = shape.vocab(), step = ctx - 1;
        double nll = 0;
        long tokens = 0, bytes = 0;
        int windows = 0;
        long t0 = System.nanoTime();
        int[] in = new int[rowLen];
        for (int start = 0; start < ids.length; start += step) {
            int n = Math.min(step, ids.length - start);
            java.util.Arrays.fill(in, bos);
            in[0] = bos;
            System.arraycopy(ids, start, in, 1, n);
            m.forward(in);
            float[] logits = m.logits();
            for (int i = 0; i < n; i++) {
                int target = in[i + 1];
                nll += Perplexity.negLogSoftmax(logits, i * vocab, vocab, target);
                tokens++;
                bytes += tok.tokenBytes(target).length;
            }
            windows++;
        }
        return new Perplexity.Result(tokens, bytes, nll, windows, ctx, System.nanoTime() - t0);
    }
}
