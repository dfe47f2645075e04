package trit.gguf;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trit.tensor.GgmlType;

class GgufRoundTripTest {
    @TempDir Path dir;

    static GgufWriter sample() {
        GgufWriter w = new GgufWriter();
        w.put("general.architecture", GgufValue.ofString("llama"));
        w.put("general.name", GgufValue.ofString("round trip ünïcödé"));
        w.put("u8", new GgufValue(GgufValueType.UINT8, (byte) 0xfe));
        w.put("i8", new GgufValue(GgufValueType.INT8, (byte) -3));
        w.put("u16", new GgufValue(GgufValueType.UINT16, (short) 0xfffe));
        w.put("i16", new GgufValue(GgufValueType.INT16, (short) -300));
        w.put("u32", GgufValue.ofU32(0xfffffff0));
        w.put("i32", GgufValue.ofI32(-70000));
        w.put("u64", GgufValue.ofU64(-2L));
        w.put("i64", new GgufValue(GgufValueType.INT64, Long.MIN_VALUE));
        w.put("f32", GgufValue.ofF32(1.5e-3f));
        w.put("f64", new GgufValue(GgufValueType.FLOAT64, Math.PI));
        w.put("bool", GgufValue.ofBool(true));
        w.put("tokens", GgufValue.ofStrings("<s>", "</s>", "hello", "", "▁world"));
        w.put("scores", GgufValue.ofFloats(0f, -1f, 2.5f));
        w.put("types", GgufValue.ofI32s(1, 2, 3));
        w.put("bytes", GgufValue.ofArray(new GgufArray(GgufValueType.UINT8, new byte[] {1, 2, (byte) 255})));
        w.put("bools", GgufValue.ofArray(new GgufArray(GgufValueType.BOOL, new boolean[] {true, false})));
        w.put("nested", GgufValue.ofArray(new GgufArray(GgufValueType.ARRAY, new GgufArray[] {
                new GgufArray(GgufValueType.INT32, new int[] {7}),
                new GgufArray(GgufValueType.STRING, new String[] {"a", "b"})})));
        w.addTensor("f32.weight", GgmlType.F32, new long[] {4, 3}, dst -> {
            for (int i = 0; i < 12; i++) dst.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, i * 0.5f);
        });
        w.addTensor("q8.weight", GgmlType.Q8_0, new long[] {64, 2}, dst -> dst.fill((byte) 7));
        w.addTensor("tq2.weight", GgmlType.TQ2_0, new long[] {256}, dst -> dst.fill((byte) 0x55));
        w.addTensor("i2s.weight", GgmlType.I2_S, new long[] {128, 2}, dst -> dst.fill((byte) 0x11));
        return w;
    }

    @Test
    void writesAndReadsEveryValueType() {
        Path p = dir.resolve("m.gguf");
        sample().write(p);
        try (GgufFile f = GgufFile.open(p)) {
            assertEquals(3, f.version());
            assertEquals("llama", f.architecture());
            assertEquals("round trip ünïcödé", f.getString("general.name", null));
            assertEquals(0xfe, f.get("u8").asLong());
            assertEquals(-3, f.get("i8").asLong());
            assertEquals(0xfffe, f.get("u16").asLong());
            assertEquals(-300, f.get("i16").asLong());
            assertEquals(0xfffffff0L, f.get("u32").asLong());
            assertEquals(-70000, f.get("i32").asLong());
            assertEquals("18446744073709551614", f.get("u64").display());
            assertEquals(Long.MIN_VALUE, f.get("i64").asLong());
            assertEquals(1.5e-3f, (float) f.get("f32").asDouble());
            assertEquals(Math.PI, f.get("f64").asDouble());
            assertEquals(1, f.get("bool").asLong());
            assertArrayEquals(new String[] {"<s>", "</s>", "hello", "", "▁world"}, f.get("tokens").asArray().strings());
            assertArrayEquals(new float[] {0f, -1f, 2.5f}, f.get("scores").asArray().floats());
            assertArrayEquals(new int[] {1, 2, 3}, f.get("types").asArray().ints());
            assertArrayEquals(new int[] {1, 2, 255}, f.get("bytes").asArray().ints());
            GgufArray[] nested = (GgufArray[]) f.get("nested").asArray().values();
            assertArrayEquals(new String[] {"a", "b"}, nested[1].strings());
            assertEquals(List.of("general.architecture", "general.name", "u8"),
                    f.metadata().keySet().stream().limit(3).toList(), "metadata keeps file order");

            GgufTensor t = f.tensor("f32.weight");
            assertArrayEquals(new long[] {4, 3}, t.shape());
            assertEquals(48, t.bytes());
            assertEquals(5.5f, t.data().getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, 11));
            assertEquals(0, (f.dataOffset() + t.offset()) % 32, "tensor data aligned");
            assertEquals(4 * 34, f.tensor("q8.weight").bytes());
            assertEquals(66, f.tensor("tq2.weight").bytes());
            assertEquals(256 / 4 + 32, f.tensor("i2s.weight").bytes());
            assertEquals(12 + 128 + 256 + 256, f.parameterCount());
            assertTrue(t.data().isReadOnly(), "mapped tensors are read-only views");
        }
    }

    @Test
    void rewritingAReadFileGivesIdenticalBytes() throws IOException {
        Path a = dir.resolve("a.gguf");
        Path b = dir.resolve("b.gguf");
        sample().write(a);
        try (GgufFile f = GgufFile.open(a)) {
            GgufWriter w = new GgufWriter().putAll(f.metadata());
            for (GgufTensor t : f.tensors()) w.addTensor(t.name(), t.type(), t.shape(), t.data());
            w.write(b);
        }
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    }

    @Test
    void readsVersion2AndCustomAlignment() throws IOException {
        Path p = dir.resolve("v2.gguf");
        GgufWriter w = sample().put("general.alignment", GgufValue.ofU32(64));
        w.write(p);
        byte[] bytes = Files.readAllBytes(p);
        bytes[4] = 2; // v2 shares v3's little-endian layout
        Files.write(p, bytes);
        try (GgufFile f = GgufFile.open(p)) {
            assertEquals(2, f.version());
            assertEquals(64, f.alignment());
            for (GgufTensor t : f.tensors()) assertEquals(0, (f.dataOffset() + t.offset()) % 64);
        }
    }

    @Test
    void failedWriteLeavesTheTargetUntouched() throws IOException {
        Path p = dir.resolve("keep.gguf");
        Files.writeString(p, "precious");
        GgufWriter w = new GgufWriter().put("general.architecture", GgufValue.ofString("x"));
        w.addTensor("t", GgmlType.F32, new long[] {4}, dst -> { throw new IllegalStateException("boom"); });
        assertThrows(IllegalStateException.class, () -> w.write(p));
        assertEquals("precious", Files.readString(p));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary file left behind");
        }
    }

    /** A sparse file larger than 2 GiB: offsets beyond 2^31 must map and read correctly. */
    @Test
    void readsTensorDataBeyondTwoGibibytes() throws IOException {
        long n = (3L << 30) / 4; // 3 GiB of f32
        RawGguf r = new RawGguf().header(3, 1, 1).str("general.architecture").u32(8).str("big")
                .tensor("big.weight", new long[] {n / 1024, 1024}, 0, 0).pad(32);
        int dataStart = r.size();
        Path p = dir.resolve("big.gguf");
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.write(r.bytes());
            f.setLength(dataStart + n * 4);
            f.seek(dataStart + n * 4 - 4);
            f.write(new byte[] {0, 0, (byte) 0x80, 0x3f}); // 1.0f, last element
        }
        try (GgufFile f = GgufFile.open(p)) {
            MemorySegment d = f.tensor("big.weight").data();
            assertEquals(n * 4, d.byteSize());
            assertEquals(1.0f, d.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, n - 1));
            assertEquals(0f, d.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, n / 2));
        }
    }

    @Test
    void memoryImageEqualsTheFile() throws IOException {
        Path p = dir.resolve("file.gguf");
        sample().write(p);
        GgufWriter w = sample();
        java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofShared();
        MemorySegment mem = arena.allocate(w.size(), 64);
        w.writeTo(mem, null);
        assertArrayEquals(Files.readAllBytes(p), mem.toArray(ValueLayout.JAVA_BYTE));
        try (GgufFile f = GgufFile.fromMemory("in-memory", mem, arena)) {
            assertEquals("llama", f.architecture());
            assertEquals(5.5f, f.tensor("f32.weight").data().getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, 11));
        }
    }
}
