package trit.bdh;

import java.util.ArrayList;
import java.util.List;

/**
 * AdamW (Loshchilov and Hutter) as torch.optim.AdamW computes it: decoupled weight decay
 * (p -= lr * wd * p), then the bias-corrected Adam step.
 *
 * <p>TO UNIFY: a minimal stand-in written while trit.train's optimizers were not there yet; once
 * trit.train has its AdamW, BdhTrainer should take that one through {@link Optimizer} and this class go.
 */
public final class AdamW implements Optimizer {
    private final double beta1, beta2, eps, weightDecay;
    private final List<float[]> m = new ArrayList<>(), v = new ArrayList<>();
    private long t;

    public AdamW(double weightDecay) {
        this(0.9, 0.999, 1e-8, weightDecay);
    }

    public AdamW(double beta1, double beta2, double eps, double weightDecay) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    @Override
    public void step(List<float[]> params, List<float[]> grads, double lr) {
        if (params.size() != grads.size()) throw new IllegalArgumentException("params and grads differ in count");
        while (m.size() < params.size()) {
            int n = params.get(m.size()).length;
            m.add(new float[n]);
            v.add(new float[n]);
        }
        t++;
        double c1 = 1 - Math.pow(beta1, t), c2 = 1 - Math.pow(beta2, t);
        float decay = (float) (1 - lr * weightDecay);
        float b1 = (float) beta1, b2 = (float) beta2;
        for (int k = 0; k < params.size(); k++) {
            float[] p = params.get(k), g = grads.get(k), mk = m.get(k), vk = v.get(k);
            if (p.length != g.length || p.length != mk.length) throw new IllegalArgumentException("parameter " + k + " changed size");
            float step = (float) (lr / c1);
            float sqrtC2 = (float) Math.sqrt(c2);
            for (int i = 0; i < p.length; i++) {
                float gi = g[i];
                mk[i] = b1 * mk[i] + (1 - b1) * gi;
                vk[i] = b2 * vk[i] + (1 - b2) * gi * gi;
                p[i] = p[i] * decay - step * mk[i] / ((float) Math.sqrt(vk[i]) / sqrtC2 + (float) eps);
            }
        }
    }

    public long steps() {
        return t;
    }
}
