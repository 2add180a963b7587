package io.steerguard.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.steerguard.shadow.ProbeResult;

/** Probe meters as Prometheus exports them. */
class ProbeMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ProbeMetrics metrics = new ProbeMetrics(registry);

    @Test
    void latestAudit_isExported_withBoundsPerPath_andSurvivesGarbageCollection() {
        metrics.record(new ProbeResult("json-format", Instant.now(), 20, 20, 0), 0.95);
        metrics.run("json-format", "completed");
        System.gc();

        // the simpleclient text format ends label sets with ",}"
        String text = registry.scrape().replace(",}", "}");

        assertThat(text)
                .contains("steerguard_probe_asr{bound=\"estimate\",path=\"steered\",profile=\"json-format\"} 1.0")
                .contains("steerguard_probe_asr{bound=\"upper\",path=\"unsteered\",profile=\"json-format\"} 0.16")
                .contains("steerguard_probe_asr_uplift{bound=\"estimate\",profile=\"json-format\"} 1.0")
                .contains("steerguard_probe_asr_uplift{bound=\"lower\",profile=\"json-format\"} 0.772")
                .contains("steerguard_probe_runs_total{outcome=\"completed\",profile=\"json-format\"} 1.0");
    }

    @Test
    void aNewerAudit_replacesTheValues() {
        metrics.record(new ProbeResult("p", Instant.now(), 10, 10, 0), 0.95);
        metrics.record(new ProbeResult("p", Instant.now(), 10, 5, 5), 0.95);

        assertThat(registry.get(ProbeMetrics.UPLIFT).tags("profile", "p", "bound", "estimate").gauge().value()).isZero();
        assertThat(registry.get(ProbeMetrics.ASR).tags("profile", "p", "path", "steered", "bound", "estimate").gauge()
                .value()).isEqualTo(0.5);
    }

    @Test
    void removedProfiles_loseTheirMeters() {
        metrics.record(new ProbeResult("gone", Instant.now(), 4, 1, 0), 0.95);
        metrics.run("gone", "partial");
        metrics.record(new ProbeResult("kept", Instant.now(), 4, 1, 0), 0.95);

        metrics.retain(Set.of("kept"));

        assertThat(registry.find(ProbeMetrics.ASR).tag("profile", "gone").gauges()).isEmpty();
        assertThat(registry.find(ProbeMetrics.RUNS).tag("profile", "gone").counters()).isEmpty();
        assertThat(registry.find(ProbeMetrics.ASR).tag("profile", "kept").gauges()).hasSize(6);
    }
}
