package trit.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * decode(encode(s)) == s on random Unicode text for every fixture vocabulary, and streaming decoding
 * (with characters split across tokens) equals whole-sequence decoding.
 */
class RoundTripTest {
    static final List<String> VOCABS = TokenizerFixtureTest.VOCABS;

    private static final String[] PIECES = {
        "Hello", "world", "the", "don't", "I'M", "we'll", "'s", "naïve", "Straße", "İstanbul", "ǅ", "Ελληνικά",
        "русский", "עברית", "العربية", "हिन्दी", "ไทย", "កាន់តែ", "中文", "日本語", "한국어", "Ｆｕｌｌ", "ﬁ",
        "e\u0301", "a\u0308\u0301", "Z\u0351\u036b", "😀", "🦙", "👍🏽", "👨‍👩‍👧‍👦", "🇫🇷", "❤️", "😶‍🌫️", "#️⃣",
        "𐐀𐐁", "𝔘𝔫𝔦", "€", "©", "½", "Ⅻ", "٣", "\u0378", "\u0897", "\uE000", "\uFFFD", "\uFEFF", "\u200D",
        "\u0001", "\u007F", "123", "4567890", "3.14", "...", "!!", "?", "«»", "—", "<", ">", "|", "[", "]",
        " ", "  ", "   ", "\t", "\n", "\n\n", "\r\n", " \n ", "\u00A0", "\u3000", "\u2028", "\u0085",
    };

    /** Random text of pieces, code points and whitespace; no U+2581 (SentencePiece writes spaces as it). */
    static String randomText(SplittableRandom rnd) {
        StringBuilder sb = new StringBuilder();
        int n = rnd.nextInt(0, 25);
        for (int i = 0; i < n; i++) {
            switch (rnd.nextInt(4)) {
                case 0, 1 -> sb.append(PIECES[rnd.nextInt(PIECES.length)]);
                case 2 -> {
                    int cp;
                    do {
                        cp = rnd.nextInt(4) == 0 ? rnd.nextInt(0x10000, 0x110000) : rnd.nextInt(0x20, 0x10000);
                    } while ((cp >= 0xD800 && cp <= 0xDFFF) || cp == 0x2581);
                    sb.appendCodePoint(cp);
                }
                default -> sb.append(rnd.nextBoolean() ? ' ' : '\n');
            }
        }
        return sb.toString();
    }

    @ParameterizedTest
    @FieldSource("VOCABS")
    void decodeInvertsEncode(String name) {
        Tokenizer t = TokenizerFixtureTest.fixture(name).tokenizer();
        SplittableRandom rnd = new SplittableRandom(name.hashCode());
        for (int i = 0; i < 300; i++) {
            String s = encodable(t, randomText(rnd));
            int[] ids = t.encode(s, false, false);
            assertEquals(s, t.decode(ids), () -> "round trip of " + TokenizerFixtureTest.escape(s));
            assertEquals(s, streamed(t.decoder(), ids));
        }
    }

    @ParameterizedTest
    @FieldSource("VOCABS")
    void streamingEqualsDecodingOnRandomTokens(String name) {
        Tokenizer t = TokenizerFixtureTest.fixture(name).tokenizer();
        SplittableRandom rnd = new SplittableRandom(~name.hashCode());
        for (int i = 0; i < 500; i++) {
            int[] ids = rnd.ints(rnd.nextInt(0, 30), 0, t.vocabSize()).toArray();
            assertEquals(t.decode(ids), streamed(t.decoder(), ids), () -> "ids " + java.util.Arrays.toString(ids));
            assertEquals(t.decode(ids, true), streamed(t.decoder(true, true), ids));
        }
    }

