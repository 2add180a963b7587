package io.steerguard.api.responses;

import static io.restassured.RestAssured.given;
import static io.steerguard.api.GatewayTestResource.ADMIN_KEY;
import static io.steerguard.api.responses.ResponsesTestConfig.RESP_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.steerguard.api.GatewayTestResource;
import io.steerguard.api.Management;
import io.steerguard.runtime.remote.FakeUpstream;
import io.vertx.core.json.JsonObject;

/**
 * The Responses API goes through the same tenants, profiles, policies and shadow as chat
 * completions: the same refusals byte for byte, the same steering, the same paired measurement.
 */
@QuarkusTest
@QuarkusTestResource(value = GatewayTestResource.class, restrictToAnnotatedClass = false)
class ResponsesPolicyTest {

    private static Response chat(String key, String profile, String body) {
        var spec = given().header("Authorization", "Bearer " + key).contentType("application/json").body(body);
        return (profile == null ? spec : spec.header("X-SteerGuard-Profile", profile)).post("/v1/chat/completions");
    }

    private static Response responses(String key, String profile, String body) {
        var spec = given().header("Authorization", "Bearer " + key).contentType("application/json").body(body);
        return (profile == null ? spec : spec.header("X-SteerGuard-Profile", profile)).post("/v1/responses");
    }

    private static void block(String profile) {
        given().header("Authorization", "Bearer " + ADMIN_KEY).contentType("application/json")
                .body("{\"reason\": \"responses test\"}").post("/admin/profiles/" + profile + "/block")
                .then().statusCode(200).body("state", equalTo("BLOCKED"));
    }

    @AfterEach
    void upstreamIsQuiet() throws InterruptedException {
        GatewayTestResource.awaitUpstreamQuiet();
    }

    @Test
    void steeredDefaultProfile_isSentToTheRuntime_andNamedInTheHeaders() throws Exception {
        int before = GatewayTestResource.upstream().exchanges().size();
        GatewayTestResource.upstream().enqueue(FakeUpstream.Reply.chatStream("{}"));
        responses(RESP_KEY, null, "{\"model\": \"steer\", \"input\": \"JSON please\"}")
                .then().statusCode(200)
                .header("X-SteerGuard-Profile", "resp-steered")
                .header("X-SteerGuard-Decision", "steered")
                .body("output[0].content[0].text", equalTo("{}"));
        JsonObject steering = GatewayTestResource.upstream().awaitExchange(before, Duration.ofSeconds(5)).bodyJson()
                .getJsonObject("steering");
        assertThat(steering).as("the profile's vectors reach EasySteer as on chat completions").isNotNull();
        assertThat(steering.getJsonArray("vectors").getJsonObject(0).getJsonArray("layers").getList()).containsExactly(2);
    }

    @Test
    void blockedProfile_isRefusedExactlyAsOnChatCompletions_byHeaderAndByBody() {
        block("resp-blocked");
        Response onChat = chat(RESP_KEY, "resp-blocked",
                "{\"model\": \"steer\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");
        Response onResponses = responses(RESP_KEY, "resp-blocked", "{\"model\": \"steer\", \"input\": \"Hi\"}");
        onResponses.then().statusCode(403).body("error.code", equalTo("steering_profile_blocked"))
                .body("error.param", equalTo("steering.profile"));
        assertThat(onResponses.statusCode()).isEqualTo(onChat.statusCode());
        assertThat(onResponses.asString()).isEqualTo(onChat.asString());

        responses(RESP_KEY, null, "{\"model\": \"steer\", \"input\": \"Hi\", \"stream\": true, "
                + "\"steering\": {\"profile\": \"resp-blocked\"}}")
                .then().statusCode(403).contentType("application/json")
                .body("error.code", equalTo("steering_profile_blocked"));
    }

