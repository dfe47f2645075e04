package trit.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import trit.TritException;

/** How each family of pre-tokenizers cuts text into words (llama.cpp's behaviour, shown on small cases). */
class PreTokenizerTest {

    private static List<String> split(String pre, String text) {
        return PreTokenizer.forName(pre).split(text);
    }

    @Test
    void gpt2() {
        assertEquals(List.of("Hello", " world", "!"), split("gpt-2", "Hello world!"));
        // contractions are case-sensitive; an apostrophe before other letters is punctuation
        assertEquals(List.of("I", "'m", " OK", "'", "S"), split("gpt-2", "I'm OK'S"));
        // \s+(?!\S): a run of spaces leaves its last space to the next word
        assertEquals(List.of("a", "  ", " b"), split("gpt-2", "a   b"));
        assertEquals(List.of("a", "\t", "\t", "b"), split("gpt-2", "a\t\tb"));
        assertEquals(List.of("x", "   "), split("gpt-2", "x   "));
        assertEquals(List.of(" 123", " 4567", "..."), split("gpt-2", " 123 4567..."));
        assertEquals(List.of("naïve", " 中文", " 🦙🦙"), split("gpt-2", "naïve 中文 🦙🦙"));
        assertEquals(List.of(), split("gpt-2", ""));
    }

    @Test
    void llama3() {
        // contractions ignore case; digits go in threes; newlines gather the whitespace before them
        assertEquals(List.of("I", "'M", " OK", "'S"), split("llama3", "I'M OK'S"));
        assertEquals(List.of("123", "456", "7"), split("llama3", "1234567"));
        assertEquals(List.of("a", "  \n\n", " ", " b"), split("llama3", "a  \n\n  b"));
        assertEquals(List.of("Hello", "!!\n\n", "World"), split("llama3", "Hello!!\n\nWorld"));
        // any single non-letter, non-digit, non-newline character may lead a word
        assertEquals(List.of("$hello", " world", "\tx"), split("llama3", "$hello world\tx"));
        assertEquals(List.of(" ", "3"), split("llama3", " 3"));
    }

    @Test
    void qwen2SplitsEveryDigitAndQwen35KeepsMarksWithLetters() {
        assertEquals(List.of("1", "2", "3", "4"), split("qwen2", "1234"));
        // U+0301 COMBINING ACUTE ACCENT is a mark, not a letter
        assertEquals(List.of("e", "\u0301"), split("qwen2", "e\u0301"));
        assertEquals(List.of("e\u0301"), split("qwen35", "e\u0301"));
    }

    @Test
    void regexPreTokenizersCutMatchesAndGaps() {
        // deepseek-coder: newlines alone, letters with an optional space, punctuation runs, CJK runs, single digits
        assertEquals(List.of("Hello", ",", " world", "\n", "1", "2", "中文"), split("deepseek-coder", "Hello, world\n12中文"));
        // default: punctuation runs first, then GPT-2, then digit runs and triples
        assertEquals(List.of("a", "!?", " b", "123", "4"), split("default", "a!? b1234"));
        // falcon: as default, but numbers keep GPT-2's split with triples cut out
        assertEquals(List.of("x", " ", "123", "4"), split("falcon", "x 1234"));
        // starcoder: every digit alone
        assertEquals(List.of("x", "1", "2", " y"), split("starcoder", "x12 y"));
    }

    @Test
    void unknownPreTokenizerIsRefused() {
        TritException e = assertThrows(TritException.class, () -> PreTokenizer.forName("tekken"));
        assertTrue(e.getMessage().contains("'tekken'"), e.getMessage());
        assertEquals("default", PreTokenizer.forName(null).name());
        assertEquals("default", PreTokenizer.forName("").name());
    }

    @Test
    void unicodeCategoriesFollowLlamaCppsTables() {
        assertEquals(UnicodeProps.LETTER, UnicodeProps.category('a'));
        assertEquals(UnicodeProps.LETTER, UnicodeProps.category('中'));
        assertEquals(UnicodeProps.NUMBER, UnicodeProps.category('½'));
        assertEquals(UnicodeProps.MARK, UnicodeProps.category(0x0301));
        assertEquals(UnicodeProps.PUNCTUATION, UnicodeProps.category('«'));
        assertEquals(UnicodeProps.SYMBOL, UnicodeProps.category(0x1F999));
        assertEquals(UnicodeProps.SEPARATOR, UnicodeProps.category(0x3000));
        assertEquals(UnicodeProps.CONTROL, UnicodeProps.category(0xFEFF));
        assertEquals(UnicodeProps.UNDEFINED, UnicodeProps.category(0x0378));
        // assigned in Unicode 16.0, after the tables llama.cpp uses
        assertEquals(UnicodeProps.UNDEFINED, UnicodeProps.category(0x0897));
        assertEquals(UnicodeProps.UNDEFINED, UnicodeProps.category(0x1FA89));
        assertEquals(0, UnicodeProps.category(-1));
        assertTrue(UnicodeProps.isWhitespace(0x85) && UnicodeProps.isWhitespace(0x3000) && !UnicodeProps.isWhitespace(0x200B));
    }
}
