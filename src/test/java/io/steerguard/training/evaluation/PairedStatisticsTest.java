package io.steerguard.training.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.steerguard.stats.Estimate;
import io.steerguard.shadow.SafetySnapshot;
import io.steerguard.shadow.WindowCounts;
import io.steerguard.stats.Wilson;

class PairedStatisticsTest {

    // refused = true. Prompt:       0      1      2      3      4
    private static final List<Boolean> UNSTEERED = List.of(true, true, true, false, false);
    private static final List<Boolean> STEERED = List.of(false, true, false, false, true);

    @Test
    void externality_isSteeredComplianceAmongThePromptsTheUnsteeredModelRefused() {
        WindowCounts c = PairedCounts.pair(Verdicts.of(STEERED, STEERED), Verdicts.of(UNSTEERED, UNSTEERED), false);

        SafetySnapshot s = PairedCounts.snapshot(c, 0.95);

        assertThat(c.samples()).isEqualTo(5);
        assertThat(c.unsteeredRefused()).isEqualTo(3);
        assertThat(c.externalities()).isEqualTo(2);
        assertThat(s.externality().n()).isEqualTo(3);
        assertThat(s.externality().value()).isEqualTo(2.0 / 3);
        assertThat(s.externality().interval()).isEqualTo(Wilson.estimate(2, 3, 0.95).interval());
        // prompt 4: complied unsteered, refused steered
        assertThat(c.overRefusals()).isEqualTo(1);
        assertThat(s.overRefusal().n()).isEqualTo(2);
    }

    @Test
    void lexicalPairs_useTheLexicalVerdicts_notThePrimaryOnes() {
        List<Boolean> allComply = List.of(false, false, false, false, false);
        Verdicts steered = Verdicts.of(allComply, STEERED);
        Verdicts unsteered = Verdicts.of(allComply, UNSTEERED);

        assertThat(PairedCounts.pair(steered, unsteered, false).unsteeredRefused()).isZero();
        WindowCounts lexical = PairedCounts.pair(steered, unsteered, true);
        assertThat(lexical.unsteeredRefused()).isEqualTo(3);
        assertThat(lexical.externalities()).isEqualTo(2);
    }

    @Test
    void promptsNotRunOnEitherSide_areLeftOutOfPairsAndRates() {
        Verdicts unsteered = Verdicts.of(UNSTEERED, UNSTEERED);
        boolean[] answered = {false, true, true, true, true};
        Verdicts steered = new Verdicts(answered, new boolean[] {false, true, false, false, true}, new double[5],
                new boolean[] {false, true, false, false, true});

        WindowCounts c = PairedCounts.pair(steered, unsteered, false);

        assertThat(c.samples()).isEqualTo(4);
        assertThat(c.unsteeredRefused()).isEqualTo(2);
        assertThat(c.externalities()).isEqualTo(1);
        assertThat(steered.refusals(false)).isEqualTo(new Count(2, 4));
        assertThat(steered.skipped()).isEqualTo(1);
    }

    @Test
    void safetyMargin_isTheMeanScoreDifference_steeredMinusUnsteered() {
        Verdicts unsteered = new Verdicts(new boolean[] {true, true}, new boolean[] {true, true}, new double[] {0.9, 0.8},
                new boolean[] {true, true});
        Verdicts steered = new Verdicts(new boolean[] {true, true}, new boolean[] {false, true}, new double[] {0.1, 0.8},
                new boolean[] {false, true});

        Estimate margin = PairedCounts.snapshot(PairedCounts.pair(steered, unsteered, false), 0.95).safetyMargin();

        assertThat(margin.value()).isCloseTo(-0.4, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void pairingListsOfDifferentLength_isRejected() {
        assertThatThrownBy(() -> PairedCounts.pair(Verdicts.of(List.of(true), List.of(true)),
                Verdicts.of(UNSTEERED, UNSTEERED), false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void asr_isTheComplementOfTheRefusalCount_withItsWilsonInterval() {
        Count refused = new Count(3, 10);

        assertThat(refused.complement()).isEqualTo(new Count(7, 10));
        assertThat(refused.complement().estimate(0.95).interval()).isEqualTo(Wilson.estimate(7, 10, 0.95).interval());
        assertThat(Count.EMPTY.estimate(0.95).hasData()).isFalse();
    }

    @Test
    void liveMix_sendsThreeHarmfulPromptsPerBenignOne_inCorpusOrder() {
        List<EvalPrompt> harmful = prompts("HARMFUL", 10);
        List<EvalPrompt> benign = prompts("BENIGN", 10);

        List<EvalPrompt> mix = LiveRun.mix(harmful, benign, 8);

        assertThat(mix).extracting(EvalPrompt::id)
                .containsExactly("HARMFUL-0", "HARMFUL-1", "HARMFUL-2", "BENIGN-0", "HARMFUL-3", "HARMFUL-4",
                        "HARMFUL-5", "BENIGN-1");
    }

    @Test
    void liveCounts_areAfterMinusBefore_unlessOldPairsLeftTheWindow() {
        WindowCounts before = new WindowCounts(10, 0, 4, 5, 1, 0, 0, 0);
        WindowCounts after = new WindowCounts(30, 0, 10, 15, 4, 1, 0, 0);

        assertThat(LiveRun.minus(after, before)).isEqualTo(new WindowCounts(20, 0, 6, 10, 3, 1, 0, 0));
        WindowCounts slid = new WindowCounts(12, 0, 3, 6, 1, 0, 0, 0);
        assertThat(LiveRun.minus(slid, before)).isEqualTo(slid);
    }

    static List<EvalPrompt> prompts(String category, int n) {
        return java.util.stream.IntStream.range(0, n)
                .mapToObj(i -> new EvalPrompt(category + "-" + i, category, null, "prompt " + i, a -> true)).toList();
    }
}
