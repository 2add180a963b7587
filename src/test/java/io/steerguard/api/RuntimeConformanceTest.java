package io.steerguard.api;

import static io.restassured.RestAssured.given;
import static io.steerguard.api.GatewayTestResource.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The start-up conformance check: the EasySteer stand-in started as SteerGuard needs it passes; one
 * started with {@code --steering-config} is reported with EasySteer's own reason, in
 * {@code /admin/config} and in the metric, while readiness stays UP (the default).
 */
@QuarkusTest
@QuarkusTestResource(value = GatewayTestResource.class, restrictToAnnotatedClass = false)
class RuntimeConformanceTest {

    @Test
    void aServerWithADefaultSpec_isReportedWithTheExactReason_andAConformingOneIsOk() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().header("Authorization", "Bearer " + ADMIN_KEY)
                .get("/admin/config").then().statusCode(200)
                .body("runtimeConformance.'es-standin'.status", equalTo("ok"))
                .body("runtimeConformance.'es-default'.status", equalTo("failed")));
        given().header("Authorization", "Bearer " + ADMIN_KEY).get("/admin/config").then()
                .body("runtimeConformance.'es-default'.checks.find { it.request == 'unsteered' }.ok", equalTo(true))
                .body("runtimeConformance.'es-default'.checks.find { it.request == 'steered (es-on-default)' }.reason",
                        containsString("Per-request steering is not allowed when engine-default steering is active"
                                + " (--steering-config)"))
                .body("runtimeConformance", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("steer")));
        String metrics = Management.given().get("/q/metrics").asString();
        assertThat(metrics).contains("steerguard_runtime_conformance{runtime=\"es-default\"} 0.0")
                .contains("steerguard_runtime_conformance{runtime=\"es-standin\"} 1.0");
        Management.given().get("/q/health/ready").then().statusCode(200);
    }
}
