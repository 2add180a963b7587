package io.steerguard.api.responses;

import static io.steerguard.api.responses.ResponsesTestConfig.RESP_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.PermissionDeniedException;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.Response;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseStreamEvent;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.steerguard.api.GatewayTestResource;
import io.steerguard.runtime.remote.FakeUpstream;

/**
 * The official OpenAI Java SDK (com.openai:openai-java), unchanged, against {@code /v1/responses}:
 * with response validation on, every object must carry each field the SDK's schema requires, and
 * the SDK's own accumulator must rebuild the streamed response from the events.
 */
@QuarkusTest
@QuarkusTestResource(value = GatewayTestResource.class, restrictToAnnotatedClass = false)
class OpenAiJavaSdkTest {

    private OpenAIClient client;

    @BeforeEach
    void client() {
        client = OpenAIOkHttpClient.builder().baseUrl("http://localhost:" + RestAssured.port + "/v1").apiKey(RESP_KEY)
                .responseValidation(true).maxRetries(0).build();
    }

    @AfterEach
    void close() throws InterruptedException {
        client.close();
        GatewayTestResource.awaitUpstreamQuiet();
    }

    private static ResponseCreateParams.Builder ask(String input) {
        return ResponseCreateParams.builder().model("plain").input(input).instructions("Be brief.")
                .maxOutputTokens(64L).metadata(ResponseCreateParams.Metadata.builder()
                        .putAdditionalProperty("ticket", JsonValue.from("T-9")).build());
    }

    @Test
    void create_returnsAResponseTheSdkValidates() {
        GatewayTestResource.upstream().enqueue(FakeUpstream.Reply.chatStream("Hello", " there"));
        Response response = client.responses().create(ask("Hi").build());

        response.validate();
        assertThat(response.id()).startsWith("resp_");
        assertThat(response.status()).hasValue(com.openai.models.responses.ResponseStatus.COMPLETED);
        assertThat(response.output()).hasSize(1);
        assertThat(response.output().get(0).asMessage().content().get(0).asOutputText().text()).isEqualTo("Hello there");
        assertThat(response.usage().orElseThrow().outputTokens()).isEqualTo(2);
        assertThat(response.usage().orElseThrow().totalTokens()).isEqualTo(9);
        assertThat(response.metadata().orElseThrow()._additionalProperties().get("ticket"))
                .isEqualTo(JsonValue.from("T-9"));
        assertThat(response.instructions().orElseThrow().asString()).isEqualTo("Be brief.");
    }

    @Test
    void createStreaming_isAccumulatedByTheSdk_intoTheSameResponse() {
        GatewayTestResource.upstream().enqueue(FakeUpstream.Reply.chatStream("Hel", "lo", " world"));
        ResponseAccumulator accumulator = ResponseAccumulator.create();
        List<String> deltas = new ArrayList<>();
        try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(ask("Hi").build())) {
            stream.stream().map(accumulator::accumulate).forEach(event -> {
                event.validate();
                event.outputTextDelta().ifPresent(d -> deltas.add(d.delta()));
            });
        }
        Response response = accumulator.response();
        response.validate();
        assertThat(deltas).containsExactly("Hel", "lo", " world");
        assertThat(response.output().get(0).asMessage().content().get(0).asOutputText().text()).isEqualTo("Hello world");
        assertThat(response.usage().orElseThrow().outputTokens()).isEqualTo(3);
    }

    private static ResponseCreateParams toolRequest() {
        FunctionTool weather = FunctionTool.builder().name("get_weather").description("Current weather").strict(false)
                .parameters(FunctionTool.Parameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .build()).build();
        FunctionTool time = FunctionTool.builder().name("get_time").strict(false)
                .parameters(FunctionTool.Parameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object")).build()).build();
        return ResponseCreateParams.builder().model("es-standin").input("Weather and time in Paris?")
                .addTool(weather).addTool(time).build();
    }

    @Test
    void functionCalls_reachTheSdk_asFunctionCallItems_createdAndStreamed() throws Exception {
        GatewayTestResource.easySteer().enqueueEvents(ResponsesToolsTest.twoCalls());
        Response created = client.responses().create(toolRequest());
        created.validate();

        GatewayTestResource.easySteer().enqueueEvents(ResponsesToolsTest.twoCalls());
        ResponseAccumulator accumulator = ResponseAccumulator.create();
        try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(toolRequest())) {
            stream.stream().forEach(event -> accumulator.accumulate(event).validate());
        }
        Response streamed = accumulator.response();
        streamed.validate();

        for (Response response : List.of(created, streamed)) {
            List<ResponseFunctionToolCall> calls = response.output().stream().filter(o -> o.isFunctionCall())
                    .map(o -> o.asFunctionCall()).toList();
            assertThat(calls).extracting(ResponseFunctionToolCall::name).containsExactly("get_weather", "get_time");
            assertThat(calls).extracting(ResponseFunctionToolCall::callId)
                    .containsExactly("chatcmpl-tool-7f3a", "chatcmpl-tool-9b1c");
            assertThat(calls).extracting(ResponseFunctionToolCall::arguments)
                    .containsExactly("{\"city\": \"Paris\"}", "{\"tz\": \"CET\"}");
        }
    }

    @Test
    void refusals_reachTheSdk_asItsTypedErrors() {
        assertThatThrownBy(() -> client.responses().create(ask("Hi").store(true).build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("store");
        OpenAIClient wrongProfile = client.withOptions(o -> o.putHeader("X-SteerGuard-Profile", "json-format"));
        assertThatThrownBy(() -> wrongProfile.responses().create(ask("Hi").model("steer").build()))
                .isInstanceOf(PermissionDeniedException.class);
    }
}
