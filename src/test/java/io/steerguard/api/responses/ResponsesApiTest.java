package io.steerguard.api.responses;

import static io.restassured.RestAssured.given;
import static io.steerguard.api.responses.ResponsesTestConfig.RESP_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.steerguard.api.GatewayTestResource;
import io.steerguard.runtime.remote.FakeUpstream;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** {@code POST /v1/responses} over HTTP against the scripted OpenAI upstream: answers, streams, echoes. */
@QuarkusTest
@QuarkusTestResource(value = GatewayTestResource.class, restrictToAnnotatedClass = false)
class ResponsesApiTest {

    static FakeUpstream upstream() {
        return GatewayTestResource.upstream();
    }

    static Response responses(String key, String body) {
        return given().header("Authorization", "Bearer " + key).contentType("application/json").body(body)
                .post("/v1/responses");
    }

    @AfterEach
    void upstreamIsQuiet() throws InterruptedException {
        GatewayTestResource.awaitUpstreamQuiet();
    }

    @Test
    void stringInput_isAnsweredAsOneResponseObject_withInstructionsAsTheSystemMessage() throws Exception {
        int before = upstream().exchanges().size();
        upstream().enqueue(FakeUpstream.Reply.chatStream("Hel", "lo"));

        responses(RESP_KEY, """
                {"model": "plain", "input": "Hi", "instructions": "Be brief.", "max_output_tokens": 50,
                 "temperature": 0.5, "top_p": 0.9, "metadata": {"ticket": "T-1", "team": "search"}}""")
                .then().statusCode(200)
                .header("X-SteerGuard-Profile", "unsteered")
                .header("X-SteerGuard-Decision", "unsteered")
                .header("X-Request-Id", org.hamcrest.Matchers.notNullValue())
                .body("id", startsWith("resp_"))
                .body("object", equalTo("response"))
                .body("status", equalTo("completed"))
                .body("model", equalTo("plain"))
                .body("error", nullValue())
                .body("incomplete_details", nullValue())
                .body("instructions", equalTo("Be brief."))
                .body("max_output_tokens", equalTo(50))
                .body("temperature", equalTo(0.5f))
                .body("top_p", equalTo(0.9f))
                .body("store", equalTo(false))
                .body("tool_choice", equalTo("auto"))
                .body("tools.size()", equalTo(0))
                .body("output.size()", equalTo(1))
                .body("output[0].type", equalTo("message"))
                .body("output[0].id", startsWith("msg_"))
                .body("output[0].role", equalTo("assistant"))
                .body("output[0].status", equalTo("completed"))
                .body("output[0].content[0].type", equalTo("output_text"))
                .body("output[0].content[0].text", equalTo("Hello"))
                .body("output[0].content[0].annotations.size()", equalTo(0))
                .body("usage.input_tokens", equalTo(7))
                .body("usage.output_tokens", equalTo(2))
                .body("usage.total_tokens", equalTo(9))
                .body("metadata.ticket", equalTo("T-1"))
                .body("metadata.team", equalTo("search"));

        JsonObject sent = upstream().awaitExchange(before, Duration.ofSeconds(5)).bodyJson();
        assertThat(sent.getJsonArray("messages")).isEqualTo(new JsonArray()
                .add(new JsonObject().put("role", "system").put("content", "Be brief."))
                .add(new JsonObject().put("role", "user").put("content", "Hi")));
        assertThat(sent.getInteger("max_tokens")).as("max_output_tokens bounds the generation").isEqualTo(50);
        assertThat(sent.getDouble("temperature")).isEqualTo(0.5);
        assertThat(sent.getDouble("top_p")).isEqualTo(0.9);
    }

