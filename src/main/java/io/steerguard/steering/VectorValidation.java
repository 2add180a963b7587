package io.steerguard.steering;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Checks a {@link VectorSet} against the model it will steer: hidden size, layer range, finite
 * components, non-zero norm, and the model hint. Faults throw {@link VectorFileException} naming
 * the file and field in the file's own terms (e.g. {@code tensor direction.4} for GGUF); a
 * tolerated oddity comes back as a {@link VectorWarning}.
 *
 * @param hiddenSize        the model's residual-stream width
 * @param numLayers         the model's decoder-layer count; valid layers are {@code 0..numLayers-1}
 * @param expectedModelHint the model's family as a vector file would name it (config.json
 *                          {@code model_type}, e.g. {@code llama}); empty to skip the check
 * @param hintPolicy        what a hint mismatch is
 */
public record VectorValidation(int hiddenSize, int numLayers, String expectedModelHint, HintPolicy hintPolicy) {

    /** What a model-hint mismatch means. */
    public enum HintPolicy {
        /** Ignore the hint entirely. */
        IGNORE,
        /** Report a mismatch as a warning and use the vectors. */
        WARN,
        /** Reject the file. */
        ERROR
    }

    public VectorValidation {
        Objects.requireNonNull(expectedModelHint, "expectedModelHint");
        Objects.requireNonNull(hintPolicy, "hintPolicy");
        if (hiddenSize < 1) {
            throw new IllegalArgumentException("hiddenSize must be >= 1, got " + hiddenSize);
        }
        if (numLayers < 1) {
            throw new IllegalArgumentException("numLayers must be >= 1, got " + numLayers);
        }
    }

    /**
     * Validates {@code set}.
     *
     * @return warnings, empty when all is well
     * @throws VectorFileException on the first fault found, checking layers in ascending order
     */
    public List<VectorWarning> validate(VectorSet set) {
        String file = set.source();
        for (Map.Entry<Integer, float[]> e : set.directions().entrySet()) {
            int layer = e.getKey();
            float[] v = e.getValue();
            String field = VectorFormat.fieldFor(file, layer);
            if (layer >= numLayers) {
                throw new VectorFileException(file, field, "layer " + layer + " is out of range, the model has "
                        + numLayers + " layers (0.." + (numLayers - 1) + ")");
            }
            if (v.length != hiddenSize) {
                throw new VectorFileException(file, field, "length " + v.length + ", model hidden size is " + hiddenSize);
            }
            double sumSquares = 0;
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    throw new VectorFileException(file, field, "component " + i + " is " + v[i]);
                }
                sumSquares += (double) v[i] * v[i];
            }
            if (sumSquares == 0) {
                throw new VectorFileException(file, field, "zero norm: the direction is all zeros");
            }
        }
        List<VectorWarning> warnings = new ArrayList<>();
        if (hintPolicy != HintPolicy.IGNORE && !expectedModelHint.isEmpty()) {
            String hint = set.modelHint();
            String field = VectorFormat.hintField(file);
            if (hint.isEmpty()) {
                warnings.add(new VectorWarning(file, field, "absent, cannot confirm the vectors were made for '"
                        + expectedModelHint + "'"));
            } else if (!hint.toLowerCase(Locale.ROOT).equals(expectedModelHint.toLowerCase(Locale.ROOT))) {
                String detail = "'" + hint + "' does not match the model '" + expectedModelHint + "'";
                if (hintPolicy == HintPolicy.ERROR) {
                    throw new VectorFileException(file, field, detail);
                }
                warnings.add(new VectorWarning(file, field, detail));
            }
        }
        return List.copyOf(warnings);
    }
}
