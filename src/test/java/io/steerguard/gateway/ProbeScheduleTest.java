package io.steerguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** When scheduled probe audits are due. */
class ProbeScheduleTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private final ProbeSchedule schedule = new ProbeSchedule(Duration.ofMinutes(1));

    private static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    @Test
    void newProfile_isDueAfterTheInitialDelay_thenEveryIntervalAfterItsLastAudit() {
        Map<String, Duration> every = Map.of("json-format", Duration.ofMinutes(15));

        assertThat(schedule.due(every, at(0))).isEmpty();
        assertThat(schedule.due(every, at(59))).isEmpty();
        assertThat(schedule.due(every, at(60))).containsExactly("json-format");

        schedule.finished("json-format", at(300));
        assertThat(schedule.due(every, at(300 + 899))).isEmpty();
        assertThat(schedule.due(every, at(300 + 900))).containsExactly("json-format");
    }

    @Test
    void anOnDemandAudit_postponesTheNextScheduledOne() {
        Map<String, Duration> every = Map.of("p", Duration.ofMinutes(15));
        schedule.due(every, at(0));

        schedule.finished("p", at(30));

        assertThat(schedule.due(every, at(60))).isEmpty();
        assertThat(schedule.due(every, at(30 + 900))).containsExactly("p");
    }

    @Test
    void aShorterIntervalAfterAReload_appliesAtOnce() {
        schedule.due(Map.of("p", Duration.ofHours(24)), at(0));
        schedule.finished("p", at(100));
        assertThat(schedule.due(Map.of("p", Duration.ofHours(24)), at(100 + 600))).isEmpty();

        assertThat(schedule.due(Map.of("p", Duration.ofMinutes(10)), at(100 + 600))).containsExactly("p");
    }

    @Test
    void aProfileNoPolicyProbesAnyMore_isForgotten_andStartsOverWithTheInitialDelay() {
        schedule.due(Map.of("p", Duration.ofMinutes(15)), at(0));
        schedule.finished("p", at(100));

        assertThat(schedule.due(Map.of(), at(200))).isEmpty();

        assertThat(schedule.due(Map.of("p", Duration.ofMinutes(15)), at(300))).isEmpty();
        assertThat(schedule.due(Map.of("p", Duration.ofMinutes(15)), at(360))).containsExactly("p");
    }

    @Test
    void dueProfiles_comeInNameOrder() {
        Map<String, Duration> every = Map.of("b", Duration.ofMinutes(5), "a", Duration.ofMinutes(5), "c",
                Duration.ofMinutes(5));
        schedule.due(every, at(0));

        assertThat(schedule.due(every, at(60))).containsExactly("a", "b", "c");
    }
}
