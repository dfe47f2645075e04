package trit.bdh;

import java.util.ArrayList;
import java.util.List;

/**
 * AdamW for BDH's parameter arrays: keeps the moments per array and applies the update that the
 * transformer trainer uses too ({@link trit.train.AdamW}), decoupled weight decay on every array.
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
        trit.train.AdamW.Step s = trit.train.AdamW.Step.of(beta1, beta2, eps, (int) t, lr, lr * weightDecay);
        for (int k = 0; k < params.size(); k++) {
            float[] p = params.get(k), g = grads.get(k), mk = m.get(k), vk = v.get(k);
            if (p.length != g.length || p.length != mk.length) throw new IllegalArgumentException("parameter " + k + " changed size");
            trit.train.AdamW.update(p, g, mk, vk, 0, p.length, s);
        }
    }

    public long steps() {
        return t;
    }

    /** The first moments, one array per parameter (zeros before the first step). */
    public List<float[]> firstMoments(List<BdhModel.Param> params) {
        return moments(m, params);
    }

    public List<float[]> secondMoments(List<BdhModel.Param> params) {
        return moments(v, params);
    }

    private static List<float[]> moments(List<float[]> have, List<BdhModel.Param> params) {
        List<float[]> r = new ArrayList<>();
        for (int k = 0; k < params.size(); k++) r.add(k < have.size() ? have.get(k) : new float[params.get(k).data().length]);
        return r;
    }

    /** Puts back the state of a saved optimizer: its moments and step count. */
    public void restore(List<float[]> firstMoments, List<float[]> secondMoments, long steps) {
        if (firstMoments.size() != secondMoments.size()) throw new IllegalArgumentException("moment lists differ in count");
        m.clear();
        v.clear();
        m.addAll(firstMoments);
        v.addAll(secondMoments);
        t = steps;
    }
}
