package io.steerguard.api;

import static io.restassured.RestAssured.given;
import static io.steerguard.api.GatewayTestResource.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.steerguard.tenant.ApiKeys;

/**
 * Issue 6 end to end on the embedded tiny model: a profile whose vector erodes refusals, as the
 * activation tier measures them on that model, is mirrored, paired, judged past
 * {@code maxExternalityRate} and then served unsteered ({@code X-SteerGuard-Decision:
 * fallback-unsteered}) or rejected (403 {@code steering_profile_blocked}), as its policy says.
 *
 * <p><b>What is planted</b> ({@link ErodingTestModel}): the refusal token ids are the unsteered
 * model's most likely first tokens for the test prompt, and the profile's vector is built at the
 * last layer to push exactly those logits down; the activation threshold sits between the two
 * measured {@code p_ref}. So every unsteered twin "refuses" and every steered answer "complies".
 * <b>What is real</b>: the gateway serves the copy as an ordinary embedded runtime from a GGUF
 * profile, steers in the forward pass, introspects both sides of each sampled pair, the activation
 * tier classifies them, the paired statistics estimate the externality rate with its interval, the
 * policy engine decides on {@code minSamples}/{@code confidence}, the state machine moves the profile
 * to BLOCKED and records it, and the serving path turns that state into the client's answer.
 */
@QuarkusTest
@TestProfile(EmbeddedPolicyTest.Profile.class)
class EmbeddedPolicyTest {

    static final String KEY = "sk-eroding-test-key";

    /** Only this test's documents; the planted model is built once per JVM. */
    public static final class Profile implements QuarkusTestProfile {

        private static ErodingTestModel.Planted planted;

        static synchronized ErodingTestModel.Planted planted() {
            if (planted == null) {
                planted = ErodingTestModel.plantInChildJvm();
            }
            return planted;
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                ErodingTestModel.Planted p = planted();
                Path dir = Files.createTempDirectory("steerguard-policy-e2e");
                Path data = Files.createDirectories(dir.resolve("data"));
                Path config = Files.createDirectories(dir.resolve("config"));
                Files.writeString(config.resolve("eroding.yaml"), documents(p.model()));
                return Map.of("steerguard.config.paths", config.toString(),
                        "steerguard.policy.data-dir", data.toString(),
                        "steerguard.policy.evaluation-interval", "200ms",
                        "steerguard.classifier.tiers", "activation,lexical",
                        "steerguard.classifier.activation.threshold", Double.toString(p.threshold()),
                        "steerguard.probes.enabled", "false");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static String documents(Path model) {
            return """
                    apiVersion: steerguard.io/v1
                    kind: Runtime
                    metadata: {name: eroding-tiny}
                    spec: {type: embedded, model: "%1$s", device: cpu, maxBatch: 2, maxContext: 128}
                    ---
                    apiVersion: steerguard.io/v1
                    kind: SteeringProfile
                    metadata: {name: eroding-act}
                    spec:
                      runtime: eroding-tiny
                      vectors: [{file: "%1$s/vectors/%2$s", layers: [%3$d], coefficient: %4$s}]
                    ---
                    apiVersion: steerguard.io/v1
                    kind: SteeringProfile
                    metadata: {name: eroding-act-block}
                    spec:
                      runtime: eroding-tiny
                      vectors: [{file: "%1$s/vectors/%2$s", layers: [%3$d], coefficient: %4$s}]
                    ---
                    apiVersion: steerguard.io/v1
                    kind: GuardrailPolicy
                    metadata: {name: e2e-fallback}
                    spec:
                      selector: {profiles: [eroding-act]}
                      shadow: {sampleRate: 1.0, probationSampleRate: 1.0, maxTokens: 4}
                      limits: {maxExternalityRate: 0.05}
                      decision: {window: 1h, minSamples: 5, confidence: 0.95}
                      action: fallback-unsteered
                      recovery: {mode: manual}
                    ---
                    apiVersion: steerguard.io/v1
                    kind: GuardrailPolicy
                    metadata: {name: e2e-block}
                    spec:
                      selector: {profiles: [eroding-act-block]}
                      shadow: {sampleRate: 1.0, probationSampleRate: 1.0, maxTokens: 4}
                      limits: {maxExternalityRate: 0.05}
                      decision: {window: 1h, minSamples: 5, confidence: 0.95}
                      action: block
                      recovery: {mode: manual}
                    ---
                    apiVersion: steerguard.io/v1
                    kind: Tenant
                    metadata: {name: eroding-lab}
                    spec:
                      apiKeys: [{sha256: %5$s}]
                      models:
                        eroding-tiny: {defaultProfile: eroding-act, allowedProfiles: [eroding-act-block, unsteered]}
                    """.formatted(model, ErodingTestModel.VECTOR_FILE, ErodingTestModel.LAYER,
                    Double.toString(ErodingTestModel.COEFFICIENT), ApiKeys.sha256Hex(KEY));
        }
    }

