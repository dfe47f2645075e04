package trit.bdh;

import java.util.List;
import trit.TritException;
import trit.sample.SplitMix64;

/**
 * BDH-GPU parameters as plain float arrays (row-major), laid out as the reference's tensors:
 * <ul>
 *   <li>{@code embed}: vocab x D (a token's row is its embedding)</li>
 *   <li>{@code encoder}, {@code encoderV}: heads x D x N (E and E_y; head h maps a D-vector to its N neurons)</li>
 *   <li>{@code decoder}: (heads*N) x D (a neuron's row is what it writes back to the residual)</li>
 *   <li>{@code lmHead}: D x vocab</li>
 * </ul>
 * Instances are mutable (training updates them in place); {@link #zerosLike()} makes gradient buffers.
 */
public final class BdhModel {
    /** One named parameter array; the optimizer walks these in this order. */
    public record Param(String name, float[] data) {}

    private final BdhConfig config;
    final float[] embed, encoder, encoderV, decoder, lmHead;

    public BdhModel(BdhConfig c, float[] embed, float[] encoder, float[] encoderV, float[] decoder, float[] lmHead) {
        this.config = c;
        long enc = (long) c.heads() * c.dim() * c.neurons();
        check("embed", embed, (long) c.vocab() * c.dim());
        check("encoder", encoder, enc);
        check("encoder_v", encoderV, enc);
        check("decoder", decoder, enc);
        check("lm_head", lmHead, (long) c.dim() * c.vocab());
        this.embed = embed;
        this.encoder = encoder;
        this.encoderV = encoderV;
        this.decoder = decoder;
        this.lmHead = lmHead;
    }

    private static void check(String name, float[] a, long n) {
        if (a.length != n) throw new TritException("BDH " + name + " has " + a.length + " values, the shape needs " + n);
    }

    /** The reference's initialisation: every parameter drawn from N(0, 0.02^2). */
    public static BdhModel random(BdhConfig c, long seed) {
        return random(c, seed, 0.02f);
    }

    public static BdhModel random(BdhConfig c, long seed, float std) {
        BdhModel m = zeros(c);
        SplitMix64 rng = new SplitMix64(seed);
        for (Param p : m.params()) gaussian(p.data(), rng, std);
        return m;
    }

    public static BdhModel zeros(BdhConfig c) {
        int enc = c.heads() * c.dim() * c.neurons();
        return new BdhModel(c, new float[c.vocab() * c.dim()], new float[enc], new float[enc], new float[enc],
                new float[c.dim() * c.vocab()]);
    }

    public BdhModel zerosLike() {
        return zeros(config);
    }

    static void gaussian(float[] a, SplitMix64 rng, float std) {
        for (int i = 0; i < a.length; i += 2) {
            // Box-Muller: two normals per pair of uniforms; 1 - u keeps the log finite
            double u1 = 1.0 - rng.nextDouble(), u2 = rng.nextDouble();
            double r = Math.sqrt(-2 * Math.log(u1)) * std;
            a[i] = (float) (r * Math.cos(2 * Math.PI * u2));
            if (i + 1 < a.length) a[i + 1] = (float) (r * Math.sin(2 * Math.PI * u2));
        }
    }

    public BdhConfig config() {
        return config;
    }

    /**
     * The same weights applied {@code layers} times: every layer shares one block, so the depth is a
     * compute knob that adds no parameters (the returned model shares this one's arrays).
     */
    public BdhModel withLayers(int layers) {
        BdhConfig c = config;
        return new BdhModel(new BdhConfig(layers, c.dim(), c.heads(), c.neurons(), c.vocab(), c.ropeTheta()), embed, encoder, encoderV, decoder, lmHead);
    }

    /**
     * This model with {@code heads} heads, the new ones appended after its own: their encoder and value
     * encoder columns drawn from N(0, 0.02^2) as at initialisation, their decoder rows zero. The decoder
     * is the only way a head reaches the residual, so the wider model computes the same function as this
     * one (the same logits) and learns to use the new neurons from there: a warm start for width. Zero
     * encoders instead would leave the new neurons dead (ReLU at 0 passes no gradient). New arrays; this
     * model is unchanged.
     */
    public BdhModel withHeads(int heads, long seed) {
        BdhConfig c = config;
        if (heads < c.heads()) throw new TritException("BDH model has " + c.heads() + " heads; it can grow to more, not shrink to " + heads);
        BdhConfig w = new BdhConfig(c.layers(), c.dim(), heads, c.neurons(), c.vocab(), c.ropeTheta());
        int old = encoder.length, grown = heads * c.dim() * c.neurons();
        SplitMix64 rng = new SplitMix64(seed);
        float[] enc = java.util.Arrays.copyOf(encoder, grown), encV = java.util.Arrays.copyOf(encoderV, grown);
        float[] fresh = new float[grown - old];
        gaussian(fresh, rng, 0.02f);
        System.arraycopy(fresh, 0, enc, old, fresh.length);
        gaussian(fresh, rng, 0.02f);
        System.arraycopy(fresh, 0, encV, old, fresh.length);
        // decoder rows are (head, neuron) in head order, so the new heads' rows are the zero tail
        return new BdhModel(w, embed.clone(), enc, encV, java.util.Arrays.copyOf(decoder, grown), lmHead.clone());
    }

    public List<Param> params() {
        return List.of(new Param("embed", embed), new Param("encoder", encoder), new Param("encoder_v", encoderV),
                new Param("decoder", decoder), new Param("lm_head", lmHead));
    }

    public float[] embed() { return embed; }
    public float[] encoder() { return encoder; }
    public float[] encoderV() { return encoderV; }
    public float[] decoder() { return decoder; }
    public float[] lmHead() { return lmHead; }

    public void fill(float v) {
        for (Param p : params()) java.util.Arrays.fill(p.data(), v);
    }
}
