package trit.gguf;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random mutations of valid files: the reader must either accept the file (and every tensor
 * byte it reports must be readable) or throw a {@link GgufException}; nothing else may escape.
 */
class GgufFuzzTest {
    @TempDir Path dir;

    @Test
    void mutatedFilesFailCleanly() throws IOException {
        Path seedFile = dir.resolve("seed.gguf");
        GgufRoundTripTest.sample().write(seedFile);
        byte[] seed = Files.readAllBytes(seedFile);
        SplittableRandom rnd = new SplittableRandom(20261124);
        Path p = dir.resolve("fuzz.gguf");
        int accepted = 0, rejected = 0;
        for (int iter = 0; iter < 3000; iter++) {
            byte[] b = mutate(seed, rnd);
            Files.write(p, b);
            try (GgufFile f = GgufFile.open(p)) {
                for (GgufTensor t : f.tensors()) {
                    long n = t.data().byteSize();
                    if (n > 0) {
                        t.data().get(ValueLayout.JAVA_BYTE, 0);
                        t.data().get(ValueLayout.JAVA_BYTE, n - 1);
                    }
                }
                f.metadata().values().forEach(GgufValue::display);
                accepted++;
            } catch (GgufException e) {
                assertFalse(e.getMessage().contains("\n"));
                assertTrue(e.getMessage().startsWith(p.toString()));
                rejected++;
            } catch (Throwable t) {
                fail("iteration " + iter + " escaped with " + t, t);
            }
        }
        assertTrue(rejected > 1000, "most mutations should be rejected, got " + rejected);
        assertTrue(accepted > 10, "some mutations (e.g. in tensor data) stay valid, got " + accepted);
    }

    private static byte[] mutate(byte[] seed, SplittableRandom rnd) {
        byte[] b = seed.clone();
        int edits = 1 + rnd.nextInt(4);
        for (int e = 0; e < edits && b.length > 8; e++) {
            int header = Math.min(b.length, 900); // most structure lives in the first bytes
            switch (rnd.nextInt(6)) {
                case 0 -> b[rnd.nextInt(header)] ^= (byte) (1 << rnd.nextInt(8));
                case 1 -> b[rnd.nextInt(header)] = (byte) rnd.nextInt(256);
                case 2 -> { // a hostile 64-bit integer
                    int at = rnd.nextInt(Math.max(1, header - 8));
                    long[] evil = {-1L, 1L << 62, Integer.MAX_VALUE, 0, 1L << 31, rnd.nextLong()};
                    ByteBuffer.wrap(b, at, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(evil[rnd.nextInt(evil.length)]);
                }
                case 3 -> b = Arrays.copyOf(b, rnd.nextInt(b.length + 1)); // truncate
                case 4 -> { // duplicate a slice (shifts everything after it)
                    int at = rnd.nextInt(header);
                    int len = 1 + rnd.nextInt(16);
                    byte[] n = new byte[b.length + len];
                    System.arraycopy(b, 0, n, 0, at);
                    System.arraycopy(b, at, n, at, Math.min(len, b.length - at));
                    System.arraycopy(b, at, n, at + len, b.length - at);
                    b = n;
                }
                default -> { // tensor data
                    if (b.length > header) b[header + rnd.nextInt(b.length - header)] ^= 0x5a;
                }
            }
        }
        return b;
    }
}
