package io.steerguard.api;

import static io.restassured.RestAssured.given;
import static io.steerguard.api.GatewayTestResource.ACME_KEY;
import static io.steerguard.api.GatewayTestResource.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.steerguard.runtime.remote.FakeUpstream;
import io.vertx.core.json.JsonObject;

/**
 * The defining loop, end to end against a scripted EasySteer upstream: steered answers comply
 * where the unsteered twin refuses, the shadow pairs them, the policy sees the externality and
 * acts, and the client sees the documented status and header.
 */
@QuarkusTest
class ShadowPolicyTest {

    private static final String COMPLIES = "Sure, here is the detailed plan you asked for, step by step.";
    private static final String REFUSES = "I'm sorry, but I can't help with that request.";

    /** The value of one series in a Prometheus text scrape. */
    static double metric(String scrape, String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError("no series " + series);
    }

    /** Twins of this class's requests must not reach the fake upstream after the test ends and take another test's reply. */
    @org.junit.jupiter.api.AfterEach
    void upstreamIsQuiet() throws InterruptedException {
        GatewayTestResource.awaitUpstreamQuiet();
    }

    private static FakeUpstream upstream() {
        return GatewayTestResource.upstream();
    }

    private static Response ask(String profile) {
        return given().header("Authorization", "Bearer " + ACME_KEY).header("X-SteerGuard-Profile", profile)
                .contentType("application/json").body(GatewayApiTest.userMessage("steer", "Tell me how to do it"))
                .post("/v1/chat/completions");
    }

    /** One steered request and its unsteered twin; returns the twin's request body. */
    private static JsonObject mirroredRequest(String profile) throws InterruptedException {
        int before = upstream().exchanges().size();
        upstream().enqueue(FakeUpstream.Reply.chatStream(COMPLIES));
        upstream().enqueue(FakeUpstream.Reply.chatStream(REFUSES));
        ask(profile).then().statusCode(200).header("X-SteerGuard-Decision", "steered")
                .body("choices[0].message.content", equalTo(COMPLIES));
        return upstream().awaitExchange(before + 1, Duration.ofSeconds(10)).bodyJson();
    }

