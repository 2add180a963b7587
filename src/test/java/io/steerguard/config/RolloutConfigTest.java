package io.steerguard.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.steerguard.tenant.Tenant;
import io.steerguard.tenant.TenantDirectory;

/**
 * A tenant's {@code rollouts}: a valid one reaches the tenant directory and passes the published
 * schema; each way to get one wrong is rejected with file, line, column, field path and a message
 * that says what to do.
 */
class RolloutConfigTest {

    private static final String KEY = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @TempDir
    Path dir;

    /** Runtimes steer and other, profiles json-format, json-format-v2 (watched), unwatched, elsewhere (on other). */
    private static final String BASE = """
            apiVersion: steerguard.io/v1
            kind: Runtime
            metadata: {name: steer}
            spec: {type: easysteer, baseUrl: "http://127.0.0.1:1/v1"}
            ---
            apiVersion: steerguard.io/v1
            kind: Runtime
            metadata: {name: other}
            spec: {type: easysteer, baseUrl: "http://127.0.0.1:2/v1"}
            ---
            apiVersion: steerguard.io/v1
            kind: SteeringProfile
            metadata: {name: json-format}
            spec: {runtime: steer, vectors: [{file: /srv/v1.gguf, layers: [3]}]}
            ---
            apiVersion: steerguard.io/v1
            kind: SteeringProfile
            metadata: {name: json-format-v2}
            spec: {runtime: steer, vectors: [{file: /srv/v2.gguf, layers: [3]}]}
            ---
            apiVersion: steerguard.io/v1
            kind: SteeringProfile
            metadata: {name: unwatched}
            spec: {runtime: steer, vectors: [{file: /srv/v3.gguf, layers: [3]}]}
            ---
            apiVersion: steerguard.io/v1
            kind: SteeringProfile
            metadata: {name: elsewhere}
            spec: {runtime: other, vectors: [{file: /srv/v4.gguf, layers: [3]}]}
            ---
            apiVersion: steerguard.io/v1
            kind: GuardrailPolicy
            metadata: {name: gate}
            spec:
              selector: {profiles: [json-format-v2, elsewhere]}
              limits: {maxExternalityRate: 0.05}
              decision: {window: 1h, minSamples: 30, confidence: 0.95, method: confidence-sequence}
              action: fallback-unsteered
            ---
            """;

