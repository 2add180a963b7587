package io.steerguard.api;

import static io.restassured.RestAssured.given;
import static io.steerguard.api.GatewayTestResource.TOOLS_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.steerguard.runtime.embedded.ToolCallModels;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Tool calls on the embedded runtime through the gateway: runtime {@code tiny-tools} (tiny Llama,
 * Llama 3.1-style tools template, {@code toolCallParser: llama3-json}) is made to write the JSON call
 * {@link ToolCallModels#LLAMA3_CALL} by {@code logit_bias} on the one token that spells it, at
 * temperature 0; the client must get it as OpenAI tool calls, never as content.
 */
@QuarkusTest
class EmbeddedToolCallsGatewayTest {

    private static final String TOOLS = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
            + "\"description\":\"Current weather\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}]";

    private static Response ask(boolean stream, String extra) {
        return given().header("Authorization", "Bearer " + TOOLS_KEY).contentType("application/json")
                .body("{\"model\":\"tiny-tools\",\"max_tokens\":1,\"temperature\":0,\"stream\":" + stream
                        + ",\"logit_bias\":{\"" + GatewayTestResource.toolCallToken() + "\":100}," + extra
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]}")
                .post("/v1/chat/completions");
    }

    @Test
    void aGeneratedJsonCall_isAnsweredAsMessageToolCalls_withFinishReasonToolCalls() {
        ask(false, TOOLS).then().statusCode(200)
                .body("choices[0].finish_reason", equalTo("tool_calls"))
                .body("choices[0].message.content", nullValue())
                .body("choices[0].message.tool_calls.size()", equalTo(1))
                .body("choices[0].message.tool_calls[0].id", matchesPattern("call_[A-Za-z0-9]{24}"))
                .body("choices[0].message.tool_calls[0].type", equalTo("function"))
                .body("choices[0].message.tool_calls[0].function.name", equalTo("get_weather"))
                .body("choices[0].message.tool_calls[0].function.arguments", equalTo("{\"city\":\"Paris\"}"));
    }

    @Test
    void streamed_theCallComesAsToolCallDeltas_andNeverAsContent() {
        String sse = ask(true, TOOLS).then().statusCode(200).extract().asString();
        List<JsonObject> choices = sse.lines().filter(l -> l.startsWith("data: {"))
                .map(l -> new JsonObject(l.substring(6)).getJsonArray("choices"))
                .filter(a -> !a.isEmpty()).map(a -> a.getJsonObject(0)).toList();

        assertThat(choices).allSatisfy(c -> assertThat(c.getJsonObject("delta").getString("content", "")).isEmpty());
        List<JsonArray> calls = choices.stream().map(c -> c.getJsonObject("delta").getJsonArray("tool_calls"))
                .filter(a -> a != null).toList();
        assertThat(calls).singleElement().satisfies(a -> {
            JsonObject call = a.getJsonObject(0);
            assertThat(call.getInteger("index")).isZero();
            assertThat(call.getString("id")).startsWith("call_");
            assertThat(call.getJsonObject("function").getString("name")).isEqualTo("get_weather");
            assertThat(call.getJsonObject("function").getString("arguments")).isEqualTo("{\"city\":\"Paris\"}");
        });
        assertThat(choices).filteredOn(c -> c.getString("finish_reason") != null)
                .extracting(c -> c.getString("finish_reason")).containsExactly("tool_calls");
        assertThat(sse).endsWith("data: [DONE]\n\n");
    }

    @Test
    void withToolChoiceNone_theSameGenerationIsPlainContent() {
        ask(false, TOOLS + ",\"tool_choice\":\"none\"").then().statusCode(200)
                .body("choices[0].finish_reason", equalTo("length"))
                .body("choices[0].message.content", equalTo(ToolCallModels.LLAMA3_CALL))
                .body("choices[0].message.tool_calls", nullValue());
    }

    @Test
    void aNamedToolChoice_isA400NamingTheLimitation() {
        ask(false, TOOLS + ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}")
                .then().statusCode(400).body("error.type", equalTo("invalid_request_error"))
                .body("error.message", containsString("runtime 'tiny-tools' (embedded) cannot force a call to 'get_weather'"));
    }

    @Test
    void historyWithAnAssistantCallAndAToolResult_isRenderedAndServed() {
        given().header("Authorization", "Bearer " + TOOLS_KEY).contentType("application/json")
                .body("{\"model\":\"tiny-tools\",\"max_tokens\":2,\"temperature\":0," + TOOLS + ",\"messages\":["
                        + "{\"role\":\"user\",\"content\":\"Weather in Paris?\"},"
                        + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},"
                        + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"18C\"}]}")
                .post("/v1/chat/completions").then().statusCode(200)
                .body("usage.prompt_tokens", org.hamcrest.Matchers.greaterThan(100));
    }
}
