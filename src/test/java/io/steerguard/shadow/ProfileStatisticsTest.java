package io.steerguard.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class ProfileStatisticsTest {

    private final AtomicLong now = new AtomicLong(Instant.parse("2026-03-01T00:00:00Z").toEpochMilli());
    private final ProfileStatistics stats = new ProfileStatistics("json-format", now::get);

    private PairedSample externality() {
        return new PairedSample("json-format", "acme", Instant.ofEpochMilli(now.get()), false, 0.1, true, 0.9,
                PairedSample.Source.LIVE);
    }

    @Test
    void defaultWindows_areFiveMinutesOneHourAndOneDay() {
        assertThat(stats.windows()).containsExactly(Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofHours(24));
    }

    @Test
    void eachWindow_forgetsOnItsOwnSchedule() {
        stats.record(externality());
        now.addAndGet(Duration.ofMinutes(10).toMillis());

        assertThat(stats.snapshot(Duration.ofMinutes(5), 0.95).samples()).isZero();
        assertThat(stats.snapshot(Duration.ofHours(1), 0.95).samples()).isEqualTo(1);
        assertThat(stats.snapshot(Duration.ofHours(1), 0.95).externality().value()).isEqualTo(1.0);
    }

    @Test
    void aPolicyWindow_isKeptFromTheTimeItIsAskedFor() {
        stats.record(externality());
        stats.ensureWindow(Duration.ofHours(2));
        stats.record(externality());

        assertThat(stats.snapshot(Duration.ofHours(2), 0.95).samples()).isEqualTo(1);
        assertThat(stats.windows()).contains(Duration.ofHours(2));
    }

    @Test
    void viewSince_ignoresEarlierSamplesAndProbes() {
        stats.record(externality());
        stats.recordProbe(new ProbeResult("json-format", Instant.ofEpochMilli(now.get()), 50, 10, 2));
        now.addAndGet(Duration.ofMinutes(2).toMillis());
        Instant since = Instant.ofEpochMilli(now.get());
        stats.record(externality());

        StatisticsSource view = stats.since(since);

        assertThat(view.snapshot(Duration.ofHours(1), 0.95).samples()).isEqualTo(1);
        assertThat(view.latestProbe()).isEmpty();
        assertThat(stats.latestProbe()).isPresent();
    }

    @Test
    void samplesOfAnotherProfile_areRefused() {
        PairedSample other = new PairedSample("other", "acme", Instant.EPOCH, false, 0, false, 0,
                PairedSample.Source.LIVE);

        assertThatThrownBy(() -> stats.record(other)).hasMessageContaining("'other'");
    }

    @Test
    void registry_createsProfilesOnFirstUse_andDropsRemovedOnes() {
        SafetyStatistics all = new SafetyStatistics(now::get, ProfileStatistics.DEFAULT_WINDOWS, 60);
        all.record(externality());
        all.record(new PairedSample("other", "acme", Instant.ofEpochMilli(now.get()), false, 0, false, 0,
                PairedSample.Source.PROBE));

        assertThat(all.profiles()).containsExactlyInAnyOrder("json-format", "other");
        assertThat(all.profile("other").snapshot(Duration.ofMinutes(5), 0.95).counts().probeSamples()).isEqualTo(1);
        all.retain(java.util.Set.of("json-format"));
        assertThat(all.profiles()).containsExactly("json-format");
    }

    @Test
    void scoresOutsideTheUnitInterval_areRejected_namingTheField() {
        assertThatThrownBy(() -> new PairedSample("p", "t", Instant.EPOCH, false, 1.5, false, 0,
                PairedSample.Source.LIVE)).hasMessageContaining("steeredScore");
    }
}
