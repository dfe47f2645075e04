package trit.cli;

import static org.junit.jupiter.api.Assertions.*;
import static trit.cli.CliTest.trit;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** trit roi: the JSON other tools read, bad input, throughput sources, the history. */
class RoiCliTest {
    @TempDir Path dir;

    static Map<?, ?> parse(String json) throws Exception {
        return new ObjectMapper().readValue(json, Map.class);
    }

    static void assertNamedError(CliTest.Run r, String field) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("trit: ") && r.err().contains(field), field + " named in: " + r.err());
    }

    @Test
    void soraJsonHasTheRatioAndBothEnds() throws Exception {
        CliTest.Run r = trit("roi", "--scenario", "sora", "--json", "--no-history");
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.out().strip().lines().count());
        Map<?, ?> j = parse(r.out());
        double ratio = ((Number) j.get("ratio")).doubleValue();
        List<?> cases = (List<?>) j.get("cases");
        assertEquals(5, cases.size());
        Map<?, ?> first = (Map<?, ?>) cases.getFirst();
        assertEquals(ratio, ((Number) first.get("ratio")).doubleValue());
        // $2.50 / 30 clips per H100-hour against $2.1M over 180 days spread over 11.3M clips a day
        assertEquals((2.5 / 30) / (2.1e6 / 180 / 11.3e6), ratio, 1e-6 * ratio);
        assertEquals("unsustainable", j.get("verdict"));
        List<?> range = (List<?>) j.get("ratio_range");
        assertTrue(((Number) range.get(0)).doubleValue() < 0.1 && ((Number) range.get(1)).doubleValue() > 1000, range.toString());
        assertFalse(((List<?>) j.get("sources")).isEmpty());
        assertFalse(((List<?>) j.get("assumptions")).isEmpty());
        assertEquals(List.of("factorial-api"), j.get("sustainable_cases"));
    }

    @Test
    void everyBuiltInScenarioRuns() {
        for (String s : Scenarios.BUILT_IN) {
            CliTest.Run r = trit("roi", "--scenario", s, "--no-history");
            assertEquals(0, r.code(), s + ": " + r.err());
            assertTrue(r.out().contains("verdict") && r.out().contains("sources:"), r.out());
        }
        assertTrue(trit("roi", "--list").out().contains("music"));
    }

    @Test
    void invalidFiguresNameTheirFlag() throws Exception {
        assertNamedError(trit("roi", "--price-per-hour", "-1"), "--price-per-hour");
        assertNamedError(trit("roi", "--price-per-hour", "0"), "--price-per-hour");
        assertNamedError(trit("roi", "--utilization", "1.5"), "--utilization");
        assertNamedError(trit("roi", "--utilization", "0"), "--utilization");
        assertNamedError(trit("roi", "--utilization", "-0.2"), "--utilization");
        assertNamedError(trit("roi", "--requests-per-day", "-5"), "--requests-per-day");
        assertNamedError(trit("roi", "--value-per-output", "0"), "--value-per-output");
        assertNamedError(trit("roi", "--tokens-per-second", "-1"), "--tokens-per-second");
        assertNamedError(trit("roi", "--price-per-million-output-tokens", "-2"), "--price-per-million-output-tokens");
        assertNamedError(trit("roi", "--purchase-price", "2000"), "--amortization-years");
        assertNamedError(trit("roi", "--purchase-price", "-2000", "--amortization-years", "3"), "--purchase-price");
        assertNamedError(trit("roi", "--purchase-price", "2000", "--amortization-years", "3", "--power-watts", "100"), "--price-per-kwh");
        assertNamedError(trit("roi", "--price-per-hour", "x"), "--price-per-hour");
        assertNamedError(trit("roi", "--bench", dir.resolve("none.json").toString()), "--bench");
        Path junk = Files.writeString(dir.resolve("junk.json"), "{not json");
        assertNamedError(trit("roi", "--bench", junk.toString()), "--bench");
        Path noTg = Files.writeString(dir.resolve("notg.json"), "{\"pp64\": 10}");
        assertNamedError(trit("roi", "--bench", noTg.toString()), "tgN");
        assertNamedError(trit("roi", "--scenario", dir.resolve("nope.yaml").toString()), "--scenario");
        Path partial = Files.writeString(dir.resolve("partial.yaml"), "name: p\nhardware:\n  price_per_hour: 1\nworkload:\n"
                + "  requests_per_day: 10\n  output_tokens: 100\nthroughput:\n  tokens_per_second: 5\n");
        assertNamedError(trit("roi", "--scenario", partial.toString()), "missing field value");
    }

    @Test
    void benchFileIsMeasuredThroughput() throws Exception {
        Path bench = Files.writeString(dir.resolve("b.json"), "{\"model\":\"m\",\"type\":\"tq2_0\",\"threads\":2,\"pp64\":100.0,\"tg32\":20.0,"
                + "\"energy\":{\"joules_per_token\":0.5,\"label\":\"estimated\",\"method\":\"cpu x 10 W\"}}");
        CliTest.Run r = trit("roi", "--bench", bench.toString(), "--price-per-hour", "0.72", "--utilization", "1", "--json", "--no-history");
        assertEquals(0, r.code(), r.err());
        Map<?, ?> c = (Map<?, ?>) ((List<?>) parse(r.out()).get("cases")).getFirst();
        assertEquals(0.72 / (20 * 3600) * 1e6, ((Number) c.get("cost_per_million_generated_tokens")).doubleValue(), 1e-9);
        // 500 prompt tokens at 100/s + 200 generated at 20/s = 15 s of a $0.72/hour machine
        assertEquals(15 * 0.72 / 3600, ((Number) c.get("cost_per_output")).doubleValue(), 1e-12);
        Map<?, ?> in = (Map<?, ?>) c.get("inputs");
        assertEquals("measured", in.get("throughput_label"));
        assertTrue(in.get("throughput").toString().contains(bench.toString()));
        assertEquals("estimated", ((Map<?, ?>) parse(r.out()).get("energy")).get("label"));
    }

    @Test
    void yamlScenarioAndModalityAsInput() throws Exception {
        Path y = Files.writeString(dir.resolve("img.yml"), """
                name: images
                modality: image
                hardware: {name: gpu, price_per_hour: 2.0}
                utilization: 0.8
                workload: {unit: image, requests_per_day: 1000}
                throughput: {outputs_per_hour: 400, source: my measurement}
                value: {per_output: 0.04}
                sources: [my notes]
                """);
        CliTest.Run r = trit("roi", "--scenario", y.toString(), "--json", "--no-history");
        assertEquals(0, r.code(), r.err());
        Map<?, ?> j = parse(r.out());
        assertEquals("image", j.get("modality"));
        assertEquals((2.0 / 400 / 0.8) / 0.04, ((Number) j.get("ratio")).doubleValue(), 1e-12);
    }

    @Test
    void runsAreAppendedToTheHistory() throws Exception {
        Path h = dir.resolve("h/history.jsonl");
        assertEquals(0, trit("roi", "--history", h.toString()).code());
        assertEquals(0, trit("roi", "--scenario", "music", "--history", h.toString(), "--json").code());
        List<Map<String, Object>> lines = History.read(h);
        assertEquals(2, lines.size());
        assertEquals("roi", lines.get(1).get("command"));
        assertEquals("music", ((Map<?, ?>) lines.get(1).get("result")).get("scenario"));
        assertNotNull(((Map<?, ?>) lines.get(0).get("machine")).get("cores"));
        Files.writeString(h, "{\"torn", java.nio.file.StandardOpenOption.APPEND);
        assertEquals(2, History.read(h).size(), "a torn last line is skipped");
    }
}
