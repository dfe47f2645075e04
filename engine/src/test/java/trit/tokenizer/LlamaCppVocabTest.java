package trit.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import trit.gguf.GgufFile;

/**
 * The tokenizers on llama.cpp's own full vocabularies and test vectors ({@code models/ggml-vocab-*.gguf}
 * with {@code .inp}/{@code .out}), which are not part of this repository. Runs only when the system
 * property {@code trit.llamacpp.models} names that directory, e.g.
 * {@code mvn -pl engine test -Dtest=LlamaCppVocabTest -Dtrit.llamacpp.models=/path/to/llama.cpp/models}.
 * The reduced fixtures in src/test/resources/tokenizer are checked against the same vectors by
 * {@link TokenizerFixtureTest} on every build.
 */
class LlamaCppVocabTest {
    static final List<String> VOCABS = TokenizerFixtureTest.VOCABS;

    @ParameterizedTest
    @FieldSource("VOCABS")
    void matchesLlamaCppVectors(String name) throws IOException {
        String dir = System.getProperty("trit.llamacpp.models");
        assumeTrue(dir != null && !dir.isEmpty(), "set -Dtrit.llamacpp.models to llama.cpp's models directory");
        Path vocab = Path.of(dir, "ggml-vocab-" + name + ".gguf");
        assumeTrue(Files.exists(vocab), vocab + " is missing");
        List<String> inputs = readInputs(Path.of(vocab + ".inp"));
        List<int[]> expected = readOutputs(Path.of(vocab + ".out"));
        assertEquals(inputs.size(), expected.size(), "inputs and outputs");
        TokenizerFixtureTest.Fixture fx = TokenizerFixtureTest.fixture(name);
        assertEquals(inputs, List.of(fx.inputs()), "the fixture holds the same inputs");
        try (GgufFile f = GgufFile.open(vocab)) {
            Tokenizer t = Tokenizer.fromGguf(f);
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                int[] got = t.encode(inputs.get(i), false, false);
                if (!Arrays.equals(expected.get(i), got)) {
                    failures.add(TokenizerFixtureTest.describe(inputs.get(i), expected.get(i), got));
                }
                // the reduced fixture must tokenize exactly as the full vocabulary
                int[] reduced = fx.toOriginal(fx.tokenizer().encode(inputs.get(i), false, false));
                if (!Arrays.equals(got, reduced)) {
                    failures.add("fixture differs from full vocabulary: " + TokenizerFixtureTest.describe(inputs.get(i), got, reduced));
                }
                assertArrayEquals(expected.get(i), fx.expected()[i], "the fixture stores llama.cpp's answer");
            }
            assertEquals(List.of(), failures, name + ": " + failures.size() + " of " + inputs.size() + " differ");
            // and agrees on the special tokens
            Tokenizer r = fx.tokenizer();
            int[] ids = fx.originalIds();
            assertEquals(t.bos(), r.bos() < 0 ? -1 : ids[r.bos()], "bos");
            assertEquals(t.eos(), r.eos() < 0 ? -1 : ids[r.eos()], "eos");
            assertEquals(t.eot(), r.eot() < 0 ? -1 : ids[r.eot()], "eot");
            assertEquals(t.addBos(), r.addBos(), "add_bos");
            assertEquals(t.addEos(), r.addEos(), "add_eos");
            for (int i = 0; i < ids.length; i++) {
                assertEquals(t.isEndOfGeneration(ids[i]), r.isEndOfGeneration(i), "end of generation: token " + ids[i]);
                assertArrayEquals(t.tokenBytes(ids[i]), r.tokenBytes(i), "piece of token " + ids[i]);
            }
        }
    }

    /** Splits a {@code .inp} file as llama.cpp's test-tokenizer-0 does. */
    static List<String> readInputs(Path p) throws IOException {
        String raw = Files.readString(p, StandardCharsets.UTF_8);
        String sep = "\n__ggml_vocab_test__\n";
        List<String> out = new ArrayList<>();
        int pos = 0;
        while (pos < raw.length()) {
            int next = raw.indexOf(sep, pos);
            if (next < 0) {
                out.add(raw.substring(pos));
                break;
            }
            out.add(raw.substring(pos, next));
            pos = next + sep.length();
        }
        return out;
    }

    static List<int[]> readOutputs(Path p) throws IOException {
        List<int[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            String s = line.strip();
            out.add(s.isEmpty() ? new int[0] : Arrays.stream(s.split(" ")).mapToInt(Integer::parseInt).toArray());
        }
        return out;
    }
}
