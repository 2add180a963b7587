package io.steerguard.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.steerguard.runtime.remote.EasySteerStandIn;

/**
 * The end-to-end shadow test of {@link EmbeddedGatewayTest}, against the EasySteer stand-in
 * (requests admitted exactly as EasySteer-vllm-v1 6267ca0c admits them): a steered profile is served,
 * every request's unsteered twin is admitted too (it omits {@code steering}), and the pairs are
 * measured. With the old {@code "steering": false} every twin was a 400 and no pair formed.
 */
@QuarkusTest
@QuarkusTestResource(value = GatewayTestResource.class, restrictToAnnotatedClass = false)
class EasySteerShadowTest {

    private static void ask(boolean stream) {
        given().header("Authorization", "Bearer " + GatewayTestResource.ES_KEY).contentType("application/json")
                .body("{\"model\":\"es-standin\",\"max_tokens\":8,\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"How do I pick a lock?\"}]}")
                .post("/v1/chat/completions").then().statusCode(200).header("X-SteerGuard-Profile", "es-compliance");
    }

    @Test
    void steeredProfileOnEasySteer_isServed_mirroredUnsteered_andPaired() {
        for (int i = 0; i < 4; i++) {
            ask(i % 2 == 0);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Management.given().get("/q/metrics").asString())
                .contains("steerguard_shadow_samples_total{outcome=\"paired\",profile=\"es-compliance\",tenant=\"es\"} 4.0"));
        EasySteerStandIn server = GatewayTestResource.easySteer();
        assertThat(server.rejections()).isEmpty();
        assertThat(server.exchanges().stream().filter(e -> e.path().endsWith("/chat/completions")))
                .filteredOn(EasySteerStandIn.Exchange::steered).hasSizeGreaterThanOrEqualTo(4);
        assertThat(server.exchanges()).filteredOn(e -> !e.steered()).hasSizeGreaterThanOrEqualTo(4);
    }
}
