package trit.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import trit.TritException;

/**
 * Splits text into the words that byte-level BPE merges within, as llama.cpp does for each
 * {@code tokenizer.ggml.pre} value. A pre-tokenizer is a sequence of splits; each split cuts every
 * piece left by the previous one into its matches and the gaps between them (HF's "Isolated" behaviour).
 *
 * <p>The GPT-2, Llama 3, Qwen2 and Qwen3.5 expressions are hand-written scanners, as in llama.cpp (whose
 * behaviour on e.g. {@code \s+(?!\S)} and {@code (?i:'s|...)} they reproduce). Other expressions run on
 * {@link java.util.regex}: when they use Unicode categories ({@code \p{L}}, {@code \p{N}}, ...) they run
 * on llama.cpp's "collapsed" text, where every non-ASCII code point is replaced by one marker character
 * for its category and each {@code \p{X}} by the class of that marker plus its ASCII members, so that
 * the result is exactly llama.cpp's. Positions are counted in code points.
 */
final class PreTokenizer {

    /** One stage of splitting: cuts each piece of {@code cps} (given as lengths) into smaller pieces. */
    private interface Split {
        IntList apply(int[] cps, IntList pieces);
    }

    private record Config(List<Split> splits, boolean ignoreMerges, boolean addBos, boolean noBos,
                          boolean byteEncoded, boolean escapeWhitespace) {}

    private static final String[][] CATEGORY_CLASSES = {
        // \p{..} name, marker character, ASCII members as class content
        {"N", "\u00D1", "0-9"},
        {"L", "\u00D2", "A-Za-z"},
        {"Lu", "\u00D2", "A-Za-z"},
        {"Ll", "\u00D2", "A-Za-z"},
        {"Lt", "\u00D2", "A-Za-z"},
        {"Lm", "\u00D2", "A-Za-z"},
        {"Lo", "\u00D2", "A-Za-z"},
        {"P", "\u00D3", "!-#%-*,-/:-;?-@\\[-\\]_\\{\\}"},
        {"M", "\u00D4", ""},
        {"S", "\u00D5", "\\$\\+<=>\\^`\\|~"},
    };
    private static final char OTHER_MARKER = '\u00D0';
    private static final char WHITESPACE_MARKER = 0x0B;

    private static final Map<String, Config> CONFIGS = new LinkedHashMap<>();

    // the "Isolated" regexes llama.cpp uses for each family (from the models' tokenizer.json files)
    private static final String DEEPSEEK_LLM_LETTERS = "\\s?[A-Za-z\u00B5\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u01BA\u01BC-\u01BF"
            + "\u01C4-\u0293\u0295-\u02AF\u0370-\u0373\u0376\u0377\u037B-\u037D\u037F\u0386\u0388-\u038A\u038C"
            + "\u038E-\u03A1\u03A3-\u03F5\u03F7-\u0481\u048A-\u052F\u0531-\u0556\u10A0-\u10C5\u13A0-\u13F5"
            + "\u13F8-\u13FD\u1C90-\u1CBA\u1CBD-\u1CBF\u1D00-\u1D2B\u1D6B-\u1D77\u1D79-\u1D9A\u1E00-\u1F15"
            + "\u1F18-\u1F1D\u1F20-\u1F45\u1F48-\u1F4D\u1F50-\u1F57\u1F59\u1F5B\u1F5D\u1F5F-\u1F7D\u1F80-\u1FB4"
            + "\u1FB6-\u1FBC\u1FBE\u1FC2-\u1FC4\u1FC6-\u1FCC\u1FD0-\u1FD3\u1FD6-\u1FDB\u1FE0-\u1FEC\u1FF2-\u1FF4"
            + "\u1FF6-\u1FFC\u2102\u2107\u210A-\u2113\u2115\u2119-\u211D\u2124\u2126\u2128\u212A-\u212D"
            + "\u212F-\u2134\u2139\u213C-\u213F\u2145-\u2149\u214E\u2183\u2184\u2C00-\u2C7B\u2C7E-\u2CE4"
            + "\u2CEB-\u2CEE\u2CF2\u2CF3\uA640-\uA66D\uA680-\uA69B\uA722-\uA76F\uA771-\uA787\uA78B-\uA78E"
            + "\uAB70-\uABBF\uFB00-\uFB06\uFB13-\uFB17\uFF21-\uFF3A\uFF41-\uFF5A\uD801\uDC00-\uD801\uDC4F"
            + "\uD801\uDCB0-\uD801\uDCD3\uD801\uDCD8-\uD801\uDCFB\uD803\uDC80-\uD803\uDCB2\uD803\uDCC0-\uD803\uDCF2"
            + "\uD806\uDCA0-\uD806\uDCDF\uD83A\uDD00-\uD83A\uDD43]+";
    private static final String DEEPSEEK_LLM_PUNCTUATION = "\\s?[!-/:-~\uFF01-\uFF0F\uFF1A-\uFF5E\u2018-\u201F\u3000-\u3002]+";
    private static final String CJK_HANGUL = "[\u4E00-\u9FA5\u0800-\u4E00\uAC00-\uD7FF]+";

