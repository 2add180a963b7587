package io.steerguard.api;

import static io.restassured.RestAssured.given;
import static io.steerguard.api.GatewayTestResource.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.arc.ClientProxy;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.steerguard.gateway.SafetyGovernor;
import jakarta.inject.Inject;

/**
 * Admin reads while policy evaluation is stuck: the test holds the governor's lock, as an
 * evaluation does across a slow fsync or a Redis round trip, and checks that the evaluator thread
 * is really waiting for it. Every admin read must still answer at once.
 */
@QuarkusTest
class AdminReadsTest {

    private static final String POLICY_THREAD = "steerguard-policy";

    @Inject
    SafetyGovernor governor;

    /** Whether a policy-evaluation thread is blocked waiting for {@code lock}'s monitor. */
    private static boolean evaluatorWaitsFor(Object lock) {
        for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
            if (t != null && POLICY_THREAD.equals(t.getThreadName()) && t.getThreadState() == Thread.State.BLOCKED
                    && t.getLockInfo() != null && t.getLockInfo().getIdentityHashCode() == System.identityHashCode(lock)) {
                return true;
            }
        }
        return false;
    }

    private static final List<String> READS = List.of("/admin/profiles", "/admin/profiles/json-format/safety",
            "/admin/profiles/json-format/explain", "/admin/profiles/json-format/audit",
            "/admin/audit-log?limit=5&profile=json-format", "/admin/config", "/admin/rollouts");

    @Test
    void adminReads_answerAtOnce_whileAnEvaluationHoldsTheGovernorLock() throws Exception {
        // warm the client and every path first: a JVM's first REST Assured call alone can take seconds
        for (String path : READS) {
            given().header("Authorization", "Bearer " + ADMIN_KEY).get(path).then().statusCode(200);
        }
        Object lock = ClientProxy.unwrap(governor);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            synchronized (lock) {
                held.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "stuck-evaluation");
        holder.start();
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
        RestAssuredConfig fiveSeconds = RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.socket.timeout", 5_000).setParam("http.connection.timeout", 5_000));
        try {
            // the evaluator runs every 200 ms in tests: it is now queued behind the "slow write"
            await().atMost(Duration.ofSeconds(10)).until(() -> evaluatorWaitsFor(lock));
            for (String path : READS) {
                long t0 = System.nanoTime();
                given().config(fiveSeconds).header("Authorization", "Bearer " + ADMIN_KEY).get(path)
                        .then().statusCode(200);
                assertThat((System.nanoTime() - t0) / 1_000_000).as("ms for GET %s", path).isLessThan(2_000);
            }
            assertThat(evaluatorWaitsFor(lock)).as("the evaluation was still stuck throughout").isTrue();
        } finally {
            release.countDown();
            holder.join(10_000);
        }
    }
}
