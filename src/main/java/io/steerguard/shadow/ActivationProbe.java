package io.steerguard.shadow;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

import io.steerguard.classifier.ActivationRefusalScorer;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.ModelRuntime;

/**
 * The activation tier of the shadow path: which runtimes can be introspected and how, and the
 * reading of a {@link GenerationEvent.Captured} event into scores.
 *
 * <p>Setups are registered when a runtime starts (reading a refusal-direction file is blocking
 * I/O and belongs on the configuration thread), and looked up per sampled request on the event
 * loop, which costs one map lookup. Runtimes are held weakly, so a retired runtime's setup goes
 * with it. Only runtimes whose capabilities include introspection are accepted: remote runtimes
 * reject introspection requests.
 */
public final class ActivationProbe {

    private final boolean enabled;
    private final Map<ModelRuntime, ActivationSetup> setups = Collections.synchronizedMap(new WeakHashMap<>());

    /** @param enabled whether sampled requests are introspected at all */
    public ActivationProbe(boolean enabled) {
        this.enabled = enabled;
    }

    /** A probe that never introspects: the text tiers alone decide. */
    public static ActivationProbe disabled() {
        return new ActivationProbe(false);
    }

    /**
     * Introspects sampled requests on {@code runtime} as {@code setup} says.
     *
     * @throws IllegalArgumentException when the runtime cannot introspect
     */
    public void register(ModelRuntime runtime, ActivationSetup setup) {
        if (!runtime.capabilities().introspection()) {
            throw new IllegalArgumentException("runtime '" + runtime.name() + "' cannot capture activations");
        }
        setups.put(runtime, setup);
    }

    /** The setup for a sampled request on {@code runtime}, or empty when the activation tier does not apply. */
    public Optional<ActivationSetup> setup(ModelRuntime runtime) {
        return enabled ? Optional.ofNullable(setups.get(runtime)) : Optional.empty();
    }

    /**
     * Reads one side of a pair. Empty when the generation emitted no capture. Reducing the
     * vocabulary-sized distribution costs O(vocab), so callers run this off the event loop.
     */
    public static Optional<ActivationReading> read(ActivationSetup setup, GenerationEvent.Captured captured) {
        if (captured == null) {
            return Optional.empty();
        }
        double logOdds = Double.NaN;
        if (setup.refusalTokenIds().length > 0 && captured.firstTokenLogProbs() != null) {
            logOdds = ActivationRefusalScorer.firstTokenRefusalLogOdds(captured.firstTokenLogProbs(),
                    setup.refusalTokenIds());
        }
        double projection = Double.NaN;
        float[] residual = setup.refusalDirection() == null ? null : captured.residuals().get(setup.layer());
        if (residual != null) {
            projection = ActivationRefusalScorer.projection(residual, setup.refusalDirection());
        }
        if (Double.isNaN(logOdds) && Double.isNaN(projection)) {
            return Optional.empty();
        }
        return Optional.of(new ActivationReading(logOdds, projection, setup.thresholdLogOdds()));
    }
}