    static {
        Split gpt2 = new ScannerSplit(ScannerSplit.Style.GPT2, 0, false);
        Split llama3 = new ScannerSplit(ScannerSplit.Style.LLAMA3, 3, false);
        Split qwen2 = new ScannerSplit(ScannerSplit.Style.LLAMA3, 1, false);
        Split qwen35 = new ScannerSplit(ScannerSplit.Style.LLAMA3, 1, true);

        Config llama3Config = new Config(List.of(llama3), true, true, false, true, false);
        for (String n : List.of("llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0",
                "lfm2", "jina-v5-nano")) {
            CONFIGS.put(n, llama3Config);
        }
        Config plainLlama3 = plain(llama3);
        CONFIGS.put("dbrx", plainLlama3);
        CONFIGS.put("smaug-bpe", plainLlama3);
        Config chatglm = new Config(List.of(llama3), false, false, true, true, false);
        CONFIGS.put("glm4", chatglm);
        CONFIGS.put("chatglm-bpe", chatglm);

        CONFIGS.put("default", plain(regex("[\\p{P}\\$\\+<=>\\^~\\|]+"), gpt2, regex("\\p{N}+"),
                regex("[0-9][0-9][0-9]")));
        CONFIGS.put("deepseek-llm", plain(regex("[\r\n]"), regex(DEEPSEEK_LLM_LETTERS),
                regex(DEEPSEEK_LLM_PUNCTUATION), regex("\\s+$"), regex(CJK_HANGUL), regex("\\p{N}+")));
        CONFIGS.put("deepseek-coder", plain(regex("[\r\n]"), regex("\\s?\\p{L}+"), regex("\\s?\\p{P}+"),
                regex(CJK_HANGUL), regex("\\p{N}")));
        CONFIGS.put("falcon", plain(regex("[\\p{P}\\$\\+<=>\\^~\\|`]+"), gpt2, regex("[0-9][0-9][0-9]")));

        Config digitsThenGpt2 = plain(regex("\\p{N}"), gpt2);
        for (String n : List.of("starcoder", "refact", "command-r", "smollm", "codeshell", "exaone", "minerva-7b",
                "mellum2")) {
            CONFIGS.put(n, digitsThenGpt2);
        }
        Config gpt2Only = plain(gpt2);
        for (String n : List.of("gpt-2", "phi-2", "gigachat", "a.x-4.0", "mellum", "mpt", "olmo", "jais",
                "trillion", "granite-docling", "exaone4")) {
            CONFIGS.put(n, gpt2Only);
        }
        Config qwen2Config = plain(qwen2);
        for (String n : List.of("qwen2", "deepseek-r1-qwen", "kormo", "f2llmv2", "megrez", "stablelm2", "hunyuan",
                "solar-open")) {
            CONFIGS.put(n, qwen2Config);
        }
        CONFIGS.put("qwen35", plain(qwen35));

        // SentencePiece-style BPE on raw UTF-8: spaces become U+2581, only newlines split
        CONFIGS.put("gemma4", new Config(List.of(new NewlineSplit()), false, true, false, false, true));
    }

    private static Config plain(Split... splits) {
        return new Config(List.of(splits), false, false, false, true, false);
    }

    private final String name;
    private final Config config;

    private PreTokenizer(String name, Config config) {
        this.name = name;
        this.config = config;
    }

    /** The pre-tokenizer for a {@code tokenizer.ggml.pre} value; null or empty means "default". */
    static PreTokenizer forName(String pre) {
        String key = pre == null || pre.isEmpty() ? "default" : pre;
        Config c = CONFIGS.get(key);
        if (c == null) {
            throw new TritException("unsupported pre-tokenizer '" + key + "' (tokenizer.ggml.pre); supported: "
                    + String.join(", ", supportedNames()));
        }
        return new PreTokenizer(key, c);
    }

    /** Every accepted {@code tokenizer.ggml.pre} value, sorted. */
    static Set<String> supportedNames() {
        return new TreeSet<>(CONFIGS.keySet());
    }

    String name() { return name; }

