/**
 * Token sampling: {@link trit.sample.SamplerConfig} (validated settings, llama.cpp's flags and defaults),
 * {@link trit.sample.Sampler} (the chain: repetition penalty, top-k, top-p, min-p, temperature, seeded
 * draw; or greedy argmax), and the pieces it is made of: {@link trit.sample.Logits} (checks, argmax,
 * penalty, log-softmax), {@link trit.sample.Candidates} (the filters and the draw),
 * {@link trit.sample.TokenWindow} (recent tokens) and {@link trit.sample.SplitMix64} (the random numbers).
 */
package trit.sample;
