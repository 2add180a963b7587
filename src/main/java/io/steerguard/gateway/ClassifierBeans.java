package io.steerguard.gateway;

import java.util.ArrayList;
import java.util.List;

import io.quarkus.runtime.Startup;
import io.steerguard.classifier.ActivationRefusalClassifier;
import io.steerguard.classifier.ClassifierConfig;
import io.steerguard.classifier.EmbeddingRefusalClassifier;
import io.steerguard.classifier.EnsembleRefusalClassifier;
import io.steerguard.classifier.EnsembleRule;
import io.steerguard.classifier.JudgeRefusalClassifier;
import io.steerguard.classifier.LearnedCalibration;
import io.steerguard.classifier.LearnedHead;
import io.steerguard.classifier.LearnedRefusalClassifier;
import io.steerguard.classifier.LexicalRefusalClassifier;
import io.steerguard.classifier.RefusalClassifier;
import io.steerguard.config.ServingModeConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Builds the refusal classifier the shadow path and {@code /admin/classify} use, from configuration. */
public class ClassifierBeans {

    /**
     * The learned tier's calibration in force: the shipped one until the review service puts the
     * deployment's persisted version in force at start-up, or an operator recalibrates.
     */
    @Produces
    @Singleton
    LearnedCalibration learnedCalibration() {
        return LearnedCalibration.of(LearnedHead.loadResource());
    }

    /** Built at start-up: the embedding tier loads an ONNX model, which must never happen on an event loop. */
    @Produces
    @Singleton
    @Startup
    RefusalClassifier refusalClassifier(ClassifierConfig config, ServingModeConfig mode, LearnedCalibration calibration) {
        if (mode.runtimeMode()) {
            // runtime mode has no shadow path or probes: never load the embedding model for nothing
            return new LexicalRefusalClassifier();
        }
        List<RefusalClassifier> tiers = new ArrayList<>();
        for (String tier : config.tiers()) {
            tiers.add(switch (tier.strip()) {
                case "learned" -> config.cascade() ? LearnedRefusalClassifier.loadCascade(calibration)
                        : LearnedRefusalClassifier.loadDefault(calibration);
                case "lexical" -> new LexicalRefusalClassifier();
                case "embedding" -> EmbeddingRefusalClassifier.loadDefault();
                case "activation" -> new ActivationRefusalClassifier();
                default -> throw new IllegalArgumentException("steerguard.classifier.tiers: unknown tier '" + tier
                        + "', expected learned, lexical, embedding or activation");
            });
        }
        if (tiers.isEmpty()) {
            throw new IllegalArgumentException("steerguard.classifier.tiers must name at least one tier");
        }
        if (tiers.stream().allMatch(t -> t instanceof ActivationRefusalClassifier)) {
            // the activation tier abstains without an embedded runtime's introspection (remote runtimes,
            // /admin/classify): a text tier must be there to answer then
            throw new IllegalArgumentException("steerguard.classifier.tiers: activation needs a text tier "
                    + "(learned, lexical or embedding) beside it");
        }
        EnsembleRule rule = switch (EnsembleRule.Kind.fromId(config.rule())) {
            case FIRST_AVAILABLE -> EnsembleRule.firstAvailable();
            case MAJORITY -> EnsembleRule.majority();
            case WEIGHTED_MEAN -> EnsembleRule.weightedMean(config.weights().orElseThrow(() ->
                    new IllegalArgumentException("steerguard.classifier.weights is required for weighted-mean")),
                    config.threshold());
        };
        RefusalClassifier combined = tiers.size() == 1 ? tiers.get(0) : new EnsembleRefusalClassifier(tiers, rule);
        ClassifierConfig.Judge judge = config.judge();
        if (!judge.enabled()) {
            return combined;
        }
        String key = judge.apiKeyEnv().map(System::getenv).orElse(null);
        return new JudgeRefusalClassifier(new JudgeRefusalClassifier.Config(
                judge.baseUrl().orElseThrow(() -> new IllegalArgumentException("steerguard.classifier.judge.base-url is required")),
                judge.model().orElseThrow(() -> new IllegalArgumentException("steerguard.classifier.judge.model is required")),
                key, judge.timeout()), combined);
    }
}
