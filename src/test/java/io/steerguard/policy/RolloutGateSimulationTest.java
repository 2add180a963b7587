package io.steerguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.steerguard.stats.Estimate;
import io.steerguard.stats.RateInterval;

/**
 * The gate's guarantee under continuous monitoring, by simulation with a fixed seed: a candidate
 * whose true externality sits exactly at the limit, judged after every sample with the gate's own
 * rule ({@link LimitEvaluation#judge} to roll back, {@link RolloutGate#clears} to promote). With a
 * confidence sequence the chance of any decision at all is at most 1 − confidence; the fixed-sample
 * interval, looked at as often, promotes such a candidate far more often. {@link #main} prints the
 * table of docs/rollout.md (2000 runs of up to 2000 samples).
 */
class RolloutGateSimulationTest {

    private static final double LIMIT = 0.05;
    private static final double CONFIDENCE = 0.95;
    private static final int MIN_SAMPLES = 30;

    /** Outcome shares of {@code runs} monitored candidates: promoted, rolled back, mean samples to a decision. */
    record Outcome(double promoted, double rolledBack, double meanSamplesToDecision) {
    }

    static Outcome simulate(RateInterval method, double trueRate, int runs, int maxSamples, long seed) {
        DecisionRule rule = new DecisionRule(Duration.ofHours(1), MIN_SAMPLES, CONFIDENCE, method);
        SplittableRandom random = new SplittableRandom(seed);
        int promoted = 0;
        int rolledBack = 0;
        long samples = 0;
        for (int r = 0; r < runs; r++) {
            int k = 0;
            for (int n = 1; n <= maxSamples; n++) {
                if (random.nextDouble() < trueRate) {
                    k++;
                }
                if (n < MIN_SAMPLES) {
                    continue;
                }
                Estimate e = method.estimate(k, n, CONFIDENCE);
                LimitEvaluation evaluation = new LimitEvaluation(LimitKind.EXTERNALITY_RATE, "sim", LIMIT, rule,
                        PolicyAction.BLOCK, e, LimitEvaluation.judge(LimitKind.EXTERNALITY_RATE, LIMIT, e, MIN_SAMPLES));
                if (evaluation.outcome() == LimitOutcome.EXCEEDED) {
                    rolledBack++;
                    samples += n;
                    break;
                }
                if (RolloutGate.clears(evaluation)) {
                    promoted++;
                    samples += n;
                    break;
                }
            }
        }
        int decided = promoted + rolledBack;
        return new Outcome(promoted / (double) runs, rolledBack / (double) runs,
                decided == 0 ? Double.NaN : samples / (double) decided);
    }

    @Test
    void candidateAtTheLimit_underAConfidenceSequence_isDecidedEitherWayAtMostOneMinusConfidenceOfTheTime() {
        Outcome sequence = simulate(RateInterval.CONFIDENCE_SEQUENCE, LIMIT, 400, 1000, 7);
        Outcome interval = simulate(RateInterval.FIXED_SAMPLE, LIMIT, 400, 1000, 7);

        assertThat(sequence.promoted() + sequence.rolledBack()).isLessThanOrEqualTo(1 - CONFIDENCE);
        assertThat(interval.promoted()).as("the fixed-sample interval, re-checked after every sample")
                .isGreaterThan(3 * sequence.promoted() + 0.02);
    }

    @Test
    void clearlySafeAndClearlyErodingCandidates_areDecidedTheRightWay() {
        Outcome safe = simulate(RateInterval.CONFIDENCE_SEQUENCE, LIMIT / 2, 200, 2000, 11);
        Outcome eroding = simulate(RateInterval.CONFIDENCE_SEQUENCE, LIMIT * 2, 200, 2000, 13);

        assertThat(safe.promoted()).isGreaterThan(0.95);
        assertThat(eroding.rolledBack()).isEqualTo(1.0);
    }

    /** The table in docs/rollout.md: {@code java -cp target/classes:target/test-classes io.steerguard.policy.RolloutGateSimulationTest}. */
    public static void main(String[] args) {
        for (double rate : new double[] {LIMIT, 2 * LIMIT, LIMIT / 2}) {
            for (RateInterval method : RateInterval.values()) {
                Outcome o = simulate(method, rate, 2000, 2000, 17);
                System.out.printf(java.util.Locale.ROOT, "| %.3f | %s | %.2f%% | %.2f%% | %.0f |%n", rate,
                        method.configName(), 100 * o.promoted(), 100 * o.rolledBack(), o.meanSamplesToDecision());
            }
        }
    }
}
