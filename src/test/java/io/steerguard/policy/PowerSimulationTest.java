package io.steerguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.steerguard.config.ConfigLoader;

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
}
