package trit.cli;

import static org.junit.jupiter.api.Assertions.*;
import static trit.cli.CliTest.trit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trit.gguf.GgufFile;
import trit.model.SyntheticModel;
import trit.tensor.GgmlType;

/** trit plan and trit report. */
class PlanReportCliTest {
    @TempDir Path dir;

    @Test
    void planComponentsAddUpAndWeightsAreExact() throws Exception {
        CliTest.Run r = trit("plan", "--synthetic", "bitnet-b1.58-2b4t", "--type", "i2_s", "--ctx", "1000", "--json");
        assertEquals(0, r.code(), r.err());
        Map<?, ?> j = RoiCliTest.parse(r.out());
        Map<?, ?> c = (Map<?, ?>) j.get("components");
        long sum = 0;
        for (Object v : c.values()) sum += ((Number) v).longValue();
        assertEquals(((Number) j.get("inference_bytes")).longValue(), sum);
        var s = SyntheticModel.preset("bitnet-b1.58-2b4t");
        assertEquals(SyntheticModel.writer(s, GgmlType.I2_S, 1, 1).tensorBytes(), ((Number) c.get("weights")).longValue());
        assertEquals(2L * 2 * s.layers() * 1000 * s.kvDim(), ((Number) c.get("kv_cache")).longValue());
        CliTest.Run lora = trit("plan", "--synthetic", "bitnet-tiny", "--lora-rank", "8", "--json");
        assertTrue(lora.out().contains("\"lora_parameters\":"), lora.out());
    }

    @Test
    void planOfAFileAsIfQuantizedMatchesTheQuantizedFile() throws Exception {
        Path m = dir.resolve("m.gguf"), q = dir.resolve("q.gguf");
        SyntheticModel.write(SyntheticModel.DEMO, 1, m);
        assertEquals(0, trit("quantize", m.toString(), q.toString(), "--type", "q4_0", "-q").code());
        Map<?, ?> planned = (Map<?, ?>) RoiCliTest.parse(trit("plan", "-m", m.toString(), "--type", "q4_0", "--json").out()).get("components");
        try (GgufFile f = GgufFile.open(q)) {
            assertEquals(f.tensorBytes(), ((Number) planned.get("weights")).longValue());
        }
    }

    @Test
    void planRejectsBadFigures() {
        RoiCliTest.assertNamedError(trit("plan", "--synthetic", "bitnet-tiny", "--ctx", "0"), "--ctx");
        RoiCliTest.assertNamedError(trit("plan", "--synthetic", "bitnet-tiny", "--ctx", "100000"), "--ctx");
        RoiCliTest.assertNamedError(trit("plan", "--synthetic", "bitnet-tiny", "--batch", "0"), "--batch");
        RoiCliTest.assertNamedError(trit("plan", "--synthetic", "bitnet-tiny", "--lora-rank", "-1"), "--lora-rank");
        RoiCliTest.assertNamedError(trit("plan", "--synthetic", "gpt-9"), "gpt-9");
        RoiCliTest.assertNamedError(trit("plan", "--validate", "bitnet-tiny"), "NAME:TYPE");
    }

    @Test
    void validateComparesWithAMeasuredChildRun() throws Exception {
        CliTest.Run r = trit("plan", "--validate", "bitnet-tiny:tq2_0", "--threads", "2", "--json");
        assertEquals(0, r.code(), r.err());
        Map<?, ?> row = (Map<?, ?>) ((List<?>) RoiCliTest.parse(r.out()).get("validation")).getFirst();
        long rss = ((Number) row.get("measured_peak_rss_bytes")).longValue();
        assertTrue(rss > 20 << 20, "a JVM's peak RSS: " + rss);
        assertTrue(Math.abs(((Number) row.get("relative_error")).doubleValue()) < 1, row.toString());
    }

    @Test
    void reportRendersTheHistoryWithCharts() throws Exception {
        Path h = dir.resolve("history.jsonl");
        assertEquals(0, trit("bench", "--synthetic", "bitnet-tiny", "--type", "tq2_0", "-p", "8", "-n", "4", "-r", "1", "--threads", "2",
                "--history", h.toString(), "-q").code());
        assertEquals(0, trit("bench", "--synthetic", "bitnet-tiny", "--type", "tq1_0", "-p", "8", "-n", "4", "-r", "1", "--threads", "2",
                "--history", h.toString(), "-q").code());
        assertEquals(0, trit("roi", "--scenario", "sora", "--history", h.toString()).code());
        CliTest.Run r = trit("report", "--history", h.toString(), "--out", dir.resolve("out").toString());
        assertEquals(0, r.code(), r.err());
        Path html;
        try (var files = Files.list(dir.resolve("out"))) {
            html = files.filter(p -> p.toString().endsWith(".html")).findFirst().orElseThrow();
        }
        String page = Files.readString(html);
        assertEquals(4, page.split("src=\"data:image/png;base64,", -1).length - 1, "throughput, memory, cost and sensitivity charts");
        assertTrue(page.contains("tq1_0") && page.contains("factorial-low") && page.contains("Results history"));
        Map<?, ?> json = RoiCliTest.parse(Files.readString(Path.of(html.toString().replace(".html", ".json"))));
        assertEquals(2, ((List<?>) json.get("formats")).size());
        RoiCliTest.assertNamedError(trit("report", "--history", dir.resolve("none.jsonl").toString()), "none.jsonl");
    }
}
