package io.steerguard.derivation;

import io.steerguard.steering.ActivationCapture;
import io.steerguard.runtime.ModelRuntime;
import io.steerguard.runtime.Prompt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Derives steering vectors from a model: captures residual activations for contrastive data
 * through the runtime ({@link ActivationCapture}) and applies {@link VectorDerivation}'s maths.
 *
 * <p>Where activations are read follows the data:
 * <ul>
 *   <li>prompt pairs: the last prompt token after the chat template with {@code add_generation_prompt}
 *       (for Llama-3, the {@code \n\n} that closes the assistant header) - mean difference, PCA;</li>
 *   <li>prompt + completions: the last token of the chat-rendered prompt followed by the completion's
 *       tokens - CAA, PCA. The completion is encoded on its own and appended, as the model would have
 *       produced it token by token after the header (no BPE merge across that boundary).</li>
 * </ul>
 * Examples are captured pair by pair (positive, then its negative), so element {@code i} of the
 * positives and of the negatives are one pair, as pair-midpoint PCA needs.
 */
public final class RuntimeDerivation {

    private RuntimeDerivation() {
    }

    /**
     * What to derive.
     *
     * @param method    the maths
     * @param layers    layers to derive, non-empty, within the model
     * @param batch     prompts in flight together
     * @param pca       PCA settings (ignored by the other methods)
     * @param modelHint written into the vector set, e.g. {@code llama}
     * @param timeout   longest wait for one batch of captures
     */
    public record Options(DerivationMethod method, List<Integer> layers, int batch, PcaOptions pca, String modelHint,
                          Duration timeout) {
        public Options {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(pca, "pca");
            Objects.requireNonNull(modelHint, "modelHint");
            Objects.requireNonNull(timeout, "timeout");
            layers = List.copyOf(layers);
            if (layers.isEmpty()) {
                throw new IllegalArgumentException("layers must not be empty");
            }
            if (batch < 1) {
                throw new IllegalArgumentException("batch must be >= 1, got " + batch);
            }
        }
    }

    /**
     * The derived vectors and where they were read.
     *
     * @param derived  vectors per layer and the per-layer report
     * @param position the token position activations were captured at
     */
    public record Result(VectorDerivation.Derived derived, DerivationMethod.CapturePosition position) {
    }

    /**
     * The capture position for {@code method} on data of {@code shape}.
     *
     * @throws IllegalArgumentException when the method does not fit the data (mean-diff needs prompt
     *                                  pairs, CAA needs completions; PCA takes either)
     */
    public static DerivationMethod.CapturePosition position(DerivationMethod method, ContrastiveData.Shape shape) {
        if (method == DerivationMethod.MEAN_DIFFERENCE && shape != ContrastiveData.Shape.PROMPT_PAIRS) {
            throw new IllegalArgumentException("mean-diff reads the last prompt token and needs {\"positive\", "
                    + "\"negative\"} prompt pairs; for {\"prompt\", \"positive\", \"negative\"} completions use caa or pca");
        }
        if (method == DerivationMethod.CAA && shape != ContrastiveData.Shape.COMPLETIONS) {
            throw new IllegalArgumentException("caa reads the answer token and needs {\"prompt\", \"positive\", "
                    + "\"negative\"} completions; for prompt pairs use mean-diff or pca");
        }
        return shape == ContrastiveData.Shape.PROMPT_PAIRS ? DerivationMethod.CapturePosition.LAST_PROMPT_TOKEN
                : DerivationMethod.CapturePosition.ANSWER_TOKEN;
    }

    /** Captures and derives. Blocking. */
    public static Result derive(ModelRuntime runtime, PromptEncoder encoder, ContrastiveData data, Options options,
                                ActivationCapture.Progress progress) {
        DerivationMethod.CapturePosition position = position(options.method(), data.shape());
        List<Prompt> prompts = new ArrayList<>(2 * data.examples().size());
        for (ContrastiveData.Example e : data.examples()) {
            prompts.add(tokens(encoder, e, e.positive()));
            prompts.add(tokens(encoder, e, e.negative()));
        }
        List<Map<Integer, float[]>> captured = new ActivationCapture(runtime, options.layers(), options.batch(),
                options.timeout()).capture(prompts, progress);
        SortedMap<Integer, ContrastiveActivations> perLayer = new TreeMap<>();
        for (int layer : options.layers()) {
            List<float[]> positives = new ArrayList<>();
            List<float[]> negatives = new ArrayList<>();
            for (int i = 0; i < captured.size(); i += 2) {
                positives.add(captured.get(i).get(layer));
                negatives.add(captured.get(i + 1).get(layer));
            }
            perLayer.put(layer, new ContrastiveActivations(positives, negatives));
        }
        return new Result(VectorDerivation.derive(options.method(), perLayer, options.modelHint(), options.pca()),
                position);
    }

    /** The token ids of one side of an example, ending at the token whose activation is read. */
    static Prompt tokens(PromptEncoder encoder, ContrastiveData.Example example, String side) {
        if (example.prompt() == null) {
            return new Prompt.Tokens(encoder.encodeUserPrompt(side));
        }
        int[] prompt = encoder.encodeUserPrompt(example.prompt());
        int[] completion = encoder.encode(side);
        if (completion.length == 0) {
            throw new IllegalArgumentException("completion '" + side + "' encodes to no tokens");
        }
        int[] ids = new int[prompt.length + completion.length];
        System.arraycopy(prompt, 0, ids, 0, prompt.length);
        System.arraycopy(completion, 0, ids, prompt.length, completion.length);
        return new Prompt.Tokens(ids);
    }
}
