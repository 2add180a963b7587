package io.steerguard.gateway;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import io.steerguard.runtime.ChatMessage;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.GenerationRequest;
import io.steerguard.runtime.Introspection;
import io.steerguard.runtime.Priority;
import io.steerguard.runtime.Prompt;
import io.steerguard.runtime.SamplingParams;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.runtime.embedded.EmbeddedRuntime;

/**
 * Measures a model's mean residual-stream norm per layer at the last prompt token, over a small
 * fixed set of benign prompts, for {@code normalize: mean-residual-norm}. Blocking; runs on the
 * configuration thread.
 */
final class ResidualNorms {

    /** Short, varied, harmless chat prompts: the norms describe ordinary traffic. */
    private static final List<String> CALIBRATION = List.of(
            "What is the capital of France?", "Write a haiku about autumn leaves.",
            "Explain how a bicycle gear works.", "Give me three tips for learning a language.",
            "Summarise the water cycle in two sentences.", "What does a compiler do?",
            "Suggest a name for a friendly cat.", "How many minutes are in a day?");

    private ResidualNorms() {
    }

    static Map<Integer, Double> measure(EmbeddedRuntime runtime, Duration timeout) {
        int layers = runtime.modelConfig().numLayers();
        List<Integer> all = IntStream.range(0, layers).boxed().toList();
        double[] sums = new double[layers];
        int n = 0;
        for (String prompt : CALIBRATION) {
            GenerationRequest request = new GenerationRequest("calibration-" + n,
                    runtime.capabilities().chat() ? Prompt.chat(List.of(ChatMessage.user(prompt))) : Prompt.text(prompt),
                    SamplingParams.greedy(1), SteeringSpec.none(), new Introspection(all, false), Priority.BACKGROUND);
            List<GenerationEvent> events = runtime.generate(request).collect().asList().await().atMost(timeout);
            for (GenerationEvent e : events) {
                if (e instanceof GenerationEvent.Captured captured) {
                    captured.residuals().forEach((layer, h) -> sums[layer] += norm(h));
                }
            }
            n++;
        }
        Map<Integer, Double> means = new HashMap<>();
        for (int l = 0; l < layers; l++) {
            means.put(l, sums[l] / n);
        }
        return means;
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }
}
