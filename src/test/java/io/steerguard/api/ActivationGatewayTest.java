package io.steerguard.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.steerguard.classifier.ActivationRefusalScorer;
import io.steerguard.gateway.GatewayState;
import io.steerguard.gateway.GatewayStateManager;
import io.steerguard.runtime.ChatMessage;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.GenerationRequest;
import io.steerguard.runtime.Introspection;
import io.steerguard.runtime.ModelRuntime;
import io.steerguard.runtime.Priority;
import io.steerguard.runtime.Prompt;
import io.steerguard.runtime.SamplingParams;
import io.steerguard.runtime.SteeringSpec;
import jakarta.inject.Inject;

/**
 * The activation tier behind the gateway: a sampled request on an embedded runtime whose model
 * folder holds a refusal direction gets activation readings for both sides of its pair, equal to
 * {@link ActivationRefusalScorer} applied by hand to the same generations' captures.
 */
@QuarkusTest
class ActivationGatewayTest {

    private static final String PROMPT = "Hello there";

    @Inject
    GatewayStateManager states;

    private static String ask(String profile) {
        return given().header("Authorization", "Bearer " + ActivationTestModel.LAB_KEY)
                .header("X-SteerGuard-Profile", profile).contentType("application/json")
                .body("{\"model\":\"tiny-act\",\"max_tokens\":8,\"temperature\":0,\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"" + PROMPT + "\"}]}")
                .post("/v1/chat/completions").then().statusCode(200).header("X-SteerGuard-Profile", profile)
                .extract().path("choices[0].message.content");
    }

    /** The greedy answer straight from the runtime, without introspection. */
    private String plainAnswer(SteeringSpec steering) {
        ModelRuntime runtime = states.current().runtime("tiny-act").orElseThrow();
        return runtime.generate(GenerationRequest.of("plain", Prompt.chat(List.of(ChatMessage.user(PROMPT))),
                        SamplingParams.greedy(8), steering)).collect().asList().await().atMost(Duration.ofSeconds(30))
                .stream().filter(e -> e instanceof GenerationEvent.Token).map(e -> ((GenerationEvent.Token) e).text())
                .collect(java.util.stream.Collectors.joining());
    }

    /** The capture of the same prompt with the given steering, straight from the runtime. */
    private GenerationEvent.Captured capture(SteeringSpec steering) {
        ModelRuntime runtime = states.current().runtime("tiny-act").orElseThrow();
        GenerationRequest request = new GenerationRequest("by-hand", Prompt.chat(List.of(ChatMessage.user(PROMPT))),
                SamplingParams.greedy(1), steering,
                new Introspection(List.of(ActivationTestModel.EXPECTED_LAYER), true), Priority.BACKGROUND);
        return runtime.generate(request).collect().asList().await().atMost(Duration.ofSeconds(30)).stream()
                .filter(e -> e instanceof GenerationEvent.Captured).map(e -> (GenerationEvent.Captured) e)
                .findFirst().orElseThrow();
    }

    private static double pRef(GenerationEvent.Captured c) {
        return ActivationRefusalScorer.refusalProbability(ActivationRefusalScorer.firstTokenRefusalLogOdds(
                c.firstTokenLogProbs(), ActivationTestModel.REFUSAL_IDS));
    }

    private static double projection(GenerationEvent.Captured c) {
        return ActivationRefusalScorer.projection(c.residuals().get(ActivationTestModel.EXPECTED_LAYER),
                ActivationTestModel.DIRECTIONS.get(ActivationTestModel.EXPECTED_LAYER));
    }

    private static String series(String name, String path, String profile) {
        return name + "{path=\"" + path + "\",profile=\"" + profile + "\"}";
    }

    @Test
    void sampledEmbeddedRequest_recordsActivationScores_forBothSides_matchingTheScorerByHand() {
        ask("tiny-act-quiet");
        String answer = ask("tiny-act-steered");
        String profile = "tiny-act-steered";
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(Management.given().get("/q/metrics").asString())
                .contains(series("steerguard_activation_refusal_score_count", "steered", profile) + " 1.0")
                .contains(series("steerguard_activation_refusal_score_count", "unsteered", profile) + " 1.0"));
        String scrape = Management.given().get("/q/metrics").asString();

        GatewayState state = states.current();
        GenerationEvent.Captured steered = capture(state.steering(profile));
        GenerationEvent.Captured unsteered = capture(SteeringSpec.none());
        assertThat(ShadowPolicyTest.metric(scrape, series("steerguard_activation_refusal_score_sum", "steered", profile)))
                .isCloseTo(pRef(steered), within(1e-9));
        assertThat(ShadowPolicyTest.metric(scrape, series("steerguard_activation_refusal_score_sum", "unsteered", profile)))
                .isCloseTo(pRef(unsteered), within(1e-9));
        // the tier keeps r̂ in float32 (RefusalDirection.unit); by hand it is normalised in double
        assertThat(ShadowPolicyTest.metric(scrape, series("steerguard_activation_projection", "steered", profile)))
                .as("projected at the file's middle layer, after steering").isCloseTo(projection(steered), within(1e-5));
        assertThat(ShadowPolicyTest.metric(scrape, series("steerguard_activation_projection", "unsteered", profile)))
                .isCloseTo(projection(unsteered), within(1e-5));
        assertThat(projection(steered)).isNotCloseTo(projection(unsteered), within(1e-3));

        assertThat(answer).as("the introspected primary sends the client the tokens an uninspected run gives")
                .isEqualTo(plainAnswer(state.steering(profile)));
        assertThat(scrape).as("an unsampled profile is never introspected or mirrored")
                .doesNotContainPattern("steerguard_activation_[a-z_]*\\{[^}]*tiny-act-quiet")
                .doesNotContainPattern("steerguard_shadow_samples_total\\{[^}]*tiny-act-quiet");
    }
}
