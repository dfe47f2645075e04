package trit.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trit.gguf.GgufFile;
import trit.model.SyntheticModel;
import trit.tensor.GgmlType;

/** The command-line contract: exit codes, one-line errors, JSON fields other tools read. */
class CliTest {
    @TempDir Path dir;

    record Run(int code, String out, String err) {}

    static Run trit(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    private Path model() {
        Path p = dir.resolve("m.gguf");
        SyntheticModel.write(SyntheticModel.DEMO, 1, p);
        return p;
    }

    private static void assertOneLineError(Run r) {
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line on stderr: " + r.err());
        assertTrue(r.err().startsWith("trit: "), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
    }

    @Test
    void inspectJsonHasTheParameterCount() {
        Path m = model();
        Run r = trit("inspect", m.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("{") && r.out().strip().endsWith("}"));
        long expected;
        try (GgufFile f = GgufFile.open(m)) {
            expected = f.parameterCount();
        }
        assertTrue(r.out().contains("\"parameters\":" + expected + ","), r.out().substring(0, 300));
        assertTrue(r.out().contains("\"architecture\":\"llama\""));
    }

    @Test
    void inspectText() {
        Run r = trit("inspect", model().toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("blk.1.ffn_down.weight"));
        assertTrue(r.out().contains("bits/weight"));
    }

    @Test
    void invalidFilesExitTwoWithOneLine() throws Exception {
        assertOneLineError(trit("inspect", dir.resolve("missing.gguf").toString()));
        Path junk = dir.resolve("junk.gguf");
        Files.writeString(junk, "this is not a model at all, just text");
        Run r = trit("inspect", junk.toString());
        assertOneLineError(r);
        assertTrue(r.err().contains(junk.toString()));
        assertOneLineError(trit("quantize", junk.toString(), dir.resolve("o.gguf").toString(), "--type", "q8_0"));
        assertFalse(Files.exists(dir.resolve("o.gguf")));
    }

    @Test
    void badFlagsExitTwo() {
        Path m = model();
        assertOneLineError(trit("quantize", m.toString(), dir.resolve("o.gguf").toString(), "--type", "q5_k"));
        assertOneLineError(trit("quantize", m.toString(), dir.resolve("o.gguf").toString(), "--type", "q8_0", "--threads", "0"));
        assertOneLineError(trit("quantize", m.toString()));
        assertOneLineError(trit("inspect"));
        assertOneLineError(trit("no-such-command"));
        assertOneLineError(trit("quantize", m.toString(), m.toString(), "--type", "q8_0"));
    }

    @Test
    void quantizeToTernaryReportsZerosAndShrinks() throws Exception {
        Path m = model();
        Path o = dir.resolve("t.gguf");
        Run r = trit("quantize", m.toString(), o.toString(), "--type", "tq2_0", "--json", "--threads", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"zero_fraction\":0."), r.out());
        try (GgufFile f = GgufFile.open(o)) {
            assertEquals(GgmlType.TQ2_0, f.tensor("blk.0.attn_q.weight").type());
            assertEquals(GgmlType.Q8_0, f.tensor("token_embd.weight").type());
            assertEquals(GgmlType.F32, f.tensor("blk.0.attn_norm.weight").type());
            assertEquals(37, f.getLong("general.file_type", -1));
            assertTrue(f.fileSize() * 5 < Files.size(m));
        }
    }

    @Test
    void keepOutputTypeKeepsEmbeddings() {
        Path m = model();
        Path o = dir.resolve("k.gguf");
        Run r = trit("quantize", m.toString(), o.toString(), "--type", "q4_0", "--keep-output-type", "-q");
        assertEquals(0, r.code(), r.err());
        try (GgufFile f = GgufFile.open(o)) {
            assertEquals(GgmlType.F32, f.tensor("output.weight").type());
            assertEquals(GgmlType.Q4_0, f.tensor("blk.1.ffn_up.weight").type());
        }
    }

    @Test
    void demoMeasuresEachFormatAndWritesTheReport() throws Exception {
        Run r = trit("demo", "--synthetic", "bitnet-tiny", "--out", dir.resolve("demo").toString(), "--report-dir",
                dir.resolve("reports").toString(), "-q", "--threads", "2", "--history", dir.resolve("h.jsonl").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("(greedy"), r.out());
        for (String t : new String[] {"f32", "q8_0", "q4_0", "tq2_0", "tq1_0", "i2_s"}) {
            if (!t.equals("f32")) assertTrue(Files.exists(dir.resolve("demo/bitnet-tiny-" + t + ".gguf")), t);
            assertTrue(java.util.regex.Pattern.compile("\\n  bitnet-tiny +" + t + " ").matcher(r.out()).find(), "table row for " + t + ": " + r.out());
        }
        assertTrue(r.out().contains("n/a (random weights)"));
        String line = r.out().lines().filter(l -> l.startsWith("report: ")).findFirst().orElseThrow();
        Path html = Path.of(line.substring("report: ".length(), line.indexOf(" (")));
        assertTrue(html.startsWith(dir.resolve("reports")), html.toString());
        String page = Files.readString(html);
        assertEquals(4, page.split("src=\"data:image/png;base64,", -1).length - 1, "four charts inlined");
        assertTrue(Files.exists(Path.of(html.toString().replace(".html", ".json"))));
        assertEquals(6, History.read(dir.resolve("h.jsonl")).size(), "one bench line per format");
    }

    private Path parityModel() throws Exception {
        Path p = dir.resolve("parity-q8_0.gguf");
        try (var in = CliTest.class.getResourceAsStream("/parity/parity-q8_0.gguf")) {
            Files.copy(in, p);
        }
        return p;
    }

    @Test
    void generateJsonHasPromptAndGeneratedIds() throws Exception {
        Path m = parityModel();
        Run r = trit("generate", "--model", m.toString(), "--prompt", "Once upon a time the little cat", "-n", "8",
                "--temperature", "0", "--json", "--threads", "2");
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.out().strip().lines().count(), "one JSON object");
        // llama.cpp's ids for this prompt and model (resources/parity/expected.txt), BOS (1) first
        assertTrue(r.out().contains("\"prompt_tokens\":[1,259,82,273,262,264,259,280,275,274,273,309,307,268,272,264,307,267,264,259,271,268,279,279,271,264,259,262,260,279]"), r.out());
        assertTrue(r.out().contains("\"generated_tokens\":[159,242,101,200,205,252,14,4]"), r.out());
        assertTrue(r.out().contains("\"logprobs\":[-"));
    }

