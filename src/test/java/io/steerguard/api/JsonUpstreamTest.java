package io.steerguard.api;

import static io.restassured.RestAssured.given;
import static io.steerguard.api.GatewayTestResource.ACME_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.steerguard.runtime.remote.FakeUpstream;

/**
 * Upstreams (or proxies in front of them) that answer one whole {@code application/json}
 * completion instead of an event stream: the client gets its answer, streamed or not, over HTTP.
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
}