    @Test
    void inputItems_keepTheirRolesAndOrder_andTextPartsAreJoined() throws Exception {
        int before = upstream().exchanges().size();
        upstream().enqueue(FakeUpstream.Reply.chatStream("4"));

        responses(RESP_KEY, """
                {"model": "plain", "input": [
                  {"role": "developer", "content": "Answer with a number."},
                  {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "2+2"},
                                                                 {"type": "input_text", "text": "?"}]},
                  {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "4",
                                                                       "annotations": []}]},
                  {"role": "system", "content": "Check again."},
                  {"role": "user", "content": "Sure?"}]}""")
                .then().statusCode(200).body("output[0].content[0].text", equalTo("4"));

        JsonArray messages = upstream().awaitExchange(before, Duration.ofSeconds(5)).bodyJson().getJsonArray("messages");
        assertThat(messages.stream().map(m -> ((JsonObject) m).getString("role") + ":"
                + ((JsonObject) m).getString("content")).toList())
                .containsExactly("developer:Answer with a number.", "user:2+2?", "assistant:4", "system:Check again.",
                        "user:Sure?");
    }

    @Test
    void stream_sendsTheResponsesEventSequence_withGaplessSequenceNumbers() {
        upstream().enqueue(FakeUpstream.Reply.chatStream("Hel", "lo", " world"));

        Response r = responses(RESP_KEY, """
                {"model": "plain", "input": "Hi", "stream": true, "metadata": {"k": "v"}}""");
        r.then().statusCode(200).contentType(startsWith("text/event-stream"))
                .header("X-SteerGuard-Decision", "unsteered");
        List<ResponsesEvents.Event> events = ResponsesEvents.parse(r.asString());

        assertThat(ResponsesEvents.types(events)).containsExactly("response.created", "response.in_progress",
                "response.output_item.added", "response.content_part.added", "response.output_text.delta",
                "response.output_text.delta", "response.output_text.delta", "response.output_text.done",
                "response.content_part.done", "response.output_item.done", "response.completed");
        JsonObject created = events.get(0).data().getJsonObject("response");
        assertThat(created.getString("status")).isEqualTo("in_progress");
        assertThat(created.getJsonArray("output")).isEmpty();
        assertThat(created.getValue("usage")).isNull();
        String itemId = events.get(2).data().getJsonObject("item").getString("id");
        assertThat(events.get(2).data().getJsonObject("item").getString("status")).isEqualTo("in_progress");
        for (ResponsesEvents.Event e : events.subList(3, 9)) {
            assertThat(e.data().getString("item_id")).as(e.type()).isEqualTo(itemId);
            assertThat(e.data().getInteger("output_index")).isZero();
            assertThat(e.data().getInteger("content_index")).isZero();
        }
        assertThat(ResponsesEvents.deltas(events)).isEqualTo("Hello world");
        assertThat(events.get(7).data().getString("text")).isEqualTo("Hello world");
        assertThat(events.get(8).data().getJsonObject("part").getString("text")).isEqualTo("Hello world");
        assertThat(events.get(9).data().getJsonObject("item").getString("status")).isEqualTo("completed");

        JsonObject done = ResponsesEvents.last(events).data().getJsonObject("response");
        assertThat(done.getString("id")).isEqualTo(created.getString("id")).startsWith("resp_");
        assertThat(done.getString("status")).isEqualTo("completed");
        assertThat(done.getJsonArray("output").getJsonObject(0).getJsonArray("content").getJsonObject(0)
                .getString("text")).isEqualTo("Hello world");
        assertThat(done.getJsonObject("usage").getInteger("output_tokens")).isEqualTo(3);
        assertThat(done.getJsonObject("usage").getInteger("total_tokens")).isEqualTo(10);
        assertThat(done.getJsonObject("metadata").getString("k")).isEqualTo("v");
    }

