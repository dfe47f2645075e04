package trit;

/**
 * A JSON string literal: quotes, backslash escapes for quote, backslash and the common controls, and
 * {@code \\uXXXX} for other control characters and U+2028/U+2029 (legal in JSON, but line breaks to
 * JavaScript, which reads trit's reports). Shared by every JSON writer in trit.
 */
public final class JsonString {
    private JsonString() {}

    /** Appends {@code s} as a JSON string literal to {@code b}. */
    public static void append(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        b.append('"');
    }
}
