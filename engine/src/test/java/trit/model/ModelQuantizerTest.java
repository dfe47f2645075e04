package trit.model;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import trit.TritException;
import trit.gguf.GgufFile;
import trit.gguf.GgufValue;
import trit.gguf.GgufWriter;
import trit.tensor.GgmlType;
import trit.tensor.TensorCodec;

class ModelQuantizerTest {
    @TempDir Path dir;

    private static ModelQuantizer.Options to(GgmlType t) {
        return new ModelQuantizer.Options(t, false, 2);
    }

    @Test
    void ternaryModelsMoveLosslesslyBetweenTernaryTypes() {
        Path f32 = dir.resolve("f32.gguf");
        SyntheticModel.write(SyntheticModel.DEMO, 3, f32);
        Path tq2 = dir.resolve("tq2.gguf");
        ModelQuantizer.Result r = ModelQuantizer.quantize(f32, tq2, to(GgmlType.TQ2_0), null);
        double zeros = (double) r.zerosOverTernary() / r.ternaryElements();
        assertEquals(0.31, zeros, 0.02, "Gaussian weights under absmean: P(|z| < 0.4) is about 0.31");
        for (GgmlType next : new GgmlType[] {GgmlType.TQ1_0, GgmlType.I2_S}) {
            Path out = dir.resolve(next.label() + ".gguf");
            ModelQuantizer.quantize(tq2, out, to(next), null);
            try (GgufFile a = GgufFile.open(tq2); GgufFile b = GgufFile.open(out)) {
                assertEquals(0.0, WeightError.relativeRms(a, b), 1e-7, next.label());
            }
        }
        Path back = dir.resolve("back.gguf");
        ModelQuantizer.quantize(dir.resolve("i2_s.gguf"), back, to(GgmlType.TQ2_0), null);
        try (GgufFile a = GgufFile.open(tq2); GgufFile b = GgufFile.open(back)) {
            assertEquals(0.0, WeightError.relativeRms(a, b), 1e-7);
        }
    }

    /** llama.cpp's TQ2_0 keeps one scale per 256-weight block; going to TQ1_0 must keep every one. */
    @Test
    void blockScaledTernaryIsNotReternarized() {
        float[] x = new float[512 * 4];
        SplittableRandom rnd = new SplittableRandom(9);
        for (int i = 0; i < x.length; i++) {
            float blockScale = 0.01f * (1 + i / 256);
            x[i] = (rnd.nextInt(3) - 1) * blockScale;
        }
        Path src = dir.resolve("blocks.gguf");
        new GgufWriter().put("general.architecture", GgufValue.ofString("llama"))
                .addTensor("blk.0.attn_q.weight", GgmlType.TQ2_0, new long[] {512, 4},
                        dst -> TensorCodec.quantize(GgmlType.TQ2_0, x, dst, 1))
                .write(src);
        Path out = dir.resolve("tq1.gguf");
        ModelQuantizer.quantize(src, out, to(GgmlType.TQ1_0), null);
        try (GgufFile a = GgufFile.open(src); GgufFile b = GgufFile.open(out)) {
            assertEquals(GgmlType.TQ1_0, b.tensor("blk.0.attn_q.weight").type());
            assertEquals(0.0, WeightError.relativeRms(a, b), 1e-7);
        }
    }

    @Test
    void floatTargetsKeepEveryMatrixAndQ8IsClose() {
        Path f32 = dir.resolve("f32.gguf");
        SyntheticModel.write(SyntheticModel.DEMO, 4, f32);
        Path q8 = dir.resolve("q8.gguf");
        ModelQuantizer.quantize(f32, q8, to(GgmlType.Q8_0), null);
        try (GgufFile a = GgufFile.open(f32); GgufFile b = GgufFile.open(q8)) {
            assertEquals(GgmlType.Q8_0, b.tensor("token_embd.weight").type());
            assertEquals(GgmlType.F32, b.tensor("output_norm.weight").type());
            assertEquals(a.metadata().get("tokenizer.ggml.tokens").asArray().length(),
                    b.metadata().get("tokenizer.ggml.tokens").asArray().length());
            double e = WeightError.relativeRms(a, b);
            assertTrue(e > 0 && e < 0.01, "q8_0 error " + e);
        }
    }

    @Test
    void rowsThatDoNotFitTheBlockFallBack() {
        Path src = dir.resolve("odd.gguf");
        float[] x = new float[96 * 3];
        for (int i = 0; i < x.length; i++) x[i] = (i % 7 - 3) * 0.1f;
        new GgufWriter().put("general.architecture", GgufValue.ofString("llama"))
                .addTensor("blk.0.ffn_up.weight", GgmlType.F32, new long[] {96, 3},
                        dst -> TensorCodec.quantize(GgmlType.F32, x, dst, 1))
                .write(src);
        Path out = dir.resolve("o.gguf");
        ModelQuantizer.Result r = ModelQuantizer.quantize(src, out, to(GgmlType.TQ2_0), null);
        assertEquals(GgmlType.Q8_0, r.tensors().get(0).to());
        assertTrue(r.tensors().get(0).note().contains("not a multiple of 256"));
    }

    @Test
    void refusesToOverwriteItsInput() {
        Path f32 = dir.resolve("f32.gguf");
        SyntheticModel.write(SyntheticModel.DEMO, 5, f32);
        assertThrows(TritException.class, () -> ModelQuantizer.quantize(f32, f32, to(GgmlType.Q8_0), null));
    }
}
