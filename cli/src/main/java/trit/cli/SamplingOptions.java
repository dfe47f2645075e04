package trit.cli;

import picocli.CommandLine.Option;
import trit.sample.SamplerConfig;

/** Sampling flags; the defaults are llama.cpp's. */
final class SamplingOptions {
    @Option(names = "--temperature", defaultValue = "0.8", description = "0 = greedy (default: ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--top-k", defaultValue = "40", description = "0 = off (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--top-p", defaultValue = "0.95", description = "1 = off (default: ${DEFAULT-VALUE}).")
    float topP;

    @Option(names = "--min-p", defaultValue = "0.05", description = "0 = off (default: ${DEFAULT-VALUE}).")
    float minP;

    @Option(names = "--repeat-penalty", defaultValue = "1.0", description = "1 = off (default: ${DEFAULT-VALUE}).")
    float repeatPenalty;

    @Option(names = "--repeat-last-n", defaultValue = "64", description = "Tokens the penalty looks back over (default: ${DEFAULT-VALUE}).")
    int repeatLastN;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed; the same seed gives the same text (default: ${DEFAULT-VALUE}).")
    long seed;

    SamplerConfig config() {
        return new SamplerConfig(temperature, topK, topP, minP, repeatPenalty, repeatLastN, seed).validate();
    }
}