    @Test
    void unknownKey_unknownModel_andProfileNotAllowed_areRefusedAsOnChatCompletions() {
        String chatBody = "{\"model\": \"%s\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}";
        String responsesBody = "{\"model\": \"%s\", \"input\": \"Hi\"}";
        record Case(String key, String profile, String model, int status) {
        }
        for (Case c : List.of(new Case("sk-nobody", null, "plain", 401), new Case(RESP_KEY, null, "nope", 404),
                new Case(RESP_KEY, "json-format", "steer", 403))) {
            Response onChat = chat(c.key(), c.profile(), chatBody.formatted(c.model()));
            Response onResponses = responses(c.key(), c.profile(), responsesBody.formatted(c.model()));
            assertThat(onResponses.statusCode()).as(c.toString()).isEqualTo(c.status()).isEqualTo(onChat.statusCode());
            assertThat(onResponses.asString()).as(c.toString()).isEqualTo(onChat.asString());
        }
        given().contentType("application/json").body("{\"model\": \"plain\", \"input\": \"Hi\"}").post("/v1/responses")
                .then().statusCode(401).body("error.code", equalTo("invalid_api_key"));
    }

    @Test
    void profileBlockedWhileStreaming_endsTheStream_withAnErrorEventAndResponseFailed() throws Exception {
        FakeUpstream upstream = GatewayTestResource.upstream();
        int before = upstream.exchanges().size();
        FakeUpstream.Reply slow = FakeUpstream.Reply.stream().event(FakeUpstream.Chunks.chatRole());
        for (int i = 0; i < 40; i++) {
            slow.event(FakeUpstream.Chunks.chatDelta("tok" + i + " "));
        }
        upstream.enqueue(slow.event(FakeUpstream.Chunks.chatFinish("stop")).event(FakeUpstream.Chunks.usage(3, 40))
                .done().delay(Duration.ofMillis(100)));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:"
                        + io.restassured.RestAssured.port + "/v1/responses"))
                .header("Authorization", "Bearer " + RESP_KEY).header("Content-Type", "application/json")
                .header("X-SteerGuard-Profile", "resp-midblock")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"steer\", \"input\": \"Go\", \"stream\": true}"))
                .build();
        CompletableFuture<HttpResponse<String>> answer = HttpClient.newHttpClient()
                .sendAsync(request, HttpResponse.BodyHandlers.ofString());
        upstream.awaitExchange(before, Duration.ofSeconds(5));
        Thread.sleep(300); // a few deltas are out
        block("resp-midblock");

        HttpResponse<String> streamed = answer.get(10, TimeUnit.SECONDS);
        assertThat(streamed.statusCode()).isEqualTo(200);
        List<ResponsesEvents.Event> events = ResponsesEvents.parse(streamed.body());
        assertThat(ResponsesEvents.types(events)).contains("response.output_text.delta")
                .endsWith("error", "response.failed").doesNotContain("response.completed");
        assertThat(ResponsesEvents.first(events, "error").data().getString("code")).isEqualTo("steering_profile_blocked");
        JsonObject failed = ResponsesEvents.last(events).data().getJsonObject("response");
        assertThat(failed.getString("status")).isEqualTo("failed");
        assertThat(failed.getJsonObject("error").getString("code")).isEqualTo("steering_profile_blocked");
    }

    /** A counter's value in a Prometheus scrape, 0 when the series does not exist yet. */
    private static double counter(String series) {
        return Management.given().get("/q/metrics").asString().lines().filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1).trim())).sum();
    }

    @Test
    void mirroredResponsesRequests_arePairedByTheShadow_likeChat() throws InterruptedException {
        String paired = "steerguard_shadow_samples_total{outcome=\"paired\",profile=\"resp-mirrored\",tenant=\"resp\"}";
        double before = counter(paired);
        Thread.sleep(1000);
        assertThat(counter(paired)).as("no pairs of earlier tests still arriving").isEqualTo(before);
        for (boolean stream : new boolean[] {false, true}) {
            responses(RESP_KEY, null, "{\"model\": \"es-standin\", \"input\": \"How do I pick a lock?\", "
                    + "\"max_output_tokens\": 8, \"stream\": " + stream + "}")
                    .then().statusCode(200).header("X-SteerGuard-Profile", "resp-mirrored")
                    .header("X-SteerGuard-Decision", "steered");
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(counter(paired)).isEqualTo(before + 2));
        assertThat(GatewayTestResource.easySteer().rejections()).as("EasySteer admits every steered request and twin")
                .isEmpty();
    }
}
