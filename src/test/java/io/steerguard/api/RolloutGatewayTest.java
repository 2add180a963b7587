package io.steerguard.api;

import static io.restassured.RestAssured.given;
import static io.steerguard.api.GatewayTestResource.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.steerguard.gateway.GatewayStateManager;
import io.steerguard.gateway.Rollouts;
import io.steerguard.gateway.SafetyGovernor;
import io.steerguard.gateway.StateBackends;
import io.steerguard.policy.PolicyConfig;
import io.steerguard.policy.StateConfig;
import io.steerguard.runtime.remote.EasySteerStandIn;
import io.steerguard.telemetry.RolloutMetrics;
import io.steerguard.telemetry.StateBackendMetrics;
import io.steerguard.tenant.ApiKeys;
import io.steerguard.tenant.Tenant;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * Safety-gated rollouts end to end, against an EasySteer stand-in (requests admitted as EasySteer
 * admits them) whose answers depend only on the steering it is sent: the vector file
 * {@code eroding.gguf} makes the model comply, everything else (other vectors, and the unsteered
 * twins) refuses. So the candidate {@code ro-eroding} shows an externality on every pair and
 * {@code ro-safe} none, and the real shadow, classifier, statistics, gate, store and router decide.
 */
@QuarkusTest
@QuarkusTestResource(value = GatewayTestResource.class, restrictToAnnotatedClass = false)
class RolloutGatewayTest {

    private static final String COMPLIES = "Sure, here is exactly how to do that.";
    private static final String REFUSES = "I cannot help with that.";

    private static EasySteerStandIn server;

    @Inject
    SafetyGovernor governor;
    @Inject
    GatewayStateManager states;
    @Inject
    PolicyConfig policyConfig;
    @Inject
    StateConfig stateConfig;
    @Inject
    Instance<Redis> redis;
    @Inject
    StateBackendMetrics backendMetrics;

    private static Path document() {
        return GatewayTestResource.configDir().resolve("rollout-e2e.yaml");
    }

    private static String key(String tenant) {
        return "sk-" + tenant + "-key";
    }

    /** Starts the stand-in and writes the rollouts' documents once (the gateway is up by the first test). */
    private static synchronized void setUp() throws Exception {
        if (server != null) {
            return;
        }
        server = EasySteerStandIn.start(EasySteerStandIn.Flags.recommended(), body -> {
            JsonObject steering = body.getJsonObject("steering");
            return steering != null && steering.encode().contains("eroding.gguf") ? COMPLIES : REFUSES;
        });
        StringBuilder doc = new StringBuilder("""
                apiVersion: steerguard.io/v1
                kind: Runtime
                metadata: {name: ro-es}
                spec: {type: easysteer, baseUrl: "%s", upstreamModel: easysteer-model, readTimeout: 2s}
                """.formatted(server.baseUrl()));
        for (String profile : List.of("stable", "safe", "eroding", "watched")) {
            doc.append("""
                    ---
                    apiVersion: steerguard.io/v1
                    kind: SteeringProfile
                    metadata: {name: ro-%1$s}
                    spec: {runtime: ro-es, vectors: [{file: /srv/vectors/%1$s.gguf, layers: [3], coefficient: 4.0}]}
                    """.formatted(profile));
        }
        // Never mirrored by policy (rates 0): candidate traffic is mirrored because it is under the gate.
        doc.append("""
                ---
                apiVersion: steerguard.io/v1
                kind: GuardrailPolicy
                metadata: {name: ro-gate}
                spec:
                  selector: {profiles: [ro-safe, ro-eroding]}
                  shadow: {sampleRate: 0, probationSampleRate: 0, maxTokens: 8}
                  limits: {maxExternalityRate: 0.5}
                  decision: {window: 1h, minSamples: 5, confidence: 0.95}
                  action: alert
                ---
                apiVersion: steerguard.io/v1
                kind: GuardrailPolicy
                metadata: {name: ro-watch}
                spec:
                  selector: {profiles: [ro-watched]}
                  shadow: {sampleRate: 0, probationSampleRate: 0, maxTokens: 8}
                  limits: {maxExternalityRate: 0.99}
                  decision: {window: 1h, minSamples: 100000, confidence: 0.95}
                  action: alert
                """);
        for (String[] t : List.of(new String[] {"ro-promote", "ro-safe"}, new String[] {"ro-rollback", "ro-eroding"},
                new String[] {"ro-attack", "ro-watched"}, new String[] {"ro-manual", "ro-watched"})) {
            doc.append("""
                    ---
                    apiVersion: steerguard.io/v1
                    kind: Tenant
                    metadata: {name: %1$s}
                    spec:
                      apiKeys: [{sha256: %3$s}]
                      models:
                        ro-es:
                          defaultProfile: ro-stable
                          allowedProfiles: [ro-stable, unsteered]
                          rollouts:
                            ro-stable: {candidate: %2$s, share: 0.5}
                    """.formatted(t[0], t[1], ApiKeys.sha256Hex(key(t[0]))));
        }
        Files.writeString(document(), doc.toString());
        reload();
    }

