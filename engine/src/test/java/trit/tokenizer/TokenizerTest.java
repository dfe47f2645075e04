package trit.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trit.TritException;
import trit.gguf.GgufValue;

/** The tokenization algorithms, special tokens and BOS/EOS rules on small hand-made vocabularies. */
class TokenizerTest {
    @TempDir
    Path dir;

    private static int[] ids(int... ids) {
        return ids;
    }

    private static int byteToken(int b) {
        return 3 + b; // TestVocab.spm(): byte tokens follow <unk> <s> </s>
    }

    // --- SentencePiece ----------------------------------------------------------------------------

    @Test
    void spmMergesTheHighestScoringPairFirst() {
        TestVocab v = TestVocab.spm();
        int a = v.normal("a", -10), b = v.normal("b", -10), c = v.normal("c", -10);
        v.normal("ab", -2);
        int bc = v.normal("bc", -1);
        assertArrayEquals(ids(a, bc), v.build(dir).encode("abc", false, false));
    }

    @Test
    void spmBreaksScoreTiesLeftmostFirst() {
        TestVocab v = TestVocab.spm();
        v.normal("a", -10);
        v.normal("b", -10);
        int c = v.normal("c", -10);
        int ab = v.normal("ab", -1);
        v.normal("bc", -1);
        assertArrayEquals(ids(ab, c), v.build(dir).encode("abc", false, false));
    }

    @Test
    void spmKeepsMergingMergedPieces() {
        TestVocab v = TestVocab.spm();
        v.normal("a", -10);
        v.normal("b", -10);
        v.normal("c", -10);
        v.normal("bc", -1);
        int abc = v.normal("abc", -5);
        assertArrayEquals(ids(abc), v.build(dir).encode("abc", false, false));
    }

    @Test
    void spmFallsBackToByteTokens() {
        TestVocab v = TestVocab.spm();
        int a = v.normal("a", -1);
        Tokenizer t = v.build(dir);
        // é is C3 A9 in UTF-8; 🦙 is F0 9F A6 99
        assertArrayEquals(ids(a, byteToken(0xC3), byteToken(0xA9), a), t.encode("aéa", false, false));
        assertArrayEquals(ids(byteToken(0xF0), byteToken(0x9F), byteToken(0xA6), byteToken(0x99)),
                t.encode("🦙", false, false));
        assertEquals("aéa🦙", t.decode(t.encode("aéa🦙", false, false)));
    }

    @Test
    void spmUsesTheUnknownTokenWhenThereAreNoByteTokens() {
        TestVocab v = new TestVocab();
        v.put("tokenizer.ggml.model", GgufValue.ofString("llama"));
        v.put("tokenizer.ggml.add_space_prefix", GgufValue.ofBool(false));
        int unk = v.token("<unk>", 0, Vocabulary.TYPE_UNKNOWN);
        v.token("<s>", 0, Vocabulary.TYPE_CONTROL);
        v.token("</s>", 0, Vocabulary.TYPE_CONTROL);
        int a = v.normal("a", -1);
        assertArrayEquals(ids(a, unk, unk, a), v.build(dir).encode("aéa", false, false));
    }

    @Test
    void spmMarksSpacesAndPrefixesOne() {
        TestVocab v = TestVocab.spm().put("tokenizer.ggml.add_space_prefix", GgufValue.ofBool(true));
        int space = v.normal("\u2581", -1);
        int hello = v.normal("\u2581hello", -1);
        v.normal("h", -9);
        v.normal("e", -9);
        v.normal("l", -9);
        v.normal("o", -9);
        v.normal("\u2581h", -3);
        v.normal("\u2581he", -3);
        v.normal("\u2581hel", -3);
        v.normal("\u2581hell", -3);
        Tokenizer t = v.build(dir);
        assertArrayEquals(ids(hello, hello), t.encode("hello hello", false, false));
        assertArrayEquals(ids(space, hello), t.encode(" hello", false, false));
        // decoding removes the one space encoding added...
        assertEquals("hello hello", t.decode(ids(hello, hello)));
        assertEquals(" hello", t.decode(ids(space, hello)));
        // ...but not when the sequence starts with BOS (as llama.cpp)
        assertArrayEquals(ids(1, hello), t.encode("hello", true, false));
        assertEquals(" hello", t.decode(ids(1, hello)));
        assertEquals("<s> hello", t.decode(ids(1, hello), true));
        // a continuing stream keeps the space
        TokenDecoder d = t.decoder(false, false);
        assertEquals(" hello", d.next(hello));
    }

