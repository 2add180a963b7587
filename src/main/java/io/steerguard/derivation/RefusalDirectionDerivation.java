package io.steerguard.derivation;

import io.steerguard.steering.ActivationCapture;
import io.steerguard.steering.RefusalDirection;
import io.steerguard.steering.VectorSet;
import io.steerguard.runtime.ModelRuntime;
import io.steerguard.runtime.Prompt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Computes a model's {@link RefusalDirection} through the runtime (Arditi et al. 2024): residual
 * activations of harmful and harmless instructions, each rendered with the chat template and the
 * assistant header, read at the last prompt token, and {@code r_L = mean(harmful) - mean(harmless)}
 * per layer.
 *
 * <p>Position: Arditi et al. take the difference of means at every post-instruction position (the
 * template tokens between the end of the user's text and the first generated token: for Llama-3
 * {@code <|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n}) and pick the best one. We
 * use the last of them, the token the first answer token is predicted from - the position whose
 * residual the refusal gate acts on and the one the runtime's capture and the activation
 * classifier read. Selection among layers is left to the operator: every layer is stored.
 */
public final class RefusalDirectionDerivation {

    /**
     * Texts a refusal typically starts with; the first token of each (in the model's own tokenizer)
     * forms the refusal-token set for the first-token refusal score.
     */
    public static final List<String> DEFAULT_REFUSAL_STARTS = List.of(
            "I", "I'm", "I cannot", "Sorry", "As", "Unfortunately", "My apologies", "Apologies");

    private RefusalDirectionDerivation() {
    }

    /**
     * Captures both instruction sets at {@code layers} and takes the difference of means.
     *
     * @param refusalTokenIds stored with the direction, see {@link #refusalTokenIds}
     */
    public static RefusalDirection compute(ModelRuntime runtime, PromptEncoder encoder, List<String> harmful,
                                           List<String> harmless, List<Integer> layers, int batch, Duration timeout,
                                           String modelHint, Set<Integer> refusalTokenIds,
                                           ActivationCapture.Progress progress) {
        if (harmful.isEmpty() || harmless.isEmpty()) {
            throw new IllegalArgumentException("harmful and harmless instructions must both be non-empty");
        }
        List<Prompt> prompts = new ArrayList<>();
        for (String instruction : harmful) {
            prompts.add(new Prompt.Tokens(encoder.encodeUserPrompt(instruction)));
        }
        for (String instruction : harmless) {
            prompts.add(new Prompt.Tokens(encoder.encodeUserPrompt(instruction)));
        }
        List<Map<Integer, float[]>> captured = new ActivationCapture(runtime, layers, batch, timeout)
                .capture(prompts, progress);
        Map<Integer, List<float[]>> harmfulActs = new HashMap<>();
        Map<Integer, List<float[]>> harmlessActs = new HashMap<>();
        for (int layer : layers) {
            List<float[]> h = new ArrayList<>();
            List<float[]> b = new ArrayList<>();
            for (int i = 0; i < captured.size(); i++) {
                (i < harmful.size() ? h : b).add(captured.get(i).get(layer));
            }
            harmfulActs.put(layer, h);
            harmlessActs.put(layer, b);
        }
        return fromActivations(harmfulActs, harmlessActs, modelHint, refusalTokenIds);
    }

    /**
     * The first token of each refusal start, in this tokenizer, without duplicates. The text is
     * encoded as it is, no leading space: at the first answer position, right after the template's
     * assistant header, byte-level tokenizers (Llama-3, Qwen2) produce the word without a space
     * and SentencePiece ones add their word-boundary marker themselves.
     *
     * @throws IllegalArgumentException when a start encodes to no token
     */
    public static Set<Integer> refusalTokenIds(PromptEncoder encoder, List<String> starts) {
        Set<Integer> ids = new LinkedHashSet<>();
        for (String start : starts) {
            int[] tokens = encoder.encode(start);
            if (tokens.length == 0) {
                throw new IllegalArgumentException("refusal start '" + start + "' encodes to no token");
            }
            ids.add(tokens[0]);
        }
        return ids;
    }

    /**
     * Difference of means per layer.
     *
     * @param harmful  activations of harmful instructions per layer
     * @param harmless activations of harmless instructions per layer (same layers)
     */
    public static RefusalDirection fromActivations(Map<Integer, List<float[]>> harmful, Map<Integer, List<float[]>> harmless,
                                           String modelHint, Set<Integer> refusalTokenIds) {
        if (!harmful.keySet().equals(harmless.keySet())) {
            throw new IllegalArgumentException("harmful and harmless activations must cover the same layers, got "
                    + harmful.keySet() + " and " + harmless.keySet());
        }
        TreeMap<Integer, float[]> r = new TreeMap<>();
        for (int layer : harmful.keySet()) {
            r.put(layer, VectorDerivation.meanDifference(new ContrastiveActivations(harmful.get(layer), harmless.get(layer))));
        }
        return new RefusalDirection(new VectorSet(modelHint, r, RefusalDirection.KIND), refusalTokenIds);
    }
}
