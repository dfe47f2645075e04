package trit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** trit bdh train / bench and trit generate on the trained file. */
class BdhCommandTest {
    @TempDir Path dir;

    private static final String[] TINY = {"--layers", "1", "--dim", "16", "--heads", "2", "--neurons", "16"};

    private static String[] args(String[] head, String... tail) {
        String[] a = new String[head.length + TINY.length + tail.length];
        System.arraycopy(head, 0, a, 0, head.length);
        System.arraycopy(TINY, 0, a, head.length, TINY.length);
        System.arraycopy(tail, 0, a, head.length + TINY.length, tail.length);
        return a;
    }

    @Test
    void trainThenGenerateThenBench() throws Exception {
        Path text = dir.resolve("t.txt");
        Files.writeString(text, "a small corpus of bytes, repeated. ".repeat(60));
        Path out = dir.resolve("b.gguf");
        CliTest.Run t = CliTest.trit(args(new String[] {"bdh", "train", "--text", text.toString(), "--out", out.toString()},
                "--steps", "4", "--seq", "16", "--batch", "2", "--threads", "1", "--json"));
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("\"val_loss\":"), t.out());
        assertTrue(Files.size(out) > 0);

        CliTest.Run g = CliTest.trit("generate", "--model", out.toString(), "-p", "a sm", "-n", "6", "--temperature", "0", "--json");
        assertEquals(0, g.code(), g.err());
        assertTrue(g.out().contains("\"prompt_tokens\":[97,32,115,109]"), g.out()); // bytes of "a sm", no BOS
        assertTrue(g.out().matches("(?s).*\"generated_tokens\":\\[\\d+(,\\d+){5}].*"), g.out());

        CliTest.Run b = CliTest.trit("bdh", "bench", "--model", out.toString(), "-n", "8", "-r", "1", "--json");
        assertEquals(0, b.code(), b.err());
        assertTrue(b.out().contains("\"speedup\":") && b.out().contains("\"x_density\":["), b.out());
    }

    @Test
    void aRunGoesOnFromItsCheckpoint() throws Exception {
        Path text = dir.resolve("t.txt");
        Files.writeString(text, "a small corpus of bytes, repeated. ".repeat(60));
        Path out = dir.resolve("b.gguf"), ck = dir.resolve("b.ckpt.gguf");
        CliTest.Run t = CliTest.trit(args(new String[] {"bdh", "train", "--text", text.toString(), "--out", out.toString()},
                "--steps", "3", "--eval-every", "3", "--seq", "16", "--batch", "2", "--threads", "1", "--json"));
        assertEquals(0, t.code(), t.err());
        assertTrue(Files.size(ck) > Files.size(out), "the checkpoint holds the model and two moments");
        CliTest.Run r = CliTest.trit("bdh", "train", "--text", text.toString(), "--out", out.toString(), "--resume", ck.toString(),
                "--steps", "5", "--threads", "1", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"steps\":2,"), r.out()); // two more steps
        assertTrue(r.err().contains("now ends at step 5"), r.err());
        CliTest.Run bad = CliTest.trit("bdh", "train", "--text", text.toString(), "--out", out.toString(), "--resume", ck.toString(), "--lr", "1");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("lr = 0.003, not 1.0"), bad.err());
        CliTest.Run other = CliTest.trit("bdh", "train", "--text", out.toString(), "--out", out.toString(), "--resume", ck.toString());
        assertEquals(2, other.code());
        assertTrue(other.err().contains("trained on other data"), other.err());
        CliTest.Run notCk = CliTest.trit("bdh", "train", "--text", text.toString(), "--out", dir.resolve("c.gguf").toString(), "--resume", out.toString());
        assertEquals(2, notCk.code());
        assertTrue(notCk.err().contains("not a BDH training checkpoint"), notCk.err());
    }

    @Test
    void badInputExitsTwoWithOneLine() {
        CliTest.Run r = CliTest.trit("bdh", "train", "--text", dir.resolve("missing.txt").toString(), "--out", dir.resolve("x.gguf").toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        r = CliTest.trit("bdh", "bench", "--neurons", "7");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("even"), r.err());
    }
}
