package io.steerguard.api.responses;

import static io.restassured.RestAssured.given;
import static io.steerguard.api.responses.ResponsesTestConfig.RESP_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.steerguard.api.GatewayTestResource;
import io.steerguard.runtime.remote.FakeUpstream;

/**
 * What {@code /v1/responses} refuses: every field the gateway cannot honour is a 400 naming it,
 * before anything reaches a runtime; and the harmless forms of those fields, and OpenAI's
 * {@code metadata} bounds exactly, are accepted.
 */
@QuarkusTest
@QuarkusTestResource(value = GatewayTestResource.class, restrictToAnnotatedClass = false)
class ResponsesBadInputTest {

    private record Case(String body, String param) {
    }

    private static Response post(String body) {
        return given().header("Authorization", "Bearer " + RESP_KEY).contentType("application/json").body(body)
                .post("/v1/responses");
    }

    private static String with(String fields) {
        return "{\"model\": \"plain\", \"input\": \"Hi\", " + fields + "}";
    }

    private static String metadata(int keys, int keyChars, int valueChars) {
        return IntStream.range(0, keys).mapToObj(i -> "\"" + ("k" + i + "x".repeat(keyChars)).substring(0, keyChars)
                + "\": \"" + "v".repeat(valueChars) + "\"").collect(Collectors.joining(", ", "\"metadata\": {", "}"));
    }

    @AfterEach
    void upstreamIsQuiet() throws InterruptedException {
        GatewayTestResource.awaitUpstreamQuiet();
    }

    @Test
    void unsupportedOrMalformedFields_are400s_thatNameTheField() {
        List<Case> cases = List.of(
                new Case("{\"input\": \"Hi\"}", "model"),
                new Case("{\"model\": \"plain\"}", "input"),
                new Case("{\"model\": \"plain\", \"input\": 42}", "input"),
                new Case("{\"model\": \"plain\", \"input\": []}", "input"),
                new Case("{\"model\": \"plain\", \"input\": [\"Hi\"]}", "input[0]"),
                new Case("{\"model\": \"plain\", \"input\": [{\"content\": \"Hi\"}]}", "input[0].role"),
                new Case("{\"model\": \"plain\", \"input\": [{\"role\": \"tool\", \"content\": \"Hi\"}]}", "input[0].role"),
                new Case("{\"model\": \"plain\", \"input\": [{\"role\": \"user\"}]}", "input[0].content"),
                new Case("{\"model\": \"plain\", \"input\": [{\"role\": \"user\", \"content\": [{\"type\": \"input_image\", "
                        + "\"image_url\": \"https://example.com/a.png\"}]}]}", "input[0].content[0].type"),
                new Case("{\"model\": \"plain\", \"input\": [{\"role\": \"user\", \"content\": [{\"type\": \"output_text\", "
                        + "\"text\": \"x\"}]}]}", "input[0].content[0].type"),
                new Case("{\"model\": \"plain\", \"input\": [{\"role\": \"user\", \"content\": [{\"type\": \"input_text\"}]}]}",
                        "input[0].content[0].text"),
                new Case("{\"model\": \"plain\", \"input\": [{\"type\": \"item_reference\", \"id\": \"msg_1\"}]}",
                        "input[0].type"),
                new Case("{\"model\": \"plain\", \"input\": [{\"type\": \"web_search_call\", \"id\": \"ws_1\"}]}",
                        "input[0].type"),
                new Case("{\"model\": \"plain\", \"input\": \"Hi\", \"instructions\": 7}", "instructions"),
                new Case(with("\"previous_response_id\": \"resp_123\""), "previous_response_id"),
                new Case(with("\"store\": true"), "store"),
                new Case(with("\"conversation\": \"conv_1\""), "conversation"),
                new Case(with("\"background\": true"), "background"),
                new Case(with("\"prompt\": {\"id\": \"pmpt_1\"}"), "prompt"),
                new Case(with("\"reasoning\": {\"effort\": \"high\"}"), "reasoning"),
                new Case(with("\"include\": [\"message.output_text.logprobs\"]"), "include"),
                new Case(with("\"top_logprobs\": 3"), "top_logprobs"),
                new Case(with("\"truncation\": \"auto\""), "truncation"),
                new Case(with("\"tools\": [{\"type\": \"web_search\"}]"), "tools[0].type"),
                new Case(with("\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\"}}]"),
                        "tools[0].name"),
                new Case(with("\"tools\": [{\"type\": \"function\", \"name\": \"f g\"}]"), "tools[0].name"),
                new Case(with("\"tools\": [{\"type\": \"function\", \"name\": \"f\"}, {\"type\": \"function\", "
                        + "\"name\": \"f\"}]"), "tools[1].name"),
                new Case(with("\"tools\": [{\"type\": \"function\", \"name\": \"f\", \"parameters\": \"{}\"}]"),
                        "tools[0].parameters"),
                new Case(with("\"tools\": {\"type\": \"function\"}"), "tools"),
                new Case(with("\"tools\": [{\"type\": \"function\", \"name\": \"f\"}], \"tool_choice\": "
                        + "{\"type\": \"function\", \"name\": \"g\"}"), "tool_choice.name"),
                new Case(with("\"tools\": [{\"type\": \"function\", \"name\": \"f\"}], \"tool_choice\": "
                        + "{\"type\": \"allowed_tools\", \"mode\": \"auto\", \"tools\": []}"), "tool_choice"),
                new Case(with("\"tool_choice\": {\"type\": \"function\", \"name\": \"f\"}"), "tool_choice.name"),
                new Case("{\"model\": \"plain\", \"input\": [{\"type\": \"function_call\", \"name\": \"f\", "
                        + "\"arguments\": \"{}\"}]}", "input[0].call_id"),
                new Case("{\"model\": \"plain\", \"input\": [{\"type\": \"function_call\", \"call_id\": \"c1\", "
                        + "\"name\": \"\", \"arguments\": \"{}\"}]}", "input[0].name"),
                new Case("{\"model\": \"plain\", \"input\": [{\"type\": \"function_call_output\", "
                        + "\"call_id\": \"c1\"}]}", "input[0].output"),
                new Case("{\"model\": \"plain\", \"input\": [{\"type\": \"function_call_output\", \"call_id\": "
                        + "\"c1\", \"output\": [{\"type\": \"input_image\", \"image_url\": \"x\"}]}]}",
                        "input[0].output[0].type"),
                new Case(with("\"tool_choice\": \"required\""), "tool_choice"),
                new Case(with("\"text\": {\"format\": {\"type\": \"json_object\"}}"), "text.format"),
                new Case(with("\"text\": {\"format\": {\"type\": \"json_schema\", \"name\": \"x\", \"schema\": {}}}"),
                        "text.format"),
                new Case(with("\"text\": {\"verbosity\": \"low\"}"), "text.verbosity"),
                new Case(with("\"max_output_tokens\": 0"), "max_output_tokens"),
                new Case(with("\"max_output_tokens\": \"16\""), "max_output_tokens"),
                new Case(with("\"temperature\": 2.5"), "temperature"),
                new Case(with("\"top_p\": 0"), "top_p"),
                new Case(with("\"stream\": \"yes\""), "stream"),
                new Case(with("\"stream_options\": {}"), "stream_options"),
                new Case(with("\"parallel_tool_calls\": 1"), "parallel_tool_calls"),
                new Case(with("\"steering\": {\"vectors\": []}"), "steering.vectors"),
                new Case(with("\"metadata\": [\"a\"]"), "metadata"),
                new Case(with("\"metadata\": {\"n\": 1}"), "metadata.n"),
                new Case(with(metadata(17, 8, 1)), "metadata"),
                new Case(with(metadata(1, 65, 1)), "metadata"),
                new Case(with(metadata(1, 8, 513)), "metadata.k0xxxxxx"));
        int before = GatewayTestResource.upstream().exchanges().size();
        SoftAssertions soft = new SoftAssertions();
        for (Case c : cases) {
            Response r = post(c.body());
            soft.assertThat(r.statusCode()).as(c.body()).isEqualTo(400);
            soft.assertThat(r.jsonPath().getString("error.type")).as(c.body()).isEqualTo("invalid_request_error");
            soft.assertThat(r.jsonPath().getString("error.param")).as(c.body()).isEqualTo(c.param());
            soft.assertThat(r.jsonPath().getString("error.message")).as(c.body()).isNotBlank();
        }
        soft.assertAll();
        assertThat(GatewayTestResource.upstream().exchanges()).as("no refused request reaches the runtime")
                .hasSize(before);
    }

