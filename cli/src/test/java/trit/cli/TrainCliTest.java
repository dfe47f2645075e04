package trit.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `trit train` / `trit export`: JSON fields, exit 2 with one line on bad input, checkpoints left intact. */
class TrainCliTest {
    @TempDir Path dir;

    private static void assertOneLineError(CliTest.Run r, String contains) {
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line on stderr: " + r.err());
        assertTrue(r.err().contains(contains), r.err());
    }

    @Test
    void trainResumeExportAndErrors() throws Exception {
        Path train = dir.resolve("train.txt"), valid = dir.resolve("valid.txt"), empty = dir.resolve("empty.txt"), cfg = dir.resolve("c.conf");
        Files.writeString(train, "hello trit, hello ternary world. ".repeat(40));
        Files.writeString(valid, "hello trit, hello ternary world. ".repeat(5));
        Files.writeString(empty, "");
        Files.writeString(cfg, "# tiny\ndim=32\nlayers=1\nheads=2\nffn=64\nctx=16\nbatch=2\nsteps=4\neval-every=2\neval-batches=1\n");
        Path ckpt = dir.resolve("ckpt.gguf");
        CliTest.Run r = CliTest.trit("train", "--train", train.toString(), "--valid", valid.toString(), "--tokenizer", "bytes",
                "--config", cfg.toString(), "--checkpoint", ckpt.toString(), "--every", "2", "--threads", "1", "--json");
        assertEquals(0, r.code(), r.err());
        for (String k : new String[] {"\"final_loss\":", "\"val_loss\":", "\"tokens\":128", "\"tokens_per_second\":", "\"mfu\":", "\"seconds\":"}) {
            assertTrue(r.out().contains(k), k + " in " + r.out());
        }
        byte[] before = Files.readAllBytes(ckpt);
        assertOneLineError(CliTest.trit("train", "--train", train.toString(), "--valid", valid.toString(), "--tokenizer", "bytes",
                "--config", cfg.toString(), "--dim", "64", "--resume", ckpt.toString(), "--checkpoint", ckpt.toString()), "--dim 32, not 64");
        assertOneLineError(CliTest.trit("train", "--train", empty.toString(), "--valid", valid.toString(), "--tokenizer", "bytes",
                "--config", cfg.toString(), "--checkpoint", ckpt.toString()), "empty");
        assertOneLineError(CliTest.trit("train", "--train", train.toString(), "--valid", valid.toString(), "--tokenizer", "bytes",
                "--dim", "65536", "--layers", "64", "--heads", "64", "--ffn", "65536", "--ctx", "16", "--checkpoint", ckpt.toString()), "GiB");
        assertArrayEquals(before, Files.readAllBytes(ckpt), "no failed run touched the checkpoint");

        Path out = dir.resolve("m.gguf");
        CliTest.Run e = CliTest.trit("export", ckpt.toString(), out.toString(), "--type", "f32", "--tokenizer", "bytes", "--json");
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("\"parameters\":"), e.out());
        // rows of 32 are not TQ2_0 blocks
        assertOneLineError(CliTest.trit("export", ckpt.toString(), dir.resolve("t.gguf").toString(), "--type", "tq2_0", "--tokenizer", "bytes"), "multiple");
        Files.write(ckpt, java.util.Arrays.copyOf(before, before.length / 2));
        assertOneLineError(CliTest.trit("export", ckpt.toString(), dir.resolve("t.gguf").toString(), "--type", "f32", "--tokenizer", "bytes"), "ckpt.gguf");
    }
}