    /** Whether a word that is itself a token skips merging (llama.cpp's ignore_merges). */
    boolean ignoresMerges() { return config.ignoreMerges; }

    /** llama.cpp's default for add_bos with this pre-tokenizer (metadata can override it). */
    boolean addsBosByDefault() { return config.addBos; }

    /** Whether this family has no BOS token unless the metadata names one. */
    boolean hasNoDefaultBos() { return config.noBos; }

    /** False for SentencePiece-style BPE, whose tokens are raw UTF-8 rather than GPT-2 byte characters. */
    boolean byteEncoded() { return config.byteEncoded; }

    /** Whether spaces are replaced by U+2581 before splitting. */
    boolean escapesWhitespace() { return config.escapeWhitespace; }

    /** Splits {@code text} into words (not byte-encoded). */
    List<String> split(String text) {
        int[] cps = text.codePoints().toArray();
        IntList pieces = new IntList();
        if (cps.length > 0) pieces.add(cps.length);
        for (Split s : config.splits) pieces = s.apply(cps, pieces);
        List<String> words = new ArrayList<>(pieces.size());
        int start = 0;
        for (int i = 0; i < pieces.size(); i++) {
            int len = pieces.get(i);
            if (len > 0) words.add(new String(cps, start, len));
            start += len;
        }
        return words;
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * Hand-written scanners for the two regex families llama.cpp special-cases:
     * GPT-2: {@code 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+}, and
     * Llama 3: {@code (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+}
     * with Qwen2's {@code \p{N}} instead of {@code \p{N}{1,3}} and Qwen3.5's {@code [\p{L}\p{M}]} for letters.
     */
    private record ScannerSplit(Style style, int maxDigits, boolean marksAreLetters) implements Split {
        enum Style { GPT2, LLAMA3 }

        private static final int NONE = -1; // a position outside the piece

        @Override
        public IntList apply(int[] cps, IntList pieces) {
            IntList out = new IntList(pieces.size() * 4);
            int start = 0;
            for (int i = 0; i < pieces.size(); i++) {
                int end = start + pieces.get(i);
                if (style == Style.GPT2) gpt2(cps, start, end, out);
                else llama3(cps, start, end, out);
                start = end;
            }
            return out;
        }

        /** Emits pieces into {@code out}, remembering where the last one ended. */
        private static final class Emitter {
            final IntList out;
            int last;

            Emitter(IntList out, int start) {
                this.out = out;
                this.last = start;
            }

            /** Ends a piece at {@code end}; returns its length. */
            int to(int end) {
                int len = end - last;
                if (len > 0) out.add(len);
                last = end;
                return len;
            }
        }

        private static int at(int[] cps, int pos, int start, int end) {
            return pos >= start && pos < end ? cps[pos] : NONE;
        }

        private static boolean isSpace(int cp) { return UnicodeProps.isWhitespace(cp); }

        /** {@code 's|'t|'re|'ve|'m|'ll|'d} at {@code pos}: the length of the match, or 0. */
        private static int contraction(int[] cps, int pos, int start, int end, boolean ignoreCase) {
            if (cps[pos] != '\'' || pos + 1 >= end) return 0;
            int a = at(cps, pos + 1, start, end);
            if (ignoreCase) a = UnicodeProps.toLower(a);
            if (a == 's' || a == 't' || a == 'm' || a == 'd') return 2;
            if (pos + 2 >= end) return 0;
            int b = at(cps, pos + 2, start, end);
            if (ignoreCase) b = UnicodeProps.toLower(b);
            return (a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l') ? 3 : 0;
        }

        private static void gpt2(int[] cps, int start, int end, IntList out) {
            Emitter e = new Emitter(out, start);
            int pos = start;
            while (pos < end) {
                int cp = cps[pos];
                int c = contraction(cps, pos, start, end, false);
                if (c > 0) {
                    pos += e.to(pos + c);
                    continue;
                }
                // " ?X+" alternatives look at the character after an optional leading space
                int probe = cp == ' ' ? pos + 1 : pos;
                int cat = UnicodeProps.category(at(cps, probe, start, end));
                if (cat == UnicodeProps.LETTER || cat == UnicodeProps.NUMBER) {
                    pos = probe;
                    while (UnicodeProps.category(at(cps, pos, start, end)) == cat) pos++;
                    e.to(pos);
                    continue;
                }
                if (isOther(cps, probe, start, end)) {
                    pos = probe;
                    while (isOther(cps, pos, start, end)) pos++;
                    e.to(pos);
                    continue;
                }
                if (whitespace(cps, pos, start, end, e, false)) {
                    pos = e.last;
                    continue;
                }
                pos++;
                e.to(pos);
            }
        }

        /** {@code [^\s\p{L}\p{N}]}: a character in the piece that is none of those. */
        private static boolean isOther(int[] cps, int pos, int start, int end) {
            int cp = at(cps, pos, start, end);
            if (cp == NONE || isSpace(cp)) return false;
            int cat = UnicodeProps.category(cp);
            return cat != UnicodeProps.LETTER && cat != UnicodeProps.NUMBER;
        }

        /**
         * The whitespace alternatives at {@code pos}: {@code \s*[\r\n]+} (if {@code newlines}),
         * {@code \s+(?!\S)}, {@code \s+}. Emits the match and returns true, or returns false if there is no
         * whitespace at {@code pos}.
         */
        private static boolean whitespace(int[] cps, int pos, int start, int end, Emitter e, boolean newlines) {
            int n = 0;
            int afterLastNewline = -1;
            while (pos + n < end && isSpace(cps[pos + n])) {
                int cp = cps[pos + n];
                if (cp == '\r' || cp == '\n') afterLastNewline = pos + n + 1;
                n++;
            }
            if (newlines && afterLastNewline >= 0) {
                e.to(afterLastNewline);
                return true;
            }
            if (n > 1 && pos + n < end) {
                // leave the last space to prefix the word that follows
                e.to(pos + n - 1);
                return true;
            }
            if (n > 0) {
                e.to(pos + n);
                return true;
            }
            return false;
        }

        private boolean letterLike(int cat) {
            return cat == UnicodeProps.LETTER || (marksAreLetters && cat == UnicodeProps.MARK);
        }

        private void llama3(int[] cps, int start, int end, IntList out) {
            Emitter e = new Emitter(out, start);
            int pos = start;
            while (pos < end) {
                int cp = cps[pos];
                int cat = UnicodeProps.category(cp);
                int c = contraction(cps, pos, start, end, true);
                if (c > 0) {
                    pos += e.to(pos + c);
                    continue;
                }
                // [^\r\n\p{L}\p{N}]?\p{L}+
                if (cp != '\r' && cp != '\n' && cat != UnicodeProps.NUMBER
                        && (letterLike(cat) || letterLike(UnicodeProps.category(at(cps, pos + 1, start, end))))) {
                    pos++;
                    while (letterLike(UnicodeProps.category(at(cps, pos, start, end)))) pos++;
                    e.to(pos);
                    continue;
                }
                // \p{N}{1,maxDigits}
                if (cat == UnicodeProps.NUMBER) {
                    int run = 0;
                    while (UnicodeProps.category(at(cps, pos, start, end)) == UnicodeProps.NUMBER && run < maxDigits) {
                        pos++;
                        run++;
                    }
                    e.to(pos);
                    continue;
                }
                // " ?[^\s\p{L}\p{N}]+[\r\n]*"
                int probe = cp == ' ' ? pos + 1 : pos;
                if (!isLetterNumberOrSpace(cps, probe, start, end)) {
                    pos = probe;
                    while (at(cps, pos, start, end) != NONE && !isLetterNumberOrSpace(cps, pos, start, end)) pos++;
                    while (at(cps, pos, start, end) == '\r' || at(cps, pos, start, end) == '\n') pos++;
                    e.to(pos);
                    continue;
                }
                if (whitespace(cps, pos, start, end, e, true)) {
                    pos = e.last;
                    continue;
                }
                pos++;
                e.to(pos);
            }
        }

        /** Whitespace, letter (or mark, for Qwen3.5) or number at {@code pos}; false outside the piece. */
        private boolean isLetterNumberOrSpace(int[] cps, int pos, int start, int end) {
            int cp = at(cps, pos, start, end);
            if (cp == NONE) return false;
            int cat = UnicodeProps.category(cp);
            return isSpace(cp) || letterLike(cat) || cat == UnicodeProps.NUMBER;
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** {@code [^\n]+|[\n]+}: runs of newlines and runs of anything else. */
    private record NewlineSplit() implements Split {
        @Override
        public IntList apply(int[] cps, IntList pieces) {
            IntList out = new IntList(pieces.size() * 2);
            int start = 0;
            for (int i = 0; i < pieces.size(); i++) {
                int end = start + pieces.get(i);
                int pos = start;
                while (pos < end) {
                    boolean nl = cps[pos] == '\n';
                    int runStart = pos;
                    while (pos < end && (cps[pos] == '\n') == nl) pos++;
                    out.add(pos - runStart);
                }
                start = end;
            }
            return out;
        }
    }

    // ---------------------------------------------------------------------------------------------

    private static Split regex(String expr) {
        return RegexSplit.of(expr);
    }

    /** A split by a general regular expression (see the class comment for the collapsed form). */
    private record RegexSplit(Pattern pattern, boolean collapsed) implements Split {

        static RegexSplit of(String expr) {
            boolean collapsed = false;
            for (String[] c : CATEGORY_CLASSES) collapsed |= expr.contains("\\p{" + c[0] + "}");
            return new RegexSplit(Pattern.compile(translate(expr, collapsed)), collapsed);
        }

        /**
         * Rewrites an ECMAScript-style expression for java.util.regex: {@code \p{X}} becomes the collapsed
         * class (when {@code collapsed}), and an unescaped {@code $} outside brackets becomes {@code \z}
         * (ECMAScript's {@code $} does not match before a final line terminator, Java's does).
         */
        private static String translate(String expr, boolean collapsed) {
            StringBuilder sb = new StringBuilder();
            boolean inClass = false;
            for (int i = 0; i < expr.length(); i++) {
                char ch = expr.charAt(i);
                if (ch == '\\' && i + 1 < expr.length()) {
                    String[] cat = collapsed ? categoryAt(expr, i) : null;
                    if (cat != null) {
                        sb.append(inClass ? "" : "[").append(cat[1]).append(cat[2]).append(inClass ? "" : "]");
                        i = expr.indexOf('}', i);
                    } else {
                        sb.append(ch).append(expr.charAt(i + 1));
                        i++;
                    }
                    continue;
                }
                if (ch == '[' && !inClass) inClass = true;
                else if (ch == ']' && inClass) inClass = false;
                if (ch == '$' && !inClass) {
                    sb.append("\\z");
                    continue;
                }
                sb.append(ch);
            }
            return sb.toString();
        }

        private static String[] categoryAt(String expr, int i) {
            for (String[] c : CATEGORY_CLASSES) {
                if (expr.startsWith("\\p{" + c[0] + "}", i)) return c;
            }
            return null;
        }

        /**
         * The text the pattern runs on: one char per code point when collapsed; otherwise the code points,
         * with non-ASCII whitespace as U+000B (llama.cpp's std::regex only knows ASCII whitespace).
         */
        private String subject(int[] cps) {
            StringBuilder sb = new StringBuilder(cps.length);
            for (int cp : cps) {
                if (cp < 0x80) {
                    sb.append((char) cp);
                } else if (UnicodeProps.isWhitespace(cp)) {
                    sb.append(WHITESPACE_MARKER);
                } else if (collapsed) {
                    sb.append(marker(UnicodeProps.category(cp)));
                } else {
                    sb.appendCodePoint(cp);
                }
            }
            return sb.toString();
        }

        private static char marker(int category) {
            return switch (category) {
                case UnicodeProps.NUMBER -> '\u00D1';
                case UnicodeProps.LETTER -> '\u00D2';
                case UnicodeProps.PUNCTUATION -> '\u00D3';
                case UnicodeProps.MARK -> '\u00D4';
                case UnicodeProps.SYMBOL -> '\u00D5';
                default -> OTHER_MARKER;
            };
        }

        @Override
        public IntList apply(int[] cps, IntList pieces) {
            IntList out = new IntList(pieces.size() * 4);
            String s = subject(cps);
            // each piece is searched as a region of its own: opaque bounds, anchoring at its ends
            Matcher m = pattern.matcher(s);
            int startCp = 0;
            int startChar = 0;
            for (int i = 0; i < pieces.size(); i++) {
                int len = pieces.get(i);
                int endChar = collapsed ? startChar + len : s.offsetByCodePoints(startChar, len);
                m.region(startChar, endChar);
                int lastChar = startChar; // end of the previous match
                int lastCp = startCp;     // the same, in code points
                while (m.find()) {
                    if (m.end() == m.start()) continue; // empty matches make empty pieces, which are dropped
                    int matchStartCp = lastCp + cpCount(s, lastChar, m.start());
                    int matchEndCp = matchStartCp + cpCount(s, m.start(), m.end());
                    if (matchStartCp > lastCp) out.add(matchStartCp - lastCp);
                    out.add(matchEndCp - matchStartCp);
                    lastChar = m.end();
                    lastCp = matchEndCp;
                }
                if (lastCp < startCp + len) out.add(startCp + len - lastCp);
                startCp += len;
                startChar = endChar;
            }
            return out;
        }

        private int cpCount(String s, int from, int to) {
            return collapsed ? to - from : s.codePointCount(from, to);
        }
    }

    @Override
    public String toString() {
        return name + Arrays.toString(config.splits.toArray());
    }
}
