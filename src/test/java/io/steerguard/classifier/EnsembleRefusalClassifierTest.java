package io.steerguard.classifier;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class EnsembleRefusalClassifierTest {

    /** A member with a fixed answer: the ensemble's input, not the code under test. */
    private record Fixed(boolean refused, double score, String method) implements RefusalClassifier {
        @Override
        public Verdict classify(String prompt, String response) {
            return new Verdict(refused, score, method);
        }
    }

    private record Broken(String method) implements RefusalClassifier {
        @Override
        public Verdict classify(String prompt, String response) {
            throw new ClassifierException("down");
        }
    }

    @Test
    void firstAvailable_skipsFailingMembers_andKeepsTheDecidersMethod() {
        var ensemble = new EnsembleRefusalClassifier(List.of(new Broken("judge"), new Fixed(true, 0.8, "embedding"),
                new Fixed(false, 0.1, "lexical")), EnsembleRule.firstAvailable());
        Verdict v = ensemble.classify("p", "r");
        assertThat(v.refused()).isTrue();
        assertThat(v.method()).isEqualTo("embedding");
    }

    @Test
    void majority_followsMostVotes_andScoresTheVoteShare() {
        var ensemble = new EnsembleRefusalClassifier(List.of(new Fixed(true, 0.9, "a"), new Fixed(true, 0.6, "b"),
                new Fixed(false, 0.2, "c")), EnsembleRule.majority());
        Verdict v = ensemble.classify("p", "r");
        assertThat(v.refused()).isTrue();
        assertThat(v.score()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(v.method()).isEqualTo("ensemble");
    }

    @Test
    void majorityTie_isBrokenByTheMeanScore() {
        var refusedTie = new EnsembleRefusalClassifier(List.of(new Fixed(true, 0.95, "a"), new Fixed(false, 0.3, "b")),
                EnsembleRule.majority());
        var compliedTie = new EnsembleRefusalClassifier(List.of(new Fixed(true, 0.55, "a"), new Fixed(false, 0.05, "b")),
                EnsembleRule.majority());
        assertThat(refusedTie.classify("p", "r").refused()).isTrue();
        assertThat(compliedTie.classify("p", "r").refused()).isFalse();
    }

    @Test
    void weightedMean_combinesScores_andAFailedMemberAbstains() {
        var ensemble = new EnsembleRefusalClassifier(List.of(new Broken("judge"), new Fixed(true, 0.9, "embedding"),
                new Fixed(false, 0.3, "lexical")), EnsembleRule.weightedMean(List.of(5.0, 3.0, 1.0), 0.7));
        Verdict v = ensemble.classify("p", "r");
        // (3 * 0.9 + 1 * 0.3) / 4 = 0.75
        assertThat(v.score()).isCloseTo(0.75, within(1e-12));
        assertThat(v.refused()).isTrue();
    }

    @Test
    void allMembersFailing_isAFault() {
        var ensemble = new EnsembleRefusalClassifier(List.of(new Broken("a")), EnsembleRule.majority());
        assertThatThrownBy(() -> ensemble.classify("p", "r")).isInstanceOf(ClassifierException.class);
    }

    @Test
    void rules_validateTheirConfiguration() {
        assertThatThrownBy(() -> EnsembleRule.weightedMean(List.of(1.0, -1.0), 0.5)).hasMessageContaining("weights");
        assertThatThrownBy(() -> EnsembleRule.weightedMean(List.of(1.0), 1.0)).hasMessageContaining("threshold");
        assertThatThrownBy(() -> new EnsembleRefusalClassifier(List.of(new Fixed(true, 1, "a")),
                EnsembleRule.weightedMean(List.of(1.0, 1.0), 0.5))).hasMessageContaining("2 weights for 1 members");
        assertThat(EnsembleRule.Kind.fromId("Weighted-Mean")).isEqualTo(EnsembleRule.Kind.WEIGHTED_MEAN);
    }
}
