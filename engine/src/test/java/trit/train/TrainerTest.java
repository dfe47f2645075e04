package trit.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trit.TritException;
import trit.kernel.Parallel;

class TrainerTest {
    static final String TEXT = "the quick brown fox jumps over the lazy dog. ";
    static final String HASH = TokenizerMeta.hash(TokenizerMeta.byteLevel());

    static int[] bytes(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int[] t = new int[b.length];
        for (int i = 0; i < b.length; i++) t[i] = b[i] & 0xff;
        return t;
    }

    static TrainConfig config(String... kv) {
        Map<String, String> m = new java.util.LinkedHashMap<>(Map.of("dim", "64", "layers", "2", "heads", "4", "kv-heads", "2",
                "ffn", "128", "ctx", "32", "batch", "4", "steps", "60", "eval-every", "20", "eval-batches", "2"));
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return TrainConfig.from(m);
    }

    @Test
    void learnsRepetitiveTextInBothModes() {
        int[] train = bytes(TEXT.repeat(60)), valid = bytes(TEXT.repeat(10));
        try (Parallel pool = Parallel.create(2)) {
            for (String mode : new String[] {"fp32", "ternary"}) {
                Trainer t = new Trainer(config("mode", mode, "lr", "3e-3"), 258, train, valid, HASH, pool);
                double initial = t.validate();
                Trainer.Result r = t.run(null, 0, 0, null);
                assertEquals(Math.log(258), initial, 0.3, mode);
                assertTrue(r.valLoss() < 1.5, mode + ": validation loss " + initial + " -> " + r.valLoss());
                assertEquals(60 * 4 * 32, r.tokens());
            }
        }
    }

    @Test
    void resumeIsBitExact(@TempDir Path dir) {
        int[] train = bytes(TEXT.repeat(30) + "pack my box with five dozen liquor jugs. ".repeat(20)), valid = bytes(TEXT.repeat(5));
        TrainConfig c = config("steps", "12", "eval-every", "5", "mode", "ternary", "schedule", "two-stage", "warmup", "3");
        Path ckpt = dir.resolve("a.gguf");
        try (Parallel pool = Parallel.create(2); Parallel one = Parallel.create(1)) {
            Trainer straight = new Trainer(c, 258, train, valid, HASH, pool);
            straight.run(null, 0, 0, null);

            Trainer first = new Trainer(c, 258, train, valid, HASH, pool);
            for (int i = 0; i < 5; i++) first.trainStep();
            Checkpoint.save(first, ckpt);
            // resumed on one thread: the sums do not depend on the split
            Trainer resumed = Checkpoint.load(ckpt, Map.of("dim", "64"), train, valid, HASH, one);
            assertEquals(5, resumed.step());
            resumed.run(null, 0, 0, null);
            assertArrayEquals(straight.model.w, resumed.model.w);
            assertArrayEquals(straight.adamM, resumed.adamM);
            assertArrayEquals(straight.adamV, resumed.adamV);
            assertEquals(straight.lastLoss, resumed.lastLoss, 0.0);
            assertEquals(straight.lastValLoss, resumed.lastValLoss, 0.0);
        }
    }

    @Test
    void badCheckpointsAreRefusedWithoutTouchingThem(@TempDir Path dir) throws Exception {
        int[] train = bytes(TEXT.repeat(20)), valid = bytes(TEXT.repeat(5));
        Path ckpt = dir.resolve("c.gguf");
        try (Parallel pool = Parallel.create(2)) {
            Trainer t = new Trainer(config("steps", "2"), 258, train, valid, HASH, pool);
            t.run(ckpt, 1, 0, null);
            byte[] good = Files.readAllBytes(ckpt);

            TritException shape = assertThrows(TritException.class, () -> Checkpoint.load(ckpt, Map.of("dim", "128"), train, valid, HASH, pool));
            assertTrue(shape.getMessage().contains("--dim 64, not 128"), shape.getMessage());
            TritException tok = assertThrows(TritException.class, () -> Checkpoint.load(ckpt, Map.of(), train, valid, "0123456789abcdef", pool));
            assertTrue(tok.getMessage().contains("different tokenizer"), tok.getMessage());
            assertArrayEquals(good, Files.readAllBytes(ckpt));

            byte[] bad = good.clone();
            bad[bad.length - 100] ^= 0x10;   // inside the last tensor's data
            Files.write(ckpt, bad);
            TritException corrupt = assertThrows(TritException.class, () -> Checkpoint.load(ckpt, Map.of(), train, valid, HASH, pool));
            assertTrue(corrupt.getMessage().contains("corrupt"), corrupt.getMessage());
            Files.write(ckpt, java.util.Arrays.copyOf(good, 1000));
            assertThrows(TritException.class, () -> Checkpoint.load(ckpt, Map.of(), train, valid, HASH, pool));
            assertThrows(TritException.class, () -> Checkpoint.weights(ckpt));
        }
    }

    @Test
    void refusesEmptyCorpusAndConfigsBeyondMemory() {
        try (Parallel pool = Parallel.create(1)) {
            TritException empty = assertThrows(TritException.class, () -> new Trainer(config(), 258, new int[0], bytes(TEXT.repeat(5)), HASH, pool));
            assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
            TritException big = assertThrows(TritException.class,
                    () -> new Trainer(config("dim", "8192", "layers", "64", "heads", "64", "kv-heads", "64", "ffn", "32768", "batch", "64", "ctx", "2048"),
                            258, bytes(TEXT.repeat(200)), bytes(TEXT.repeat(200)), HASH, pool));
            assertTrue(big.getMessage().contains("GiB"), big.getMessage());
        }
    }

    @Test
    void schedules() {
        TrainConfig c = config("steps", "100", "warmup", "10", "lr", "1e-3", "schedule", "two-stage", "weight-decay", "0.1");
        assertEquals(1e-4, c.learningRate(0), 1e-12);
        assertEquals(1e-3, c.learningRate(9), 1e-12);
        assertEquals(1e-3, c.learningRate(10), 1e-12);
        assertTrue(c.learningRate(49) > 5e-4 && c.learningRate(49) < 5.1e-4);
        assertEquals(2e-4, c.learningRate(50), 1e-12);   // the drop at mid-training
        assertEquals(0.1, c.weightDecayAt(49), 0);
        assertEquals(0.0, c.weightDecayAt(50), 0);
        TrainConfig cos = config("steps", "100", "warmup", "10", "lr", "1e-3");
        assertEquals(1e-4, cos.learningRate(100), 1e-9);
        assertEquals(0.1, cos.weightDecayAt(99), 0);
    }
}
