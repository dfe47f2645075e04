package trit.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.api.Test;
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

    /** One llama_tokenize call and its answer, recorded from llama.cpp on the full vocabulary. */
    record Case(String vocab, boolean addSpecial, boolean parseSpecial, String text, int... expected) {}

    static final List<Case> SPECIAL_CASES = List.of(
            new Case("llama-bpe", true, true, "Hello world<|eot_id|> Hello", 128000, 9906, 1917, 128009, 22691),
            new Case("llama-bpe", false, false, "Hello world<|eot_id|> Hello", 9906, 1917, 27, 91, 68, 354, 851, 91, 29, 22691),
            new Case("llama-bpe", true, true, "<|start_header_id|>user<|end_header_id|>\n\nHello world<|eot_id|>",
                    128000, 128006, 882, 128007, 271, 9906, 1917, 128009),
            // Phi-3's special tokens swallow the whitespace after them (rstrip), and SentencePiece puts a
            // space in front of the text after each
            new Case("phi-3", true, true, "<|user|>\nHello world<|end|>\n<|assistant|>\n", 1, 32010, 15043, 3186, 32007, 32001),
            new Case("phi-3", false, true, "Hello<|end|>   \n world", 15043, 32007, 3186),
            new Case("phi-3", false, true, "Hello</s>  world", 15043, 2, 3186),
            new Case("llama-spm", true, true, "Hello world</s> Hello", 1, 15043, 3186, 2, 29871, 15043),
            new Case("llama-spm", true, false, "Hello world</s> Hello", 1, 15043, 3186, 829, 29879, 29958, 15043),
            new Case("llama-spm", true, true, "<s>Hello", 1, 1, 15043));

    @ParameterizedTest
    @FieldSource("SPECIAL_CASES")
    void specialTokensAndBosAsLlamaCpp(Case c) {
        Fixture fx = fixture(c.vocab);
        assertArrayEquals(c.expected, fx.toOriginal(fx.tokenizer.encode(c.text, c.addSpecial, c.parseSpecial)));
    }

    @Test
    void endOfGenerationTokens() {
        Tokenizer llama3 = fixture("llama-bpe").tokenizer;
        int eot = llama3.tokenId("<|eot_id|>");
        assertEquals(eot, llama3.eot());
        assertTrue(llama3.isEndOfGeneration(eot));
        assertTrue(llama3.isEndOfGeneration(llama3.eos()));
        assertTrue(llama3.isEndOfGeneration(llama3.tokenId("<|eom_id|>") >= 0 ? llama3.tokenId("<|eom_id|>") : eot));
        assertFalse(llama3.isEndOfGeneration(llama3.bos()));
        assertFalse(llama3.isEndOfGeneration(llama3.tokenId("<|start_header_id|>")));
        assertTrue(llama3.addBos());
        assertEquals("llama-bpe", llama3.preTokenizer());

        Tokenizer qwen = fixture("qwen2").tokenizer;
        assertEquals(qwen.tokenId("<|im_end|>"), qwen.eot());
        assertTrue(qwen.isEndOfGeneration(qwen.tokenId("<|im_end|>")));
        assertTrue(qwen.isEndOfGeneration(qwen.tokenId("<|endoftext|>")));
        assertFalse(qwen.isEndOfGeneration(qwen.tokenId("<|im_start|>")));
        assertFalse(qwen.addBos());

        Tokenizer phi3 = fixture("phi-3").tokenizer;
        assertTrue(phi3.isEndOfGeneration(phi3.tokenId("<|end|>")));
        assertTrue(phi3.isEndOfGeneration(phi3.tokenId("<|endoftext|>")));
        assertFalse(phi3.isEndOfGeneration(phi3.tokenId("<|assistant|>")));
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
