package io.steerguard.runtime.embedded;

import io.steerguard.runtime.RuntimeFault;
import io.steerguard.runtime.SteeringOperator;
import io.steerguard.runtime.SteeringSpec;

/** Rejects steering and introspection a model cannot honour, before a request takes a queue place. */
final class RequestChecks {

    private RequestChecks() {
    }

    static void check(ModelConfig c, SequenceRequest r) {
        for (int layer : r.introspection().captureLayers()) {
            if (layer >= c.numLayers()) {
                throw invalid("capture layer " + layer + " does not exist; the model has layers 0.." + (c.numLayers() - 1));
            }
        }
        for (SteeringSpec.Entry e : r.steering().entries()) {
            if (!e.hasDirections()) {
                throw invalid("steering vector '" + e.source() + "' has no loaded directions; the embedded runtime needs them");
            }
            for (int layer : e.layers()) {
                if (layer >= c.numLayers()) {
                    throw invalid("steering vector '" + e.source() + "' targets layer " + layer
                            + "; the model has layers 0.." + (c.numLayers() - 1));
                }
                float[] v = e.directions().get(layer);
                if (v.length != c.hiddenSize()) {
                    throw invalid("steering vector '" + e.source() + "' has " + v.length + " values at layer " + layer
                            + "; the model's hidden size is " + c.hiddenSize());
                }
                for (float x : v) {
                    if (!Float.isFinite(x)) {
                        throw invalid("steering vector '" + e.source() + "' has a NaN or infinite value at layer " + layer);
                    }
                }
                if (e.operator() != SteeringOperator.ADD && SteeringBatch.norm(v) == 0) {
                    throw invalid("steering vector '" + e.source() + "' is zero at layer " + layer
                            + "; " + e.operator().configName() + " needs a direction");
                }
            }
        }
    }

    private static RuntimeFault invalid(String message) {
        return new RuntimeFault(RuntimeFault.Kind.INVALID_REQUEST, message);
    }
}
