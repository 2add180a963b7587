package io.steerguard.steering;

import io.steerguard.runtime.ChatMessage;
import io.steerguard.runtime.ModelRuntime;
import io.steerguard.runtime.Prompt;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Measures a model's mean residual-stream norm per layer at the last prompt token, over a small
 * fixed set of benign prompts: the scale for {@code normalize: mean-residual-norm} and for the
 * geometry audit's relative norm. Blocking; runs a handful of one-token generations one at a time,
 * so it never fills a small runtime's queue.
 */
public final class ResidualNorms {

    /** Short, varied, harmless chat prompts: the norms describe ordinary traffic. */
    private static final List<String> CALIBRATION = List.of(
            "What is the capital of France?", "Write a haiku about autumn leaves.",
            "Explain how a bicycle gear works.", "Give me three tips for learning a language.",
            "Summarise the water cycle in two sentences.", "What does a compiler do?",
            "Suggest a name for a friendly cat.", "How many minutes are in a day?");

    private ResidualNorms() {
    }

    /**
     * Mean {@code |h_L|} for every layer {@code 0..numLayers-1}.
     *
     * @param runtime   a runtime with activation capture; chat prompts when it has a chat template
     * @param numLayers the model's decoder-layer count
     * @param timeout   longest wait for the calibration prompts
     */
    public static Map<Integer, Double> measure(ModelRuntime runtime, int numLayers, Duration timeout) {
        List<Integer> all = IntStream.range(0, numLayers).boxed().toList();
        boolean chat = runtime.capabilities().chat();
        List<Prompt> prompts = CALIBRATION.stream()
                .map(p -> chat ? Prompt.chat(List.of(ChatMessage.user(p))) : Prompt.text(p)).toList();
        List<Map<Integer, float[]>> captured = new ActivationCapture(runtime, all, 1, timeout)
                .capture(prompts, ActivationCapture.Progress.none());
        double[] sums = new double[numLayers];
        for (Map<Integer, float[]> residuals : captured) {
            residuals.forEach((layer, h) -> sums[layer] += VectorMath.norm(h));
        }
        Map<Integer, Double> means = new HashMap<>();
        for (int l = 0; l < numLayers; l++) {
            means.put(l, sums[l] / captured.size());
        }
        return Map.copyOf(means);
    }
}
