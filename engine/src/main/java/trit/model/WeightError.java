package trit.model;

import trit.gguf.GgufFile;
import trit.gguf.GgufTensor;
import trit.tensor.TensorCodec;

/** How far a re-encoded model's weight matrices are from a reference: relative RMS error. */
public final class WeightError {
    private WeightError() {}

    /**
     * sqrt(sum (q - x)^2 / sum x^2) over every matrix present in both files, where x is the reference.
     * Each tensor is decoded whole, so this is meant for models that fit comfortably in memory.
     */
    public static double relativeRms(GgufFile reference, GgufFile quantized) {
        double err = 0, ref = 0;
        for (GgufTensor r : reference.tensors()) {
            if (r.shape().length < 2) continue;
            GgufTensor q = quantized.tensor(r.name());
            if (q == null || q.elements() != r.elements()) continue;
            float[] x = TensorCodec.dequantize(r.type(), r.data(), r.elements());
            float[] y = TensorCodec.dequantize(q.type(), q.data(), q.elements());
            for (int i = 0; i < x.length; i++) {
                double d = (double) y[i] - x[i];
                err += d * d;
                ref += (double) x[i] * x[i];
            }
        }
        return ref == 0 ? 0 : Math.sqrt(err / ref);
    }
}
