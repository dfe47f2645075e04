package trit.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import trit.gguf.GgufFile;

/**
 * Known answers from llama.cpp: each fixture in src/test/resources/tokenizer is a llama.cpp test
 * vocabulary cut down to the tokens and merges its test inputs can reach (by
 * tools/tokenizer-fixtures/make_fixtures.py), with the inputs and llama.cpp's token ids stored inside.
 * Token ids in a fixture are renumbered densely; {@code trit.fixture.original_ids} maps them back.
 */
class TokenizerFixtureTest {
    static final List<String> VOCABS = List.of("llama-spm", "phi-3", "llama-bpe", "gpt-2", "qwen2", "qwen35",
            "deepseek-llm", "deepseek-coder", "falcon", "command-r", "mpt", "starcoder", "refact", "gemma-4");

    /** A fixture opened from the test resources. */
    record Fixture(Tokenizer tokenizer, int[] originalIds, String[] inputs, int[][] expected) {
        int[] toOriginal(int[] ids) {
            return Arrays.stream(ids).map(i -> originalIds[i]).toArray();
        }

        int[] fromOriginal(int[] ids) {
            return Arrays.stream(ids).map(o -> {
                for (int i = 0; i < originalIds.length; i++) if (originalIds[i] == o) return i;
                throw new AssertionError("original id " + o + " is not in the fixture");
            }).toArray();
        }
    }

    /** A file under src/test/resources/tokenizer (copied out if the resources are not plain files). */
    static Path resource(String name) {
        URL url = TokenizerFixtureTest.class.getResource("/tokenizer/" + name);
        if (url == null) throw new AssertionError("missing test resource tokenizer/" + name);
        try {
            if (url.getProtocol().equals("file")) return Path.of(url.toURI());
            Path p = Files.createTempFile("trit-", "-" + name);
            p.toFile().deleteOnExit();
            try (InputStream in = url.openStream()) {
                Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
            }
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Fixture fixture(String name) {
        try (GgufFile f = GgufFile.open(resource(name + ".gguf"))) {
            Tokenizer t = Tokenizer.fromGguf(f);
            int[] ids = f.get("trit.fixture.original_ids").asArray().ints().clone();
            String[] inputs = f.get("trit.fixture.inputs").asArray().strings().clone();
            String[] expectedText = f.get("trit.fixture.expected").asArray().strings();
            int[][] expected = new int[expectedText.length][];
            for (int i = 0; i < expectedText.length; i++) {
                String s = expectedText[i].strip();
                expected[i] = s.isEmpty() ? new int[0] : Arrays.stream(s.split(" ")).mapToInt(Integer::parseInt).toArray();
            }
            return new Fixture(t, ids, inputs, expected);
        }
    }

    @ParameterizedTest
    @FieldSource("VOCABS")
    void matchesLlamaCpp(String name) {
        Fixture fx = fixture(name);
        assertTrue(fx.inputs.length > 30, "fixture has its test inputs");
        assertEquals(fx.inputs.length, fx.expected.length);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < fx.inputs.length; i++) {
            int[] got = fx.toOriginal(fx.tokenizer.encode(fx.inputs[i], false, false));
            if (!Arrays.equals(fx.expected[i], got)) failures.add(describe(fx.inputs[i], fx.expected[i], got));
        }
        assertEquals(List.of(), failures, name + ": " + failures.size() + " of " + fx.inputs.length + " differ");
    }

    @ParameterizedTest
    @FieldSource("VOCABS")
    void decodesLlamaCppTokensBackToTheInput(String name) {
        Fixture fx = fixture(name);
        for (int i = 0; i < fx.inputs.length; i++) {
            int[] ids = fx.fromOriginal(fx.expected[i]);
            String decoded = fx.tokenizer.decode(ids);
            assertEquals(fx.inputs[i], decoded, "decode of " + Arrays.toString(fx.expected[i]));
            TokenDecoder d = fx.tokenizer.decoder();
            StringBuilder sb = new StringBuilder();
            for (int id : ids) sb.append(d.next(id));
            sb.append(d.finish());
            assertEquals(decoded, sb.toString(), "streamed decode of " + Arrays.toString(fx.expected[i]));
        }
    }

    static String describe(String input, int[] expected, int[] got) {
        return "input " + escape(input) + ": expected " + Arrays.toString(expected) + ", got " + Arrays.toString(got);
    }

    static String escape(String s) {
        return "\"" + s.codePoints().mapToObj(cp -> switch (cp) {
            case '\n' -> "\\n";
            case '\t' -> "\\t";
            case '\r' -> "\\r";
            default -> new String(Character.toChars(cp));
        }).collect(Collectors.joining()) + "\"";
    }
}
