package trit.gguf;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of broken file must give one clean {@link GgufException} that names the file. */
class GgufHostileInputTest {
    @TempDir Path dir;

    private String fails(byte[] bytes, String expected) throws IOException {
        Path p = dir.resolve("bad.gguf");
        Files.write(p, bytes);
        GgufException e = assertThrows(GgufException.class, () -> GgufFile.open(p).close());
        assertTrue(e.getMessage().startsWith(p.toString() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
        return e.getMessage();
    }

    /** A minimal valid file: one key, one f32 tensor of 8 elements. */
    private static RawGguf valid() {
        return new RawGguf().header(3, 1, 1).str("general.architecture").u32(8).str("llama")
                .tensor("w", new long[] {8}, 0, 0).pad(32).zeros(32);
    }

    @Test
    void validBaselineParses() throws IOException {
        Path p = dir.resolve("ok.gguf");
        Files.write(p, valid().bytes());
        try (GgufFile f = GgufFile.open(p)) {
            assertEquals(8, f.parameterCount());
        }
    }

    @Test
    void missingFileAndDirectory() {
        GgufException e = assertThrows(GgufException.class, () -> GgufFile.open(dir.resolve("nope.gguf")));
        assertTrue(e.getMessage().contains("no such file"));
        e = assertThrows(GgufException.class, () -> GgufFile.open(dir));
        assertTrue(e.getMessage().contains("directory"));
    }

    @Test
    void emptyAndTinyFiles() throws IOException {
        fails(new byte[0], "not a GGUF file");
        fails(new byte[] {'G', 'G', 'U', 'F'}, "not a GGUF file");
    }

    @Test
    void badMagic() throws IOException {
        byte[] b = valid().bytes();
        b[0] = 'X';
        fails(b, "bad magic");
    }

    @Test
    void unsupportedVersions() throws IOException {
        byte[] b = valid().bytes();
        b[4] = 1;
        fails(b, "version 1");
        b[4] = 9;
        fails(b, "unsupported GGUF version 9");
        b[4] = 0;
        b[7] = 3;
        fails(b, "big-endian");
    }

    @Test
    void everyTruncationIsCaught() throws IOException {
        byte[] full = valid().bytes();
        for (int len = 0; len < full.length; len++) {
            byte[] cut = java.util.Arrays.copyOf(full, len);
            Path p = dir.resolve("cut.gguf");
            Files.write(p, cut);
            GgufException e = assertThrows(GgufException.class, () -> GgufFile.open(p).close(), "length " + len);
            assertTrue(e.getMessage().startsWith(p.toString()));
        }
    }

    @Test
    void absurdStringLength() throws IOException {
        byte[] b = new RawGguf().header(3, 0, 1).u64(1L << 62).bytes();
        fails(java.util.Arrays.copyOf(b, 64), "string length 4611686018427387904");
    }

    @Test
    void absurdCounts() throws IOException {
        fails(new RawGguf().header(3, Long.MAX_VALUE, 0).zeros(16).bytes(), "tensor count");
        fails(new RawGguf().header(3, -1, 0).zeros(16).bytes(), "tensor count 18446744073709551615");
        fails(new RawGguf().header(3, 0, 1L << 40).zeros(16).bytes(), "metadata count");
        fails(new RawGguf().header(3, 0, 1).str("k").u32(9).u32(6).u64(1L << 61).zeros(16).bytes(), "claims");
        fails(new RawGguf().header(3, 0, 1).str("k").u32(9).u32(8).u64(1L << 30).zeros(64).bytes(), "claims");
    }

    @Test
    void unknownTypes() throws IOException {
        fails(new RawGguf().header(3, 0, 1).str("k").u32(13).zeros(16).bytes(), "unknown value type 13");
        fails(new RawGguf().header(3, 0, 1).str("k").u32(9).u32(77).u64(0).zeros(16).bytes(), "unknown element type 77");
        fails(new RawGguf().header(3, 1, 0).tensor("w", new long[] {32}, 99, 0).pad(32).zeros(128).bytes(),
                "unknown type id 99");
        fails(new RawGguf().header(3, 1, 0).tensor("w", new long[] {32}, 4, 0).pad(32).zeros(128).bytes(),
                "unknown type id 4");
    }

    @Test
    void badBoolAndDeepNesting() throws IOException {
        fails(new RawGguf().header(3, 0, 1).str("k").u32(7).u8(2).zeros(16).bytes(), "bool with value 2");
        RawGguf r = new RawGguf().header(3, 0, 1).str("k").u32(9);
        for (int i = 0; i < 20; i++) r.u32(9).u64(1);
        r.u32(4).u64(0).zeros(16);
        fails(r.bytes(), "nests arrays");
    }

    @Test
    void duplicates() throws IOException {
        fails(new RawGguf().header(3, 0, 2).str("k").u32(4).u32(1).str("k").u32(4).u32(2).zeros(16).bytes(),
                "duplicate metadata key 'k'");
        fails(new RawGguf().header(3, 2, 0).tensor("w", new long[] {8}, 0, 0).tensor("w", new long[] {8}, 0, 32)
                .pad(32).zeros(64).bytes(), "duplicate tensor name 'w'");
    }

    @Test
    void badAlignmentValue() throws IOException {
        fails(new RawGguf().header(3, 0, 1).str("general.alignment").u32(4).u32(48).zeros(16).bytes(),
                "not a power of two");
        fails(new RawGguf().header(3, 0, 1).str("general.alignment").u32(4).u32(0).zeros(16).bytes(),
                "not a power of two");
        fails(new RawGguf().header(3, 0, 1).str("general.alignment").u32(5).u32(32).zeros(16).bytes(),
                "must be a uint32");
    }

    @Test
    void dataPastEndOfFile() throws IOException {
        fails(new RawGguf().header(3, 1, 0).tensor("w", new long[] {8}, 0, 0).pad(32).zeros(31).bytes(),
                "runs past the end of the file");
        fails(new RawGguf().header(3, 1, 0).tensor("w", new long[] {8}, 0, 1L << 40).pad(32).zeros(32).bytes(),
                "runs past the end of the file");
        fails(new RawGguf().header(3, 1, 0).tensor("w", new long[] {8}, 0, -32).pad(32).zeros(32).bytes(),
                "past the end of the file");
    }

    @Test
    void overlappingAndMisalignedOffsets() throws IOException {
        fails(new RawGguf().header(3, 2, 0).tensor("a", new long[] {16}, 0, 0).tensor("b", new long[] {16}, 0, 32)
                .pad(32).zeros(128).bytes(), "overlap");
        fails(new RawGguf().header(3, 1, 0).tensor("a", new long[] {8}, 0, 4).pad(32).zeros(64).bytes(),
                "not aligned to 32");
    }

    @Test
    void shapeProblems() throws IOException {
        fails(new RawGguf().header(3, 1, 0).tensor("w", new long[] {33}, 8, 0).pad(32).zeros(128).bytes(),
                "not a multiple of the q8_0 block size 32");
        fails(new RawGguf().header(3, 1, 0).tensor("w", new long[] {}, 0, 0).pad(32).zeros(64).bytes(),
                "0 dimensions");
        fails(new RawGguf().header(3, 1, 0).tensor("w", new long[] {1, 1, 1, 1, 1}, 0, 0).pad(32).zeros(64).bytes(),
                "5 dimensions");
        fails(new RawGguf().header(3, 1, 0).tensor("w", new long[] {-8}, 0, 0).pad(32).zeros(64).bytes(),
                "negative dimension");
        fails(new RawGguf().header(3, 1, 0).tensor("w", new long[] {1L << 40, 1L << 40}, 0, 0).pad(32).zeros(64).bytes(),
                "overflows");
        fails(new RawGguf().header(3, 1, 0).tensor("w", new long[] {1L << 31, 1L << 31}, 0, 0).pad(32).zeros(64).bytes(),
                "too large");
        fails(new RawGguf().header(3, 1, 0).tensor("w", new long[] {1L << 20, 1L << 20}, 0, 0).pad(32).zeros(64).bytes(),
                "runs past the end");
    }
}
