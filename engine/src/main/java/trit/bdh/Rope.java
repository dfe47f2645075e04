package trit.bdh;

/**
 * RoPE over neuron space as the reference applies it: neurons (2k, 2k+1) form a pair rotated by the
 * angle t * theta^(-2k/N) at position t. The reference computes the phase in turns and keeps its
 * fractional part before scaling by 2 pi; here the same is done in double, so that both forms of the
 * model (parallel and recurrent) get identical cos/sin for a position however large it grows.
 */
final class Rope {
    private final double[] turnsPerStep; // per pair: theta^(-2k/N) / (2 pi)

    Rope(int neurons, double theta) {
        turnsPerStep = new double[neurons / 2];
        for (int k = 0; k < turnsPerStep.length; k++) {
            turnsPerStep[k] = Math.pow(theta, -(2.0 * k) / neurons) / (2 * Math.PI);
        }
    }

    int pairs() {
        return turnsPerStep.length;
    }

    /** Angle of pair k at position t, in [0, 2 pi). */
    double angle(long t, int k) {
        double turns = t * turnsPerStep[k];
        return (turns - Math.floor(turns)) * (2 * Math.PI);
    }

    /** Fills cos[o+k], sin[o+k] for every pair at position t. */
    void table(long t, float[] cos, float[] sin, int o) {
        for (int k = 0; k < turnsPerStep.length; k++) {
            double a = angle(t, k);
            cos[o + k] = (float) Math.cos(a);
            sin[o + k] = (float) Math.sin(a);
        }
    }

    /**
     * out = R(t) in over one head's N neurons: (a, b) -> (a cos - b sin, b cos + a sin) per pair.
     * With {@code inverse}, rotates by -angle (R's transpose, used by the backward pass).
     */
    static void rotate(float[] in, int io, float[] out, int oo, float[] cos, float[] sin, int co, int pairs, boolean inverse) {
        for (int k = 0; k < pairs; k++) {
            float a = in[io + 2 * k], b = in[io + 2 * k + 1];
            float c = cos[co + k], s = inverse ? -sin[co + k] : sin[co + k];
            out[oo + 2 * k] = a * c - b * s;
            out[oo + 2 * k + 1] = b * c + a * s;
        }
    }
}