    @Test
    void sameSeedSameText() throws Exception {
        Path m = parityModel();
        String[] args = {"generate", "-m", m.toString(), "-p", "hello", "-n", "12", "--temperature", "1.0", "--seed", "7", "--json"};
        Run a = trit(args), b = trit(args);
        assertEquals(0, a.code(), a.err());
        String ids = a.out().replaceAll(".*(\"generated_tokens\":\\[[^]]*]).*", "$1");
        assertEquals(ids, b.out().replaceAll(".*(\"generated_tokens\":\\[[^]]*]).*", "$1"));
    }

    @Test
    void invalidGenerationSettingsExitTwo() throws Exception {
        Path m = parityModel();
        assertOneLineError(trit("generate", "-m", m.toString(), "-p", "x", "--temperature", "-1"));
        assertOneLineError(trit("generate", "-m", m.toString(), "-p", "x", "--top-p", "0"));
        assertOneLineError(trit("generate", "-m", m.toString(), "-p", "x", "--top-p", "1.5"));
        assertOneLineError(trit("generate", "-m", m.toString(), "-p", "x", "-n", "-1"));
        assertOneLineError(trit("generate", "-m", m.toString(), "-p", "x", "-n", "100000"));
        assertOneLineError(trit("generate", "-m", m.toString(), "--prompt-file", dir.resolve("none.txt").toString()));
        assertOneLineError(trit("generate", "-m", m.toString(), "-p", "x", "--prompt-file", "y"));
    }

    @Test
    void unknownArchitectureAndMissingTensorsExitTwo() throws Exception {
        Path src = model();
        Path odd = dir.resolve("odd.gguf");
        try (GgufFile f = GgufFile.open(src)) {
            trit.gguf.GgufWriter w = new trit.gguf.GgufWriter().putAll(f.metadata());
            w.put("general.architecture", trit.gguf.GgufValue.ofString("mamba9"));
            for (var t : f.tensors()) w.addTensor(t.name(), t.type(), t.shape(), t.data());
            w.write(odd);
        }
        Run r = trit("generate", "-m", odd.toString(), "-p", "x");
        assertOneLineError(r);
        assertTrue(r.err().contains("unknown architecture 'mamba9'"), r.err());

        Path missing = dir.resolve("missing.gguf");
        try (GgufFile f = GgufFile.open(src)) {
            trit.gguf.GgufWriter w = new trit.gguf.GgufWriter().putAll(f.metadata());
            for (var t : f.tensors()) if (!t.name().equals("blk.1.ffn_up.weight")) w.addTensor(t.name(), t.type(), t.shape(), t.data());
            w.write(missing);
        }
        r = trit("generate", "-m", missing.toString(), "-p", "x");
        assertOneLineError(r);
        assertTrue(r.err().contains("missing tensor blk.1.ffn_up.weight"), r.err());
    }

