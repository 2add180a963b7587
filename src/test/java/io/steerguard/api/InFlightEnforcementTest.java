package io.steerguard.api;

import static io.restassured.RestAssured.given;
import static io.steerguard.api.GatewayTestResource.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.steerguard.gateway.SafetyGovernor;
import io.steerguard.policy.PolicyAction;
import io.steerguard.runtime.remote.FakeUpstream;
import io.steerguard.tenant.ApiKeys;
import jakarta.inject.Inject;

/**
 * Issue 12 points 2 and 5 against a slow scripted upstream: what happens to a steered answer that
 * is still streaming when its profile is blocked, or when its client hangs up.
 */
@QuarkusTest
class InFlightEnforcementTest {

    static final String KEY = "sk-inflight-test-key";
    private static final String REFUSES = "I'm sorry, but I can't help with that request.";

    @Inject
    SafetyGovernor governor;

    private static boolean added;

    /**
     * Profiles of this class only (tenant {@code inflight}), added to the shared gateway by a reload.
     * Before each test rather than before all: RestAssured points at the test port only then.
     */
    @BeforeEach
    void addProfiles() throws IOException {
        if (added) {
            return;
        }
        added = true;
        Files.writeString(file(), """
                apiVersion: steerguard.io/v1
                kind: SteeringProfile
                metadata: {name: inflight-block}
                spec:
                  runtime: steer
                  vectors: [{file: /srv/vectors/inflight.gguf, layers: [4], coefficient: 2.0}]
                ---
                apiVersion: steerguard.io/v1
                kind: SteeringProfile
                metadata: {name: inflight-fallback}
                spec:
                  runtime: steer
                  vectors: [{file: /srv/vectors/inflight.gguf, layers: [4], coefficient: 3.0}]
                ---
                apiVersion: steerguard.io/v1
                kind: SteeringProfile
                metadata: {name: inflight-sampled}
                spec:
                  runtime: steer
                  vectors: [{file: /srv/vectors/inflight.gguf, layers: [4], coefficient: 5.0}]
                ---
                apiVersion: steerguard.io/v1
                kind: GuardrailPolicy
                metadata: {name: test-inflight-sampled}
                spec:
                  selector: {profiles: [inflight-sampled]}
                  shadow: {sampleRate: 1.0, probationSampleRate: 1.0, maxTokens: 3}
                  limits: {maxExternalityRate: 1.0}
                  action: alert
                ---
                apiVersion: steerguard.io/v1
                kind: Tenant
                metadata: {name: inflight}
                spec:
                  apiKeys: [{sha256: %s}]
                  models:
                    steer: {defaultProfile: inflight-block, allowedProfiles: [inflight-fallback, inflight-sampled]}
                """.formatted(ApiKeys.sha256Hex(KEY)));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().header("Authorization", "Bearer " + KEY).get("/v1/models").then().statusCode(200));
    }

    /** The next reload drops them again. */
    @AfterAll
    static void removeProfiles() throws IOException {
        Files.deleteIfExists(file());
    }

    private static Path file() {
        return GatewayTestResource.configDir().resolve("zz-inflight.yaml");
    }

    /** Replies of this class's requests must not be left for another test. */
    @AfterEach
    void upstreamIsQuiet() throws InterruptedException {
        GatewayTestResource.awaitUpstreamQuiet();
    }

    private static FakeUpstream upstream() {
        return GatewayTestResource.upstream();
    }

    /** Twenty slow pieces: four seconds of streaming. */
    private static FakeUpstream.Reply slowStream(int pieces, Duration between) {
        String[] p = new String[pieces];
        java.util.Arrays.fill(p, "word ");
        return FakeUpstream.Reply.chatStream(p).delay(between);
    }

    /** A streamed request on a raw socket, read up to its first content event. */
    private static Socket streamUntilFirstChunk(String profile) throws IOException {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        String body = "{\"model\":\"steer\",\"stream\":true,\"steering\":{\"profile\":\"" + profile + "\"},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me how\"}]}";
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + KEY
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
        out.flush();
        String head = ShadowIntegrityTest.readUntil(socket.getInputStream(), "\"content\":\"word");
        assertThat(head).startsWith("HTTP/1.1 200").contains("X-SteerGuard-Decision: steered");
        return socket;
    }

    /** The rest of a chunked response, up to its last chunk (or the connection's end). */
    private static String readToEnd(InputStream in) throws IOException {
        return ShadowIntegrityTest.readUntil(in, "\r\n0\r\n\r\n");
    }

    private static void adminBlock(String profile) {
        given().header("Authorization", "Bearer " + ADMIN_KEY).contentType("application/json")
                .body("{\"reason\": \"in-flight test\"}").post("/admin/profiles/" + profile + "/block")
                .then().statusCode(200).body("state", equalTo("BLOCKED"));
    }

    private static void adminUnblock(String profile) {
        given().header("Authorization", "Bearer " + ADMIN_KEY).contentType("application/json")
                .body("{\"reason\": \"end of test\"}").post("/admin/profiles/" + profile + "/unblock");
    }

    @Test
    void blockDuringARunningStream_endsItWithSteeringProfileBlocked_withinOneSecond() throws Exception {
        int before = upstream().exchanges().size();
        upstream().enqueue(slowStream(20, Duration.ofMillis(200)));
        try (Socket socket = streamUntilFirstChunk("inflight-block")) {
            adminBlock("inflight-block");
            long blocked = System.nanoTime();

            String rest = readToEnd(socket.getInputStream());

            assertThat(Duration.ofNanos(System.nanoTime() - blocked)).as("the block reached the running stream")
                    .isLessThan(Duration.ofSeconds(1));
            assertThat(rest).contains("data: {\"error\":").contains("\"code\":\"steering_profile_blocked\"")
                    .doesNotContain("[DONE]");
            assertThat(upstream().awaitExchange(before, Duration.ofSeconds(5)).awaitClientClose(Duration.ofSeconds(2)))
                    .as("the steered generation is cancelled upstream").isTrue();
        } finally {
            adminUnblock("inflight-block");
        }
    }

    @Test
    void fallbackDuringARunningStream_endsItTheSameWay_andNewRequestsFallBack() throws Exception {
        upstream().enqueue(slowStream(20, Duration.ofMillis(200)));
        try (Socket socket = streamUntilFirstChunk("inflight-fallback")) {
            governor.machine().block("inflight-fallback", PolicyAction.FALLBACK_UNSTEERED, "policy", "in-flight test");
            long blocked = System.nanoTime();

            String rest = readToEnd(socket.getInputStream());

            assertThat(Duration.ofNanos(System.nanoTime() - blocked)).isLessThan(Duration.ofSeconds(1));
            assertThat(rest).contains("\"code\":\"steering_profile_blocked\"").doesNotContain("[DONE]");
            given().header("Authorization", "Bearer " + KEY).header("X-SteerGuard-Profile", "inflight-fallback")
                    .contentType("application/json").body(GatewayApiTest.userMessage("steer", "Hi"))
                    .post("/v1/chat/completions").then().statusCode(200)
                    .header("X-SteerGuard-Decision", "fallback-unsteered");
        } finally {
            adminUnblock("inflight-fallback");
        }
    }

    @Test
    void blockDuringANonStreamedAnswer_answers403SteeringProfileBlocked_withinOneSecond() throws Exception {
        int before = upstream().exchanges().size();
        upstream().enqueue(slowStream(20, Duration.ofMillis(200)));
        CompletableFuture<Response> answer = CompletableFuture.supplyAsync(() -> given()
                .header("Authorization", "Bearer " + KEY).contentType("application/json")
                .body(GatewayApiTest.userMessage("steer", "Tell me how")).post("/v1/chat/completions"));
        try {
            upstream().awaitExchange(before, Duration.ofSeconds(5));
            adminBlock("inflight-block");
            long blocked = System.nanoTime();

            Response response = answer.get(5, java.util.concurrent.TimeUnit.SECONDS);

            assertThat(Duration.ofNanos(System.nanoTime() - blocked)).isLessThan(Duration.ofSeconds(1));
            response.then().statusCode(403).body("error.code", equalTo("steering_profile_blocked"))
                    .body("error.param", equalTo("steering.profile"));
        } finally {
            adminUnblock("inflight-block");
        }
    }

    @Test
    void sampledStreamWhoseClientHangsUp_runsOnToTheShadowBudget_andIsPaired() throws Exception {
        int before = upstream().exchanges().size();
        upstream().enqueue(slowStream(10, Duration.ofMillis(150)));
        upstream().enqueue(FakeUpstream.Reply.chatStream(REFUSES));
        try (Socket socket = streamUntilFirstChunk("inflight-sampled")) {
            socket.setSoLinger(true, 0);
        }

        FakeUpstream.Exchange primary = upstream().awaitExchange(before, Duration.ofSeconds(5));
        FakeUpstream.Exchange twin = upstream().awaitExchange(before + 1, Duration.ofSeconds(10));
        assertThat(twin.bodyJson().containsKey("steering")).as("the unsteered twin ran: no steering field, as EasySteer requires").isFalse();
        assertThat(primary.awaitClientClose(Duration.ofSeconds(5))).as("the primary stops at the budget").isTrue();
        assertThat(primary.serverEnded()).as("3 of 10 pieces were enough: the rest was never generated").isFalse();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Management.given().get("/q/metrics").asString())
                .contains("steerguard_shadow_samples_total{outcome=\"paired\",profile=\"inflight-sampled\","
                        + "tenant=\"inflight\"} 1.0")
                .contains("steerguard_shadow_paired_after_disconnect_total{profile=\"inflight-sampled\","
                        + "tenant=\"inflight\"} 1.0"));
    }

    @Test
    void unsampledSteeredStreamWhoseClientHangsUp_cancelsItsGenerationAtOnce() throws Exception {
        int before = upstream().exchanges().size();
        upstream().enqueue(slowStream(10, Duration.ofMillis(300)));
        try (Socket socket = streamUntilFirstChunk("inflight-block")) {
            socket.setSoLinger(true, 0);
        }
        FakeUpstream.Exchange primary = upstream().awaitExchange(before, Duration.ofSeconds(5));
        assertThat(primary.awaitClientClose(Duration.ofMillis(1000))).as("cancelled within a second").isTrue();
        assertThat(primary.serverEnded()).isFalse();
        assertThat(upstream().exchanges()).as("no twin").hasSize(before + 1);
    }
}
