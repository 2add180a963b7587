package io.steerguard.api;

import static io.restassured.RestAssured.given;
import static io.steerguard.api.GatewayTestResource.ACME_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The embedded runtime behind the gateway: a steered profile on the tiny random model is served,
 * mirrored unsteered on the same model (background priority), paired, and measured in /q/metrics.
 */
@QuarkusTest
class EmbeddedGatewayTest {

    private static String ask(boolean stream, String profile) {
        return given().header("Authorization", "Bearer " + ACME_KEY).header("X-SteerGuard-Profile", profile)
                .contentType("application/json")
                .body("{\"model\":\"tiny\",\"max_tokens\":8,\"temperature\":0,\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}]}")
                .post("/v1/chat/completions").then().statusCode(200).header("X-SteerGuard-Profile", profile)
                .extract().asString();
    }

    @Test
    void steeredEmbeddedProfile_isServed_mirrored_andPaired() {
        for (int i = 0; i < 3; i++) {
            ask(i % 2 == 0, "tiny-random");
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Management.given().get("/q/metrics").asString())
                .contains("steerguard_shadow_samples_total{outcome=\"paired\",profile=\"tiny-random\",tenant=\"acme\"} 3.0")
                .contains("steerguard_shadow_pairs{profile=\"tiny-random\",window=\"1h\"} 3.0"));
    }

    private static String greedy(String profile) {
        return given().header("Authorization", "Bearer " + ACME_KEY).header("X-SteerGuard-Profile", profile)
                .contentType("application/json")
                .body("{\"model\":\"tiny\",\"max_tokens\":8,\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}]}")
                .post("/v1/chat/completions").then().statusCode(200).extract().path("choices[0].message.content");
    }

    @Test
    void steeringChangesTheGreedyAnswer_andUnsteeredIsRepeatable() {
        String unsteered = greedy("unsteered");
        assertThat(greedy("unsteered")).isEqualTo(unsteered);
        assertThat(greedy("tiny-random")).isNotEqualTo(unsteered);
    }

    @Test
    void chatWithoutTemplate_orTextCompletion_worksOnTheEmbeddedModel() {
        given().header("Authorization", "Bearer " + ACME_KEY).contentType("application/json")
                .body("{\"model\":\"tiny\",\"prompt\":\"Once upon\",\"max_tokens\":4,\"temperature\":0}")
                .post("/v1/completions").then().statusCode(200).body("object", equalTo("text_completion"))
                .body("usage.completion_tokens", equalTo(4));
    }
}