    @Test
    void spmPutsASpaceAfterEachSpecialToken() {
        TestVocab v = TestVocab.spm().put("tokenizer.ggml.add_space_prefix", GgufValue.ofBool(true));
        int ha = v.normal("\u2581a", -1);
        v.normal("a", -1);
        Tokenizer t = v.build(dir);
        assertArrayEquals(ids(ha, 2, ha), t.encode("a</s>a", false, true));
        assertArrayEquals(ids(1, ha, 2, ha, 2), t.encode("a</s>a</s>", true, true));
    }

    // --- byte-level BPE ----------------------------------------------------------------------------

    @Test
    void bpeAppliesMergesByRank() {
        TestVocab v = TestVocab.bpe("gpt-2");
        int ab = v.merge("a", "b");
        v.merge("b", "c");
        assertArrayEquals(ids(ab, 'c'), v.build(dir).encode("abc", false, false));

        TestVocab w = TestVocab.bpe("gpt-2");
        int bc = w.merge("b", "c");
        w.merge("a", "b");
        assertArrayEquals(ids('a', bc), w.build(dir).encode("abc", false, false));
    }

    @Test
    void bpeBreaksRankTiesLeftmostFirstAndChainsMerges() {
        TestVocab v = TestVocab.bpe("gpt-2");
        int aa = v.merge("a", "a");
        assertArrayEquals(ids(aa, 'a'), v.build(dir).encode("aaa", false, false));
        int aaaa = v.merge("aa", "aa");
        assertArrayEquals(ids(aaaa, aa), v.build(dir).encode("aaaaaa", false, false));
    }

    @Test
    void bpeMergesWithinWordsOnly() {
        TestVocab v = TestVocab.bpe("gpt-2");
        int ab = v.merge("a", "b");
        int gab = v.merge("\u0120", "ab"); // Ġ is the space byte
        int ba = v.merge("b", "a");
        Tokenizer t = v.build(dir);
        assertArrayEquals(ids(ab, gab), t.encode("ab ab", false, false));
        assertArrayEquals(ids(ab, ab), t.encode("abab", false, false)); // both "a b" (rank 0) before "b a" (rank 2)
        assertArrayEquals(ids(ba, ab), t.encode("baab", false, false));
        assertEquals("ab ab", t.decode(t.encode("ab ab", false, false)));
    }

    @Test
    void bpeCoversEveryByte() {
        Tokenizer t = TestVocab.bpe("llama3").build(dir);
        String s = "héllo wörld 🦙 \u0000\u007f";
        int[] ids = t.encode(s, false, false);
        byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(utf8.length, ids.length);
        for (int i = 0; i < utf8.length; i++) assertEquals(utf8[i] & 0xff, ids[i]);
        assertEquals(s, t.decode(ids));
    }

    // --- special tokens, BOS/EOS -------------------------------------------------------------------

    @Test
    void controlTokensAreParsedOnlyWhenAsked() {
        TestVocab v = TestVocab.bpe("gpt-2");
        int eot = v.token("<|eot|>", 0, Vocabulary.TYPE_CONTROL);
        Tokenizer t = v.build(dir);
        assertArrayEquals(ids('x', eot, 'y'), t.encode("x<|eot|>y", false, true));
        int[] plain = t.encode("x<|eot|>y", false, false);
        assertEquals(9, plain.length);
        assertEquals("x<|eot|>y", t.decode(plain));
        assertEquals("xy", t.decode(ids('x', eot, 'y')));
        assertEquals("x<|eot|>y", t.decode(ids('x', eot, 'y'), true));
        assertTrue(t.isSpecial(eot));
    }

    @Test
    void userDefinedTokensAreAlwaysMatchedAndLongestFirst() {
        TestVocab v = TestVocab.bpe("gpt-2");
        int tool = v.token("<tool>", 0, Vocabulary.TYPE_USER_DEFINED);
        int tools = v.token("<tool>s", 0, Vocabulary.TYPE_USER_DEFINED);
        Tokenizer t = v.build(dir);
        assertArrayEquals(ids('a', tool, 'b', tools), t.encode("a<tool>b<tool>s", false, false));
        assertEquals("a<tool>b<tool>s", t.decode(ids('a', tool, 'b', tools)));
        assertFalse(t.isSpecial(tool));
    }

