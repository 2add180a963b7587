package io.steerguard.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.steerguard.runtime.remote.EasySteerStandIn;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Tool calling, n and penalties through the real HTTP path to a remote EasySteer runtime, against the
 * stand-in that admits exactly what EasySteer-vllm-v1 {@code 6267ca0c} admits and streams what vLLM's
 * tool parser streams.
 */
@QuarkusTest
@QuarkusTestResource(value = GatewayTestResource.class, restrictToAnnotatedClass = false)
class GatewayToolCallingTest {

    private static final String WEATHER_TOOL = "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
            + "\"description\":\"Current weather\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":"
            + "{\"type\":\"string\"}},\"required\":[\"city\"]},\"strict\":false}}";

    private static Response chat(String body) {
        return given().header("Authorization", "Bearer " + GatewayTestResource.ES_KEY).contentType("application/json")
                .body(body).post("/v1/chat/completions");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = GatewayToolCallingTest.class.getResourceAsStream("/fixtures/tools/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<String> upstreamFixture() throws IOException {
        return resource("upstream-stream.jsonl").lines().filter(l -> !l.isBlank()).toList();
    }

    private static JsonObject lastUpstreamBody() {
        List<EasySteerStandIn.Exchange> ex = GatewayTestResource.easySteer().exchanges();
        return ex.stream().filter(e -> e.status() == 200 && e.steered()).reduce((a, b) -> b).orElseThrow().body();
    }

    @Test
    void toolCallStream_reachesTheClient_asOpenAiFramesIt_byteForByte() throws IOException {
        GatewayTestResource.easySteer().enqueueEvents(upstreamFixture());

        String sse = chat("{\"model\":\"es-standin\",\"stream\":true,\"tools\":[" + WEATHER_TOOL + "],"
                + "\"tool_choice\":\"auto\",\"parallel_tool_calls\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather and time in Paris?\"}]}")
                .then().statusCode(200).extract().asString();

        String normalised = sse.replaceAll("\"id\":\"chatcmpl-[0-9a-f]+\",\"object\"", "\"id\":\"ID\",\"object\"")
                .replaceAll("\"created\":\\d+", "\"created\":CREATED");
        assertThat(normalised).isEqualTo(resource("gateway-stream.txt"));
    }

    @Test
    void toolsAndChoice_areForwardedToTheUpstream_asTheClientSentThem() throws IOException {
        GatewayTestResource.easySteer().enqueueEvents(upstreamFixture());

        chat("{\"model\":\"es-standin\",\"tools\":[" + WEATHER_TOOL + "],\"tool_choice\":{\"type\":\"function\","
                + "\"function\":{\"name\":\"get_weather\"}},\"parallel_tool_calls\":false,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]}").then().statusCode(200);

        JsonObject sent = lastUpstreamBody();
        assertThat(sent.getJsonArray("tools")).isEqualTo(new JsonArray("[" + WEATHER_TOOL + "]"));
        assertThat(sent.getJsonObject("tool_choice")).isEqualTo(
                new JsonObject("{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}"));
        assertThat(sent.getBoolean("parallel_tool_calls")).isFalse();
        assertThat(sent.containsKey("n")).as("n = 1 is the upstream's default and not sent").isFalse();
    }

    @Test
    void nonStreamedToolCall_carriesMessageToolCalls_withNullContent_andFinishReasonToolCalls() throws IOException {
        GatewayTestResource.easySteer().enqueueEvents(upstreamFixture());

        chat("{\"model\":\"es-standin\",\"tools\":[" + WEATHER_TOOL + "],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather and time in Paris?\"}]}")
                .then().statusCode(200)
                .body("choices[0].finish_reason", equalTo("tool_calls"))
                .body("choices[0].message.content", nullValue())
                .body("choices[0].message.tool_calls.size()", equalTo(2))
                .body("choices[0].message.tool_calls[0].id", equalTo("chatcmpl-tool-7f3a"))
                .body("choices[0].message.tool_calls[0].type", equalTo("function"))
                .body("choices[0].message.tool_calls[0].function.name", equalTo("get_weather"))
                .body("choices[0].message.tool_calls[0].function.arguments", equalTo("{\"city\": \"Paris\"}"))
                .body("choices[0].message.tool_calls[1].function.name", equalTo("get_time"))
                .body("choices[0].message.tool_calls[1].function.arguments", equalTo("{\"tz\": \"CET\"}"))
                .body("usage.completion_tokens", equalTo(31));
    }

    @Test
    void toolHistory_isAccepted_andForwardedWithNullContentAndCallIds() {
        chat("{\"model\":\"es-standin\",\"tools\":[" + WEATHER_TOOL + "],\"messages\":["
                + "{\"role\":\"user\",\"content\":\"Weather in Paris?\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\": \\\"Paris\\\"}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"22C, sunny\"}]}")
                .then().statusCode(200);

        JsonArray messages = lastUpstreamBody().getJsonArray("messages");
        assertThat(messages.getJsonObject(1)).isEqualTo(new JsonObject("{\"role\":\"assistant\",\"content\":null,"
                + "\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                + "\"arguments\":\"{\\\"city\\\": \\\"Paris\\\"}\"}}]}"));
        assertThat(messages.getJsonObject(2)).isEqualTo(
                new JsonObject("{\"role\":\"tool\",\"content\":\"22C, sunny\",\"tool_call_id\":\"call_1\"}"));
        assertThat(GatewayTestResource.easySteer().rejections()).isEmpty();
    }

    @Test
    void nAndPenaltiesAndLogitBias_areForwarded_andEveryChoiceComesBack() {
        String h = "\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\"";
        GatewayTestResource.easySteer().enqueueEvents(List.of(
                "{" + h + ",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Sure\"},\"finish_reason\":null}]}",
                "{" + h + ",\"choices\":[{\"index\":1,\"delta\":{\"role\":\"assistant\",\"content\":\"No\"},\"finish_reason\":null}]}",
                "{" + h + ",\"choices\":[{\"index\":1,\"delta\":{\"content\":\" way\"},\"finish_reason\":\"stop\"}]}",
                "{" + h + ",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" thing\"},\"finish_reason\":\"length\"}]}",
                "{" + h + ",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":4,\"total_tokens\":13}}"));

        chat("{\"model\":\"es-standin\",\"n\":2,\"presence_penalty\":0.5,\"frequency_penalty\":-0.25,"
                + "\"logit_bias\":{\"50256\":-100,\"13\":2.5},\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .then().statusCode(200)
                .body("choices.size()", equalTo(2))
                .body("choices[0].index", equalTo(0)).body("choices[0].message.content", equalTo("Sure thing"))
                .body("choices[0].finish_reason", equalTo("length"))
                .body("choices[1].index", equalTo(1)).body("choices[1].message.content", equalTo("No way"))
                .body("choices[1].finish_reason", equalTo("stop"));

        JsonObject sent = lastUpstreamBody();
        assertThat(sent.getInteger("n")).isEqualTo(2);
        assertThat(sent.getDouble("presence_penalty")).isEqualTo(0.5);
        assertThat(sent.getDouble("frequency_penalty")).isEqualTo(-0.25);
        assertThat(sent.getJsonObject("logit_bias")).isEqualTo(new JsonObject("{\"13\":2.5,\"50256\":-100.0}"));
    }

    @Test
    void severalChoices_streamWithTheirOwnIndexAndFinishChunks() {
        String h = "\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\"";
        GatewayTestResource.easySteer().enqueueEvents(List.of(
                "{" + h + ",\"choices\":[{\"index\":1,\"delta\":{\"content\":\"B\"},\"finish_reason\":null}]}",
                "{" + h + ",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"A\"},\"finish_reason\":\"stop\"}]}",
                "{" + h + ",\"choices\":[{\"index\":1,\"delta\":{},\"finish_reason\":\"stop\"}]}"));

        String sse = chat("{\"model\":\"es-standin\",\"n\":2,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}").then().statusCode(200).extract().asString();

        List<JsonObject> chunks = sse.lines().filter(l -> l.startsWith("data: {"))
                .map(l -> new JsonObject(l.substring(6))).toList();
        assertThat(chunks).extracting(c -> c.getJsonArray("choices").getJsonObject(0).getInteger("index"))
                .containsExactly(1, 0, 0, 1);
        assertThat(chunks.get(0).getJsonArray("choices").getJsonObject(0).getJsonObject("delta").getString("role"))
                .as("each choice's first chunk carries the role").isEqualTo("assistant");
        assertThat(chunks.get(1).getJsonArray("choices").getJsonObject(0).getJsonObject("delta").getString("role"))
                .isEqualTo("assistant");
        assertThat(chunks).extracting(c -> c.getJsonArray("choices").getJsonObject(0).getString("finish_reason"))
                .containsExactly(null, null, "stop", "stop");
        assertThat(sse).endsWith("data: [DONE]\n\n");
    }

    @Test
    void steeredToolCall_againstTheUnsteeredTwinsRefusal_isMeasuredAsCompliance() throws Exception {
        // the stand-in's unsteered twin answers "I cannot help with that." (a refusal); the steered answer
        // opens with the same words and then calls the tool anyway: the call decides
        double before = settledSteeredCompliance();
        List<String> events = new java.util.ArrayList<>(upstreamFixture());
        events.add(1, "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":"
                + "[{\"index\":0,\"delta\":{\"content\":\"I cannot help with that. \"},\"finish_reason\":null}]}");
        GatewayTestResource.easySteer().enqueueEvents(events);
        chat("{\"model\":\"es-standin\",\"tools\":[" + WEATHER_TOOL + "],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]}").then().statusCode(200);

        await().atMost(Duration.ofSeconds(20)).until(() -> steeredCompliance() >= before + 1);
        JsonObject twin = GatewayTestResource.easySteer().exchanges().stream()
                .filter(e -> e.status() == 200 && !e.steered()).reduce((a, b) -> b).orElseThrow().body();
        assertThat(twin.getJsonArray("tools")).as("the twin is the same request unsteered, tools included")
                .isEqualTo(new JsonArray("[" + WEATHER_TOOL + "]"));
    }

    /** The count once earlier tests' shadows have stopped adding to it (no change for a second). */
    private static double settledSteeredCompliance() throws InterruptedException {
        double last = -1;
        double now = steeredCompliance();
        while (now != last) {
            last = now;
            Thread.sleep(1000);
            now = steeredCompliance();
        }
        return now;
    }

    private static double steeredCompliance() {
        String metrics = Management.given().get("/q/metrics").asString();
        return metrics.lines().filter(l -> l.startsWith("steerguard_refusal_verdicts_total{")
                        && l.contains("path=\"steered\"") && l.contains("profile=\"es-compliance\"")
                        && l.contains("refused=\"false\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
