package trit.sample;

import trit.TritException;

/**
 * How the next token is chosen from a model's logits. Each field mirrors the llama.cpp flag of the same
 * name, with the same "off" value:
 *
 * @param temperature   softmax temperature; {@code 0} means greedy (argmax) decoding ({@code --temperature})
 * @param topK          keep the {@code k} highest logits; {@code 0} = off ({@code --top-k})
 * @param topP          keep the smallest set of best tokens whose probability adds up to at least
 *                      {@code p}; {@code 1} = off ({@code --top-p})
 * @param minP          drop tokens whose probability is below {@code minP} times the best one's;
 *                      {@code 0} = off ({@code --min-p})
 * @param repeatPenalty divide positive (multiply negative) logits of recently seen tokens by this;
 *                      {@code 1} = off ({@code --repeat-penalty})
 * @param repeatLastN   how many of the most recent tokens the penalty looks at; {@code 0} = off
 *                      ({@code --repeat-last-n})
 * @param seed          seed of the random draw; the same seed and inputs give the same tokens
 *                      ({@code --seed})
 */
public record SamplerConfig(float temperature, int topK, float topP, float minP, float repeatPenalty,
                            int repeatLastN, long seed) {

    public static final int DEFAULT_REPEAT_LAST_N = 64;

    /** llama.cpp's defaults: temperature 0.8, top-k 40, top-p 0.95, min-p 0.05, no repetition penalty. */
    public static SamplerConfig defaults(long seed) {
        return new SamplerConfig(0.8f, 40, 0.95f, 0.05f, 1f, DEFAULT_REPEAT_LAST_N, seed);
    }

    /** Argmax decoding with every filter and the penalty off. */
    public static SamplerConfig greedy() {
        return new SamplerConfig(0f, 0, 1f, 0f, 1f, DEFAULT_REPEAT_LAST_N, 0L);
    }

    /** Temperature sampling from the full distribution: every filter and the penalty off. */
    public static SamplerConfig pure(float temperature, long seed) {
        return new SamplerConfig(temperature, 0, 1f, 0f, 1f, DEFAULT_REPEAT_LAST_N, seed);
    }

    public boolean isGreedy() {
        return temperature == 0f;
    }

    public SamplerConfig withTemperature(float t) {
        return new SamplerConfig(t, topK, topP, minP, repeatPenalty, repeatLastN, seed);
    }

    public SamplerConfig withTopK(int k) {
        return new SamplerConfig(temperature, k, topP, minP, repeatPenalty, repeatLastN, seed);
    }

    public SamplerConfig withTopP(float p) {
        return new SamplerConfig(temperature, topK, p, minP, repeatPenalty, repeatLastN, seed);
    }

    public SamplerConfig withMinP(float p) {
        return new SamplerConfig(temperature, topK, topP, p, repeatPenalty, repeatLastN, seed);
    }

    public SamplerConfig withRepeatPenalty(float penalty) {
        return new SamplerConfig(temperature, topK, topP, minP, penalty, repeatLastN, seed);
    }

    public SamplerConfig withRepeatLastN(int n) {
        return new SamplerConfig(temperature, topK, topP, minP, repeatPenalty, n, seed);
    }

    public SamplerConfig withSeed(long s) {
        return new SamplerConfig(temperature, topK, topP, minP, repeatPenalty, repeatLastN, s);
    }

    /**
     * Checks every setting and returns {@code this}; an invalid one throws a {@link TritException} whose
     * one-line message names the flag, the allowed range and the value given.
     */
    public SamplerConfig validate() {
        if (!(temperature >= 0f) || temperature == Float.POSITIVE_INFINITY) {
            throw invalid("--temperature", "a finite number >= 0 (0 = greedy)", Float.toString(temperature));
        }
        if (topK < 0) {
            throw invalid("--top-k", "an integer >= 0 (0 = off)", Integer.toString(topK));
        }
        if (!(topP > 0f && topP <= 1f)) {
            throw invalid("--top-p", "in (0, 1] (1 = off)", Float.toString(topP));
        }
        if (!(minP >= 0f && minP <= 1f)) {
            throw invalid("--min-p", "in [0, 1] (0 = off)", Float.toString(minP));
        }
        if (!(repeatPenalty > 0f) || repeatPenalty == Float.POSITIVE_INFINITY) {
            throw invalid("--repeat-penalty", "a finite number > 0 (1 = off)", Float.toString(repeatPenalty));
        }
        if (repeatLastN < 0) {
            throw invalid("--repeat-last-n", "an integer >= 0 (0 = off)", Integer.toString(repeatLastN));
        }
        return this;
    }

    private static TritException invalid(String flag, String range, String got) {
        return new TritException(flag + " must be " + range + ", got " + got);
    }
}