    @Test
    void bosAndEosFollowTheMetadata() {
        TestVocab plain = TestVocab.bpe("gpt-2");
        Tokenizer t = plain.build(dir);
        assertFalse(t.addBos());
        assertArrayEquals(ids('a'), t.encode("a", true, false));

        Tokenizer both = TestVocab.bpe("gpt-2").put("tokenizer.ggml.add_bos_token", GgufValue.ofBool(true))
                .put("tokenizer.ggml.add_eos_token", GgufValue.ofBool(true)).build(dir);
        assertArrayEquals(ids(256, 'a', 257), both.encode("a", true, false));
        assertArrayEquals(ids('a'), both.encode("a", false, false));
        assertArrayEquals(ids(256, 257), both.encode("", true, false));
        assertEquals(256, both.bos());
        assertEquals(257, both.eos());
        assertTrue(both.isEndOfGeneration(257));
        assertFalse(both.isEndOfGeneration(256));

        // llama3-style pre-tokenizers add BOS unless the metadata says otherwise
        assertTrue(TestVocab.bpe("llama-bpe").build(dir).addBos());
        assertFalse(TestVocab.bpe("llama-bpe").put("tokenizer.ggml.add_bos_token", GgufValue.ofBool(false))
                .build(dir).addBos());
        // SentencePiece adds BOS by default
        assertTrue(TestVocab.spm().build(dir).addBos());
        assertArrayEquals(ids(1), TestVocab.spm().build(dir).encode("", true, false));
    }

    @Test
    void addingAMissingBosIsAnError() {
        // ChatGLM's pre-tokenizer has no default BOS
        Tokenizer t = TestVocab.bpe("glm4").remove("tokenizer.ggml.bos_token_id")
                .put("tokenizer.ggml.add_bos_token", GgufValue.ofBool(true)).build(dir);
        assertEquals(-1, t.bos());
        TritException e = assertThrows(TritException.class, () -> t.encode("a", true, false));
        assertTrue(e.getMessage().contains("BOS"), e.getMessage());
        assertArrayEquals(ids('a'), t.encode("a", false, false));
    }

    @Test
    void defaultSpecialIdsAndOutOfRangeIds() {
        // gpt2 vocabularies default BOS and EOS to 11 (llama.cpp); an id past the vocabulary is ignored
        Tokenizer t = TestVocab.bpe("gpt-2").remove("tokenizer.ggml.bos_token_id")
                .put("tokenizer.ggml.eos_token_id", GgufValue.ofU32(100000)).build(dir);
        assertEquals(11, t.bos());
        assertEquals(11, t.eos());
    }

    @Test
    void endOfGenerationTokensAreRecognisedByText() {
        TestVocab v = TestVocab.bpe("gpt-2");
        int imEnd = v.token("<|im_end|>", 0, Vocabulary.TYPE_CONTROL);
        int eom = v.token("<|eom_id|>", 0, Vocabulary.TYPE_USER_DEFINED);
        int endoftext = v.token("<|endoftext|>", 0, Vocabulary.TYPE_NORMAL);
        int other = v.token("<|im_start|>", 0, Vocabulary.TYPE_CONTROL);
        Tokenizer t = v.build(dir);
        assertEquals(imEnd, t.eot());
        assertEquals(eom, t.eom());
        assertTrue(t.isEndOfGeneration(imEnd));
        assertTrue(t.isEndOfGeneration(eom));
        assertTrue(t.isEndOfGeneration(endoftext));
        assertFalse(t.isEndOfGeneration(other));
        assertFalse(t.isEndOfGeneration(-1));
        // recognised end tokens become control tokens, so they are not printed
        assertTrue(t.isSpecial(endoftext));
        assertEquals("", t.decode(ids(endoftext)));
    }

    @Test
    void vocabularyFacts() {
        TestVocab v = TestVocab.spm();
        int a = v.normal("\u2581a", -1);
        Tokenizer t = v.build(dir);
        assertEquals(260, t.vocabSize());
        assertEquals("llama", t.model());
        assertEquals(null, t.preTokenizer());
        assertEquals(0, t.unknown());
        assertEquals(a, t.tokenId("\u2581a"));
        assertEquals(-1, t.tokenId("nope"));
        assertEquals("<0x41>", t.tokenText(byteToken(0x41)));
        assertArrayEquals(new byte[] {0x41}, t.tokenBytes(byteToken(0x41)));
        assertArrayEquals(" a".getBytes(java.nio.charset.StandardCharsets.UTF_8), t.tokenBytes(a));
        assertArrayEquals("<s>".getBytes(java.nio.charset.StandardCharsets.UTF_8), t.tokenBytes(1));
        assertThrows(IllegalArgumentException.class, () -> t.tokenBytes(260));
        assertThrows(IllegalArgumentException.class, () -> t.decode(ids(-1)));
        assertTrue(Tokenizer.supportedPreTokenizers().containsAll(java.util.List.of("llama3", "qwen2", "gpt-2", "default")));
    }

    @Test
    void unpairedSurrogatesAreEncodedAsReplacementCharacters() {
        Tokenizer t = TestVocab.bpe("gpt-2").build(dir);
        assertArrayEquals(t.encode("a\uFFFDb", false, false), t.encode("a\uD800b", false, false));
    }
}
