package trit.tokenizer;

/**
 * The Unicode properties that pre-tokenizers test: one general-category class per code point (letter,
 * number, mark, punctuation, symbol, separator, control, unassigned) and the White_Space property.
 *
 * <p>Categories come from {@link Character#getType(int)}, except that code points first assigned in
 * Unicode 16.0 count as unassigned: llama.cpp's tables are Unicode 15.1, and agreeing with it matters
 * more than being current (an unassigned code point behaves like punctuation in the GPT-2 style
 * splitters). Java 25 implements Unicode 16.0; a later JDK would add further differences, which only
 * change how brand-new characters are split.
 */
final class UnicodeProps {
    static final int UNDEFINED = 0x01;
    static final int NUMBER = 0x02;
    static final int LETTER = 0x04;
    static final int SEPARATOR = 0x08;
    static final int MARK = 0x10;
    static final int PUNCTUATION = 0x20;
    static final int SYMBOL = 0x40;
    static final int CONTROL = 0x80;

    static final int MAX_CODE_POINT = 0x10FFFF;

    /** Inclusive ranges of code points assigned in Unicode 16.0 (from the UCD's DerivedAge.txt). */
    private static final int[] UNICODE_16_ADDITIONS = {
        0x0897, 0x0897, 0x1B4E, 0x1B4F, 0x1B7F, 0x1B7F, 0x1C89, 0x1C8A, 0x2427, 0x2429, 0x31E4, 0x31E5,
        0xA7CB, 0xA7CD, 0xA7DA, 0xA7DC, 0x105C0, 0x105F3, 0x10D40, 0x10D65, 0x10D69, 0x10D85,
        0x10D8E, 0x10D8F, 0x10EC2, 0x10EC4, 0x10EFC, 0x10EFC, 0x11380, 0x11389, 0x1138B, 0x1138B,
        0x1138E, 0x1138E, 0x11390, 0x113B5, 0x113B7, 0x113C0, 0x113C2, 0x113C2, 0x113C5, 0x113C5,
        0x113C7, 0x113CA, 0x113CC, 0x113D5, 0x113D7, 0x113D8, 0x113E1, 0x113E2, 0x116D0, 0x116E3,
        0x11BC0, 0x11BE1, 0x11BF0, 0x11BF9, 0x11F5A, 0x11F5A, 0x13460, 0x143FA, 0x16100, 0x16139,
        0x16D40, 0x16D79, 0x18CFF, 0x18CFF, 0x1CC00, 0x1CCF9, 0x1CD00, 0x1CEB3, 0x1E5D0, 0x1E5FA,
        0x1E5FF, 0x1E5FF, 0x1F8B2, 0x1F8BB, 0x1F8C0, 0x1F8C1, 0x1FA89, 0x1FA89, 0x1FA8F, 0x1FA8F,
        0x1FABE, 0x1FABE, 0x1FAC6, 0x1FAC6, 0x1FADC, 0x1FADC, 0x1FADF, 0x1FADF, 0x1FAE9, 0x1FAE9,
        0x1FBCB, 0x1FBEF,
    };

    private UnicodeProps() {}

    /** Lazily built table: one category flag per code point (1.1 MB, built on first use). */
    private static final class Table {
        static final byte[] FLAGS = build();

        private static byte[] build() {
            byte[] t = new byte[MAX_CODE_POINT + 1];
            for (int cp = 0; cp <= MAX_CODE_POINT; cp++) t[cp] = (byte) classify(cp);
            for (int i = 0; i < UNICODE_16_ADDITIONS.length; i += 2) {
                for (int cp = UNICODE_16_ADDITIONS[i]; cp <= UNICODE_16_ADDITIONS[i + 1]; cp++) t[cp] = UNDEFINED;
            }
            return t;
        }
    }

    private static int classify(int cp) {
        return switch (Character.getType(cp)) {
            case Character.UNASSIGNED -> UNDEFINED;
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER -> LETTER;
            case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK -> MARK;
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> NUMBER;
            case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> SEPARATOR;
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                 Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION -> PUNCTUATION;
            case Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL,
                 Character.OTHER_SYMBOL -> SYMBOL;
            default -> CONTROL; // Cc, Cf, Co, Cs
        };
    }

    /** The category flag of {@code cp}; 0 for a value outside the code space (used as "no character"). */
    static int category(int cp) {
        return cp >= 0 && cp <= MAX_CODE_POINT ? Table.FLAGS[cp] & 0xff : 0;
    }

    static boolean isLetter(int cp) { return category(cp) == LETTER; }
    static boolean isNumber(int cp) { return category(cp) == NUMBER; }
    static boolean isMark(int cp) { return category(cp) == MARK; }

    /** Unicode's White_Space property (PropList.txt). */
    static boolean isWhitespace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F
                || cp == 0x205F || cp == 0x3000;
    }

    /** Simple (one-to-one) lowercase mapping. */
    static int toLower(int cp) {
        return Character.toLowerCase(cp);
    }
}
