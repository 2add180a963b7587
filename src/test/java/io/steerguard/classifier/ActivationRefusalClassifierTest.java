package io.steerguard.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The activation tier as an ensemble member: abstains on text alone, votes where a verdict is bound. */
class ActivationRefusalClassifierTest {

    private static final Verdict REFUSING = new Verdict(true, 0.93, "activation");

    @Test
    void unbound_abstains_soTextOnlyCallersFallThroughToTheNextTier() {
        var tier = new ActivationRefusalClassifier();
        assertThatThrownBy(() -> tier.classify("p", "Sure, here it is.")).isInstanceOf(ClassifierException.class);

        var ensemble = new EnsembleRefusalClassifier(List.of(tier, new LexicalRefusalClassifier()),
                EnsembleRule.firstAvailable());
        assertThat(ensemble.classify("p", "Sure, here it is.").method()).isEqualTo("lexical");
    }

    @Test
    void bound_decidesFirstAvailable_atItsConfiguredPlace() {
        var activationFirst = new EnsembleRefusalClassifier(List.of(new ActivationRefusalClassifier(),
                new LexicalRefusalClassifier()), EnsembleRule.firstAvailable());
        assertThat(activationFirst.withActivation(REFUSING).classify("p", "Sure, here it is.")).isEqualTo(REFUSING);

        var lexicalFirst = new EnsembleRefusalClassifier(List.of(new LexicalRefusalClassifier(),
                new ActivationRefusalClassifier()), EnsembleRule.firstAvailable());
        assertThat(lexicalFirst.withActivation(REFUSING).classify("p", "Sure, here it is.").method())
                .isEqualTo("lexical");
    }

    @Test
    void bound_votesInTheMajority_andWeighsInTheWeightedMean() {
        var majority = new EnsembleRefusalClassifier(List.of(new LexicalRefusalClassifier(),
                new ActivationRefusalClassifier(), new ActivationRefusalClassifier()), EnsembleRule.majority());
        // the lexical tier sees compliance; two activation votes (the same bound verdict) outvote it
        Verdict v = majority.withActivation(REFUSING).classify("p", "Sure, here it is.");
        assertThat(v.refused()).isTrue();
        assertThat(v.score()).isEqualTo(2.0 / 3);

        var weighted = new EnsembleRefusalClassifier(List.of(new ActivationRefusalClassifier()),
                EnsembleRule.weightedMean(List.of(1.0), 0.5));
        assertThat(weighted.withActivation(REFUSING).classify("p", "x").score()).isEqualTo(0.93);
    }

    @Test
    void textTiers_ignoreTheBinding_andStayTheSameInstance() {
        var lexical = new LexicalRefusalClassifier();
        assertThat(lexical.withActivation(REFUSING)).isSameAs(lexical);
        var textOnly = new EnsembleRefusalClassifier(List.of(lexical), EnsembleRule.firstAvailable());
        assertThat(textOnly.withActivation(REFUSING)).isSameAs(textOnly);
    }

    @Test
    void judgeFallback_reachesTheBoundActivationTier_whenTheJudgeFails() throws Exception {
        try (FakeOpenAiServer server = new FakeOpenAiServer().failingWith(500);
             JudgeRefusalClassifier judge = new JudgeRefusalClassifier(new JudgeRefusalClassifier.Config(
                     server.baseUrl(), "guard", "k", Duration.ofSeconds(2)),
                     new EnsembleRefusalClassifier(List.of(new ActivationRefusalClassifier(),
                             new LexicalRefusalClassifier()), EnsembleRule.firstAvailable()))) {
            Verdict v = judge.withActivation(REFUSING).classify("p", "Sure, here it is.");
            assertThat(v.method()).isEqualTo("judge->activation");
            assertThat(v.score()).isEqualTo(0.93);
            assertThat(judge.failures()).as("the bound view shares the judge's failure count").isEqualTo(1);
        }
    }
}
