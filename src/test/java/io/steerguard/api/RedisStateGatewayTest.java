package io.steerguard.api;

import static io.restassured.RestAssured.given;
import static io.steerguard.api.GatewayTestResource.ACME_KEY;
import static io.steerguard.api.GatewayTestResource.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.hamcrest.Matchers.hasItem;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.steerguard.policy.PolicyAction;
import io.steerguard.policy.ProfileState;
import io.steerguard.policy.ProfileStateMachine;
import io.steerguard.policy.ProfileStatus;
import io.steerguard.redis.RedisServerProcess;
import io.steerguard.redis.RedisStateStore;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

/**
 * The gateway as one replica with {@code steerguard.state.backend=redis}, and a second replica's
 * state ({@link ProfileStateMachine} + {@link RedisStateStore}, its own connections) in the test:
 * a block on either is enforced by the other within one second; Redis down → readiness DOWN, gauge
 * 0, last known states kept, transitions refused; Redis back → all of it recovers.
 */
@QuarkusTest
@TestProfile(RedisStateTestProfile.class)
@QuarkusTestResource(value = GatewayTestResource.class, restrictToAnnotatedClass = false)
class RedisStateGatewayTest {

    private static final String PROFILE = "json-format";

    private Vertx vertx;
    private RedisStateStore store;
    private ProfileStateMachine other;

    @BeforeEach
    void openOtherReplica() {
        vertx = Vertx.vertx();
        Redis client = Redis.createClient(vertx,
                new RedisOptions().setConnectionString(RedisStateTestProfile.Server.server().uri()));
        store = RedisStateStore.open(client, "steerguard", Duration.ofSeconds(1), Duration.ofMillis(200));
        other = new ProfileStateMachine(store, Clock.systemUTC());
    }

    @AfterEach
    void closeOtherReplica() {
        store.close();
        vertx.closeAndAwait();
    }

    private static int chatStatus() {
        return GatewayApiTest.chat(ACME_KEY, GatewayApiTest.userMessage("steer", "Hi")).statusCode();
    }

    private static io.restassured.response.Response admin(String action, String reason) {
        return given().header("Authorization", "Bearer " + ADMIN_KEY).contentType("application/json")
                .body("{\"reason\": \"" + reason + "\"}").post("/admin/profiles/" + PROFILE + "/" + action);
    }

    private Optional<ProfileState> otherState() {
        return other.status(PROFILE).map(ProfileStatus::state);
    }

    @Test
    void blocks_propagateBothWays_withinOneSecond() {
        assertThat(otherState()).as("the second replica loaded the gateway's registrations").isPresent();
        Management.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'redis-state' }.status", equalTo("UP"));
        assertThat(Management.given().get("/q/metrics").asString()).contains("steerguard_state_backend_up{backend=\"redis\"} 1.0");

        other.block(PROFILE, PolicyAction.BLOCK, "operator-b", "blocked on replica B");
        long start = System.nanoTime();
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() -> chatStatus() == 403);
        assertThat((System.nanoTime() - start) / 1_000_000).as("ms until the gateway enforced B's block")
                .isLessThan(1000);
        given().header("Authorization", "Bearer " + ADMIN_KEY).get("/admin/audit-log?profile=" + PROFILE)
                .then().body("entries.actor", hasItem("operator-b"));

        admin("unblock", "lifted on the gateway").then().statusCode(200);
        // PROBATION, then possibly ACTIVE at once (the gateway's evaluator judges every 200 ms): not BLOCKED.
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
                .until(() -> otherState().isPresent() && otherState().get() != ProfileState.BLOCKED);
        assertThat(chatStatus()).isEqualTo(200);
    }

    @Test
    void redisDown_readinessStaysUp_onTheLastKnownStates_gaugeZero_andRecoversWhenBack() throws Exception {
        RedisServerProcess server = RedisStateTestProfile.Server.server();
        admin("block", "before the outage").then().statusCode(200);
        try {
            server.kill();
            // A replica that has read the states keeps serving on them: a Redis restart must not take
            // every gateway out of its Service at once. The check's data says what is degraded.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> Management.given().get("/q/health/ready").then()
                    .statusCode(200).body("checks.find { it.name == 'redis-state' }.data.backend_up", equalTo(false))
                    .body("checks.find { it.name == 'redis-state' }.data.states", startsWith("last known")));
            Management.given().get("/q/health/live").then().statusCode(200);
            assertThat(Management.given().get("/q/metrics").asString())
                    .contains("steerguard_state_backend_up{backend=\"redis\"} 0.0");
            assertThat(chatStatus()).as("the last known state (BLOCKED) is kept").isEqualTo(403);
            admin("unblock", "during the outage").then() // cannot be persisted, and the API says so
                    .statusCode(503).body("error.code", equalTo("state_not_persisted"));
            assertThat(chatStatus()).as("an unpersisted unblock does not take effect").isEqualTo(403);

            server.startAgain();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> Management.given().get("/q/health/ready").then()
                    .statusCode(200).body("checks.find { it.name == 'redis-state' }.data.backend_up", equalTo(true)));
            assertThat(Management.given().get("/q/metrics").asString())
                    .contains("steerguard_state_backend_up{backend=\"redis\"} 1.0");
        } finally {
            if (!server.uriReachable()) {
                server.startAgain();
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> admin("unblock", "end of test").statusCode() == 200);
        }
        assertThat(chatStatus()).isEqualTo(200);
    }
}
