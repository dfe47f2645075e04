package trit.corpus;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trit.TritException;

/** The R serialization and lazy-load readers on hand-made fixtures, and their errors on bad input. */
class RSerializationTest {
    @TempDir Path dir;

    @Test
    void readsACharacterVectorWithNaAndUtf8() {
        byte[] b = RFixture.v3().strsxp(3, false).chars("Emma").chars(null).chars("£5, café").bytes();
        RObject o = RSerialization.read(b, "t");
        assertEquals(RObject.STRING, o.type());
        assertArrayEquals(new String[] {"Emma", null, "£5, café"}, o.strings());
    }

    @Test
    void readsANamedListAndSymbolReferences() {
        // list(a = 1:2, b = "x") with names; then the same symbol referenced again in a second attribute
        RFixture f = RFixture.v3().vecsxp(2, true).intsxp(7, 8).strsxp(1, false).chars("x");
        f.cell("names", 0).strsxp(2, false).chars("a").chars("b");
        f.cell(null, 1).strsxp(1, false).chars("again").nil();
        RObject o = RSerialization.read(f.bytes(), "t");
        assertEquals(List.of("a", "b"), o.namesOrNull());
        assertArrayEquals(new int[] {7, 8}, o.get("a").ints());
        assertArrayEquals(new String[] {"x"}, o.get("b").strings());
        assertEquals(List.of("names", "names"), o.attributes().tags());
    }

    @Test
    void lazyLoadDatabaseRoundTrip() throws Exception {
        Path base = RFixture.lazyLoad(dir, new String[] {"one", "two"},
                new String[][] {{"CHAPTER 1", "", "Some text"}, {"x"}});
        RLazyLoad db = RLazyLoad.open(base);
        assertEquals(List.of("one", "two"), db.names());
        assertArrayEquals(new String[] {"CHAPTER 1", "", "Some text"}, db.strings("one"));
        assertArrayEquals(new String[] {"x"}, db.strings("two"));
        TritException e = assertThrows(TritException.class, () -> db.strings("three"));
        assertTrue(e.getMessage().contains("no object 'three'"), e.getMessage());
    }

    @Test
    void malformedInputIsAClearError() {
        byte[] good = RFixture.v3().strsxp(2, false).chars("ab").chars("cd").bytes();
        // every truncation fails cleanly
        for (int n = 0; n < good.length; n++) {
            byte[] cut = Arrays.copyOf(good, n);
            assertThrows(TritException.class, () -> RSerialization.read(cut, "t"), "cut at " + n);
        }
        // a vector length larger than the data
        byte[] huge = RFixture.v3().strsxp(Integer.MAX_VALUE, false).bytes();
        TritException e = assertThrows(TritException.class, () -> RSerialization.read(huge, "t"));
        assertTrue(e.getMessage().contains("elements"), e.getMessage());
        // a reference to nothing
        byte[] ref = RFixture.v3().vecsxp(1, false).raw(0, 0, 5, 255).bytes();
        assertTrue(assertThrows(TritException.class, () -> RSerialization.read(ref, "t")).getMessage().contains("reference 5"));
        // not XDR
        assertThrows(TritException.class, () -> RSerialization.read("A\n1\n".getBytes(), "t"));
        // invalid UTF-8 in a string
        byte[] bad = RFixture.v3().strsxp(1, false).i32(9 | (8 << 12)).i32(2).raw(0xC3, 0x28).bytes();
        assertTrue(assertThrows(TritException.class, () -> RSerialization.read(bad, "t")).getMessage().contains("UTF-8"));
        // deep nesting is bounded
        RFixture deep = RFixture.v3();
        for (int i = 0; i < 10_000; i++) deep.vecsxp(1, false);
        deep.nil();
        assertThrows(TritException.class, () -> RSerialization.read(deep.bytes(), "t"));
    }

    @Test
    void corruptLazyLoadRecordsAreClearErrors() throws Exception {
        Path base = RFixture.lazyLoad(dir, new String[] {"one"}, new String[][] {{"hello", "world"}});
        Path rdb = dir.resolve("Rdata.rdb");
        byte[] b = Files.readAllBytes(rdb);
        b[b.length / 2] ^= 0x55;
        Files.write(rdb, b);
        assertThrows(TritException.class, () -> RLazyLoad.open(base).strings("one"));
        Files.write(rdb, Arrays.copyOf(b, 6));
        assertThrows(TritException.class, () -> RLazyLoad.open(base).strings("one"));
        Files.write(dir.resolve("Rdata.rdx"), new byte[] {1, 2, 3});
        assertThrows(TritException.class, () -> RLazyLoad.open(base));
    }

    @Test
    void austenChaptersIncludeFrontMatterAndVolumeHeadings() {
        String[] lines = {"EMMA", "", "By Jane Austen", "", "VOLUME I", "", "CHAPTER I", "", "Emma Woodhouse,  handsome,",
            "clever, and rich.", "", "  Second   paragraph.", "", "VOLUME II", "", "CHAPTER I", "", "Again.", null};
        List<Document> docs = Austen.chapters("emma", lines, "t");
        assertEquals(2, docs.size());
        assertEquals("austen/emma/1", docs.get(0).id());
        assertEquals("EMMA\n\nBy Jane Austen\n\nVOLUME I\n\nCHAPTER I\n\nEmma Woodhouse, handsome, clever, and rich.\n\nSecond paragraph.",
                docs.get(0).text());
        assertEquals("VOLUME II\n\nCHAPTER I\n\nAgain.", docs.get(1).text());
        assertThrows(TritException.class, () -> Austen.chapters("x", new String[] {"no chapters here"}, "t"));
    }
}
