package trit.corpus;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trit.TritException;

/** Splits, files and manifest of the corpus; the shipped copy; reproducibility from the Debian packages. */
class CorpusTest {
    @TempDir Path dir;

    private static CorpusBuilder.Built synthetic(int docs) {
        Map<Split, List<Document>> by = new EnumMap<>(Split.class);
        for (Split s : Split.values()) by.put(s, new ArrayList<>());
        for (int i = 0; i < docs; i++) {
            by.get(Split.ofDocument(i)).add(new Document("src/" + i, "Chapter " + i + "\n\nText of é" + i + "."));
        }
        return CorpusBuilder.assemble(by, List.of());
    }

    @Test
    void splitRuleIsNinetyFiveFive() {
        int[] n = new int[3];
        for (int i = 0; i < 2000; i++) n[Split.ofDocument(i).ordinal()]++;
        assertArrayEquals(new int[] {1800, 100, 100}, n);
        assertEquals(Split.VALID, Split.ofDocument(9));
        assertEquals(Split.TEST, Split.ofDocument(19));
        assertEquals(Split.VALID, Split.parse("valid"));
        assertThrows(TritException.class, () -> Split.parse("dev"));
    }

    @Test
    void writtenCorpusReadsBackPlainAndGzipped() {
        CorpusBuilder.Built b = synthetic(45);
        for (boolean gzip : new boolean[] {false, true}) {
            Path d = dir.resolve(gzip ? "gz" : "plain");
            CorpusBuilder.write(b, d, gzip);
            Corpus c = Corpus.open(d);
            for (Split s : Split.values()) {
                assertEquals(b.texts().get(s), c.text(s));
                List<Document> docs = c.documents(s);
                assertEquals(b.ids().get(s), docs.stream().map(Document::id).toList());
            }
            assertEquals("Chapter 9\n\nText of é9.", c.documents(Split.VALID).get(0).text());
        }
    }

    @Test
    void aChangedFileFailsItsChecksum() throws Exception {
        CorpusBuilder.write(synthetic(30), dir, false);
        Path f = dir.resolve("test.txt");
        Files.writeString(f, Files.readString(f).replace("Text", "Test"));
        TritException e = assertThrows(TritException.class, () -> Corpus.open(dir).text(Split.TEST));
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
        Files.writeString(dir.resolve("manifest.json"), "{\"format\": \"trit-corpus-1\", \"splits\": [");
        assertThrows(TritException.class, () -> Corpus.open(dir));
        assertThrows(TritException.class, () -> Corpus.open(dir.resolve("absent")));
    }

    @Test
    void manifestJsonRoundTrips() {
        String json = synthetic(25).manifestJson();
        Object parsed = MiniJson.parse(json, "t");
        assertEquals(json, MiniJson.write(parsed));
        assertThrows(TritException.class, () -> MiniJson.parse("{\"a\": [1, 2}", "t"));
        assertThrows(TritException.class, () -> MiniJson.parse("[".repeat(1000), "t"));
    }

    @Test
    void shippedCorpusIsCompleteAndItsSplitsAreDisjoint() {
        Corpus c = Corpus.shipped();
        Set<String> seen = new HashSet<>();
        long total = 0, train = 0;
        for (Split s : Split.values()) {
            String text = c.text(s); // verified against the manifest's SHA-256
            List<Document> docs = c.documents(s);
            assertFalse(docs.isEmpty());
            for (Document d : docs) {
                assertTrue(seen.add(d.id()), "document in two splits: " + d.id());
                assertFalse(d.text().contains("\n\n\n"));
            }
            total += text.length();
            if (s == Split.TRAIN) train = text.length();
        }
        assertEquals(269 + 1189, seen.size(), "Austen's chapters and the Bible's");
        assertTrue(seen.contains("austen/emma/1") && seen.contains("kjv/Revelation/22"));
        double share = train / (double) total;
        assertTrue(share > 0.88 && share < 0.92, "train share " + share);
        assertTrue(c.text(Split.TEST).startsWith(c.documents(Split.TEST).get(0).text()));
    }

    @Test
    void debianPackagesRebuildTheShippedCorpusByteForByte() {
        CorpusBuilder.Inputs in = CorpusBuilder.Inputs.debian();
        assumeTrue(in.has(CorpusBuilder.Source.AUSTEN) && in.has(CorpusBuilder.Source.KJV),
                "r-cran-janeaustenr and bible-kjv-text are not installed");
        List<CorpusBuilder.Source> all = CorpusBuilder.Source.parse("all");
        CorpusBuilder.Built a = CorpusBuilder.build(all, in);
        CorpusBuilder.Built b = CorpusBuilder.build(all, in);
        assertEquals(a.manifestJson(), b.manifestJson());
        assertEquals(a.texts(), b.texts());
        for (Split s : Split.values()) {
            assertEquals(Corpus.shipped().sha256(s), CorpusBuilder.sha256(a.texts().get(s).getBytes(StandardCharsets.UTF_8)),
                    s + " differs from the shipped corpus");
        }
    }
}
