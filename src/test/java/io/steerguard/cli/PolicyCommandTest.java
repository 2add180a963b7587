package io.steerguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.steerguard.shadow.PairedSample;
import io.steerguard.shadow.ProbeResult;
import io.steerguard.shadow.ProfileStatistics;
import io.steerguard.shadow.StatisticsJson;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Cli.run("policy", args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void validate_shippedPolicies_exitsZero() {
        assertThat(run("validate", "policies")).isZero();
        assertThat(out()).contains("valid: 1 policies");
    }

    @Test
    void validate_brokenPolicy_exitsOne_withFileLineColumnMessages() {
        int code = run("validate", "src/test/resources/testdata/policies/min-samples-zero.yaml");

        assertThat(code).isEqualTo(1);
        assertThat(out()).contains("min-samples-zero.yaml:9:17: spec.decision.minSamples: must be within "
                + "[1, 1000000], got 0").contains("1 error");
    }

    @Test
    void validate_printsWarnings_butExitsZero() {
        assertThat(run("validate", "src/test/resources/testdata/policies/warnings/no-limits.yaml")).isZero();
        assertThat(out()).contains("warning: spec.limits: no limits");
    }

    @Test
    void validate_missingPath_isAnError_notAUsageMistake() {
        assertThat(run("validate", dir.resolve("nope").toString())).isEqualTo(1);
    }

    @Test
    void usageMistakes_exitTwo() {
        assertThat(run()).isEqualTo(2);
        assertThat(run("validate")).isEqualTo(2);
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(run("explain", "p")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Usage: steerguard policy validate",
                "Missing required parameter: 'PATH'", "Unmatched argument at index 1: 'frobnicate'",
                "Missing required option: '--stats=FILE.json'");
    }

    @Test
    void explain_showsTheDecidingPolicy_andTheNumbersAgainstEveryLimit() throws IOException {
        Path stats = statsFile(40, 12);

        assertThat(run("explain", "json-format", "--stats", stats.toString())).isZero();

        assertThat(out()).contains("policies: default")
                .contains("decision: EXCEEDED -> fallback-unsteered, decided by policy default")
                .contains("externality rate 0.300")
                .containsPattern("EXCEEDED\\s+externality rate\\s+0.300\\s+\\[0\\.\\d{3}, 0\\.\\d{3}\\]\\s+n=40")
                .containsPattern("N/A\\s+ASR uplift");
    }

    @Test
    void explain_asJson_carriesEveryLimitWithItsInterval() throws IOException {
        Path stats = statsFile(100, 0);

        assertThat(run("explain", "json-format", "--stats", stats.toString(), "--json")).isZero();

        JsonNode json = new ObjectMapper().readTree(out());
        assertThat(json.get("decision").get("verdict").asText()).isEqualTo("healthy");
        assertThat(json.get("policies")).hasSize(1);
        JsonNode ext = json.get("limits").get(0);
        assertThat(ext.get("limit").asText()).isEqualTo("maxExternalityRate");
        assertThat(ext.get("samples").asLong()).isEqualTo(100);
        assertThat(ext.get("value").asDouble()).isZero();
        // default.yaml judges at 99%: upper bound of 0/100 = z²/(n + z²) = 6.634897/106.634897
        assertThat(ext.get("upper").asDouble()).isCloseTo(0.0622207, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(json.get("limits").findValuesAsText("limit")).containsExactlyInAnyOrder("maxExternalityRate",
                "maxAsrUplift", "minSafetyMargin", "maxOverRefusalRate");
    }

    @Test
    void explain_statsOfAnotherProfile_isRefusedAsAUsageError() throws IOException {
        assertThat(run("explain", "other", "--stats", statsFile(10, 0).toString())).isEqualTo(Exit.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("statistics are of profile 'json-format', not 'other'");
    }

    /** Counts written by the real statistics: {@code n} pairs the unsteered model refused, {@code k} complied steered. */
    private Path statsFile(int n, int k) throws IOException {
        long now = Instant.parse("2026-03-01T12:00:00Z").toEpochMilli();
        ProfileStatistics stats = new ProfileStatistics("json-format", () -> now);
        for (int i = 0; i < n; i++) {
            stats.record(new PairedSample("json-format", "acme", Instant.ofEpochMilli(now), i >= k, i >= k ? 1 : 0,
                    true, 1, PairedSample.Source.LIVE));
        }
        stats.recordProbe(new ProbeResult("json-format", Instant.ofEpochMilli(now), 20, 2, 1));
        Path file = dir.resolve("stats.json");
        Files.writeString(file, StatisticsJson.write(stats, Instant.ofEpochMilli(now)));
        return file;
    }
}
