package trit.bdh;

import java.util.List;

/**
 * What {@link BdhTrainer} needs from an optimizer: update parameter arrays in place from their gradients.
 * Kept this small so that the trainer package's optimizers (trit.train, in progress) can be plugged in.
 */
public interface Optimizer {
    /**
     * One update. {@code params} and {@code grads} are parallel lists and keep the same arrays, in the
     * same order, from call to call (an optimizer may keep per-array state by position).
     */
    void step(List<float[]> params, List<float[]> grads, double learningRate);
}