    /** Removes the documents (the watcher applies that; the test client is gone by now) and the stand-in. */
    @AfterAll
    static void tearDown() throws Exception {
        Files.deleteIfExists(document());
        if (server != null) {
            server.close();
        }
    }

    private static void reload() {
        given().header("Authorization", "Bearer " + ADMIN_KEY).post("/admin/config/reload").then().statusCode(200)
                .body("applied", equalTo(true));
    }

    private static Response chat(String tenant, String requestId, String profileHeader) {
        var request = given().header("Authorization", "Bearer " + key(tenant)).contentType("application/json");
        if (requestId != null) {
            request = request.header("X-Request-Id", requestId);
        }
        if (profileHeader != null) {
            request = request.header("X-SteerGuard-Profile", profileHeader);
        }
        return request.body("{\"model\":\"ro-es\",\"max_tokens\":8,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"How do I pick a lock?\"}]}").post("/v1/chat/completions");
    }

    /** Requests the stand-in got with the steering of {@code profile}'s vector (primaries served with it). */
    private static long servedWith(String vector) {
        return server.exchanges().stream().filter(e -> e.path().endsWith("/chat/completions") && e.steered()
                && e.body().getJsonObject("steering").encode().contains("/" + vector + ".gguf")).count();
    }

    private static String phase(String tenant) {
        return given().header("Authorization", "Bearer " + ADMIN_KEY).get("/admin/rollouts").then().statusCode(200)
                .extract().path("rollouts.find { it.tenant == '" + tenant + "' }.phase");
    }

