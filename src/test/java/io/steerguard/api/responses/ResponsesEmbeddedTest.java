package io.steerguard.api.responses;

import static io.restassured.RestAssured.given;
import static io.steerguard.api.responses.ResponsesTestConfig.RESP_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.steerguard.api.GatewayTestResource;
import io.vertx.core.json.JsonObject;

/**
 * {@code /v1/responses} on the embedded runtime ({@code models/tiny-random}, steered by its profile):
 * greedy decoding makes the streamed and the non-streamed answer the same text, and the token
 * budget is the client's {@code max_output_tokens}.
 */
@QuarkusTest
@QuarkusTestResource(value = GatewayTestResource.class, restrictToAnnotatedClass = false)
class ResponsesEmbeddedTest {

    private static Response responses(String body) {
        return given().header("Authorization", "Bearer " + RESP_KEY).contentType("application/json").body(body)
                .post("/v1/responses");
    }

    @Test
    void embeddedRuntime_answersTheSameText_streamedAndNot_withinMaxOutputTokens() {
        String ask = "{\"model\": \"tiny\", \"input\": \"Hello there\", \"instructions\": \"Be kind.\", "
                + "\"temperature\": 0, \"max_output_tokens\": 6";
        Response whole = responses(ask + "}");
        whole.then().statusCode(200).header("X-SteerGuard-Profile", "tiny-random")
                .header("X-SteerGuard-Decision", "steered");
        JsonObject answer = new JsonObject(whole.asString());
        int outputTokens = answer.getJsonObject("usage").getInteger("output_tokens");
        assertThat(outputTokens).isBetween(1, 6);
        assertThat(answer.getJsonObject("usage").getInteger("input_tokens")).isPositive();
        if (outputTokens == 6) {
            assertThat(answer.getString("status")).isEqualTo("incomplete");
            assertThat(answer.getJsonObject("incomplete_details").getString("reason")).isEqualTo("max_output_tokens");
        }
        String text = answer.getJsonArray("output").getJsonObject(0).getJsonArray("content").getJsonObject(0)
                .getString("text");

        List<ResponsesEvents.Event> events = ResponsesEvents.parse(responses(ask + ", \"stream\": true}").asString());
        assertThat(ResponsesEvents.deltas(events)).isEqualTo(text);
        JsonObject last = ResponsesEvents.last(events).data().getJsonObject("response");
        assertThat(last.getString("status")).isEqualTo(answer.getString("status"));
        assertThat(last.getJsonObject("usage").getInteger("output_tokens")).isEqualTo(outputTokens);
    }

    @Test
    void toolsOnTheEmbeddedRuntime_areAnsweredAsOnChatCompletions() {
        Response onResponses = responses("{\"model\": \"tiny\", \"input\": \"Weather?\", \"tools\": ["
                + ResponsesToolsTest.WEATHER + "]}");
        Response onChat = given().header("Authorization", "Bearer " + RESP_KEY).contentType("application/json")
                .body("{\"model\": \"tiny\", \"messages\": [{\"role\": \"user\", \"content\": \"Weather?\"}], "
                        + "\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"get_weather\", "
                        + "\"parameters\": {\"type\": \"object\"}}}]}")
                .post("/v1/chat/completions");
        assertThat(onResponses.statusCode()).isEqualTo(onChat.statusCode());
        if (onChat.statusCode() != 200) {
            assertThat(onResponses.jsonPath().getString("error.code")).isEqualTo(onChat.jsonPath().getString("error.code"));
            assertThat(onResponses.jsonPath().getString("error.message"))
                    .isEqualTo(onChat.jsonPath().getString("error.message"));
        }
    }
}
