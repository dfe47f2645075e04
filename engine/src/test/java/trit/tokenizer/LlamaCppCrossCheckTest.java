package trit.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import trit.gguf.GgufFile;

/**
 * trit against a llama.cpp build on random text, for every vocabulary and pre-tokenizer: token ids
 * (with and without special-token parsing and BOS/EOS), every token's piece, end-of-generation flags and
 * special ids. One known difference is tolerated: for a character of a byte-level token that is not one of
 * GPT-2's byte characters (Command-R has such tokens) llama.cpp writes "[UNK_BYTE_0x...]", trit the
 * character itself. The reference answers come from tools/tokenizer-fixtures/crosscheck.py (which needs a
 * llama.cpp build); this test runs only when {@code -Dtrit.crosscheck.dir} names its output.
 */
class LlamaCppCrossCheckTest {

    @TestFactory
    Stream<DynamicTest> matchesLlamaCpp() throws IOException {
        String dir = System.getProperty("trit.crosscheck.dir");
        assumeTrue(dir != null && !dir.isEmpty(), "set -Dtrit.crosscheck.dir to crosscheck.py's output");
        List<Path> labels;
        try (Stream<Path> s = Files.list(Path.of(dir))) {
            labels = s.filter(p -> p.toString().endsWith(".cases")).sorted().toList();
        }
        return labels.stream().map(cases -> {
            String label = cases.getFileName().toString().replace(".cases", "");
            return DynamicTest.dynamicTest(label, () -> check(Path.of(dir), label));
        });
    }

    private static void check(Path dir, String label) throws IOException {
        Path vocab = Path.of(Files.readString(dir.resolve(label + ".vocab")).strip());
        List<String> cases = Files.readAllLines(dir.resolve(label + ".cases"));
        List<String> failures = new ArrayList<>();
        HexFormat hex = HexFormat.of();
        try (GgufFile f = GgufFile.open(vocab);
             BufferedReader ref = Files.newBufferedReader(dir.resolve(label + ".ref"), StandardCharsets.UTF_8)) {
            Tokenizer t = Tokenizer.fromGguf(f);
            String[] meta = ref.readLine().split(" ");
            expect(failures, "vocab size", meta[1], t.vocabSize());
            expect(failures, "bos", meta[2], t.bos());
            expect(failures, "eos", meta[3], t.eos());
            expect(failures, "eot", meta[4], t.eot());
            expect(failures, "add_bos", meta[6], t.addBos() ? 1 : 0);
            expect(failures, "add_eos", meta[7], t.addEos() ? 1 : 0);
            int caseNo = 0;
            for (String line; (line = ref.readLine()) != null; ) {
                String[] p = line.split(" ");
                if (p[0].equals("tok")) {
                    int id = Integer.parseInt(p[1]);
                    boolean eog = p[2].equals("1");
                    if (eog != t.isEndOfGeneration(id)) failures.add("token " + id + " eog " + eog);
                    byte[] special = p[3].equals("-") ? new byte[0] : hex.parseHex(p[3]);
                    byte[] plain = p[4].equals("-") ? new byte[0] : hex.parseHex(p[4]);
                    if (unknownBytes(special)) {
                        // known difference: llama.cpp writes "[UNK_BYTE_0x..]" for a character of a byte-level
                        // token that is not a GPT-2 byte character; trit keeps the character (as HF does)
                        continue;
                    }
                    if (!Arrays.equals(special, t.tokenBytes(id))) {
                        failures.add("token " + id + " piece " + p[3] + ", got " + hex.formatHex(t.tokenBytes(id)));
                    }
                    if (!Arrays.equals(plain, t.piece(id, false))) {
                        failures.add("token " + id + " plain piece " + p[4] + ", got " + hex.formatHex(t.piece(id, false)));
                    }
                } else {
                    String[] c = cases.get(caseNo++).split(" ");
                    boolean addSpecial = c[0].equals("1");
                    boolean parseSpecial = c[1].equals("1");
                    String text = c[2].equals("-") ? "" : new String(hex.parseHex(c[2]), StandardCharsets.UTF_8);
                    int[] expected = Arrays.stream(p).skip(1).mapToInt(Integer::parseInt).toArray();
                    int[] got = t.encode(text, addSpecial, parseSpecial);
                    if (!Arrays.equals(expected, got)) {
                        failures.add("case " + caseNo + " (add " + addSpecial + ", parse " + parseSpecial + ") "
                                + TokenizerFixtureTest.describe(text, expected, got));
                    }
                }
                if (failures.size() > 20) break;
            }
            if (failures.size() <= 20) assertEquals(cases.size(), caseNo, "cases answered");
        }
        assertEquals(List.of(), failures, label);
    }

    private static boolean unknownBytes(byte[] piece) {
        return new String(piece, StandardCharsets.UTF_8).contains("[UNK_BYTE_0x");
    }

    private static void expect(List<String> failures, String what, String expected, int got) {
        if (Integer.parseInt(expected) != got) failures.add(what + ": llama.cpp " + expected + ", trit " + got);
    }
}
