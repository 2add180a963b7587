package io.steerguard.classifier;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A logistic-regression head over sentence embeddings: {@code p = sigmoid(w·x + b)}, refused when
 * {@code p >= threshold}. Stored as a small JSON file together with what it was trained on.
 *
 * @param embeddingModel which encoder produced the features (a mismatch means garbage scores)
 * @param input          what text was embedded ({@link EmbeddingInput#id()})
 * @param maxChars       how many characters of the normalised response were embedded
 * @param weights        one weight per embedding dimension
 * @param bias           the intercept
 * @param threshold      the decision threshold on p, picked on the training split
 * @param l2             the L2 strength the head was trained with
 * @param datasetSha256  SHA-256 of the dataset file the head was trained on
 * @param metrics        held-out metrics at training time (accuracy, precision, recall, f1, ...)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LogisticHead(String embeddingModel, String input, int maxChars, double[] weights, double bias,
                           double threshold, double l2, String datasetSha256, Map<String, Double> metrics) {

    /** Classpath location of the shipped head. */
    public static final String RESOURCE = "classifier/refusal-head.json";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public LogisticHead {
        Objects.requireNonNull(embeddingModel, "embeddingModel");
        EmbeddingInput.fromId(input);
        Objects.requireNonNull(weights, "weights");
        if (weights.length == 0) {
            throw new IllegalArgumentException("weights must not be empty");
        }
        if (maxChars <= 0) {
            throw new IllegalArgumentException("maxChars must be positive, was " + maxChars);
        }
        if (!(threshold > 0.0 && threshold < 1.0)) {
            throw new IllegalArgumentException("threshold must be within (0, 1), was " + threshold);
        }
        for (double w : weights) {
            if (!Double.isFinite(w)) {
                throw new IllegalArgumentException("weights must be finite");
            }
        }
        if (!Double.isFinite(bias)) {
            throw new IllegalArgumentException("bias must be finite");
        }
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }

    public int dimension() {
        return weights.length;
    }

    public EmbeddingInput embeddingInput() {
        return EmbeddingInput.fromId(input);
    }

    /** {@code sigmoid(w·x + b)}. */
    public double probability(float[] x) {
        if (x.length != weights.length) {
            throw new IllegalArgumentException("embedding has " + x.length + " dimensions, head expects " + weights.length);
        }
        double z = bias;
        for (int i = 0; i < x.length; i++) {
            z += weights[i] * x[i];
        }
        return sigmoid(z);
    }

    /** Logistic function, computed without overflow for large |z|. */
    public static double sigmoid(double z) {
        if (z >= 0) {
            return 1.0 / (1.0 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1.0 + e);
    }

    public static LogisticHead loadResource() {
        try (InputStream in = LogisticHead.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + RESOURCE);
            }
            return MAPPER.readValue(in, LogisticHead.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    public static LogisticHead read(Path file) throws IOException {
        return MAPPER.readValue(file.toFile(), LogisticHead.class);
    }

    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, MAPPER.writeValueAsString(this) + "\n");
    }
}
