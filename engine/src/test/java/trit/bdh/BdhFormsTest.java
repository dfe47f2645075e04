package trit.bdh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import trit.TritException;

/** The parallel (training) form and both recurrent kernels compute the same logits. */
class BdhFormsTest {
    static int[] randomTokens(int n, int vocab, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = r.nextInt(vocab);
        return t;
    }

    /** max |a - b| over max |a|, over the first n values. */
    static double relDiff(float[] a, int ao, float[] b, int bo, int n) {
        double diff = 0, scale = 0;
        for (int i = 0; i < n; i++) {
            diff = Math.max(diff, Math.abs(a[ao + i] - b[bo + i]));
            scale = Math.max(scale, Math.abs(a[ao + i]));
        }
        return diff / scale;
    }

    private static void check(BdhConfig c, int T, float std, long seed) {
        BdhModel m = BdhModel.random(c, seed, std);
        int[] tokens = randomTokens(T, c.vocab(), seed + 1);
        float[] par = new BdhParallel(m).forward(tokens);
        BdhRecurrent dense = new BdhRecurrent(m, false);
        BdhRecurrent sparse = new BdhRecurrent(m, true);
        int V = c.vocab();
        for (int t = 0; t < T; t++) {
            float[] d = dense.step(tokens[t]).clone();
            float[] s = sparse.step(tokens[t]);
            double pd = relDiff(par, t * V, d, 0, V);
            double ds = relDiff(d, 0, s, 0, V);
            assertTrue(pd < 1e-5, "parallel vs dense recurrent at t=" + t + ": " + pd);
            assertTrue(ds < 1e-5, "dense vs sparse recurrent at t=" + t + ": " + ds);
        }
        assertEquals(T, sparse.position());
    }

    @Test
    void formsAgreeOnOddSizes() {
        check(new BdhConfig(2, 16, 2, 24, 11, 100.0), 13, 0.3f, 1);
        check(new BdhConfig(1, 7, 3, 10, 5, 7.0), 9, 0.5f, 2);
        check(new BdhConfig(3, 33, 1, 66, 17, BdhConfig.DEFAULT_THETA), 20, 0.2f, 3);
    }

    /** The inference forward that fills only the logits read (later positions, leading columns) equals the whole forward there, bit for bit. */
    @Test
    void partialForwardEqualsTheWholeOneWhereItComputes() {
        BdhConfig[] shapes = {new BdhConfig(2, 16, 2, 24, 11, 100.0), new BdhConfig(1, 7, 3, 10, 5, 7.0), new BdhConfig(3, 33, 1, 66, 37, BdhConfig.DEFAULT_THETA)};
        int[][] cuts = {{0, 11}, {5, 3}, {12, 1}, {4, 37}, {19, 20}};
        for (int k = 0; k < shapes.length; k++) {
            BdhConfig c = shapes[k];
            BdhModel m = BdhModel.random(c, 40 + k, 0.3f);
            int T = 20, V = c.vocab();
            int[] tokens = randomTokens(T, V, 50 + k);
            float[] whole = new BdhParallel(m).forward(tokens).clone();
            BdhParallel p = new BdhParallel(m);
            for (int[] cut : cuts) {
                int from = cut[0], cols = Math.min(cut[1], V);
                float[] part = p.forward(tokens, from, cols);
                for (int t = from; t < T; t++) {
                    for (int v = 0; v < cols; v++) {
                        assertEquals(whole[t * V + v], part[t * V + v], "shape " + k + " from " + from + " columns " + cols + " at t=" + t + " v=" + v);
                    }
                }
            }
            p.forward(tokens, 3, 2);
            trit.TritException e = assertThrows(TritException.class,
                    () -> p.backward(new float[T * V], BdhModel.random(c, 1, 0f)));
            assertTrue(e.getMessage().contains("part"), e.getMessage());
            p.forward(tokens);
            p.backward(new float[T * V], BdhModel.random(c, 1, 0f));
        }
    }

    @Test
    void stateDependsOnHistory() {
        // the last token's logits must change when an earlier token changes: the state carries the past
        BdhConfig c = new BdhConfig(2, 16, 2, 24, 11, 100.0);
        BdhModel m = BdhModel.random(c, 5, 0.3f);
        int[] a = randomTokens(8, 11, 9);
        int[] b = a.clone();
        b[2] = (b[2] + 1) % 11;
        float[] la = new BdhParallel(m).forward(a).clone();
        float[] lb = new BdhParallel(m).forward(b);
        assertTrue(relDiff(la, 7 * 11, lb, 7 * 11, 11) > 1e-4);
        // ... and position 0 sees nothing before it: only its own token matters
        assertTrue(relDiff(la, 0, lb, 0, 11) == 0);
    }

    @Test
    void densityIsCountedPerLayer() {
        BdhConfig c = new BdhConfig(2, 16, 2, 24, 11, 100.0);
        BdhRecurrent r = new BdhRecurrent(BdhModel.random(c, 6, 0.3f), true);
        for (int t : randomTokens(10, 11, 4)) r.step(t);
        for (double d : r.xDensity()) assertTrue(d > 0.05 && d < 0.95, "density " + d);
        double[] x = r.xDensity(), xy = r.xyDensity();
        for (int l = 0; l < x.length; l++) assertTrue(xy[l] <= x[l]);
        r.reset();
        assertEquals(0, r.position());
    }

    /** Heads added by {@link BdhModel#withHeads} leave the logits as they were, and the new heads get a gradient at once. */
    @Test
    void addedHeadsKeepTheFunctionAndLearn() {
        BdhConfig[] shapes = {new BdhConfig(2, 16, 2, 24, 11, 100.0), new BdhConfig(1, 7, 1, 10, 5, 7.0), new BdhConfig(3, 33, 3, 6, 17, BdhConfig.DEFAULT_THETA)};
        for (int k = 0; k < shapes.length; k++) {
            BdhConfig c = shapes[k];
            BdhModel m = BdhModel.random(c, 70 + k, 0.3f);
            BdhModel wide = m.withHeads(c.heads() + 1 + k, 80 + k);
            assertEquals(c.heads() + 1 + k, wide.config().heads());
            int[] tokens = randomTokens(13 + k, c.vocab(), 90 + k);
            int n = tokens.length * c.vocab();
            float[] a = Arrays.copyOf(new BdhParallel(m).forward(tokens), n);
            BdhParallel p = new BdhParallel(wide);
            float[] b = Arrays.copyOf(p.forward(tokens), n);
            assertArrayEquals(a, b, "shape " + k + ": zero decoder rows add exact zeros");
            // the grown arrays keep the old heads' weights in place and are new arrays
            int old = c.heads() * c.dim() * c.neurons();
            assertTrue(Arrays.equals(m.encoder(), 0, old, wide.encoder(), 0, old));
            assertTrue(wide.encoder() != m.encoder() && wide.embed() != m.embed());
            float[] dLogits = new float[n];
            int[] targets = randomTokens(tokens.length, c.vocab(), 100 + k);
            p.crossEntropy(targets, dLogits, 1f);
            BdhModel g = wide.zerosLike();
            p.backward(dLogits, g);
            double newRows = 0;
            for (int i = old; i < g.decoder().length; i++) newRows += Math.abs(g.decoder()[i]);
            assertTrue(newRows > 0, "shape " + k + ": the new heads' decoder rows get a gradient");
        }
        BdhModel m = BdhModel.random(shapes[0], 1, 0.3f);
        assertThrows(TritException.class, () -> m.withHeads(1, 2));
        assertEquals(m.config(), m.withHeads(2, 3).config());
    }
}
