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
     * Tiers in order, from {@code lexical} and {@code embedding}; the ensemble rule combines them.
     * The default asks the embedding tier first and falls back to the lexical one.
     */
    @WithDefault("embedding,lexical")
    List<String> tiers();

    /** {@code first-available}, {@code majority} or {@code weighted-mean}. */
    @WithDefault("first-available")
    String rule();

    /** Weights per tier for {@code weighted-mean}, in the order of {@link #tiers()}. */
    Optional<List<Double>> weights();

    /** Threshold on the combined score for {@code weighted-mean}. */
    @WithDefault("0.5")
    double threshold();

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
