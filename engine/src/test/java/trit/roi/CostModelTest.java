package trit.roi;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trit.TritException;

class CostModelTest {
    static Map<String, Object> text() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "t");
        m.put("hardware", new LinkedHashMap<>(Map.of("price_per_hour", 0.36)));
        m.put("utilization", 0.5);
        m.put("workload", new LinkedHashMap<>(Map.of("requests_per_day", 1000, "input_tokens", 100, "output_tokens", 50)));
        m.put("throughput", new LinkedHashMap<>(Map.of("tokens_per_second", 10.0, "prompt_tokens_per_second", 50.0)));
        m.put("value", new LinkedHashMap<>(Map.of("per_million_input_tokens", 1.0, "per_million_output_tokens", 4.0)));
        return m;
    }

    static Scenario parse(Map<String, Object> m) {
        return Scenario.fromMap(m, Map.of());
    }

    @Test
    void textCostsByHand() {
        CostModel.Result r = CostModel.evaluate(parse(text()));
        // busy: 100/50 + 50/10 = 7 s; at 50% utilization 14 s of a $0.36/hour machine = $0.0014
        assertEquals(7, r.busySecondsPerOutput(), 1e-12);
        assertEquals(0.0014, r.costPerOutput(), 1e-12);
        assertEquals(0.0014 / 150 * 1e6, r.costPerMillionTokens(), 1e-9);
        assertEquals(0.36 / (10 * 3600 * 0.5) * 1e6, r.costPerMillionGeneratedTokens(), 1e-9);
        // value: 100 x $1/1M + 50 x $4/1M = $0.0003
        assertEquals(0.0003, r.valuePerOutput(), 1e-15);
        assertEquals(0.0014 / 0.0003, r.ratio(), 1e-9);
        assertFalse(r.verdict().sustainable());
        assertEquals(1.4, r.costPerDay(), 1e-9);
        assertEquals(42, r.costPerMonth(), 1e-9);
        assertEquals(1000 * 7 / 0.5 / 86400, r.machines(), 1e-12);
        assertEquals(0.0014 / 0.1, r.verdict().requiredValuePerOutput(), 1e-12);
    }

    @Test
    void ownedHardwareAmortizesAndPaysForPower() {
        Map<String, Object> m = text();
        m.put("hardware", Map.of("purchase_price", 8760.0, "amortization_years", 2, "power_watts", 500, "price_per_kwh", 0.2));
        Scenario s = parse(m);
        assertEquals(0.5 + 0.1, s.hardware().costPerHour(), 1e-12);
        assertTrue(s.hardware().basis().contains("estimated"));
    }

    @Test
    void statedCostAndDailySpendGiveTheVolume() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("modality", "video");
        m.put("workload", Map.of("unit", "video"));
        m.put("throughput", Map.of("cost_per_output", 2.0, "source", "an estimate"));
        m.put("compute_per_day", 1000.0);
        m.put("value", Map.of("total", 3000.0, "days", 30, "kind", "revenue"));
        CostModel.Result r = CostModel.evaluate(parse(m));
        assertEquals(500, r.outputsPerDay(), 1e-9);
        assertEquals(100.0 / 500, r.valuePerOutput(), 1e-12);
        assertEquals(10, r.ratio(), 1e-9); // $1000/day of compute against $100/day of revenue
        assertTrue(Double.isNaN(r.machines()));
    }

    @Test
    void sustainableWithHeadroom() {
        Map<String, Object> m = text();
        m.put("value", Map.of("per_output", 0.028));
        Verdict v = CostModel.evaluate(parse(m)).verdict();
        assertEquals(0.05, v.ratio(), 1e-12);
        assertTrue(v.sustainable());
        assertEquals(2, v.headroom(), 1e-9);
        assertTrue(v.explain().startsWith("sustainable"), v.explain());
    }

    @Test
    void casesOverrideTheBase() {
        Map<String, Object> m = text();
        m.put("cases", List.of(Map.of("name", "low", "overrides", Map.of("utilization", 1.0)),
                Map.of("name", "high", "overrides", Map.of("hardware", Map.of("price_per_hour", 0.72)))));
        List<Scenario> cases = Scenario.expand(m, Map.of("utilization", 0.25), Map.of());
        assertEquals(2, cases.size());
        assertEquals(0.25, cases.get(0).utilization(), "the last overrides win over a case's");
        assertEquals("low", cases.get(0).caseName());
        assertEquals(0.72, cases.get(1).hardware().pricePerHour());
        assertEquals(0.25, cases.get(1).utilization());
        assertEquals(4 * CostModel.evaluate(parse(text())).ratio(), CostModel.evaluate(cases.get(1)).ratio(), 1e-9);
    }

    @Test
    void sensitivityCrossesTheLineWhereItSays() {
        for (Map<String, Object> m : List.of(text(), withStatedSpend())) {
            Scenario s = parse(m);
            for (Sensitivity.Curve c : Sensitivity.of(s)) {
                assertEquals(25 - (c.unit().equals("fraction") ? 5 : 0), c.points().size(), c.parameter());
                if (Double.isNaN(c.breakEven())) continue;
                Scenario s0 = s.withVolume(CostModel.evaluate(s).outputsPerDay());
                Scenario at = switch (c.parameter()) {
                    case "throughput" -> s0.withThroughput(s0.throughput().faster(c.breakEven()));
                    case "utilization" -> s0.withUtilization(c.breakEven());
                    case "hardware price" -> s0.withHardware(s0.hardware().priced(c.breakEven()));
                    default -> s0.withValue(s0.value().scaled(c.breakEven()));
                };
                assertEquals(Verdict.THRESHOLD, CostModel.evaluate(at).ratio(), 1e-9, c.parameter());
                // the curve brackets the crossing: one side above the line, the other below
                double first = c.points().getFirst().ratio(), last = c.points().getLast().ratio();
                assertTrue(Math.min(first, last) < Verdict.THRESHOLD && Math.max(first, last) > Verdict.THRESHOLD, c.parameter());
            }
        }
    }

    private static Map<String, Object> withStatedSpend() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("workload", Map.of("unit", "video"));
        m.put("throughput", Map.of("cost_per_output", 1.3));
        m.put("compute_per_day", 1e6);
        m.put("value", Map.of("total", 2.1e6, "days", 180));
        return m;
    }

    @Test
    void badFiguresNameTheirField() {
        record Bad(String path, Object value, String expected) {}
        for (Bad b : List.of(
                new Bad("hardware.price_per_hour", -1, "hardware.price_per_hour must be a positive number, got -1"),
                new Bad("hardware.price_per_hour", 0, "hardware.price_per_hour must be a positive number, got 0"),
                new Bad("utilization", 1.5, "utilization must be in (0, 1], got 1.5"),
                new Bad("utilization", 0, "utilization must be in (0, 1], got 0"),
                new Bad("workload.requests_per_day", "many", "workload.requests_per_day must be a number, got \"many\""),
                new Bad("throughput.tokens_per_second", -3, "throughput.tokens_per_second must be a positive number, got -3"),
                new Bad("value.per_million_output_tokens", 0, "value.per_million_output_tokens must be a positive number, got 0"))) {
            Map<String, Object> m = text();
            String[] p = b.path().split("\\.");
            if (p.length == 1) m.put(p[0], b.value());
            else ((Map<String, Object>) m.get(p[0])).put(p[1], b.value());
            TritException e = assertThrows(TritException.class, () -> CostModel.evaluate(parse(m)), b.path());
            assertEquals(b.expected(), e.getMessage());
        }
        Map<String, Object> m = text();
        m.remove("value");
        assertEquals("missing field value", assertThrows(TritException.class, () -> parse(m)).getMessage());
        Map<String, Object> m2 = text();
        ((Map<String, Object>) m2.get("hardware")).put("price_per_hour", -1);
        TritException e = assertThrows(TritException.class,
                () -> Scenario.fromMap(m2, Map.of("hardware.price_per_hour", "--price-per-hour")));
        assertEquals("--price-per-hour must be a positive number, got -1", e.getMessage());
    }

    @Test
    void energyFromRaplCountersWithWrapAround(@TempDir Path dir) throws Exception {
        Path z = Files.createDirectories(dir.resolve("intel-rapl:0"));
        Files.createDirectories(dir.resolve("intel-rapl:0:0")); // a sub-zone: not counted twice
        Files.writeString(z.resolve("energy_uj"), "999000000\n");
        Files.writeString(z.resolve("max_energy_range_uj"), "1000000000\n");
        EnergyMeter m = EnergyMeter.start(dir, 10);
        assertTrue(m.rapl());
        Files.writeString(z.resolve("energy_uj"), "4000000\n"); // wrapped: 1 J to the top, then 4 J
        EnergyMeter.Reading r = m.stop();
        assertEquals("measured", r.label());
        assertEquals(5.0, r.joules(), 1e-9);
        assertEquals(5.0 / 3.6e6 * 0.2, r.cost(0.2), 1e-15);
    }

    @Test
    void energyEstimatedFromCpuTimeWithoutRapl(@TempDir Path dir) {
        EnergyMeter m = EnergyMeter.start(dir.resolve("none"), 7.5);
        assertFalse(m.rapl());
        double x = 0;
        for (int i = 0; i < 5_000_000; i++) x += Math.sqrt(i);
        EnergyMeter.Reading r = m.stop();
        assertTrue(x > 0);
        assertEquals("estimated", r.label());
        assertEquals(r.cpuSeconds() * 7.5, r.joules(), 1e-12);
        assertTrue(r.cpuSeconds() > 0);
        assertTrue(r.method().contains("7.5 W per busy core"), r.method());
        assertThrows(TritException.class, () -> EnergyMeter.start(dir, 0));
    }
}
