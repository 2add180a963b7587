package io.steerguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.steerguard.config.ConfigLoader;
import io.steerguard.stats.RateInterval;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Statistical power of the interval rule, by simulation with a fixed seed, for the settings shipped
 * in {@code policies/default.yaml}: at half the limit fewer than 1% of runs end in a block; at 15
 * points above it at least 95% of runs are blocked within 200 paired samples.
 */
class PowerSimulationTest {

    private static PowerSimulation.Setting shippedDefault() {
        ConfigLoader.Outcome.Loaded loaded =
                (ConfigLoader.Outcome.Loaded) new ConfigLoader().load(List.of(Path.of("policies/default.yaml")));
        GuardrailPolicy p = loaded.config().policies().get("default").policy();
        return new PowerSimulation.Setting(p.limits().get(LimitKind.EXTERNALITY_RATE).orElseThrow(),
                p.decision().minSamples(), p.decision().confidence(), p.decision().window());
    }

    @Test
    void safeProfile_atHalfTheLimit_isBlockedInFewerThanOnePercentOfRuns() {
        PowerSimulation.Setting s = shippedDefault();

        PowerSimulation.Result r = PowerSimulation.run(s, s.limit() / 2, 1000, 1000, Duration.ofSeconds(10), 11);

        assertThat(r.blockedShare()).isLessThan(0.01);
    }

    @Test
    void unsafeProfile_fifteenPointsOverTheLimit_isBlockedWithin200SamplesInAtLeast95PercentOfRuns() {
        PowerSimulation.Setting s = shippedDefault();

        PowerSimulation.Result r = PowerSimulation.run(s, s.limit() + 0.15, 500, 200, Duration.ofSeconds(10), 12);

        assertThat(r.blockedShare()).isGreaterThanOrEqualTo(0.95);
        assertThat(r.meanSamplesToBlock()).isLessThan(100);
    }

    @Test
    void withoutTheMinimumSampleRule_chanceBlocksSafeProfilesOften() {
        // the same interval without minSamples: evidence that the guard in the rule is what keeps false blocks rare
        PowerSimulation.Setting loose = new PowerSimulation.Setting(0.05, 1, 0.90, Duration.ofHours(1));

        PowerSimulation.Result r = PowerSimulation.run(loose, 0.025, 1000, 1000, Duration.ofSeconds(10), 13);

        assertThat(r.blockedShare()).isGreaterThan(0.03);
    }

    /** Every pair an unsteered refusal (the probe setting), each verdict misread 10% of the time. */
    private static PowerSimulation.Classifier tenPercentError(boolean corrected) {
        return new PowerSimulation.Classifier(0.10, 500, 1.0, corrected);
    }

    @Test
    void tenPercentSymmetricError_uncorrected_blocksASafeProfileAlmostAlways() {
        PowerSimulation.Setting s = shippedDefault();

        PowerSimulation.Result r = PowerSimulation.run(s, s.limit() / 2, tenPercentError(false), 200, 1000,
                Duration.ofSeconds(10), 12);

        assertThat(r.blockedShare()).isGreaterThan(0.9);
    }

    @Test
    void tenPercentSymmetricError_corrected_keepsFalseBlocksUnderOnePercent() {
        PowerSimulation.Setting s = shippedDefault();

        PowerSimulation.Result r = PowerSimulation.run(s, s.limit() / 2, tenPercentError(true), 400, 1000,
                Duration.ofSeconds(10), 13);

        assertThat(r.blockedShare()).isLessThan(0.01);
    }

    @Test
    void tenPercentSymmetricError_corrected_stillBlocksFifteenPointErosion_within600Pairs() {
        // The corrected interval is wider, so detection needs more pairs than the 200 of a perfect
        // classifier (67% within 200 in docs/policy-statistics.md); 96% within 600 was measured there.
        PowerSimulation.Setting s = shippedDefault();

        PowerSimulation.Result r = PowerSimulation.run(s, s.limit() + 0.15, tenPercentError(true), 200, 600,
                Duration.ofSeconds(10), 14);

        assertThat(r.blockedShare()).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void atTheLimitItself_theIntervalRuleLookingAfterEverySampleBlocksFarMoreOftenThanItsConfidenceAllows() {
        PowerSimulation.Setting interval = new PowerSimulation.Setting(0.05, 30, 0.99, Duration.ofHours(24));

        PowerSimulation.Result r = PowerSimulation.run(interval, 0.05, 300, 1000, Duration.ofSeconds(10), 15);

        assertThat(r.blockedShare()).isGreaterThan(0.03);
    }

    @Test
    void atTheLimitItself_theConfidenceSequenceBlocksNoMoreOftenThanOneMinusConfidence() {
        // the window holds every sample of a run (1000 × 10 s < 24 h): the setting the guarantee covers
        PowerSimulation.Setting sequence = new PowerSimulation.Setting(0.05, 30, 0.99, Duration.ofHours(24),
                RateInterval.CONFIDENCE_SEQUENCE);

        PowerSimulation.Result r = PowerSimulation.run(sequence, 0.05, 300, 1000, Duration.ofSeconds(10), 15);

        assertThat(r.blockedShare()).isLessThanOrEqualTo(0.01);
    }

    @Test
    void theConfidenceSequence_stillBlocksFifteenPointErosion_within200SamplesInAtLeast95PercentOfRuns() {
        PowerSimulation.Setting sequence = new PowerSimulation.Setting(0.05, 30, 0.99, Duration.ofHours(1),
                RateInterval.CONFIDENCE_SEQUENCE);

        PowerSimulation.Result r = PowerSimulation.run(sequence, 0.20, 300, 200, Duration.ofSeconds(10), 16);

        assertThat(r.blockedShare()).isGreaterThanOrEqualTo(0.95);
    }
}
