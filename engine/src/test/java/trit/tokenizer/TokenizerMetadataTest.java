package trit.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trit.TritException;
import trit.gguf.GgufArray;
import trit.gguf.GgufValue;
import trit.gguf.GgufValueType;

/** Missing, mistyped and inconsistent tokenizer metadata fails with a one-line message naming the key. */
class TokenizerMetadataTest {
    @TempDir
    Path dir;

    private void fails(Supplier<TestVocab> vocab, String... expectedInMessage) {
        TritException e = assertThrows(TritException.class, () -> vocab.get().build(dir));
        for (String s : expectedInMessage) assertTrue(e.getMessage().contains(s), e.getMessage());
        assertTrue(e.getMessage().startsWith("vocab-"), "names the file: " + e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'), "one line: " + e.getMessage());
    }

    @Test
    void missingModel() {
        fails(() -> TestVocab.spm().remove("tokenizer.ggml.model"), "no tokenizer.ggml.model");
    }

    @Test
    void unsupportedModel() {
        fails(() -> TestVocab.spm().put("tokenizer.ggml.model", GgufValue.ofString("bert")),
                "unsupported tokenizer model 'bert'", "llama", "gpt2");
        fails(() -> TestVocab.spm().put("tokenizer.ggml.model", GgufValue.ofU32(1)),
                "tokenizer.ggml.model is uint32, expected a string");
    }

    @Test
    void unsupportedPreTokenizer() {
        fails(() -> TestVocab.bpe("tekken"), "unsupported pre-tokenizer 'tekken'", "tokenizer.ggml.pre", "llama3");
    }

    @Test
    void missingOrMistypedTokens() {
        fails(() -> TestVocab.spm().remove("tokenizer.ggml.tokens"), "no tokenizer.ggml.tokens");
        fails(() -> TestVocab.spm().put("tokenizer.ggml.tokens", GgufValue.ofI32s(1, 2, 3)),
                "tokenizer.ggml.tokens is an array of int32, expected strings");
        fails(() -> TestVocab.spm().put("tokenizer.ggml.tokens", GgufValue.ofString("a")),
                "tokenizer.ggml.tokens is string, expected an array");
        fails(() -> TestVocab.spm().put("tokenizer.ggml.tokens", GgufValue.ofStrings()), "tokenizer.ggml.tokens is empty");
    }

    @Test
    void repeatedToken() {
        fails(() -> {
            TestVocab v = TestVocab.spm();
            v.normal("x", 0);
            v.normal("x", 0);
            return v;
        }, "tokens 259 and 260 are both 'x'");
    }

    @Test
    void shortOrMistypedScoresAndTypes() {
        fails(() -> TestVocab.spm().put("tokenizer.ggml.scores", GgufValue.ofFloats(1f, 2f)),
                "tokenizer.ggml.scores has 2 entries for 259 tokens");
        fails(() -> TestVocab.spm().put("tokenizer.ggml.scores", GgufValue.ofStrings("a")),
                "tokenizer.ggml.scores is an array of string, expected float32");
        fails(() -> TestVocab.spm().put("tokenizer.ggml.token_type", GgufValue.ofI32s(1)),
                "tokenizer.ggml.token_type has 1 entries for 259 tokens");
        fails(() -> TestVocab.spm().put("tokenizer.ggml.token_type", GgufValue.ofFloats(1f)),
                "tokenizer.ggml.token_type is an array of float32, expected int32");
    }

    @Test
    void missingOrMalformedMerges() {
        fails(() -> TestVocab.bpe("gpt-2").remove("tokenizer.ggml.merges"), "no tokenizer.ggml.merges");
        fails(() -> TestVocab.bpe("gpt-2").put("tokenizer.ggml.merges",
                GgufValue.ofArray(new GgufArray(GgufValueType.STRING, new String[] {"a b", "ab"}))),
                "merge 1 'ab' is not two tokens separated by a space");
    }

    @Test
    void mistypedSpecialIdsAndFlags() {
        fails(() -> TestVocab.spm().put("tokenizer.ggml.bos_token_id", GgufValue.ofString("1")),
                "tokenizer.ggml.bos_token_id is string, expected an integer token id");
        fails(() -> TestVocab.spm().put("tokenizer.ggml.add_bos_token", GgufValue.ofString("yes")),
                "tokenizer.ggml.add_bos_token is string, expected a boolean");
    }

    @Test
    void optionalArraysMayBeAbsent() {
        // no scores and no types: every token is normal with score 0
        Tokenizer t = TestVocab.spm().remove("tokenizer.ggml.scores").remove("tokenizer.ggml.token_type").build(dir);
        assertEquals(259, t.vocabSize());
        // integer scores are accepted, as in llama.cpp
        int[] scores = new int[259];
        TestVocab.spm().put("tokenizer.ggml.scores", GgufValue.ofI32s(scores)).build(dir);
    }
}
