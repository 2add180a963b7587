package io.steerguard.derivation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * What a derivation produced, per layer, for the JSON report written next to the vector file.
 *
 * @param method     how the vectors were derived
 * @param positives  number of positive examples
 * @param negatives  number of negative examples
 * @param layers     per-layer norms and separation, ascending by layer
 */
public record DerivationReport(DerivationMethod method, int positives, int negatives, List<LayerSeparation> layers) {

    public DerivationReport {
        Objects.requireNonNull(method, "method");
        layers = List.copyOf(layers);
    }

    /** The report as pretty-printed JSON; non-finite numbers are written as null. */
    public String toJson() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("method", method.configName());
        root.put("capturePosition", method.capturePosition().name().toLowerCase(java.util.Locale.ROOT));
        root.put("positives", positives);
        root.put("negatives", negatives);
        var array = root.putArray("layers");
        for (LayerSeparation l : layers) {
            ObjectNode n = array.addObject();
            n.put("layer", l.layer());
            number(n, "norm", l.norm());
            number(n, "positiveMean", l.positiveMean());
            number(n, "negativeMean", l.negativeMean());
            number(n, "separation", l.separation());
            number(n, "effectSize", l.effectSize());
            number(n, "midpointAccuracy", l.midpointAccuracy());
            if (method == DerivationMethod.PCA) {
                number(n, "explainedVariance", l.explainedVariance());
                n.put("iterations", l.iterations());
            }
        }
        return root.toPrettyString() + "\n";
    }

    private static void number(ObjectNode n, String key, double v) {
        if (Double.isFinite(v)) {
            n.put(key, v);
        } else {
            n.putNull(key);
        }
    }
}
