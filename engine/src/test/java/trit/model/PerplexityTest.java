package trit.model;

import static org.junit.jupiter.api.Assertions.*;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trit.TritException;
import trit.gguf.GgufFile;
import trit.kernel.Parallel;
import trit.tokenizer.Tokenizer;

/**
 * Perplexity on the llama.cpp-written parity model (F32, with its SentencePiece tokenizer) against a
 * plain computation: the same windows scored through {@link ReferenceTransformer} (double precision,
 * no F16 cache) and through the token-by-token path.
 */
class PerplexityTest {
    @TempDir static Path dir;
    static final Parallel POOL = Parallel.create(2);
    static final String TEXT = "Once upon a time the cat sat.";

    @AfterAll
    static void close() {
        POOL.close();
    }

    static Path parity() throws Exception {
        Path p = dir.resolve("parity-f32.gguf");
        if (!Files.exists(p)) {
            try (InputStream in = PerplexityTest.class.getResourceAsStream("/parity/parity-f32.gguf")) {
                Files.copy(in, p);
            }
        }
        return p;
    }

    /** NLL of every window's tokens from logits computed by {@code ref} on each prefix. */
    private static double referenceNll(ReferenceTransformer ref, int bos, int[] ids, int ctx) {
        double nll = 0;
        for (int start = 0; start < ids.length; start += ctx - 1) {
            int n = Math.min(ctx - 1, ids.length - start);
            int[] window = new int[n + 1];
            window[0] = bos;
            System.arraycopy(ids, start, window, 1, n);
            for (int i = 1; i < window.length; i++) {
                double[] logits = ref.logits(java.util.Arrays.copyOf(window, i));
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (double l : logits) max = Math.max(max, l);
                for (double l : logits) sum += Math.exp(l - max);
                nll += Math.log(sum) + max - logits[window[i]];
            }
        }
        return nll;
    }

    @Test
    void matchesAPlainComputation() throws Exception {
        try (GgufFile f = GgufFile.open(parity())) {
            Tokenizer tok = Tokenizer.fromGguf(f);
            Transformer m = Transformer.load(f, POOL);
            int[] ids = tok.encode(TEXT, false, false);
            int ctx = 6; // several windows, the last one short
            Perplexity.Result r = Perplexity.evaluate(m, tok, ids, ctx, null);

            assertEquals(ids.length, r.tokens());
            assertEquals((ids.length + ctx - 2) / (ctx - 1), r.windows());
            long bytes = 0;
            for (int id : ids) bytes += tok.tokenBytes(id).length;
            assertEquals(bytes, r.bytes());
            assertEquals(r.nll() / Math.log(2) / bytes, r.bitsPerByte(), 1e-12);
            assertEquals(Math.exp(r.nll() / ids.length), r.perplexity(), 1e-9);

            double ref = referenceNll(new ReferenceTransformer(f), tok.bos(), ids, ctx);
            assertEquals(ref, r.nll(), 2e-3 * ref, "reference NLL " + ref + ", fast " + r.nll());

            // the same windows token by token through the decode path (last-token logits only)
            double steps = 0;
            Session s = m.newSession(ctx);
            for (int start = 0; start < ids.length; start += ctx - 1) {
                s.reset();
                float[] logits = s.forward(tok.bos());
                for (int i = start; i < Math.min(ids.length, start + ctx - 1); i++) {
                    steps += Perplexity.negLogSoftmax(logits, 0, logits.length, ids[i]);
                    if (i + 1 < Math.min(ids.length, start + ctx - 1)) logits = s.forward(ids[i]);
                }
            }
            assertEquals(steps, r.nll(), 1e-4 * steps);
        }
    }

    @Test
    void badSettingsAreClearErrors() throws Exception {
        try (GgufFile f = GgufFile.open(parity())) {
            Tokenizer tok = Tokenizer.fromGguf(f);
            Transformer m = Transformer.load(f, POOL);
            assertThrows(TritException.class, () -> Perplexity.evaluate(m, tok, "", 16, null));
            assertThrows(TritException.class, () -> Perplexity.evaluate(m, tok, TEXT, 1, null));
            assertThrows(TritException.class, () -> Perplexity.evaluate(m, tok, TEXT, m.config().context() + 1, null));
            assertThrows(TritException.class, () -> Perplexity.evaluate(m, tok, new int[] {1_000_000}, 16, null));
        }
    }

    @Test
    void negLogSoftmaxIsStable() {
        float[] l = {1000f, 1000f, -1000f};
        assertEquals(Math.log(2), Perplexity.negLogSoftmax(l, 0, 3, 0), 1e-9);
        assertEquals(Math.log(2) + 2000, Perplexity.negLogSoftmax(l, 0, 3, 2), 1e-3);
    }
}
