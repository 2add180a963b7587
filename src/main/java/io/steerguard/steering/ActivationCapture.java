package io.steerguard.steering;

import io.smallrye.mutiny.Uni;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.GenerationRequest;
import io.steerguard.runtime.Introspection;
import io.steerguard.runtime.ModelRuntime;
import io.steerguard.runtime.Priority;
import io.steerguard.runtime.Prompt;
import io.steerguard.runtime.SamplingParams;
import io.steerguard.runtime.SteeringSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads the residual stream of a model at chosen layers, at the last token of each prompt, through
 * the runtime's activation capture ({@link Introspection}): each prompt is one unsteered,
 * background-priority request for a single greedy token whose {@link GenerationEvent.Captured}
 * event carries the residuals. Up to {@code batch} requests are in flight at once, so the runtime
 * can decode them in one batch. Blocking: call it from a worker or a command-line thread.
 *
 * <p>Layer {@code L} is the output of 0-based decoder block {@code L} (Hugging Face
 * {@code hidden_states[L+1]}), the same numbering steering vectors use.
 */
public final class ActivationCapture {

    /** Told after each completed batch. */
    @FunctionalInterface
    public interface Progress {
        /** {@code done} of {@code total} prompts captured so far. */
        void update(int done, int total);

        /** Reports nothing. */
        static Progress none() {
            return (done, total) -> { };
        }
    }

    private final ModelRuntime runtime;
    private final List<Integer> layers;
    private final int batch;
    private final Duration timeout;

    /**
     * @param runtime a runtime that supports introspection (the embedded runtime)
     * @param layers  layers to capture, non-empty
     * @param batch   requests in flight together, at least 1
     * @param timeout longest wait for one batch
     */
    public ActivationCapture(ModelRuntime runtime, List<Integer> layers, int batch, Duration timeout) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.layers = List.copyOf(layers);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (this.layers.isEmpty()) {
            throw new IllegalArgumentException("layers must not be empty");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        this.batch = batch;
    }

    /**
     * The residuals of every prompt, in prompt order, each a map from layer to its vector.
     *
     * @throws IllegalStateException when the runtime answers without the captured layers
     */
    public List<Map<Integer, float[]>> capture(List<Prompt> prompts, Progress progress) {
        List<Map<Integer, float[]>> out = new ArrayList<>(prompts.size());
        for (int start = 0; start < prompts.size(); start += batch) {
            List<Uni<List<GenerationEvent>>> inFlight = new ArrayList<>();
            for (int i = start; i < Math.min(prompts.size(), start + batch); i++) {
                GenerationRequest request = new GenerationRequest("capture-" + i, prompts.get(i), SamplingParams.greedy(1),
                        SteeringSpec.none(), new Introspection(layers, false), Priority.BACKGROUND);
                inFlight.add(runtime.generate(request).collect().asList());
            }
            List<List<GenerationEvent>> results = Uni.join().all(inFlight).andFailFast().await().atMost(timeout);
            for (List<GenerationEvent> events : results) {
                out.add(residuals(events, out.size()));
            }
            progress.update(out.size(), prompts.size());
        }
        return out;
    }

    private Map<Integer, float[]> residuals(List<GenerationEvent> events, int index) {
        for (GenerationEvent e : events) {
            if (e instanceof GenerationEvent.Captured captured) {
                for (int layer : layers) {
                    if (!captured.residuals().containsKey(layer)) {
                        throw new IllegalStateException("runtime " + runtime.name() + " captured layers "
                                + captured.residuals().keySet() + " for prompt " + index + ", layer " + layer + " is missing");
                    }
                }
                return captured.residuals();
            }
        }
        throw new IllegalStateException("runtime " + runtime.name() + " returned no activations for prompt " + index
                + "; activation capture needs the embedded runtime");
    }
}