    private static Response ask(String profile) {
        return given().header("Authorization", "Bearer " + KEY).header("X-SteerGuard-Profile", profile)
                .contentType("application/json")
                .body("{\"model\":\"eroding-tiny\",\"max_tokens\":4,\"temperature\":0,\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"" + ErodingTestModel.PROMPT + "\"}]}")
                .post("/v1/chat/completions");
    }

    private static String series(String name, String labels) {
        return name + "{" + labels + "}";
    }

    @Test
    void erodingVector_onTheEmbeddedModel_fallsBackToUnsteered_whenPolicySaysFallback() {
        String first = ask("eroding-act").then().statusCode(200).header("X-SteerGuard-Decision", "steered")
                .extract().header("X-SteerGuard-Decision");
        assertThat(first).isEqualTo("steered");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                ask("eroding-act").then().statusCode(200).header("X-SteerGuard-Decision", "fallback-unsteered")
                        .header("X-SteerGuard-Profile", "eroding-act"));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(Management.given().get("/q/metrics").asString())
                .contains(series("steerguard_profile_state", "profile=\"eroding-act\",state=\"BLOCKED\"") + " 1.0")
                .contains(series("steerguard_externality_rate",
                        "bound=\"estimate\",profile=\"eroding-act\",window=\"1h\"") + " 1.0"));
        String scrape = Management.given().get("/q/metrics").asString();
        assertThat(ShadowPolicyTest.metric(scrape, series("steerguard_shadow_samples_total",
                "outcome=\"paired\",profile=\"eroding-act\",tenant=\"eroding-lab\""))).isGreaterThanOrEqualTo(5);
        assertThat(ShadowPolicyTest.metric(scrape, series("steerguard_activation_refusal_score_count",
                "path=\"unsteered\",profile=\"eroding-act\""))).as("the verdicts came from the activation tier")
                .isGreaterThanOrEqualTo(5);
        given().header("Authorization", "Bearer " + ADMIN_KEY).get("/admin/audit-log?profile=eroding-act")
                .then().statusCode(200).body("entries.to", hasItem("BLOCKED"))
                .body("entries.find { it.to == 'BLOCKED' }.policy", equalTo("e2e-fallback"));
    }

    @Test
    void erodingVector_onTheEmbeddedModel_isRejectedWith403_whenPolicySaysBlock() {
        ask("eroding-act-block").then().statusCode(200).header("X-SteerGuard-Decision", "steered");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                ask("eroding-act-block").then().statusCode(403).body("error.code", equalTo("steering_profile_blocked")));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(Management.given().get("/q/metrics").asString())
                .contains(series("steerguard_profile_state", "profile=\"eroding-act-block\",state=\"BLOCKED\"")
                        + " 1.0"));
        assertThat(ShadowPolicyTest.metric(Management.given().get("/q/metrics").asString(), series(
                "steerguard_shadow_samples_total", "outcome=\"paired\",profile=\"eroding-act-block\",tenant=\"eroding-lab\"")))
                .isGreaterThanOrEqualTo(5);
        given().header("Authorization", "Bearer " + ADMIN_KEY).get("/admin/audit-log?profile=eroding-act-block")
                .then().statusCode(200).body("entries.find { it.to == 'BLOCKED' }.policy", equalTo("e2e-block"));
    }
}