    /**
     * {@code s} without the characters the vocabulary cannot spell: some byte-level vocabularies lack
     * tokens for a few bytes (Falcon has none for 0xF2, StarCoder none for 0xF1), and llama.cpp, like
     * trit, then drops those bytes.
     */
    static String encodable(Tokenizer t, String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(cp -> {
            for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                String token = t.model().equals("gpt2") ? ByteLevel.tokenOf(b) : String.format("<0x%02X>", b & 0xff);
                if (t.tokenId(token) < 0) return;
            }
            sb.appendCodePoint(cp);
        });
        return sb.toString();
    }

    static String streamed(TokenDecoder d, int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) sb.append(d.next(id));
        return sb.append(d.finish()).toString();
    }

    @Test
    void charactersSplitAcrossByteTokensComeOutWhole() {
        Tokenizer t = TokenizerFixtureTest.fixture("llama-spm").tokenizer();
        int[] ids = t.encode("🦙", false, false); // ▁ then four byte tokens F0 9F A6 99
        TokenDecoder d = t.decoder();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ids.length - 1; i++) sb.append(d.next(ids[i]));
        assertTrue(d.hasPending());
        assertEquals("", sb.toString(), "nothing until the character is complete (the prefix space is removed)");
        assertEquals("🦙", d.next(ids[ids.length - 1]));
        assertFalse(d.hasPending());
        assertEquals("", d.finish());
    }

    @Test
    void anUnfinishedCharacterEndsAsAReplacementCharacter() {
        Tokenizer t = TokenizerFixtureTest.fixture("llama-spm").tokenizer();
        int f0 = t.tokenId("<0xF0>"), x9f = t.tokenId("<0x9F>"), a = t.tokenId("<0x41>");
        TokenDecoder d = t.decoder();
        assertEquals("", d.next(f0));
        assertEquals("", d.next(x9f));
        assertEquals("\uFFFDA", d.next(a));
        assertEquals("", d.next(f0));
        assertEquals("\uFFFD", d.finish());
        assertEquals("\uFFFDA\uFFFD", t.decode(new int[] {f0, x9f, a, f0}));
    }

    @Test
    void illFormedBytesBecomeOneReplacementPerMaximalSubpart() {
        assertEquals("\uFFFD\uFFFD\uFFFD", Utf8.decode(bytes(0xED, 0xA0, 0x80), 0, 3)); // a surrogate
        assertEquals("\uFFFDA", Utf8.decode(bytes(0xE2, 0x82, 0x41), 0, 3));           // truncated, then A
        assertEquals("\uFFFD\uFFFD", Utf8.decode(bytes(0xC0, 0xAF), 0, 2));             // overlong
        assertEquals("\uFFFD", Utf8.decode(bytes(0xF0, 0x9F, 0xA6), 0, 3));              // truncated at the end
        assertEquals("\u20AC\uD83E\uDD99", Utf8.decode(bytes(0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0xA6, 0x99), 0, 7));
    }

    @Test
    void completeLengthHoldsBackOnlyValidUnfinishedCharacters() {
        assertEquals(0, Utf8.completeLength(bytes(), 0));
        assertEquals(1, Utf8.completeLength(bytes(0x41), 1));
        assertEquals(1, Utf8.completeLength(bytes(0x41, 0xC3), 2));         // é unfinished
        assertEquals(3, Utf8.completeLength(bytes(0x41, 0xC3, 0xA9), 3));   // é
        assertEquals(1, Utf8.completeLength(bytes(0x41, 0xF0, 0x9F, 0xA6), 4));
        assertEquals(5, Utf8.completeLength(bytes(0x41, 0xF0, 0x9F, 0xA6, 0x99), 5));
        assertEquals(2, Utf8.completeLength(bytes(0x41, 0xC0), 2));         // C0 never starts a character
        assertEquals(3, Utf8.completeLength(bytes(0x41, 0xE0, 0x80), 3));   // overlong: already malformed
        assertEquals(3, Utf8.completeLength(bytes(0x41, 0xED, 0xA0), 3));   // surrogate: already malformed
        assertEquals(3, Utf8.completeLength(bytes(0x41, 0xF4, 0x90), 3));   // above U+10FFFF
        assertEquals(2, Utf8.completeLength(bytes(0x41, 0x80), 2));         // stray continuation byte
    }

    @Test
    void streamingEqualsDecodingOnRandomBytes() {
        // every split of random byte strings, some valid UTF-8 and some not
        SplittableRandom rnd = new SplittableRandom(7);
        Tokenizer t = TokenizerFixtureTest.fixture("gpt-2").tokenizer(); // byte b is token ByteLevel.charOf(b)
        for (int i = 0; i < 3000; i++) {
            byte[] b = i % 2 == 0 ? randomText(rnd).getBytes(StandardCharsets.UTF_8) : randomBytes(rnd);
            int[] ids = new int[b.length];
            for (int k = 0; k < b.length; k++) ids[k] = t.tokenId(ByteLevel.tokenOf(b[k]));
            String whole = t.decode(ids);
            if (i % 2 == 0) assertEquals(new String(b, StandardCharsets.UTF_8), whole);
            assertEquals(whole, streamed(t.decoder(), ids));
            // the property streaming rests on: text before the held-back bytes never changes
            for (int c = 0; c <= b.length; c++) {
                int k = Utf8.completeLength(b, c);
                assertEquals(whole, Utf8.decode(b, 0, k) + Utf8.decode(b, k, b.length - k));
            }
        }
    }

    private static byte[] randomBytes(SplittableRandom rnd) {
        byte[] b = new byte[rnd.nextInt(0, 12)];
        int[] interesting = {0x41, 0x80, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF};
        for (int i = 0; i < b.length; i++) b[i] = (byte) interesting[rnd.nextInt(interesting.length)];
        return b;
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return b;
    }

    @Test
    void byteLevelMapIsABijection() {
        for (int b = 0; b < 256; b++) assertEquals(b, ByteLevel.byteOf(ByteLevel.charOf(b)));
        assertEquals(-1, ByteLevel.byteOf('\u0144'));
        assertEquals(-1, ByteLevel.byteOf(' '));
        assertEquals("\u0120", ByteLevel.tokenOf(' '));
    }
}
