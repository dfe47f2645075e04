package trit.tokenizer;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trit.TritException;
import trit.corpus.Corpus;
import trit.corpus.Split;
import trit.gguf.GgufFile;

/** The BPE trainer: merges worked out by hand, lossless round trips, agreement with the encoder. */
class BpeTrainerTest {
    @TempDir Path dir;

    private static TrainedTokenizer train(String text, int vocab) {
        return new BpeTrainer(BpeTrainer.Options.defaults(vocab)).add(text).train(null);
    }

    @Test
    void tinyCorpusMergesByHand() {
        // words (llama-bpe): "abab", " abab", " ab". Pair counts: (a,b)=5, (b,a)=2, (' ',a)=2: merge "a b".
        // Then ("ab","ab")=2 and (' ',"ab")=2 tie: the smaller left id (' ' = 32 < 256) wins: merge "Ġ ab".
        // Left: ("ab","ab")=1, (" ab","ab")=1: nothing occurs twice, so training stops at 260 tokens.
        TrainedTokenizer t = train("abab abab ab", 300);
        assertEquals(List.of("a b", "\u0120 ab"), t.merges());
        assertEquals(260, t.vocabSize());
        assertEquals("ab", t.token(256));
        assertEquals("\u0120ab", t.token(257));
        assertEquals(258, t.bos());
        assertEquals("<|end_of_text|>", t.token(t.eos()));
        Tokenizer tok = t.tokenizer();
        assertArrayEquals(new int[] {258, 256, 256, 257, 256, 257}, tok.encode("abab abab ab", true, false));
        assertArrayEquals(t.trainingEncoding("abab abab ab"), tok.encode("abab abab ab", false, false));
    }

    @Test
    void mergeWordIsLeftToRightWithoutOverlap() {
        assertArrayEquals(new int[] {9, 97}, BpeTrainer.mergeWord(new int[] {97, 97, 97}, 97, 97, 9));
        assertArrayEquals(new int[] {9, 9}, BpeTrainer.mergeWord(new int[] {97, 97, 97, 97}, 97, 97, 9));
        int[] none = {1, 2, 3};
        assertSame(none, BpeTrainer.mergeWord(none, 2, 1, 9));
    }

    /** Random text over several scripts, digits, punctuation, emoji and whitespace runs. */
    static String randomText(long seed, int codePoints) {
        SplittableRandom r = new SplittableRandom(seed);
        String[] words = {"the", "The", "and", "of", "caf\u00e9", "na\u00efve", "\u4f60\u597d", "\u043f\u0440\u0438\u0432\u0435\u0442",
            "\ud83d\ude00", "don't", "I'LL", "1234567", "\u0645\u0631\u062d\u0628\u0627", "--", "\"Well,\"", "e\u0301"};
        StringBuilder sb = new StringBuilder();
        while (sb.codePointCount(0, sb.length()) < codePoints) {
            int k = r.nextInt(10);
            if (k < 6) sb.append(words[r.nextInt(words.length)]);
            else if (k < 8) sb.appendCodePoint(r.nextInt(2) == 0 ? r.nextInt(0x20, 0x250) : r.nextInt(0x250, 0x2FFFF));
            else sb.append(" \n\t".charAt(r.nextInt(3)));
            if (r.nextInt(3) == 0) sb.append(' ');
        }
        // keep it well-formed: drop unpaired surrogates and unassigned code points that the JDK writes as is
        return sb.codePoints().filter(cp -> cp < 0xD800 || cp > 0xDFFF)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    @Test
    void losslessOnRandomUnicodeAndEqualToTheTrainersOwnEncoding() {
        String train = randomText(1, 40_000);
        TrainedTokenizer t = train(train, 700);
        Tokenizer tok = t.tokenizer();
        assertArrayEquals(t.trainingEncoding(train), tok.encode(train, false, false));
        for (long seed = 2; seed < 12; seed++) {
            String s = randomText(seed, 2_000);
            assertEquals(s, tok.decode(tok.encode(s, false, false)), "seed " + seed);
        }
        // every merged token is made by exactly one merge and encodes to itself
        for (int id = 256; id < t.vocabSize() - 2; id++) {
            byte[] b = tok.tokenBytes(id);
            String s = new String(b, StandardCharsets.UTF_8);
            if (!java.util.Arrays.equals(s.getBytes(StandardCharsets.UTF_8), b)) continue; // part of a character
            if (PreTokenizer.forName("llama-bpe").split(s).size() != 1) continue;
            assertArrayEquals(new int[] {id}, tok.encode(s, false, false), "token " + id + " " + t.token(id));
        }
    }

    @Test
    void ggufFileRoundTrip() {
        TrainedTokenizer t = train("It is a truth universally acknowledged. It is a truth.", 270);
        Path p = dir.resolve("tok.gguf");
        t.write(p, "tok");
        Tokenizer fromFile = TrainedTokenizer.load(p);
        try (GgufFile f = GgufFile.open(p)) {
            assertEquals("gpt2", f.getString("tokenizer.ggml.model", null));
            assertEquals("llama-bpe", f.getString("tokenizer.ggml.pre", null));
            assertEquals(0, f.tensors().size());
        }
        String s = "It is a truth, universally.";
        assertArrayEquals(t.tokenizer().encode(s, true, false), fromFile.encode(s, true, false));
        assertTrue(fromFile.isEndOfGeneration(t.eos()));
        assertThrows(TritException.class, () -> new BpeTrainer.Options(100, "llama-bpe", "<s>", "</s>"));
        assertThrows(TritException.class, () -> new BpeTrainer.Options(1000, "no-such-pre", "<s>", "</s>"));
    }

    @Test
    void shippedTokenizerMatchesLlamaCpp() {
        Tokenizer tok = TrainedTokenizer.shipped();
        assertEquals(4096, tok.vocabSize());
        assertEquals("llama-bpe", tok.preTokenizer());
        // llama-tokenize (llama.cpp de3ff81) on data/tokenizer/trit-bpe-4096.gguf, see docs/VERIFICATION.md
        assertArrayEquals(new int[] {4094, 1589, 348, 258, 1508, 343, 4027, 740, 3877, 44, 310, 258, 1943, 308, 428, 422, 2389, 46, 46, 46},
                tok.encode("It is a truth universally acknowledged, that a single man's fortune...", true, false));
        String valid = Corpus.shipped().text(Split.VALID).substring(0, 60_000);
        assertEquals(valid, tok.decode(tok.encode(valid, true, false)));
        assertTrue(TrainedTokenizer.shippedMetadata().containsKey("tokenizer.ggml.merges"));
    }

    @Test
    void trainsOnRealProseQuicklyAndAgreesWithTheEncoder() {
        String text = Corpus.shipped().text(Split.TRAIN).substring(0, 400_000);
        // a sanity bound against accidental quadratic work, not a benchmark (this takes about a second)
        TrainedTokenizer t = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> train(text, 1024));
        assertEquals(1024, t.vocabSize());
        Tokenizer tok = t.tokenizer();
        assertArrayEquals(t.trainingEncoding(text), tok.encode(text, false, false));
    }
}
