package io.steerguard.api.responses;

import static io.restassured.RestAssured.given;
import static io.steerguard.api.responses.ResponsesTestConfig.RESP_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.steerguard.api.GatewayTestResource;
import io.steerguard.runtime.remote.EasySteerStandIn;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Function calling on {@code /v1/responses}, through the remote EasySteer runtime to the stand-in
 * that streams what vLLM's tool parser streams: Responses' flat tools reach the upstream in chat's
 * nested shape, function_call / function_call_output items become chat's tool history, and the
 * upstream's tool-call deltas come back as function_call output items.
 */
@QuarkusTest
@QuarkusTestResource(value = GatewayTestResource.class, restrictToAnnotatedClass = false)
class ResponsesToolsTest {

    static final String WEATHER = "{\"type\": \"function\", \"name\": \"get_weather\", \"description\": \"Current weather\", "
            + "\"parameters\": {\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"}}, "
            + "\"required\": [\"city\"]}, \"strict\": false}";
    static final String TIME = "{\"type\": \"function\", \"name\": \"get_time\", \"parameters\": {\"type\": \"object\"}}";

    /** The stand-in's scripted stream: calls get_weather {"city": "Paris"} and get_time {"tz": "CET"}. */
    static List<String> twoCalls() throws IOException {
        try (InputStream in = ResponsesToolsTest.class.getResourceAsStream("/fixtures/tools/upstream-stream.jsonl")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private static Response responses(String body) {
        return given().header("Authorization", "Bearer " + RESP_KEY).contentType("application/json").body(body)
                .post("/v1/responses");
    }

    private static JsonObject lastSteeredUpstreamBody() {
        return GatewayTestResource.easySteer().exchanges().stream().filter(e -> e.status() == 200 && e.steered())
                .reduce((a, b) -> b).map(EasySteerStandIn.Exchange::body).orElseThrow();
    }

    @Test
    void flatFunctionTools_reachTheUpstreamInChatsShape_withChoiceAndParallelFlag() throws IOException {
        GatewayTestResource.easySteer().enqueueEvents(twoCalls());
        responses("{\"model\": \"es-standin\", \"input\": \"Weather in Paris?\", \"tools\": [" + WEATHER + ", " + TIME
                + "], \"tool_choice\": {\"type\": \"function\", \"name\": \"get_weather\"}, \"parallel_tool_calls\": false}")
                .then().statusCode(200).body("tool_choice.name", equalTo("get_weather"))
                .body("parallel_tool_calls", equalTo(false)).body("tools[0].name", equalTo("get_weather"));

        JsonObject sent = lastSteeredUpstreamBody();
        assertThat(sent.getJsonArray("tools")).isEqualTo(new JsonArray("[{\"type\":\"function\",\"function\":{"
                + "\"name\":\"get_weather\",\"description\":\"Current weather\",\"parameters\":{\"type\":\"object\","
                + "\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]},\"strict\":false}},"
                + "{\"type\":\"function\",\"function\":{\"name\":\"get_time\",\"parameters\":{\"type\":\"object\"}}}]"));
        assertThat(sent.getJsonObject("tool_choice"))
                .isEqualTo(new JsonObject("{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}"));
        assertThat(sent.getBoolean("parallel_tool_calls")).isFalse();
        assertThat(GatewayTestResource.easySteer().rejections()).isEmpty();
    }

    @Test
    void toolCalls_areFunctionCallOutputItems_inTheResponseObject() throws IOException {
        GatewayTestResource.easySteer().enqueueEvents(twoCalls());
        responses("{\"model\": \"es-standin\", \"input\": \"Weather and time in Paris?\", \"tools\": [" + WEATHER + ", "
                + TIME + "]}")
                .then().statusCode(200)
                .body("status", equalTo("completed"))
                .body("incomplete_details", org.hamcrest.Matchers.nullValue())
                .body("output.size()", equalTo(2))
                .body("output[0].type", equalTo("function_call"))
                .body("output[0].status", equalTo("completed"))
                .body("output[0].call_id", equalTo("chatcmpl-tool-7f3a"))
                .body("output[0].name", equalTo("get_weather"))
                .body("output[0].arguments", equalTo("{\"city\": \"Paris\"}"))
                .body("output[1].type", equalTo("function_call"))
                .body("output[1].call_id", equalTo("chatcmpl-tool-9b1c"))
                .body("output[1].name", equalTo("get_time"))
                .body("output[1].arguments", equalTo("{\"tz\": \"CET\"}"))
                .body("usage.output_tokens", equalTo(31));
    }

    @Test
    void streamedToolCalls_openFillAndCloseOneFunctionCallItemEach() throws IOException {
        GatewayTestResource.easySteer().enqueueEvents(twoCalls());
        Response r = responses("{\"model\": \"es-standin\", \"input\": \"Weather and time in Paris?\", \"stream\": true, "
                + "\"tools\": [" + WEATHER + ", " + TIME + "]}");
        r.then().statusCode(200);
        List<ResponsesEvents.Event> events = ResponsesEvents.parse(r.asString());

        assertThat(ResponsesEvents.types(events)).containsExactly("response.created", "response.in_progress",
                "response.output_item.added", "response.function_call_arguments.delta",
                "response.function_call_arguments.delta", "response.function_call_arguments.done",
                "response.output_item.done",
                "response.output_item.added", "response.function_call_arguments.delta",
                "response.function_call_arguments.done", "response.output_item.done", "response.completed");
        JsonObject added = events.get(2).data();
        assertThat(added.getInteger("output_index")).isZero();
        assertThat(added.getJsonObject("item").getString("type")).isEqualTo("function_call");
        assertThat(added.getJsonObject("item").getString("name")).isEqualTo("get_weather");
        assertThat(added.getJsonObject("item").getString("call_id")).isEqualTo("chatcmpl-tool-7f3a");
        assertThat(added.getJsonObject("item").getString("arguments")).isEmpty();
        String itemId = added.getJsonObject("item").getString("id");
        assertThat(events.get(3).data().getString("item_id")).isEqualTo(itemId);
        assertThat(events.get(3).data().getString("delta") + events.get(4).data().getString("delta"))
                .isEqualTo("{\"city\": \"Paris\"}");
        assertThat(events.get(5).data().getString("arguments")).isEqualTo("{\"city\": \"Paris\"}");
        assertThat(events.get(5).data().getString("name")).isEqualTo("get_weather");
        assertThat(events.get(7).data().getInteger("output_index")).isEqualTo(1);
        assertThat(events.get(7).data().getJsonObject("item").getString("id")).isNotEqualTo(itemId);

        JsonObject done = ResponsesEvents.last(events).data().getJsonObject("response");
        assertThat(done.getString("status")).isEqualTo("completed");
        assertThat(done.getJsonArray("output").stream().map(o -> ((JsonObject) o).getString("name")).toList())
                .containsExactly("get_weather", "get_time");
        assertThat(done.getJsonArray("output").getJsonObject(1).getString("arguments")).isEqualTo("{\"tz\": \"CET\"}");
    }

    /** The fixture with some text before the calls, as models that explain themselves send it. */
    private static List<String> textThenCalls() throws IOException {
        List<String> events = new java.util.ArrayList<>(twoCalls());
        events.add(1, "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":"
                + "[{\"index\":0,\"delta\":{\"content\":\"Let me check.\"},\"finish_reason\":null}]}");
        return events;
    }

    @Test
    void textBeforeTheCalls_isAMessageItemClosedBeforeTheFirstCallOpens() throws IOException {
        GatewayTestResource.easySteer().enqueueEvents(textThenCalls());
        List<ResponsesEvents.Event> events = ResponsesEvents.parse(responses("{\"model\": \"es-standin\", "
                + "\"input\": \"Weather?\", \"stream\": true, \"tools\": [" + WEATHER + ", " + TIME + "]}").asString());
        List<String> types = ResponsesEvents.types(events);
        assertThat(types.subList(0, 9)).containsExactly("response.created", "response.in_progress",
                "response.output_item.added", "response.content_part.added", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.output_item.added");
        assertThat(events.get(7).data().getJsonObject("item").getString("type")).isEqualTo("message");
        assertThat(events.get(7).data().getJsonObject("item").getString("status")).isEqualTo("completed");
        assertThat(events.get(8).data().getInteger("output_index")).isEqualTo(1);
        JsonArray output = ResponsesEvents.last(events).data().getJsonObject("response").getJsonArray("output");
        assertThat(output.stream().map(o -> ((JsonObject) o).getString("type")).toList())
                .containsExactly("message", "function_call", "function_call");

        GatewayTestResource.easySteer().enqueueEvents(textThenCalls());
        responses("{\"model\": \"es-standin\", \"input\": \"Weather?\", \"tools\": [" + WEATHER + ", " + TIME + "]}")
                .then().statusCode(200)
                .body("output.type", org.hamcrest.Matchers.contains("message", "function_call", "function_call"))
                .body("output[0].content[0].text", equalTo("Let me check."))
                .body("output[2].name", equalTo("get_time"));
    }

    @Test
    void functionCallItemsAndOutputs_becomeChatToolHistory() {
        responses("{\"model\": \"es-standin\", \"tools\": [" + WEATHER + "], \"input\": ["
                + "{\"role\": \"user\", \"content\": \"Weather in Paris and Rome?\"},"
                + "{\"type\": \"function_call\", \"call_id\": \"call_1\", \"name\": \"get_weather\", "
                + "\"arguments\": \"{\\\"city\\\": \\\"Paris\\\"}\", \"id\": \"fc_1\", \"status\": \"completed\"},"
                + "{\"type\": \"function_call\", \"call_id\": \"call_2\", \"name\": \"get_weather\", "
                + "\"arguments\": \"{\\\"city\\\": \\\"Rome\\\"}\"},"
                + "{\"type\": \"function_call_output\", \"call_id\": \"call_1\", \"output\": \"22C, sunny\"},"
                + "{\"type\": \"function_call_output\", \"call_id\": \"call_2\", "
                + "\"output\": [{\"type\": \"input_text\", \"text\": \"18C, rain\"}]}]}")
                .then().statusCode(200);

        JsonArray messages = lastSteeredUpstreamBody().getJsonArray("messages");
        assertThat(messages.size()).isEqualTo(4);
        assertThat(messages.getJsonObject(1)).isEqualTo(new JsonObject("{\"role\":\"assistant\",\"content\":null,"
                + "\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                + "\"arguments\":\"{\\\"city\\\": \\\"Paris\\\"}\"}},{\"id\":\"call_2\",\"type\":\"function\","
                + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\": \\\"Rome\\\"}\"}}]}"));
        assertThat(messages.getJsonObject(2)).isEqualTo(
                new JsonObject("{\"role\":\"tool\",\"content\":\"22C, sunny\",\"tool_call_id\":\"call_1\"}"));
        assertThat(messages.getJsonObject(3)).isEqualTo(
                new JsonObject("{\"role\":\"tool\",\"content\":\"18C, rain\",\"tool_call_id\":\"call_2\"}"));
        assertThat(GatewayTestResource.easySteer().rejections()).isEmpty();
    }
}