    /** Sends the tenant's traffic until the gate has decided (or gives up after 200 requests). */
    private static void trafficUntilDecided(String tenant) {
        for (int i = 0; i < 200 && phase(tenant).equals("RUNNING"); i++) {
            chat(tenant, null, null).then().statusCode(200).header("X-SteerGuard-Profile", "ro-stable");
            if (i % 4 == 3) {
                try {
                    Thread.sleep(250); // an evaluation interval: pairs land, the gate judges
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static String scrape() {
        return Management.given().get("/q/metrics").asString();
    }

    @Test
    void safeCandidate_isPromotedByTheGate_thenServesEveryRequest_andTheDecisionIsAuditedAndMetered() throws Exception {
        setUp();
        assertThat(phase("ro-promote")).isEqualTo("RUNNING");

        trafficUntilDecided("ro-promote");

        assertThat(phase("ro-promote")).isEqualTo("PROMOTED");
        given().header("Authorization", "Bearer " + ADMIN_KEY).get("/admin/rollouts").then().statusCode(200)
                .body("rollouts.find { it.tenant == 'ro-promote' }.candidate", equalTo("ro-safe"))
                .body("rollouts.find { it.tenant == 'ro-promote' }.candidateShare", equalTo(1.0f))
                .body("rollouts.find { it.tenant == 'ro-promote' }.lastDecision.actor", equalTo("rollout-gate"))
                .body("rollouts.find { it.tenant == 'ro-promote' }.lastDecision.numbers[0].limit",
                        equalTo("maxExternalityRate"))
                .body("rollouts.find { it.tenant == 'ro-promote' }.lastDecision.numbers[0].samples",
                        org.hamcrest.Matchers.greaterThanOrEqualTo(5));
        given().header("Authorization", "Bearer " + ADMIN_KEY).get("/admin/rollouts/history?limit=50").then()
                .statusCode(200).body("entries.findAll { it.tenant == 'ro-promote' }.to", hasItem("PROMOTED"));
        assertThat(Files.readString(GatewayTestResource.configDir().resolve("data").resolve("rollout-state.jsonl")))
                .as("persisted in the state directory").contains("\"tenant\":\"ro-promote\"").contains("\"PROMOTED\"");

        long before = servedWith("safe");
        long stableBefore = servedWith("stable");
        for (int i = 0; i < 12; i++) {
            chat("ro-promote", null, null).then().statusCode(200).header("X-SteerGuard-Profile", "ro-stable");
        }
        assertThat(servedWith("safe") - before).as("the stable arm is retired").isEqualTo(12);
        assertThat(servedWith("stable")).isEqualTo(stableBefore);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(scrape())
                .contains("steerguard_rollout_share{candidate=\"ro-safe\",profile=\"ro-stable\",tenant=\"ro-promote\"} 1.0")
                .contains("steerguard_rollout_promotions_total{profile=\"ro-stable\",tenant=\"ro-promote\"} 1.0")
                .contains("steerguard_rollout_rollbacks_total{profile=\"ro-stable\",tenant=\"ro-promote\"} 0.0"));
        GatewayTestResource.awaitUpstreamQuiet();
    }

    @Test
    void erodingCandidate_isRolledBackByTheGate_evenUnderAnAlertPolicy_andTheDecisionSurvivesARestart() throws Exception {
        setUp();
        trafficUntilDecided("ro-rollback");

        assertThat(phase("ro-rollback")).isEqualTo("ROLLED_BACK");
        given().header("Authorization", "Bearer " + ADMIN_KEY).get("/admin/rollouts").then().statusCode(200)
                .body("rollouts.find { it.tenant == 'ro-rollback' }.candidateShare", equalTo(0.0f))
                .body("rollouts.find { it.tenant == 'ro-rollback' }.lastDecision.reason",
                        org.hamcrest.Matchers.startsWith("exceeded: externality rate"));
        assertThat(governor.status("ro-eroding").orElseThrow().state().name())
                .as("the profile's own policy only alerts: the gate, not a block, took it out").isNotEqualTo("BLOCKED");

        long before = servedWith("eroding");
        for (int i = 0; i < 12; i++) {
            chat("ro-rollback", null, null).then().statusCode(200);
        }
        assertThat(servedWith("eroding")).as("the candidate gets nothing after its rollback").isEqualTo(before);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(scrape())
                .contains("steerguard_rollout_share{candidate=\"ro-eroding\",profile=\"ro-stable\",tenant=\"ro-rollback\"} 0.0")
                .contains("steerguard_rollout_rollbacks_total{profile=\"ro-stable\",tenant=\"ro-rollback\"} 1.0"));

        // A restart, as far as the rollouts go: a new router over a freshly opened state backend reads
        // the persisted decision and routes by it (never by the configured share).
        Rollouts restarted = new Rollouts(governor, states,
                new StateBackends(policyConfig, stateConfig, redis, backendMetrics),
                new RolloutMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
        Tenant tenant = states.current().tenants().byName("ro-rollback").orElseThrow();
        assertThat(IntStream.range(0, 50).mapToObj(i -> restarted.route(tenant, "ro-es", "ro-stable").profile()))
                .as("before it has read the decisions, the new router serves no candidate").containsOnly("ro-stable");
        restarted.readDecisions();
        assertThat(restarted.views()).filteredOn(v -> v.key().tenant().equals("ro-rollback"))
                .singleElement().satisfies(v -> assertThat(v.phase().name()).isEqualTo("ROLLED_BACK"));
        assertThat(IntStream.range(0, 50).mapToObj(i -> restarted.route(tenant, "ro-es", "ro-stable").profile()))
                .containsOnly("ro-stable");
        GatewayTestResource.awaitUpstreamQuiet();
    }

    @Test
    void aClientCanNeitherForceNorDodgeTheCandidate_byProfileNamesRequestIdsOrRetries() throws Exception {
        setUp();
        // force it by name: the candidate is not the tenant's to choose
        chat("ro-attack", null, "ro-watched").then().statusCode(403)
                .body("error.code", equalTo("steering_profile_not_allowed"));
        given().header("Authorization", "Bearer " + key("ro-attack")).contentType("application/json")
                .body("{\"model\":\"ro-es\",\"max_tokens\":8,\"steering\":{\"profile\":\"ro-watched\"},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"How do I pick a lock?\"}]}")
                .post("/v1/chat/completions").then().statusCode(403)
                .body("error.code", equalTo("steering_profile_not_allowed"));

        // dodge it: name the stable profile explicitly, repeat one request id and one prompt, retry
        long candidateBefore = servedWith("watched");
        Set<Set<String>> headerSets = new HashSet<>();
        int requests = 60;
        for (int i = 0; i < requests; i++) {
            Response r = chat("ro-attack", "the-same-id", "ro-stable");
            r.then().statusCode(200).header("X-SteerGuard-Profile", "ro-stable")
                    .header("X-SteerGuard-Decision", "steered").header("X-Request-Id", "the-same-id");
            headerSets.add(r.headers().asList().stream().map(h -> h.getName().toLowerCase(java.util.Locale.ROOT))
                    .collect(java.util.stream.Collectors.toSet()));
        }
        long candidate = servedWith("watched") - candidateBefore;
        assertThat(candidate).as("share 0.5 of %d requests with one id, header and prompt (±4.6 sd)", requests)
                .isBetween(12L, 48L);
        assertThat(headerSets).as("both arms answer with the same headers: the arm is not disclosed").hasSize(1);

        // every candidate request was measured, so retrying after seeing an answer cannot keep the
        // candidate's harmful prompts out of its statistics (policy sample rates are 0 here)
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(ShadowPolicyTest.metric(scrape(),
                "steerguard_shadow_samples_total{outcome=\"paired\",profile=\"ro-watched\",tenant=\"ro-attack\"}"))
                .isEqualTo((double) candidate));
        assertThat(phase("ro-attack")).isEqualTo("RUNNING");
        GatewayTestResource.awaitUpstreamQuiet();
    }

    @Test
    void operator_promotesRollsBackAndResets_behindTheAdminKey_eachPersistedAndInTheHistory() throws Exception {
        setUp();
        String base = "/admin/rollouts/ro-manual/ro-stable/";
        given().contentType("application/json").body("{\"reason\": \"x\"}").post(base + "rollback").then().statusCode(401);
        given().header("Authorization", "Bearer " + key("ro-manual")).contentType("application/json")
                .body("{\"reason\": \"x\"}").post(base + "rollback").then().statusCode(401);
        given().header("Authorization", "Bearer " + ADMIN_KEY).contentType("application/json").body("{}")
                .post(base + "rollback").then().statusCode(400).body("error.param", equalTo("reason"));
        given().header("Authorization", "Bearer " + ADMIN_KEY).contentType("application/json")
                .body("{\"reason\": \"x\"}").post("/admin/rollouts/nobody/ro-stable/rollback").then().statusCode(404)
                .body("error.code", equalTo("rollout_not_found"));

        long before = servedWith("watched");
        try {
            given().header("Authorization", "Bearer " + ADMIN_KEY).contentType("application/json")
                    .body("{\"reason\": \"incident 7: v2 drafts unsafe answers\"}").post(base + "rollback").then()
                    .statusCode(200).body("phase", equalTo("ROLLED_BACK")).body("candidateShare", equalTo(0.0f))
                    .body("changed", equalTo(true));
            for (int i = 0; i < 10; i++) {
                chat("ro-manual", null, null).then().statusCode(200);
            }
            assertThat(servedWith("watched")).isEqualTo(before);

            given().header("Authorization", "Bearer " + ADMIN_KEY).contentType("application/json")
                    .body("{\"reason\": \"reviewed by hand\"}").post(base + "promote").then().statusCode(200)
                    .body("phase", equalTo("PROMOTED")).body("candidateShare", equalTo(1.0f));
            for (int i = 0; i < 10; i++) {
                chat("ro-manual", null, null).then().statusCode(200);
            }
            assertThat(servedWith("watched") - before).isEqualTo(10);
        } finally {
            given().header("Authorization", "Bearer " + ADMIN_KEY).contentType("application/json")
                    .body("{\"reason\": \"end of test\"}").post(base + "reset").then().statusCode(200)
                    .body("phase", equalTo("RUNNING"));
        }
        given().header("Authorization", "Bearer " + ADMIN_KEY).get("/admin/rollouts/history?limit=100").then()
                .statusCode(200)
                .body("entries.findAll { it.tenant == 'ro-manual' }.reason",
                        hasItem("incident 7: v2 drafts unsafe answers"))
                .body("entries.findAll { it.tenant == 'ro-manual' }.actor", hasItem("admin"))
                .body("entries.findAll { it.tenant == 'ro-manual' }.to", hasItem("ROLLED_BACK"));
        GatewayTestResource.awaitUpstreamQuiet();
    }
}
