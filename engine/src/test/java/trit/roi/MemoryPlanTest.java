package trit.roi;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import trit.TritException;
import trit.gguf.GgufFile;
import trit.kernel.Parallel;
import trit.model.Session;
import trit.model.SyntheticModel;
import trit.model.Transformer;
import trit.tensor.GgmlType;

class MemoryPlanTest {
    @Test
    void kvCacheAndWeightsMatchWhatTheRuntimeAllocates() throws Exception {
        var shape = SyntheticModel.preset("bitnet-tiny");
        var w = SyntheticModel.writer(shape, GgmlType.TQ1_0, 3, 1);
        java.nio.file.Path p = java.nio.file.Files.createTempFile("plan", ".gguf");
        try {
            w.write(p);
            try (GgufFile f = GgufFile.open(p); Parallel pool = Parallel.create(1)) {
                Transformer m = Transformer.load(f, pool);
                Session s = m.newSession(100);
                long[] bytes = MemoryPlan.syntheticBytes(shape, GgmlType.TQ1_0);
                MemoryPlan plan = MemoryPlan.of("t", "tq1_0", MemoryPlan.Dims.of(shape), bytes[0], bytes[1], 100, 3, 64, 0);
                assertEquals(f.tensorBytes(), plan.weights());
                assertEquals(f.fileSize() - f.tensorBytes(), bytes[1]);
                assertEquals(3 * s.kvCacheBytes(), plan.kvCache());
                assertEquals(MemoryPlan.Dims.of(shape), MemoryPlan.Dims.of(m.config(), f.tensor("output.weight") != null));
                assertEquals(plan.weights() + plan.kvCache() + plan.activations() + plan.runtime(), plan.inference());
            }
        } finally {
            java.nio.file.Files.deleteIfExists(p);
        }
    }

    @Test
    void loraAddsAdaptersOptimizerAndSavedActivations() {
        var d = MemoryPlan.Dims.of(SyntheticModel.preset("bitnet-tiny"));
        MemoryPlan p = MemoryPlan.of("t", "tq2_0", d, 1000, 0, 64, 1, 64, 4);
        // rank 4 on q,k,v,o,gate,up,down of 2 layers: 4 x (256+256 + 2(256+128) + 256+256 + 2(256+512) + 512+256) per layer
        long perLayer = 4L * (512 + 2 * 384 + 512 + 2 * 768 + 768);
        assertEquals(2 * perLayer, p.lora().adapterParameters());
        assertEquals(16 * 2 * perLayer, p.lora().adapterState());
        assertEquals(2L * 4 * 64 * 512, p.lora().logits());
        assertEquals(p.inference() + p.lora().total(), p.total());
        assertNull(MemoryPlan.of("t", "tq2_0", d, 1000, 0, 64, 1, 64, 0).lora());
    }

    @Test
    void badSettingsAreRefused() {
        var d = MemoryPlan.Dims.of(SyntheticModel.preset("bitnet-tiny"));
        assertThrows(TritException.class, () -> MemoryPlan.of("t", "x", d, 1, 0, 0, 1, 64, 0));
        assertThrows(TritException.class, () -> MemoryPlan.of("t", "x", d, 1, 0, 513, 1, 64, 0));
        assertThrows(TritException.class, () -> MemoryPlan.of("t", "x", d, 1, 0, 8, 1, 65, 0));
        assertThrows(TritException.class, () -> MemoryPlan.of("t", "x", d, 1, 0, 8, 1, 64, -1));
    }
}
