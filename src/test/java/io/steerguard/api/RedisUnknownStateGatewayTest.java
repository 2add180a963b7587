package io.steerguard.api;

import static io.restassured.RestAssured.given;
import static io.steerguard.api.GatewayTestResource.ACME_KEY;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A replica that starts while Redis is unreachable has never read the profile states: any profile
 * might be BLOCKED elsewhere. It fails closed for steering (steered profiles are served unsteered)
 * and its readiness is DOWN, so the orchestrator keeps traffic on replicas that know. (The same
 * request on a replica that knows its states is steered: {@code EmbeddedGatewayTest}.)
 */
@QuarkusTest
@TestProfile(RedisUnknownStateGatewayTest.RedisNeverReachable.class)
@QuarkusTestResource(value = GatewayTestResource.class, restrictToAnnotatedClass = false)
class RedisUnknownStateGatewayTest {

    /** The Redis backend pointed at a loopback port where nothing listens. */
    public static class RedisNeverReachable implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("steerguard.state.backend", "redis", "quarkus.redis.hosts", "redis://127.0.0.1:" + port,
                    "steerguard.state.redis-timeout", "300ms", "steerguard.state.redis-reconnect-interval", "200ms");
        }
    }

    @Test
    void steeredProfile_isServedUnsteered_andReadinessIsDown_whileTheStatesWereNeverRead() {
        given().header("Authorization", "Bearer " + ACME_KEY).header("X-SteerGuard-Profile", "tiny-random")
                .contentType("application/json")
                .body("{\"model\":\"tiny\",\"max_tokens\":4,\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(200)
                .header(GenerationHandler.DECISION_HEADER, "fallback-unsteered");
        Management.given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'redis-state' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'redis-state' }.data.states", startsWith("unknown"));
        Management.given().get("/q/health/live").then().statusCode(200);
    }
}
