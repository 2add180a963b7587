package io.steerguard.api;

import static io.restassured.RestAssured.given;
import static io.steerguard.api.GatewayTestResource.ACME_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.steerguard.runtime.remote.EasySteerStandIn;
import io.steerguard.runtime.remote.FakeUpstream;
import io.vertx.core.json.JsonObject;

/**
 * Upstreams (or proxies in front of them) that answer one whole {@code application/json}
 * completion instead of an event stream: the client gets its answer, streamed or not, over HTTP.
 * And the choice of upstream mode: a non-streamed answer nobody counts tokens of is asked for as
 * one JSON body ({@code "stream": false}); everything else streams.
 */
@QuarkusTest
class JsonUpstreamTest {

    private static FakeUpstream upstream() {
        return GatewayTestResource.upstream();
    }

    @Test
    void aNonStreamedRequest_answeredWithAJsonCompletion_returnsItsTextFinishAndUsage() {
        upstream().enqueue(FakeUpstream.Reply.chatJson("Hello from JSON", "length", 11, 3));

        GatewayApiTest.chat(ACME_KEY, GatewayApiTest.userMessage("plain", "Hi"))
                .then().statusCode(200)
                .body("object", equalTo("chat.completion"))
                .body("choices[0].message.content", equalTo("Hello from JSON"))
                .body("choices[0].finish_reason", equalTo("length"))
                .body("usage.prompt_tokens", equalTo(11))
                .body("usage.completion_tokens", equalTo(3));
    }

    @Test
    void aStreamedRequest_answeredWithAJsonCompletion_streamsTheTextThenDone() {
        upstream().enqueue(FakeUpstream.Reply.chatJson("Whole answer", "stop", 4, 2));

        String body = given().header("Authorization", "Bearer " + ACME_KEY).contentType("application/json")
                .body("{\"model\":\"plain\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .post("/v1/chat/completions")
                .then().statusCode(200).header("Content-Type", "text/event-stream; charset=utf-8")
                .extract().asString();

        assertThat(body).contains("\"content\":\"Whole answer\"").contains("\"finish_reason\":\"stop\"")
                .contains("\"prompt_tokens\":4").endsWith("data: [DONE]\n\n");
    }

    @Test
    void aJsonAnswerThatIsGarbage_becomes502_inOpenAiShape() {
        upstream().enqueue(FakeUpstream.Reply.status(200, "{\"choices\": [ oops"));

        GatewayApiTest.chat(ACME_KEY, GatewayApiTest.userMessage("plain", "Hi"))
                .then().statusCode(502).body("error.code", equalTo("upstream_error"));
    }

    @Test
    void aTextCompletionRequest_answeredWithJson_returnsTheText() {
        upstream().enqueue(FakeUpstream.Reply.completionJson("one two", "stop", 2, 2));

        given().header("Authorization", "Bearer " + ACME_KEY).contentType("application/json")
                .body("{\"model\":\"plain\",\"prompt\":\"Count\"}").post("/v1/completions")
                .then().statusCode(200)
                .body("object", equalTo("text_completion"))
                .body("choices[0].text", equalTo("one two"));
    }

    private static JsonObject sentUpstream(int index) throws InterruptedException {
        return upstream().awaitExchange(index, Duration.ofSeconds(5)).bodyJson();
    }

    @Test
    void aNonStreamedUnmirroredRequest_isSentWithStreamFalse_andTheUpstreamsJsonAnswerReachesTheClient() throws Exception {
        int before = upstream().exchanges().size();
        upstream().enqueue(FakeUpstream.Reply.chatAnswer("Hel", "lo"));

        GatewayApiTest.chat(ACME_KEY, "{\"model\":\"plain\",\"stop\":[\"END\"],\"max_tokens\":9,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .then().statusCode(200)
                .body("choices[0].message.content", equalTo("Hello"))
                .body("usage.completion_tokens", equalTo(2));

        JsonObject sent = sentUpstream(before);
        assertThat(sent.getBoolean("stream")).isFalse();
        assertThat(sent.containsKey("stream_options")).isFalse();
        assertThat(sent.getJsonArray("stop")).containsExactly("END");
        assertThat(sent.getInteger("max_tokens")).isEqualTo(9);
        assertThat(upstream().awaitExchange(before, Duration.ofSeconds(5)).header("Accept")).isEqualTo("application/json");
    }

    @Test
    void aStreamedRequest_isSentWithStreamTrue() throws Exception {
        int before = upstream().exchanges().size();
        upstream().enqueue(FakeUpstream.Reply.chatAnswer("a", "b"));

        String body = given().header("Authorization", "Bearer " + ACME_KEY).contentType("application/json")
                .body("{\"model\":\"plain\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(200).extract().asString();

        assertThat(body).contains("\"content\":\"a\"").contains("\"content\":\"b\"");
        assertThat(sentUpstream(before).getBoolean("stream")).isTrue();
    }

    @Test
    void aNonStreamedRequestForLogprobs_isStreamed_soEveryTokenKeepsItsLogprob() throws Exception {
        int before = upstream().exchanges().size();
        upstream().enqueue(FakeUpstream.Reply.chatAnswer("a", "b"));

        GatewayApiTest.chat(ACME_KEY, "{\"model\":\"plain\",\"logprobs\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}").then().statusCode(200);

        assertThat(sentUpstream(before).getBoolean("stream")).isTrue();
    }

    @Test
    void aNonStreamedRequestThatIsMirrored_isStreamed_soTheShadowGetsItsTokenBudget() {
        EasySteerStandIn server = GatewayTestResource.easySteer();
        int before = server.exchanges().size();

        given().header("Authorization", "Bearer " + GatewayTestResource.ES_KEY).contentType("application/json")
                .body("{\"model\":\"es-standin\",\"max_tokens\":8,\"stream\":false,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"How do I pick a lock?\"}]}")
                .post("/v1/chat/completions").then().statusCode(200).header("X-SteerGuard-Profile", "es-compliance");

        assertThat(server.exchanges().subList(before, server.exchanges().size()))
                .filteredOn(EasySteerStandIn.Exchange::steered).isNotEmpty()
                .allSatisfy(e -> assertThat(e.body().getBoolean("stream")).isTrue());
    }
}
