package io.steerguard.classifier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The cascade's cheap first tier: a logistic model over {@link ScreenFeatures} with two cut-offs on
 * its raw logit. At or below {@code lower} the answer is called compliant, at or above {@code upper}
 * a refusal; between them the screen is unsure and the learned tier decides. The cut-offs were
 * chosen on the training data's validation fifth (never on a test set) so that the screen decides
 * only where it erred no more often than the learned tier on the same answers (see
 * docs/classifier-cascade.md). Written by {@code steerguard train-screen}.
 *
 * @param buckets        hash buckets per text
 * @param lexical        names of the lexical features, checked against this build's
 * @param weights        one weight per feature ({@link ScreenFeatures#size})
 * @param bias           the logit's intercept
 * @param lower          logit at or below which the screen calls the answer compliant
 * @param upper          logit at or above which the screen calls it a refusal; {@code lower < upper}
 * @param learnedModel   fingerprint ({@link #fingerprint}) of the learned model the cut-offs were chosen against
 * @param l2             the regularisation chosen on the validation fifth
 * @param seed           the training split's seed
 * @param validation     what the cut-offs were chosen from (counts on the validation fifth)
 * @param metrics        the cascade's confusion counts per test set, measured after everything was chosen;
 *                       {@link LearnedHead#ERROR_MEASUREMENT}'s feed the statistics' error correction
 */
public record ScreenModel(int buckets, List<String> lexical, double[] weights, double bias, double lower, double upper,
                          String learnedModel, double l2, long seed, Map<String, Double> validation,
                          Map<String, Map<String, Double>> metrics) {

    /** Classpath location of the shipped screen. */
    public static final String RESOURCE = "classifier/refusal-screen.json";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public ScreenModel {
        if (buckets <= 0) {
            throw new IllegalArgumentException("buckets must be positive, was " + buckets);
        }
        lexical = List.copyOf(lexical);
        Objects.requireNonNull(weights, "weights");
        if (weights.length != lexical.size() + 2 * buckets) {
            throw new IllegalArgumentException("weights has " + weights.length + " entries, expected "
                    + (lexical.size() + 2 * buckets));
        }
        for (double w : weights) {
            if (!Double.isFinite(w)) {
                throw new IllegalArgumentException("weights must be finite");
            }
        }
        if (!Double.isFinite(bias)) {
            throw new IllegalArgumentException("bias must be finite");
        }
        // a side on which the screen never decides has a cut-off beyond any logit (finite: JSON has no infinity)
        if (!Double.isFinite(lower) || !Double.isFinite(upper) || !(lower < upper)) {
            throw new IllegalArgumentException("need finite lower < upper, was " + lower + " and " + upper);
        }
        Objects.requireNonNull(learnedModel, "learnedModel");
        validation = validation == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(validation));
        java.util.TreeMap<String, Map<String, Double>> sorted = new java.util.TreeMap<>();
        if (metrics != null) {
            metrics.forEach((k, v) -> sorted.put(k, java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(v))));
        }
        metrics = java.util.Collections.unmodifiableMap(sorted);
    }

    /** The same screen with its measured test-set confusion counts. */
    public ScreenModel withMetrics(Map<String, Map<String, Double>> measured) {
        return new ScreenModel(buckets, lexical, weights, bias, lower, upper, learnedModel, l2, seed, validation, measured);
    }

    /**
     * The cascade's confusion counts {TP, FN, TN, FP} on {@link LearnedHead#ERROR_MEASUREMENT}; empty when
     * the file does not carry them.
     */
    public java.util.Optional<long[]> measuredConfusion() {
        Map<String, Double> m = metrics.get(LearnedHead.ERROR_MEASUREMENT);
        if (m == null || !m.containsKey("truePositives")) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new long[] {m.get("truePositives").longValue(), m.get("falseNegatives").longValue(),
                m.get("trueNegatives").longValue(), m.get("falsePositives").longValue()});
    }

    /** The screen's raw logit for one answer. */
    public double logit(RefusalFeatures.View view) {
        float[] f = view.lexical();
        double z = bias;
        for (int i = 0; i < f.length; i++) {
            z += weights[i] * f[i];
        }
        // a bucket counts once however many words land in it, as in training
        boolean[] seen = new boolean[2 * buckets];
        double[] acc = {z};
        int base = lexical.size();
        ScreenFeatures.forEachWord(TextNormalizer.bare(view.opening()), true, h -> {
            int b = Math.floorMod(h, buckets);
            if (!seen[b]) {
                seen[b] = true;
                acc[0] += weights[base + b];
            }
        });
        ScreenFeatures.forEachWord(TextNormalizer.bare(view.whole()), false, h -> {
            int b = buckets + Math.floorMod(h, buckets);
            if (!seen[b]) {
                seen[b] = true;
                acc[0] += weights[base + b];
            }
        });
        return acc[0];
    }

    /**
     * A fingerprint of what a learned model decides with (weights, bias, Platt, threshold): the
     * screen's cut-offs hold only against the model they were chosen with.
     */
    public static String fingerprint(LearnedHead head) {
        ByteBuffer buf = ByteBuffer.allocate(8 * (head.weights().length + 4));
        for (double w : head.weights()) {
            buf.putDouble(w);
        }
        buf.putDouble(head.bias()).putDouble(head.plattA()).putDouble(head.plattB()).putDouble(head.threshold());
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(buf.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ScreenModel loadResource() {
        try (InputStream in = ScreenModel.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + RESOURCE);
            }
            return MAPPER.readValue(in, ScreenModel.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    public static ScreenModel read(Path file) throws IOException {
        return MAPPER.readValue(file.toFile(), ScreenModel.class);
    }

    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, MAPPER.writeValueAsString(this) + "\n");
    }
}
