package trit.roi;

/**
 * What is asked of the machine. For text, tokens per request (prompt and generated); for other
 * modalities, outputs (videos, tracks, images) per request. {@code requestsPerDay} is null when the
 * scenario states compute spend per day instead and the volume follows from the cost per output.
 */
public record Workload(String modality, String unit, Double requestsPerDay, double inputTokens, double outputTokens,
                       double outputsPerRequest) {
    public boolean tokens() {
        return inputTokens + outputTokens > 0;
    }

    static Workload from(Fields f, String modality) {
        String unit = f.string("unit", "request");
        Double perDay = f.optPositive("requests_per_day");
        double in = f.nonNegative("input_tokens", 0);
        double out = f.nonNegative("output_tokens", 0);
        double outputs = f.has("outputs_per_request") ? f.positive("outputs_per_request") : 1;
        return new Workload(modality, unit, perDay, in, out, outputs);
    }
}
