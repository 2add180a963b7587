package io.steerguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.steerguard.classifier.ClassifierConfig;
import io.steerguard.classifier.RefusalClassifier;
import io.steerguard.classifier.Verdict;
import io.steerguard.config.ServingModeConfig;

/** Building the classifier from {@code steerguard.classifier.tiers}, with the activation tier. */
class ClassifierBeansTest {

    private static ClassifierConfig config(List<String> tiers) {
        return new ClassifierConfig() {
            public List<String> tiers() { return tiers; }
            public boolean cascade() { return true; }
            public String rule() { return "first-available"; }
            public String correction() { return "measured"; }
            public Optional<List<Double>> weights() { return Optional.empty(); }
            public double threshold() { return 0.5; }
            public Activation activation() {
                return new Activation() {
                    public boolean enabled() { return true; }
                    public Optional<List<Integer>> refusalTokenIds() { return Optional.empty(); }
                    public double threshold() { return 0.5; }
                };
            }
            public Judge judge() {
                return new Judge() {
                    public boolean enabled() { return false; }
                    public Optional<String> baseUrl() { return Optional.empty(); }
                    public Optional<String> model() { return Optional.empty(); }
                    public Optional<String> apiKeyEnv() { return Optional.empty(); }
                    public Duration timeout() { return Duration.ofSeconds(1); }
                };
            }
        };
    }

    /** Gateway mode: the tiers are built from configuration. */
    private static final ServingModeConfig GATEWAY = new ServingModeConfig() {
        public Mode mode() { return Mode.GATEWAY; }
        public RuntimeMode runtime() {
            throw new AssertionError("runtime settings are not read in gateway mode");
        }
    };

    @Test
    void activationBeforeLexical_decidesWhenBound_andLeavesTextOnlyCallsToLexical() {
        RefusalClassifier c = new ClassifierBeans().refusalClassifier(config(List.of("activation", "lexical")), GATEWAY,
                io.steerguard.classifier.LearnedCalibration.of(io.steerguard.classifier.LearnedHead.loadResource()));
        assertThat(c.classify("p", "I'm sorry, but I can't help with that.").method()).isEqualTo("lexical");
        Verdict bound = c.withActivation(new Verdict(false, 0.2, "activation"))
                .classify("p", "I'm sorry, but I can't help with that.");
        assertThat(bound.method()).isEqualTo("activation");
        assertThat(bound.refused()).isFalse();
    }

    @Test
    void activationAlone_isRejected_becauseTextOnlyCallersWouldGetNoVerdict() {
        assertThatThrownBy(() -> new ClassifierBeans().refusalClassifier(config(List.of("activation")), GATEWAY,
                io.steerguard.classifier.LearnedCalibration.of(io.steerguard.classifier.LearnedHead.loadResource())))
                .hasMessageContaining("activation needs a text tier");
    }
}