    @Test
    void maxOutputTokensReached_isAnIncompleteResponse_withTheReason() {
        FakeUpstream.Reply cut = FakeUpstream.Reply.stream().event(FakeUpstream.Chunks.chatRole())
                .event(FakeUpstream.Chunks.chatDelta("one two"))
                .event(FakeUpstream.Chunks.chatFinish("length")).event(FakeUpstream.Chunks.usage(5, 2)).done();
        upstream().enqueue(cut);
        responses(RESP_KEY, "{\"model\": \"plain\", \"input\": \"Count\", \"max_output_tokens\": 2}")
                .then().statusCode(200)
                .body("status", equalTo("incomplete"))
                .body("incomplete_details.reason", equalTo("max_output_tokens"))
                .body("output[0].status", equalTo("incomplete"))
                .body("output[0].content[0].text", equalTo("one two"))
                .body("usage.output_tokens", equalTo(2));

        upstream().enqueue(FakeUpstream.Reply.stream().event(FakeUpstream.Chunks.chatRole())
                .event(FakeUpstream.Chunks.chatDelta("one two"))
                .event(FakeUpstream.Chunks.chatFinish("length")).event(FakeUpstream.Chunks.usage(5, 2)).done());
        List<ResponsesEvents.Event> events = ResponsesEvents.parse(responses(RESP_KEY,
                "{\"model\": \"plain\", \"input\": \"Count\", \"max_output_tokens\": 2, \"stream\": true}").asString());
        ResponsesEvents.Event last = ResponsesEvents.last(events);
        assertThat(last.type()).isEqualTo("response.incomplete");
        assertThat(last.data().getJsonObject("response").getString("status")).isEqualTo("incomplete");
        assertThat(last.data().getJsonObject("response").getJsonObject("incomplete_details").getString("reason"))
                .isEqualTo("max_output_tokens");
        assertThat(ResponsesEvents.first(events, "response.output_item.done").data().getJsonObject("item")
                .getString("status")).isEqualTo("incomplete");
    }

    @Test
    void nothingGenerated_stillStreamsAWellFormedSequence() {
        upstream().enqueue(FakeUpstream.Reply.chatStream());
        List<ResponsesEvents.Event> events = ResponsesEvents.parse(responses(RESP_KEY,
                "{\"model\": \"plain\", \"input\": \"Say nothing\", \"stream\": true}").asString());
        assertThat(ResponsesEvents.types(events)).containsExactly("response.created", "response.in_progress",
                "response.output_item.added", "response.content_part.added", "response.output_text.done",
                "response.content_part.done", "response.output_item.done", "response.completed");
        assertThat(ResponsesEvents.first(events, "response.output_text.done").data().getString("text")).isEmpty();
    }

    @Test
    void upstreamFailureBeforeAnyText_isAnOpenAiErrorStatus_notAStream() {
        upstream().enqueue(FakeUpstream.Reply.status(500, FakeUpstream.Chunks.error("boom")));
        Response r = responses(RESP_KEY, "{\"model\": \"plain\", \"input\": \"Hi\", \"stream\": true}");
        assertThat(r.statusCode()).isGreaterThanOrEqualTo(500);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.jsonPath().getString("error.message")).isNotBlank();
    }

    @Test
    void upstreamFailureMidStream_endsWithAnErrorEvent_thenResponseFailed() {
        upstream().enqueue(FakeUpstream.Reply.stream().event(FakeUpstream.Chunks.chatRole())
                .event(FakeUpstream.Chunks.chatDelta("partial")).resetAfter(2));
        Response r = responses(RESP_KEY, "{\"model\": \"plain\", \"input\": \"Hi\", \"stream\": true}");
        r.then().statusCode(200);
        List<ResponsesEvents.Event> events = ResponsesEvents.parse(r.asString());
        assertThat(ResponsesEvents.types(events)).endsWith("response.output_text.delta", "error", "response.failed");
        JsonObject error = ResponsesEvents.first(events, "error").data();
        assertThat(error.getString("message")).isNotBlank();
        JsonObject failed = ResponsesEvents.last(events).data().getJsonObject("response");
        assertThat(failed.getString("status")).isEqualTo("failed");
        assertThat(failed.getJsonObject("error").getString("message")).isEqualTo(error.getString("message"));
        assertThat(failed.getJsonArray("output").getJsonObject(0).getJsonArray("content").getJsonObject(0)
                .getString("text")).isEqualTo("partial");
    }
}
