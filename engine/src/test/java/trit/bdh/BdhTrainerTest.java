package trit.bdh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import trit.kernel.Parallel;

class BdhTrainerTest {
    @Test
    void adamWFirstStepsMatchHandComputedValues() {
        float[] p = {1f, -2f, 0.5f};
        float[] g = {0.1f, -0.3f, 0f};
        AdamW opt = new AdamW(0.9, 0.999, 1e-8, 0.1);
        opt.step(List.of(p), List.of(g), 0.01);
        // step 1: bias-corrected m/sqrt(v) = sign(g); decay multiplies by 1 - lr*wd
        assertEquals(1f * (1 - 0.001f) - 0.01f, p[0], 1e-6);
        assertEquals(-2f * (1 - 0.001f) + 0.01f, p[1], 1e-6);
        assertEquals(0.5f * (1 - 0.001f), p[2], 1e-6);
        // step 2 with the same gradient: m1 = 0.1 g, m2 = 0.19 g; v1 = 0.001 g^2, v2 = 0.001999 g^2
        float before = p[0];
        opt.step(List.of(p), List.of(g), 0.01);
        double mhat = 0.19 * 0.1 / (1 - 0.81), vhat = 0.001999 * 0.01 / (1 - 0.998001);
        assertEquals(before * (1 - 0.001) - 0.01 * mhat / (Math.sqrt(vhat) + 1e-8), p[0], 1e-6);
    }

    @Test
    void learningRateWarmsUpThenDecaysToATenth() {
        BdhTrainer.Settings s = new BdhTrainer.Settings(8, 1, 100, 1e-3, 10, 0, 0, 1, 0, 0);
        assertEquals(1e-4, BdhTrainer.learningRate(s, 0), 1e-12);
        assertEquals(1e-3, BdhTrainer.learningRate(s, 10), 1e-12);
        assertEquals(1e-4, BdhTrainer.learningRate(s, 100), 1e-12);
    }

    @Test
    void learnsARepeatingText() {
        int[] data = BdhTrainer.bytesToTokens("the cat sat on the mat. ".repeat(40).getBytes(StandardCharsets.US_ASCII));
        BdhModel m = BdhModel.random(new BdhConfig(2, 32, 2, 64, 256, BdhConfig.DEFAULT_THETA), 1);
        BdhTrainer.Settings s = new BdhTrainer.Settings(24, 4, 150, 1e-2, 10, 0.0, 1.0, 7, 0, 4);
        try (Parallel pool = Parallel.create(2)) {
            BdhTrainer.Result r = new BdhTrainer(m, new AdamW(0.0), pool, s).train(data, data, null);
            assertTrue(r.firstLoss() > 5.0, "a fresh byte model starts near ln 256: " + r.firstLoss());
            assertTrue(r.valLoss() < 0.5, "after 150 steps on a 24-byte period the loss should be low: " + r.valLoss());
        }
    }

    /** Cut off after its first checkpoint and resumed, a run ends with the model of an uninterrupted one, bit for bit. */
    @Test
    void aResumedRunEqualsAnUninterruptedOne(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        int[] data = BdhTrainer.bytesToTokens("the cat sat on the mat; the dog sat on the log. ".repeat(20).getBytes(StandardCharsets.US_ASCII));
        BdhConfig c = new BdhConfig(2, 16, 2, 16, 256, BdhConfig.DEFAULT_THETA);
        BdhTrainer.Settings s = new BdhTrainer.Settings(12, 3, 6, 1e-2, 2, 0.1, 1.0, 7, 3, 2);
        java.nio.file.Path ck = dir.resolve("c.gguf");
        class Stop extends RuntimeException {}
        try (Parallel pool = Parallel.create(2)) {
            BdhModel straight = BdhModel.random(c, 1);
            BdhTrainer.Result whole = new BdhTrainer(straight, new AdamW(0.1), pool, s).train(data, data, null);
            BdhModel cut = BdhModel.random(c, 1);
            AdamW opt = new AdamW(0.1);
            org.junit.jupiter.api.Assertions.assertThrows(Stop.class, () -> new BdhTrainer(cut, opt, pool, s).train(data, data,
                    BdhTrainer.RunState.start(7), st -> {
                        java.util.Map<String, String> state = new java.util.LinkedHashMap<>(BdhTrainer.settingsMap(s));
                        state.putAll(st.toMap());
                        BdhCheckpoint.save(BdhGguf.writer(cut, "t", 12), cut, opt, state, ck);
                        throw new Stop();
                    }, null));
            BdhCheckpoint.Loaded l = BdhCheckpoint.load(ck);
            assertEquals(s, BdhTrainer.settingsOf(l.state()));
            BdhTrainer.RunState from = BdhTrainer.RunState.fromMap(l.state());
            assertEquals(3, from.step());
            BdhTrainer.Result rest = new BdhTrainer(l.model(), l.optimizer(0.1), pool, s).train(data, data, from, null, null);
            for (int k = 0; k < straight.params().size(); k++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(straight.params().get(k).data(), l.model().params().get(k).data());
            }
            assertEquals(whole.valLoss(), rest.valLoss());
            assertEquals(whole.lastLoss(), rest.lastLoss());
            assertEquals(3, rest.steps());
        }
    }
}