    @Test
    void chatAnswersEachLineAndExitsAtEndOfInput() throws Exception {
        Path m = parityModel();
        ChatCommand.input = new java.io.ByteArrayInputStream("hello\nand again\n".getBytes(StandardCharsets.UTF_8));
        try {
            Run r = trit("chat", "-m", m.toString(), "-n", "6", "--temperature", "0", "--system", "be brief");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().startsWith("trit chat: trit-parity (template: "), r.out());
            assertEquals(3, r.out().split("> ", -1).length - 1, "a prompt per turn and one at end of input: " + r.out());
        } finally {
            ChatCommand.input = System.in;
        }
    }

    @Test
    void benchJsonUsesLlamaBenchTestNames() {
        Run r = trit("bench", "--synthetic", "bitnet-tiny", "--type", "tq2_0", "-p", "8", "-n", "4", "-r", "2", "--threads", "2", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s)\\{.*\"pp8\":[0-9.]+,\"tg4\":[0-9.]+,.*\\}\\s*"), r.out());
        assertTrue(r.out().contains("\"peak_rss_bytes\":"));
        assertTrue(r.out().contains("\"roofline_tg_tokens_per_second\":"));
        assertOneLineError(trit("bench", "--synthetic", "no-such-model"));
        assertOneLineError(trit("bench", "--synthetic", "bitnet-tiny", "-r", "0"));
        assertOneLineError(trit("bench"));
    }

    @Test
    void synthWritesThePublishedShape() {
        Path out = dir.resolve("tiny.gguf");
        Run r = trit("synth", "--arch", "bitnet-tiny", "--type", "i2_s", out.toString(), "-q");
        assertEquals(0, r.code(), r.err());
        try (GgufFile f = GgufFile.open(out)) {
            assertEquals(SyntheticModel.preset("bitnet-tiny").parameters(), f.parameterCount());
            assertEquals(GgmlType.I2_S, f.tensor("blk.0.ffn_down.weight").type());
            assertEquals(GgmlType.Q6_K, f.tensor("token_embd.weight").type());
            assertEquals("bitnet-b1.58", f.architecture());
        }
        assertTrue(trit("synth", "--list").out().contains("bitnet-b1.58-2b4t"));
        assertOneLineError(trit("synth", "--arch", "gpt-5", out.toString()));
    }

    @Test
    void perplexityJsonHasTheContractFields() throws Exception {
        Path m = parityModel();
        Path text = dir.resolve("t.txt");
        Files.writeString(text, "Once upon a time the little cat sat on the mat.");
        Run r = trit("perplexity", "--model", m.toString(), "--file", text.toString(), "--ctx", "8", "--json", "--threads", "2");
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.out().strip().lines().count(), "one JSON object");
        for (String key : new String[] {"\"perplexity\":", "\"bits_per_byte\":", "\"tokens\":", "\"bytes\":", "\"tokens_per_second\":"}) {
            assertTrue(r.out().contains(key), key + " in " + r.out());
        }
        assertTrue(r.out().contains("\"ctx\":8"), r.out());
        // no --model: the shipped default model (data/models, found from the classes' location)
        Run shipped = trit("perplexity", "--file", text.toString(), "--json", "--threads", "2");
        assertEquals(0, shipped.code(), shipped.err());
        assertTrue(shipped.out().contains(trit.model.DefaultModel.TERNARY), shipped.out());
        assertOneLineError(trit("perplexity", "-m", m.toString(), "--checkpoint", m.toString(), "--file", text.toString()));
        assertOneLineError(trit("perplexity", "-m", m.toString(), "--split", "dev"));
        assertOneLineError(trit("perplexity", "-m", m.toString(), "--file", dir.resolve("none.txt").toString()));
    }

    @Test
    void corpusAndTokenizerCommands() throws Exception {
        assertOneLineError(trit("corpus", "--source", "shakespeare"));
        Path missing = dir.resolve("no-bible.data");
        Run r = trit("corpus", "--source", "kjv", "--kjv-data", missing.toString(), "--out", dir.resolve("c").toString());
        assertOneLineError(r);
        assertTrue(r.err().contains("apt-get install bible-kjv-text"), r.err());

        // a small corpus keeps this quick
        java.util.Map<trit.corpus.Split, java.util.List<trit.corpus.Document>> docs = new java.util.EnumMap<>(trit.corpus.Split.class);
        String text = trit.corpus.Corpus.shipped().text(trit.corpus.Split.VALID).replace("\n\n\n", "\n\n");
        docs.put(trit.corpus.Split.TRAIN, java.util.List.of(new trit.corpus.Document("a", text.substring(0, 60_000).strip())));
        docs.put(trit.corpus.Split.VALID, java.util.List.of(new trit.corpus.Document("b", text.substring(60_000, 80_000).strip())));
        docs.put(trit.corpus.Split.TEST, java.util.List.of(new trit.corpus.Document("c", "The end.")));
        Path small = dir.resolve("small");
        trit.corpus.CorpusBuilder.write(trit.corpus.CorpusBuilder.assemble(docs, java.util.List.of()), small, false);
        Path tok = dir.resolve("tok.gguf");
        Run t = trit("tokenizer", "train", "--vocab", "300", "--corpus", small.toString(), "--out", tok.toString(), "--json", "-q");
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("\"vocab_size\":300") && t.out().contains("\"valid_bytes_per_token\":"), t.out());
        try (GgufFile f = GgufFile.open(tok)) {
            assertEquals("llama-bpe", f.getString("tokenizer.ggml.pre", null));
        }
        assertOneLineError(trit("tokenizer", "train", "--vocab", "10", "--out", tok.toString()));
        assertOneLineError(trit("tokenizer", "train", "--pre", "tekken", "--out", tok.toString()));
    }
}
