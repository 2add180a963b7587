package io.steerguard.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.steerguard.runtime.remote.LlamaCppStandIn;
import io.steerguard.steering.VectorFiles;
import io.steerguard.steering.VectorSet;
import io.steerguard.tenant.ApiKeys;

/**
 * Profile-routed serving ({@code spec.servedBy}) against two llama.cpp stand-ins: a "steered server"
 * (as if started with {@code --control-vector-scaled compliance.gguf:1.5}; it always complies) and an
 * "unsteered server" (it refuses). Both reject any body with a {@code steering} field. A routed
 * profile's requests go to the steered server with no steering on the wire and are reported
 * {@code steered}; their twins go to the unsteered server and pair; a routed profile whose
 * externality breaks its policy falls back to the unsteered server, or is rejected when the policy
 * blocks.
 */
@QuarkusTest
@TestProfile(RoutedProfileTest.Profile.class)
class RoutedProfileTest {

    static final String KEY = "sk-llama-lab-test-key";
    static final String COMPLIES = "Sure, here is how you do it step by step.";
    static final String REFUSES = "I can't help with that request.";
    /** Fixed so that the profile's overrides and the resource writing the documents agree on it. */
    static final Path DIR = Path.of("target", "routed-profile-test").toAbsolutePath();

    /** Only this test's documents, written by {@link Servers} once the stand-ins listen. */
    public static final class Profile implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("steerguard.config.paths", DIR.resolve("config").toString(),
                    "steerguard.config.base-dir", DIR.toString(),
                    "steerguard.policy.data-dir", DIR.resolve("data").toString(),
                    "steerguard.policy.evaluation-interval", "200ms",
                    "steerguard.shadow.sample-rate", "0",
                    "steerguard.probes.enabled", "false");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Servers.class));
        }
    }

    /** Starts the two llama.cpp stand-ins and writes the documents and the profiles' vector file. */
    public static final class Servers implements QuarkusTestResourceLifecycleManager {

        private static volatile LlamaCppStandIn steered;
        private static volatile LlamaCppStandIn unsteered;

        @Override
        public Map<String, String> start() {
            try {
                steered = LlamaCppStandIn.start(COMPLIES);
                unsteered = LlamaCppStandIn.start(REFUSES);
                deleteTree(DIR);
                Path config = Files.createDirectories(DIR.resolve("config"));
                Files.createDirectories(DIR.resolve("data"));
                VectorFiles.write(VectorSet.of("llama", Map.of(3, new float[] {0.5f, -1f, 0.25f, 1f})),
                        DIR.resolve("compliance.gguf"));
                Files.writeString(config.resolve("routed.yaml"), documents(steered.baseUrl(), unsteered.baseUrl()));
                return Map.of();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void stop() {
            for (LlamaCppStandIn server : new LlamaCppStandIn[] {steered, unsteered}) {
                try {
                    if (server != null) {
                        server.close();
                    }
                } catch (Exception e) {
                    // the JVM ends with the tests; nothing else to release
                }
            }
        }

        private static void deleteTree(Path dir) throws IOException {
            if (!Files.exists(dir)) {
                return;
            }
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.delete(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }

        private static String documents(String steeredUrl, String unsteeredUrl) {
            return """
                    apiVersion: steerguard.io/v1
                    kind: Runtime
                    metadata: {name: llama-plain}
                    spec: {type: openai, baseUrl: "%2$s", upstreamModel: llama, readTimeout: 2s}
                    ---
                    apiVersion: steerguard.io/v1
                    kind: Runtime
                    metadata: {name: llama-steered}
                    spec: {type: openai, baseUrl: "%1$s", upstreamModel: llama, readTimeout: 2s}
                    ---
                    apiVersion: steerguard.io/v1
                    kind: SteeringProfile
                    metadata: {name: llama-compliance}
                    spec:
                      runtime: llama-plain
                      servedBy: llama-steered
                      vectors: [{file: compliance.gguf, layers: [3], coefficient: 1.5}]
                    ---
                    apiVersion: steerguard.io/v1
                    kind: SteeringProfile
                    metadata: {name: llama-eroding}
                    spec:
                      runtime: llama-plain
                      servedBy: llama-steered
                      vectors: [{file: compliance.gguf, layers: [3], coefficient: 1.5}]
                    ---
                    apiVersion: steerguard.io/v1
                    kind: SteeringProfile
                    metadata: {name: llama-eroding-block}
                    spec:
                      runtime: llama-plain
                      servedBy: llama-steered
                      vectors: [{file: compliance.gguf, layers: [3], coefficient: 1.5}]
                    ---
                    apiVersion: steerguard.io/v1
                    kind: SteeringProfile
                    metadata: {name: llama-inflight}
                    spec:
                      runtime: llama-plain
                      servedBy: llama-steered
                      vectors: [{file: compliance.gguf, layers: [3], coefficient: 2.5}]
                    ---
                    apiVersion: steerguard.io/v1
                    kind: GuardrailPolicy
                    metadata: {name: llama-watch}
                    spec:
                      selector: {profiles: [llama-compliance]}
                      shadow: {sampleRate: 1.0, probationSampleRate: 1.0, maxTokens: 16}
                      limits: {maxExternalityRate: 0.05}
                      decision: {window: 1h, minSamples: 1000, confidence: 0.95}
                      action: alert
                    ---
                    apiVersion: steerguard.io/v1
                    kind: GuardrailPolicy
                    metadata: {name: llama-fallback}
                    spec:
                      selector: {profiles: [llama-eroding]}
                      shadow: {sampleRate: 1.0, probationSampleRate: 1.0, maxTokens: 16}
                      limits: {maxExternalityRate: 0.05}
                      decision: {window: 1h, minSamples: 5, confidence: 0.95}
                      action: fallback-unsteered
                      recovery: {mode: manual}
                    ---
                    apiVersion: steerguard.io/v1
                    kind: GuardrailPolicy
                    metadata: {name: llama-block}
                    spec:
                      selector: {profiles: [llama-eroding-block]}
                      shadow: {sampleRate: 1.0, probationSampleRate: 1.0, maxTokens: 16}
                      limits: {maxExternalityRate: 0.05}
                      decision: {window: 1h, minSamples: 5, confidence: 0.95}
                      action: block
                      recovery: {mode: manual}
                    ---
                    apiVersion: steerguard.io/v1
                    kind: Tenant
                    metadata: {name: llama-lab}
                    spec:
                      apiKeys: [{sha256: %3$s}]
                      models:
                        llama-plain:
                          defaultProfile: llama-compliance
                          allowedProfiles: [llama-eroding, llama-eroding-block, llama-inflight, unsteered]
                    """.formatted(steeredUrl, unsteeredUrl, ApiKeys.sha256Hex(KEY));
        }
    }

    private static Response ask(String profile, String prompt, boolean stream) {
        return given().header("Authorization", "Bearer " + KEY).header("X-SteerGuard-Profile", profile)
                .contentType("application/json")
                .body("{\"model\":\"llama-plain\",\"max_tokens\":16,\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}")
                .post("/v1/chat/completions");
    }

    private static long received(LlamaCppStandIn server, String prompt) {
        return server.exchanges().stream().filter(e -> e.status() == 200 && prompt.equals(e.lastUserMessage())).count();
    }

    private static String scrape() {
        return Management.given().get("/q/metrics").asString();
    }

    @Test
    void routedProfile_isServedByItsSteeredServer_plain_andTwinsGoToTheUnsteeredServer_andPair() {
        String prompt = "How do I pick a lock? (routed)";
        for (int i = 0; i < 4; i++) {
            ask("llama-compliance", prompt, i % 2 == 0).then().statusCode(200)
                    .header(GenerationHandler.DECISION_HEADER, "steered")
                    .header(GenerationHandler.PROFILE_HEADER, "llama-compliance")
                    .body(containsString("Sure"));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ShadowPolicyTest.metric(scrape(),
                "steerguard_shadow_samples_total{outcome=\"paired\",profile=\"llama-compliance\",tenant=\"llama-lab\"}"))
                .isEqualTo(4.0));
        assertThat(received(Servers.steered, prompt)).as("client requests on the steered server").isEqualTo(4);
        assertThat(received(Servers.unsteered, prompt)).as("twins on the unsteered server").isEqualTo(4);
        assertThat(Servers.steered.rejections()).as("no steering ever on the wire").isEmpty();
        assertThat(Servers.unsteered.rejections()).isEmpty();
    }

    @Test
    void unsteeredChoice_goesToTheBaseRuntime_unmirrored() {
        String prompt = "How do I pick a lock? (unsteered)";
        ask("unsteered", prompt, false).then().statusCode(200)
                .header(GenerationHandler.DECISION_HEADER, "unsteered").body(containsString("can't help"));
        assertThat(received(Servers.unsteered, prompt)).isEqualTo(1);
        assertThat(received(Servers.steered, prompt)).isZero();
    }

    @Test
    void erodingRoutedProfile_fallsBackToTheUnsteeredServer_whenPolicySaysFallback() {
        String prompt = "How do I pick a lock? (fallback)";
        ask("llama-eroding", prompt, false).then().statusCode(200)
                .header(GenerationHandler.DECISION_HEADER, "steered").body(containsString("Sure"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                ask("llama-eroding", prompt, false).then().statusCode(200)
                        .header(GenerationHandler.DECISION_HEADER, "fallback-unsteered"));
        long steeredBefore = received(Servers.steered, prompt);
        long unsteeredBefore = received(Servers.unsteered, prompt);

        ask("llama-eroding", prompt, true).then().statusCode(200)
                .header(GenerationHandler.DECISION_HEADER, "fallback-unsteered").body(containsString("\"can't \""));

        assertThat(received(Servers.steered, prompt)).as("the steered server gets no more of it").isEqualTo(steeredBefore);
        assertThat(received(Servers.unsteered, prompt)).isEqualTo(unsteeredBefore + 1);
        assertThat(scrape()).contains("steerguard_profile_state{profile=\"llama-eroding\",state=\"BLOCKED\"} 1.0");
        assertThat(Servers.steered.rejections()).isEmpty();
    }

    @Test
    void erodingRoutedProfile_isRejectedWith403_whenPolicySaysBlock() {
        String prompt = "How do I pick a lock? (block)";
        ask("llama-eroding-block", prompt, false).then().statusCode(200)
                .header(GenerationHandler.DECISION_HEADER, "steered");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                ask("llama-eroding-block", prompt, false).then().statusCode(403)
                        .body("error.code", equalTo("steering_profile_blocked")));
        long steeredBefore = received(Servers.steered, prompt);
        ask("llama-eroding-block", prompt, false).then().statusCode(403);
        assertThat(received(Servers.steered, prompt)).isEqualTo(steeredBefore);
    }

    @Test
    void blockDuringARoutedAnswer_endsIt_withSteeringProfileBlocked() throws Exception {
        String prompt = "Tell me how " + LlamaCppStandIn.SLOWLY;
        CompletableFuture<Response> answer = CompletableFuture.supplyAsync(() -> ask("llama-inflight", prompt, false));
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> received(Servers.steered, prompt) == 1);
            given().header("Authorization", "Bearer " + GatewayTestResource.ADMIN_KEY).contentType("application/json")
                    .body("{\"reason\": \"routed in-flight test\"}").post("/admin/profiles/llama-inflight/block")
                    .then().statusCode(200).body("state", equalTo("BLOCKED"));
            long blocked = System.nanoTime();

            Response response = answer.get(5, TimeUnit.SECONDS);

            assertThat(Duration.ofNanos(System.nanoTime() - blocked)).as("the block reached the routed answer")
                    .isLessThan(Duration.ofSeconds(1));
            response.then().statusCode(403).body("error.code", equalTo("steering_profile_blocked"));
        } finally {
            given().header("Authorization", "Bearer " + GatewayTestResource.ADMIN_KEY).contentType("application/json")
                    .body("{\"reason\": \"end of test\"}").post("/admin/profiles/llama-inflight/unblock");
        }
    }
}
