package trit.model;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import trit.TritException;
import trit.gguf.GgufFile;
import trit.kernel.Parallel;
import trit.tensor.GgmlType;

/**
 * The fast forward pass against {@link ReferenceTransformer} on small random models of each
 * architecture and weight format. Tolerance (relative RMS of the logits): 3e-3 where activations keep
 * at least 11 significant bits (F32 weights, and F16 whose activations are rounded to F16; the F16 KV
 * cache and F16 attention products differ too), 5e-2 where llama.cpp rounds activations harder: BF16
 * (8 bits) and the 8-bit integer formats (Q8_0, Q4_0, TQ1_0, TQ2_0, I2_S).
 */
class TransformerTest {
    @TempDir static Path dir;
    static final Parallel POOL = Parallel.create(2);

    @org.junit.jupiter.api.AfterAll
    static void closePool() {
        POOL.close();
    }
    static final int[] PROMPT = {256, 72, 101, 108, 108, 111, 44, 32, 119, 111, 114, 108, 100, 33, 10, 299, 7};

    static final SyntheticModel.Shape SMALL =
            new SyntheticModel.Shape("t", Architecture.LLAMA, 300, 256, 2, 4, 2, 64, 512, 64, false, 10000f);
    /** Qwen3's heads are wider than dim / heads: queries 512 wide on a 256 model. */
    static final SyntheticModel.Shape QWEN =
            new SyntheticModel.Shape("q", Architecture.QWEN3, 300, 256, 2, 4, 2, 128, 512, 64, true, 1000000f);

    static Path model(Architecture a, GgmlType t) {
        Path f32 = dir.resolve(a.ggufName() + "-f32.gguf");
        if (!f32.toFile().exists()) SyntheticModel.write(a == Architecture.QWEN3 ? QWEN : SMALL.withArch(a), 11, f32);
        if (t == GgmlType.F32) return f32;
        Path q = dir.resolve(a.ggufName() + "-" + t.label() + ".gguf");
        if (!q.toFile().exists()) ModelQuantizer.quantize(f32, q, new ModelQuantizer.Options(t, false, 2), null);
        return q;
    }

    static Stream<Arguments> cases() {
        List<Arguments> c = new ArrayList<>();
        for (GgmlType t : List.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0)) {
            c.add(Arguments.of(Architecture.LLAMA, t));
        }
        c.add(Arguments.of(Architecture.QWEN3, GgmlType.F32));
        c.add(Arguments.of(Architecture.QWEN3, GgmlType.Q8_0));
        for (Architecture a : List.of(Architecture.BITNET, Architecture.BITNET_B158)) {
            for (GgmlType t : List.of(GgmlType.F32, GgmlType.TQ2_0, GgmlType.TQ1_0, GgmlType.I2_S, GgmlType.Q8_0)) {
                c.add(Arguments.of(a, t));
            }
        }
        return c.stream();
    }

    static double relRms(float[] got, double[] ref) {
        double d = 0, r = 0;
        for (int i = 0; i < ref.length; i++) {
            d += (got[i] - ref[i]) * (got[i] - ref[i]);
            r += ref[i] * ref[i];
        }
        return Math.sqrt(d / r);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void fastPathMatchesReference(Architecture a, GgmlType t) {
        Path p = model(a, t);
        try (GgufFile f = GgufFile.open(p)) {
            double[] ref = new ReferenceTransformer(f).logits(PROMPT);
            Transformer m = Transformer.load(f, POOL);
            double tol = t == GgmlType.F32 || t == GgmlType.F16 ? 3e-3 : 5e-2;

            Session batch = m.newSession(64);
            float[] viaBatch = batch.forward(PROMPT).clone();
            System.out.printf("%s %s rel RMS %.2e%n", a, t, relRms(viaBatch, ref));
            assertTrue(relRms(viaBatch, ref) < tol, a + " " + t + " batched: rel RMS " + relRms(viaBatch, ref));

            Session step = m.newSession(64);
            float[] viaSteps = null;
            for (int tok : PROMPT) viaSteps = step.forward(tok);
            assertTrue(relRms(viaSteps, ref) < tol, a + " " + t + " token by token: rel RMS " + relRms(viaSteps, ref));
            assertEquals(PROMPT.length, step.position());
        }
    }

    @Test
    void contextOverflowIsAClearError() {
        try (GgufFile f = GgufFile.open(model(Architecture.LLAMA, GgmlType.F32))) {
            Session s = Transformer.load(f, POOL).newSession(8);
            TritException e = assertThrows(TritException.class, () -> s.forward(new int[9]));
            assertTrue(e.getMessage().contains("context"), e.getMessage());
        }
    }

    @Test
    void badTokenIdIsAClearError() {
        try (GgufFile f = GgufFile.open(model(Architecture.LLAMA, GgmlType.F32))) {
            Session s = Transformer.load(f, POOL).newSession(8);
            assertThrows(TritException.class, () -> s.forward(300));
        }
    }
}
