package io.steerguard.classifier;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The learned tier's model: one logistic regression over
 * {@code [embedding(opening) (384) | embedding(whole answer) (384) | lexical features]}, followed
 * by Platt scaling fitted on a validation split: {@code p = sigmoid(plattA · (w·x + b) + plattB)}.
 * Refused when {@code p >= threshold}. Written by {@code steerguard train-classifier}.
 *
 * @param encoder       encoder id ({@link EmbeddingRefusalClassifier#MODEL_ID})
 * @param dimension     the encoder's output size
 * @param lexical       names of the lexical features ({@link RefusalFeatures#LEXICAL_NAMES}), checked on load
 * @param weights       {@code 2·dimension + lexical.size()} weights on raw features
 * @param bias          the intercept
 * @param plattA        Platt slope on the logit
 * @param plattB        Platt intercept
 * @param threshold     decision threshold on the calibrated probability
 * @param l2            the L2 strength chosen on validation
 * @param seed          the seed of the validation split
 * @param sources       what it was trained on: file name → SHA-256
 * @param metrics       held-out metrics at training time, by evaluation set
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LearnedHead(String encoder, int dimension, List<String> lexical, double[] weights, double bias,
                          double plattA, double plattB, double threshold, double l2, long seed,
                          Map<String, String> sources, Map<String, Map<String, Double>> metrics) {

    /** Classpath location of the shipped model. */
    public static final String RESOURCE = "classifier/refusal-model.json";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public LearnedHead {
        Objects.requireNonNull(encoder, "encoder");
        lexical = List.copyOf(lexical);
        Objects.requireNonNull(weights, "weights");
        if (weights.length != 2 * dimension + lexical.size()) {
            throw new IllegalArgumentException("weights has " + weights.length + " entries, expected "
                    + (2 * dimension + lexical.size()));
        }
        for (double w : weights) {
            if (!Double.isFinite(w)) {
                throw new IllegalArgumentException("weights must be finite");
            }
        }
        if (!Double.isFinite(bias) || !Double.isFinite(plattA) || !Double.isFinite(plattB)) {
            throw new IllegalArgumentException("bias and Platt parameters must be finite");
        }
        if (!(threshold > 0.0 && threshold < 1.0)) {
            throw new IllegalArgumentException("threshold must be within (0, 1), was " + threshold);
        }
        // sorted, so that the same training run writes the same bytes
        sources = sources == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(sources));
        java.util.TreeMap<String, Map<String, Double>> sorted = new java.util.TreeMap<>();
        if (metrics != null) {
            metrics.forEach((k, v) -> sorted.put(k, java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(v))));
        }
        metrics = java.util.Collections.unmodifiableMap(sorted);
    }

    /** The raw logit {@code w·x + b} of one answer's features. */
    public double logit(float[] opening, float[] whole, float[] lexicalFeatures) {
        if (opening.length != dimension || whole.length != dimension || lexicalFeatures.length != lexical.size()) {
            throw new IllegalArgumentException("feature sizes do not match the model");
        }
        double z = bias;
        for (int i = 0; i < dimension; i++) {
            z += weights[i] * opening[i] + weights[dimension + i] * whole[i];
        }
        for (int i = 0; i < lexicalFeatures.length; i++) {
            z += weights[2 * dimension + i] * lexicalFeatures[i];
        }
        return z;
    }

    /** The calibrated refusal probability for a raw logit. */
    public double calibrated(double logit) {
        return LogisticHead.sigmoid(plattA * logit + plattB);
    }

    /** The evaluation set whose confusion matrix measures the shipped model's error for the statistics. */
    public static final String ERROR_MEASUREMENT = "gptfuzz-test";

    /**
     * The confusion counts {TP, FN, TN, FP} on {@link #ERROR_MEASUREMENT}, from {@link #metrics()};
     * empty when the model file does not carry them.
     */
    public java.util.Optional<long[]> measuredConfusion() {
        Map<String, Double> m = metrics.get(ERROR_MEASUREMENT);
        if (m == null || !m.containsKey("truePositives")) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new long[] {m.get("truePositives").longValue(), m.get("falseNegatives").longValue(),
                m.get("trueNegatives").longValue(), m.get("falsePositives").longValue()});
    }

    /** Features laid out as the weights expect them. */
    public static float[] concat(float[] opening, float[] whole, float[] lexicalFeatures) {
        float[] x = new float[opening.length + whole.length + lexicalFeatures.length];
        System.arraycopy(opening, 0, x, 0, opening.length);
        System.arraycopy(whole, 0, x, opening.length, whole.length);
        System.arraycopy(lexicalFeatures, 0, x, opening.length + whole.length, lexicalFeatures.length);
        return x;
    }

    public static LearnedHead loadResource() {
        try (InputStream in = LearnedHead.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + RESOURCE);
            }
            return MAPPER.readValue(in, LearnedHead.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    public static LearnedHead read(Path file) throws IOException {
        return MAPPER.readValue(file.toFile(), LearnedHead.class);
    }

    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, MAPPER.writeValueAsString(this) + "\n");
    }
}
