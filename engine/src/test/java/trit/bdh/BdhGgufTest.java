package trit.bdh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trit.TritException;
import trit.gguf.GgufFile;
import trit.model.Generator;
import trit.sample.Sampler;
import trit.sample.SamplerConfig;
import trit.tokenizer.Tokenizer;

class BdhGgufTest {
    @TempDir Path dir;

    @Test
    void roundTripKeepsConfigAndWeightsExactly() {
        BdhConfig c = new BdhConfig(3, 12, 2, 10, 256, 1234.5);
        BdhModel m = BdhModel.random(c, 3);
        Path p = dir.resolve("m.gguf");
        BdhGguf.write(m, "test", 64, p);
        try (GgufFile f = GgufFile.open(p)) {
            assertEquals("bdh", f.architecture());
            assertEquals(64, BdhGguf.trainedContext(f));
            BdhModel r = BdhGguf.read(f);
            assertEquals(c, r.config());
            for (int i = 0; i < m.params().size(); i++) {
                assertArrayEquals(m.params().get(i).data(), r.params().get(i).data(), m.params().get(i).name());
            }
        }
    }

    @Test
    void byteVocabularyMapsTextToBytes() {
        BdhModel m = BdhModel.random(new BdhConfig(1, 8, 1, 8, 256, 100), 4);
        Path p = dir.resolve("b.gguf");
        BdhGguf.write(m, "bytes", 16, p);
        try (GgufFile f = GgufFile.open(p)) {
            Tokenizer tok = Tokenizer.fromGguf(f);
            String text = "Héllo, wörld! 12";
            int[] ids = tok.encode(text, true, false);
            assertArrayEquals(BdhTrainer.bytesToTokens(text.getBytes(StandardCharsets.UTF_8)), ids);
            assertEquals(text, tok.decode(ids));
            // and the generation loop runs on the recurrent form
            BdhSession s = new BdhSession(new BdhRecurrent(BdhGguf.read(f), true), 64);
            Generator.Result r = Generator.generate(s, ids, 5, new Sampler(SamplerConfig.greedy()), null, null);
            assertEquals(5, r.tokens().length);
            assertEquals(ids.length + 4, s.position());
        }
    }

    @Test
    void refusesOtherArchitecturesAndBadShapes() {
        BdhModel m = BdhModel.random(new BdhConfig(1, 8, 1, 8, 11, 100), 4);
        Path p = dir.resolve("c.gguf");
        var w = BdhGguf.writer(m, "x", 4);
        w.put("bdh.neuron_count", trit.gguf.GgufValue.ofU32(6));
        w.write(p);
        try (GgufFile f = GgufFile.open(p)) {
            TritException e = assertThrows(TritException.class, () -> BdhGguf.read(f));
            assertTrue(e.getMessage().contains("enc.weight"), e.getMessage());
        }
        var w2 = BdhGguf.writer(m, "x", 4);
        w2.put("general.architecture", trit.gguf.GgufValue.ofString("llama"));
        w2.write(p);
        try (GgufFile f = GgufFile.open(p)) {
            assertThrows(TritException.class, () -> BdhGguf.read(f));
        }
    }
}