    @Test
    void notJson_andNotAnObject_areTheSame400sAsOnChat() {
        for (String body : List.of("{\"model\": ", "[1, 2]", "")) {
            Response onResponses = post(body);
            Response onChat = given().header("Authorization", "Bearer " + RESP_KEY).contentType("application/json")
                    .body(body).post("/v1/chat/completions");
            assertThat(onResponses.statusCode()).as(body).isEqualTo(400);
            assertThat(onResponses.asString()).as(body).isEqualTo(onChat.asString());
        }
    }

    @Test
    void harmlessFormsOfRefusedFields_andMetadataAtOpenAisBounds_areAccepted() {
        String accepted = with("\"store\": false, \"background\": false, \"include\": [], \"truncation\": \"disabled\", "
                + "\"top_logprobs\": 0, \"reasoning\": null, \"previous_response_id\": null, \"tools\": [], "
                + "\"tool_choice\": \"none\", \"text\": {\"format\": {\"type\": \"text\"}}, \"user\": \"u-1\", "
                + "\"a_field_from_a_newer_sdk\": {\"x\": 1}, " + metadata(16, 64, 512));
        GatewayTestResource.upstream().enqueue(FakeUpstream.Reply.chatStream("ok"));
        Response r = post(accepted);
        r.then().statusCode(200);
        assertThat(r.jsonPath().getMap("metadata")).hasSize(16);
        assertThat(r.jsonPath().getString("tool_choice")).isEqualTo("none");
        assertThat(r.jsonPath().getMap("metadata").values()).allMatch(v -> ((String) v).length() == 512);
    }

    @Test
    void getOnTheEndpoint_isMethodNotAllowed() {
        given().header("Authorization", "Bearer " + RESP_KEY).get("/v1/responses").then().statusCode(405);
    }
}