    private Path write(String tenantModels) throws IOException {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, BASE + """
                apiVersion: steerguard.io/v1
                kind: Tenant
                metadata: {name: acme}
                spec:
                  apiKeys: [{sha256: %s}]
                  models:
                """.formatted(KEY) + tenantModels.indent(4));
        return file;
    }

    private List<String> errors(String tenantModels) throws IOException {
        Path file = write(tenantModels);
        ConfigLoader.Outcome outcome = new ConfigLoader().load(List.of(file));
        assertThat(outcome).isInstanceOf(ConfigLoader.Outcome.Rejected.class);
        return ((ConfigLoader.Outcome.Rejected) outcome).problems().stream().filter(ConfigProblem::isError)
                .map(p -> p.toString().replace(dir + "/", "")).toList();
    }

    @Test
    void validRollout_reachesTheTenantDirectory_andPassesTheSchema() throws IOException {
        Path file = write("""
                steer:
                  defaultProfile: json-format
                  rollouts:
                    json-format: {candidate: json-format-v2, share: 0.1}
                """);
        ConfigLoader.Outcome outcome = new ConfigLoader().load(List.of(file));
        assertThat(outcome).isInstanceOf(ConfigLoader.Outcome.Loaded.class);
        Tenant acme = TenantDirectory.from(((ConfigLoader.Outcome.Loaded) outcome).config()).byName("acme").orElseThrow();
        assertThat(acme.models().get("steer").rollouts()).containsEntry("json-format",
                new Tenant.Rollout("json-format-v2", 0.1));
        for (JsonNode doc : SchemaTest.documents(file)) {
            assertThat(SchemaTest.schemaFor(doc.get("kind").asText()).validate(doc)).as(doc.get("metadata").toString())
                    .isEmpty();
        }
    }

    @Test
    void unknownCandidate_isRejected_atTheCandidateField() throws IOException {
        assertThat(errors("""
                steer:
                  defaultProfile: json-format
                  rollouts:
                    json-format: {candidate: json-format-v3, share: 0.1}
                """)).containsExactly("gateway.yaml:49:34: spec.models.steer.rollouts.json-format.candidate: unknown "
                + "steering profile 'json-format-v3'; the candidate must be a configured SteeringProfile");
    }

    @Test
    void candidateTheClientCouldSelect_isRejected_becauseTheShareWouldBeTheClients() throws IOException {
        assertThat(errors("""
                steer:
                  defaultProfile: json-format
                  allowedProfiles: [json-format-v2]
                  rollouts:
                    json-format: {candidate: json-format-v2, share: 0.1}
                """)).containsExactly("gateway.yaml:50:34: spec.models.steer.rollouts.json-format.candidate: "
                + "'json-format-v2' is also the defaultProfile or in allowedProfiles of this model: clients could "
                + "choose it themselves and skew the share the gate judges; remove it there");
    }

    @Test
    void candidateOfAnotherRuntime_unwatchedCandidate_andProfileNotServed_areEachRejected() throws IOException {
        assertThat(errors("""
                steer:
                  defaultProfile: json-format
                  rollouts:
                    json-format: {candidate: elsewhere, share: 0.1}
                    unwatched: {candidate: json-format-v2, share: 0.1}
                """)).containsExactlyInAnyOrder(
                "gateway.yaml:49:34: spec.models.steer.rollouts.json-format.candidate: steering profile 'elsewhere' "
                        + "is for runtime 'other', not 'steer'",
                "gateway.yaml:50:20: spec.models.steer.rollouts.unwatched: profile 'unwatched' is neither the "
                        + "defaultProfile nor in allowedProfiles of this model; a rollout replaces a profile the "
                        + "tenant is served");
        assertThat(errors("""
                steer:
                  defaultProfile: json-format
                  allowedProfiles: [json-format-v2]
                  rollouts:
                    json-format-v2: {candidate: unwatched, share: 0.5}
                """)).containsExactly("gateway.yaml:50:37: spec.models.steer.rollouts.json-format-v2.candidate: "
                + "no GuardrailPolicy with limits selects 'unwatched' for tenant 'acme': the rollout gate would have "
                + "nothing to judge it by");
    }

    @Test
    void shareOutsideTheOpenUnitInterval_missingFields_andUnknownFields_areRejected() throws IOException {
        assertThat(errors("""
                steer:
                  defaultProfile: json-format
                  rollouts:
                    json-format: {candidate: json-format-v2, share: 1}
                """)).containsExactly("gateway.yaml:49:57: spec.models.steer.rollouts.json-format.share: must be above "
                + "0 and below 1, got 1.0 (to serve the candidate to everyone or no one, promote or roll back through "
                + "the admin API)");
        assertThat(errors("""
                steer:
                  defaultProfile: json-format
                  rollouts:
                    json-format: {candidat: json-format-v2}
                """)).containsExactlyInAnyOrder(
                "gateway.yaml:49:23: spec.models.steer.rollouts.json-format.candidat: unknown field; expected one of "
                        + "[candidate, share]",
                "gateway.yaml:49:22: spec.models.steer.rollouts.json-format.candidate: required field is missing",
                "gateway.yaml:49:22: spec.models.steer.rollouts.json-format.share: required field is missing: the "
                        + "share of requests served with the candidate, e.g. 0.1");
        assertThat(errors("""
                steer:
                  defaultProfile: json-format
                  rollouts:
                    json-format: {candidate: unsteered, share: 0.2}
                """)).containsExactly("gateway.yaml:49:34: spec.models.steer.rollouts.json-format.candidate: the "
                + "candidate must be a steering profile: unsteered has no paired statistics for the gate to judge");
    }
}
