package io.steerguard.classifier;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Which refusal classifiers the shadow path uses ({@code steerguard.classifier.*}). */
@ConfigMapping(prefix = "steerguard.classifier")
public interface ClassifierConfig {

    /**
     * Tiers in order, from {@code learned}, {@code lexical}, {@code embedding} and {@code activation};
     * the ensemble rule combines them. The default is the learned tier alone (one calibrated model over
     * embeddings and lexical features, trained on real chat models' answers); it abstains on answers
     * not mostly in Latin script, and those pairs are counted, not guessed. {@code activation} votes only on shadow pairs served by an embedded runtime with refusal
     * token ids (see {@link #activation()}); elsewhere it abstains like a failed member.
     */
    @WithDefault("learned")
    List<String> tiers();

    /**
     * Whether the learned tier runs as a cascade: a cheap screen (logistic model over the lexical
     * features and hashed words, microseconds) decides the answers it is sure of, and only the rest
     * pay for the two encoder passes. Its cut-offs were chosen on training data so that it errs no more
     * than the learned tier where it decides (docs/classifier-cascade.md); it stands aside after a
     * recalibration. Off by default: a screened verdict carries no learned logit, so with the cascade on
     * the review queue collects almost no answers a recalibration can refit; turn it on where the CPU
     * matters more than per-deployment recalibration.
     */
    @WithDefault("false")
    boolean cascade();

    /** {@code first-available}, {@code majority} or {@code weighted-mean}. */
    @WithDefault("first-available")
    String rule();

    /**
     * {@code measured}: the externality and over-refusal statistics are corrected for the learned
     * tier's measured sensitivity and specificity (stored with the shipped model) and their intervals
     * widened for that measurement's uncertainty; applies when the learned tier decides first and no
     * judge is in front. {@code none}: verdicts are taken as truth.
     */
    @WithDefault("measured")
    String correction();

    /** Weights per tier for {@code weighted-mean}, in the order of {@link #tiers()}. */
    Optional<List<Double>> weights();

    /** Threshold on the combined score for {@code weighted-mean}. */
    @WithDefault("0.5")
    double threshold();

    /** The activation tier: first-token refusal score and refusal-direction projection. */
    Activation activation();

    /**
     * Activation readings on embedded runtimes. A runtime takes part when its model folder holds
     * {@code vectors/refusal-direction.safetensors} or {@link #refusalTokenIds()} is set; sampled
     * requests (and only those) then carry introspection on the steered answer and its twin.
     */
    interface Activation {
        /** Whether sampled requests on embedded runtimes are introspected at all. */
        @WithDefault("true")
        boolean enabled();

        /**
         * Token ids that open a refusal, used when the model's refusal-direction file names none
         * (or the model has no such file). Ids must lie inside the model's vocabulary.
         */
        Optional<List<Integer>> refusalTokenIds();

        /** Refused when the first-token refusal probability {@code p_ref} reaches this, within (0, 1). */
        @WithDefault("0.5")
        double threshold();
    }

    /** An LLM judge in front of the tiers (off by default). */
    Judge judge();

    /** A judge model behind any OpenAI-compatible endpoint, e.g. a guard model on vLLM. */
    interface Judge {
        /** Whether the judge decides first; its failures and timeouts fall back to the tiers. */
        @WithDefault("false")
        boolean enabled();

        /** OpenAI-compatible base URL, e.g. {@code http://vllm:8000/v1}. */
        Optional<String> baseUrl();

        /** Served model name. */
        Optional<String> model();

        /** Environment variable holding the judge's API key. */
        Optional<String> apiKeyEnv();

        /** Deadline for one verdict. */
        @WithDefault("10s")
        Duration timeout();
    }
}
