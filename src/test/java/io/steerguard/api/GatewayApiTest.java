package io.steerguard.api;

import static io.restassured.RestAssured.given;
import static io.steerguard.api.GatewayTestResource.ACME_KEY;
import static io.steerguard.api.GatewayTestResource.GLOBEX_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.steerguard.runtime.remote.FakeUpstream;
import io.vertx.core.json.JsonObject;

/** The OpenAI surface in front of a fake upstream: success paths, profile selection, tenant isolation. */
@QuarkusTest
@QuarkusTestResource(value = GatewayTestResource.class, restrictToAnnotatedClass = false)
class GatewayApiTest {

    static FakeUpstream upstream() {
        return GatewayTestResource.upstream();
    }

    static Response chat(String key, String body) {
        return given().header("Authorization", "Bearer " + key).contentType("application/json").body(body)
                .post("/v1/chat/completions");
    }

    static String userMessage(String model, String text) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
    }

    @Test
    void chatCompletion_returnsTheUpstreamText_asOneOpenAiResponse() throws Exception {
        int before = upstream().exchanges().size();
        upstream().enqueue(FakeUpstream.Reply.chatStream("Hel", "lo"));

        chat(ACME_KEY, userMessage("plain", "Hi"))
                .then().statusCode(200)
                .header("X-SteerGuard-Profile", "unsteered")
                .header("X-SteerGuard-Decision", "unsteered")
                .body("object", equalTo("chat.completion"))
                .body("id", startsWith("chatcmpl-"))
                .body("model", equalTo("plain"))
                .body("choices[0].message.role", equalTo("assistant"))
                .body("choices[0].message.content", equalTo("Hello"))
                .body("choices[0].finish_reason", equalTo("stop"))
                .body("usage.prompt_tokens", equalTo(7))
                .body("usage.completion_tokens", equalTo(2))
                .body("usage.total_tokens", equalTo(9));

        JsonObject sent = upstream().awaitExchange(before, Duration.ofSeconds(5)).bodyJson();
        assertThat(sent.getString("model")).isEqualTo("upstream-plain");
        assertThat(sent.getJsonArray("messages").getJsonObject(0).getString("content")).isEqualTo("Hi");
        assertThat(sent.containsKey("steering")).as("plain OpenAI upstreams never see a steering field").isFalse();
    }

    @Test
    void tenantDefaultProfile_isSentToEasySteer_asTheSteeringObject() throws Exception {
        int before = upstream().exchanges().size();
        upstream().enqueue(FakeUpstream.Reply.chatStream("{}"));

        chat(ACME_KEY, userMessage("steer", "Give me JSON"))
                .then().statusCode(200)
                .header("X-SteerGuard-Profile", "json-format")
                .header("X-SteerGuard-Decision", "steered");

        JsonObject steering = upstream().awaitExchange(before, Duration.ofSeconds(5)).bodyJson()
                .getJsonObject("steering");
        JsonObject vector = steering.getJsonArray("vectors").getJsonObject(0);
        assertThat(vector.getString("source")).isEqualTo("/srv/vectors/json-format.gguf");
        assertThat(vector.getDouble("scale")).isEqualTo(4.0);
        assertThat(vector.getJsonArray("layers").getList()).containsExactly(6);
    }

    @Test
    void unsteeredProfile_selectedByHeader_sendsSteeringFalse() throws Exception {
        int before = upstream().exchanges().size();
        upstream().enqueue(FakeUpstream.Reply.chatStream("plain answer"));

        given().header("Authorization", "Bearer " + ACME_KEY).header("X-SteerGuard-Profile", "unsteered")
                .contentType("application/json").body(userMessage("steer", "Hi")).post("/v1/chat/completions")
                .then().statusCode(200)
                .header("X-SteerGuard-Profile", "unsteered")
                .header("X-SteerGuard-Decision", "unsteered");

        assertThat(upstream().awaitExchange(before, Duration.ofSeconds(5)).bodyJson().containsKey("steering"))
                .isFalse();
    }

    @Test
    void profileInBody_selectsTheProfile_likeTheHeader() throws Exception {
        int before = upstream().exchanges().size();
        upstream().enqueue(FakeUpstream.Reply.chatStream("x"));

        chat(ACME_KEY, "{\"model\":\"steer\",\"steering\":{\"profile\":\"unsteered\"},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .then().statusCode(200).header("X-SteerGuard-Profile", "unsteered");
        assertThat(upstream().awaitExchange(before, Duration.ofSeconds(5)).bodyJson().containsKey("steering"))
                .isFalse();
    }

    @Test
    void tenantA_cannotSelectTenantBsProfile() {
        given().header("Authorization", "Bearer " + ACME_KEY).header("X-SteerGuard-Profile", "compliance")
                .contentType("application/json").body(userMessage("steer", "Hi")).post("/v1/chat/completions")
                .then().statusCode(403)
                .body("error.code", equalTo("steering_profile_not_allowed"))
                .body("error.type", equalTo("permission_error"))
                .body("error.param", equalTo("steering.profile"));
    }

    @Test
    void tenantB_cannotCallAModelGrantedOnlyToTenantA() {
        chat(GLOBEX_KEY, userMessage("plain", "Hi"))
                .then().statusCode(404)
                .body("error.code", equalTo("model_not_found"))
                .body("error.message", equalTo("The model 'plain' does not exist or you do not have access to it."));
    }

    @Test
    void modelsList_showsOnlyTheCallersModels_withTheirProfiles() {
        given().header("Authorization", "Bearer " + GLOBEX_KEY).get("/v1/models")
                .then().statusCode(200)
                .body("object", equalTo("list"))
                .body("data.size()", equalTo(1))
                .body("data[0].id", equalTo("steer"))
                .body("data[0].object", equalTo("model"))
                .body("data[0].steerguard.defaultProfile", equalTo("compliance"));
    }

    @Test
    void textCompletion_returnsTextCompletionObject() throws Exception {
        int before = upstream().exchanges().size();
        upstream().enqueue(FakeUpstream.Reply.stream().event(FakeUpstream.Chunks.textDelta(" world"))
                .event(FakeUpstream.Chunks.textFinish("length")).event(FakeUpstream.Chunks.usage(2, 1)).done());

        given().header("Authorization", "Bearer " + ACME_KEY).contentType("application/json")
                .body("{\"model\":\"plain\",\"prompt\":\"Hello\",\"max_tokens\":1}").post("/v1/completions")
                .then().statusCode(200)
                .body("object", equalTo("text_completion"))
                .body("id", startsWith("cmpl-"))
                .body("choices[0].text", equalTo(" world"))
                .body("choices[0].finish_reason", equalTo("length"));
        FakeUpstream.Exchange ex = upstream().awaitExchange(before, Duration.ofSeconds(5));
        assertThat(ex.path()).endsWith("/v1/completions");
        assertThat(ex.bodyJson().getString("prompt")).isEqualTo("Hello");
        assertThat(ex.bodyJson().getInteger("max_tokens")).isEqualTo(1);
    }

    @Test
    void requestId_fromTheClient_isEchoedAndUsedInTheCompletionId() {
        upstream().enqueue(FakeUpstream.Reply.chatStream("ok"));

        given().header("Authorization", "Bearer " + ACME_KEY).header("X-Request-Id", "trace-42")
                .contentType("application/json").body(userMessage("plain", "Hi")).post("/v1/chat/completions")
                .then().statusCode(200).header("X-Request-Id", "trace-42").body("id", equalTo("chatcmpl-trace-42"));
    }
}