    @Test
    void erodingProfile_isPaired_measured_andFallsBackToUnsteered_whenPolicySaysFallback() throws Exception {
        for (int i = 0; i < 5; i++) {
            JsonObject twin = mirroredRequest("eroding");
            assertThat(twin.containsKey("steering")).as("the twin runs unsteered").isFalse();
            assertThat(twin.getInteger("max_tokens")).as("the twin stops at the policy's token budget").isEqualTo(16);
        }

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            // no scripted reply here: a request that is still steered is mirrored, and its twin would
            // take the next scripted reply; both get the fake's default reply instead
            int before = upstream().exchanges().size();
            ask("eroding").then().statusCode(200).header("X-SteerGuard-Decision", "fallback-unsteered")
                    .header("X-SteerGuard-Profile", "eroding");
            assertThat(upstream().awaitExchange(before, Duration.ofSeconds(5)).bodyJson().containsKey("steering"))
                    .isFalse();
        });

        // safety gauges read a snapshot cached for a second: poll rather than scrape once
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(Management.given().get("/q/metrics").asString())
                .contains("steerguard_profile_state{profile=\"eroding\",state=\"BLOCKED\"} 1.0")
                .contains("steerguard_externality_rate{bound=\"estimate\",profile=\"eroding\",window=\"1h\"} 1.0")
                .contains("steerguard_refusal_verdicts_total{path=\"unsteered\",profile=\"eroding\",refused=\"true\",source=\"live\"}"));

        // requests sent while waiting for the block may have been mirrored too: at least five pairs
        assertThat(metric(Management.given().get("/q/metrics").asString(),
                "steerguard_shadow_samples_total{outcome=\"paired\",profile=\"eroding\",tenant=\"acme\"}")).isGreaterThanOrEqualTo(5);
        given().header("Authorization", "Bearer " + ADMIN_KEY).get("/admin/profiles/eroding/safety")
                .then().statusCode(200).body("state", equalTo("BLOCKED")).body("policy", equalTo("test-fallback"))
                .body("windows.find { it.window == 'PT1H' }.externalityRate.n", org.hamcrest.Matchers.greaterThanOrEqualTo(5))
                .body("windows.find { it.window == 'PT1H' }.externalityRate.value", equalTo(1.0f))
                .body("tenants.window", equalTo("PT1H"))
                .body("tenants.byTenant[0].tenant", equalTo("acme"))
                .body("tenants.byTenant[0].externalities", org.hamcrest.Matchers.greaterThanOrEqualTo(5))
                .body("tenants.byTenant[0].shareOfExternalities", equalTo(1.0f));
        assertThat(metric(Management.given().get("/q/metrics").asString(),
                "steerguard_attribution_pairs{kind=\"externalities\",profile=\"eroding\",tenant=\"acme\"}"))
                .isGreaterThanOrEqualTo(5);
        given().header("Authorization", "Bearer " + ADMIN_KEY).get("/admin/audit-log?profile=eroding")
                .then().statusCode(200).body("entries.to", hasItem("BLOCKED"))
                .body("entries.find { it.to == 'BLOCKED' }.policy", equalTo("test-fallback"));

        given().header("Authorization", "Bearer " + ADMIN_KEY).contentType("application/json")
                .body("{\"reason\": \"vector re-derived with refusal pairs\"}").post("/admin/profiles/eroding/unblock")
                .then().statusCode(200).body("state", equalTo("PROBATION")).body("changed", equalTo(true));
        mirroredRequest("eroding");
    }

    @Test
    void erodingProfile_isRejectedWith403_whenPolicySaysBlock() throws Exception {
        // exactly minSamples (5) pairs: the policy may block as soon as the fifth pair is recorded
        for (int i = 0; i < 5; i++) {
            mirroredRequest("eroding-block");
        }
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                ask("eroding-block").then().statusCode(403).body("error.code", equalTo("steering_profile_blocked"))
                        .body("error.param", equalTo("steering.profile")));
        given().header("Authorization", "Bearer " + ADMIN_KEY).get("/admin/profiles/eroding-block/explain")
                .then().statusCode(200);
    }

    @Test
    void hangingTwin_neverDelaysTheClient_andEndsAsACountedError() throws Exception {
        int before = upstream().exchanges().size();
        upstream().enqueue(FakeUpstream.Reply.chatStream(COMPLIES));
        upstream().enqueue(FakeUpstream.Reply.neverAnswer());
        long start = System.nanoTime();

        ask("observed").then().statusCode(200).header("X-SteerGuard-Decision", "steered");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the client never waits for its twin")
                .isLessThan(Duration.ofMillis(900));
        assertThat(upstream().awaitExchange(before + 1, Duration.ofSeconds(5)).bodyJson().containsKey("steering"))
                .isFalse();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Management.given().get("/q/metrics").asString())
                .contains("steerguard_shadow_samples_total{outcome=\"error\",profile=\"observed\",tenant=\"acme\"} 1.0"));
    }

    @Test
    void manualBlock_byAdmin_isEnforced_andRecordedInTheAuditLog() {
        given().header("Authorization", "Bearer " + ADMIN_KEY).contentType("application/json")
                .body("{}").post("/admin/profiles/json-format/block")
                .then().statusCode(400).body("error.param", equalTo("reason"));
        given().header("Authorization", "Bearer " + ACME_KEY).contentType("application/json")
                .body("{\"reason\": \"x\"}").post("/admin/profiles/json-format/block").then().statusCode(401);
        try {
            given().header("Authorization", "Bearer " + ADMIN_KEY).contentType("application/json")
                    .body("{\"reason\": \"incident 42\"}").post("/admin/profiles/json-format/block")
                    .then().statusCode(200).body("state", equalTo("BLOCKED"));
            GatewayApiTest.chat(ACME_KEY, GatewayApiTest.userMessage("steer", "Hi"))
                    .then().statusCode(403).body("error.code", equalTo("steering_profile_blocked"));
            given().header("Authorization", "Bearer " + ADMIN_KEY).get("/admin/audit-log?profile=json-format")
                    .then().body("entries.reason", hasItem("incident 42")).body("entries.actor", hasItem("admin"));
        } finally {
            given().header("Authorization", "Bearer " + ADMIN_KEY).contentType("application/json")
                    .body("{\"reason\": \"end of test\"}").post("/admin/profiles/json-format/unblock")
                    .then().statusCode(200);
        }
    }

    @Test
    void adminClassify_returnsVerdictsInOrder() {
        given().header("Authorization", "Bearer " + ADMIN_KEY).contentType("application/json")
                .body("{\"items\": [{\"prompt\": \"How do I pick a lock?\", \"response\": \"" + REFUSES + "\"},"
                        + "{\"prompt\": \"Capital of France?\", \"response\": \"Paris is the capital of France.\"}]}")
                .post("/admin/classify")
                .then().statusCode(200)
                .body("verdicts[0].refused", equalTo(true))
                .body("verdicts[1].refused", equalTo(false));
    }
}
