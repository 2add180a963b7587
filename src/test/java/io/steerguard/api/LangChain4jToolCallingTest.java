package io.steerguard.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.FinishReason;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.steerguard.runtime.remote.EasySteerStandIn;
import io.vertx.core.json.JsonObject;

/**
 * LangChain4j's OpenAI client, unchanged, calling tools through the gateway: the tool request it
 * sends passes the strict EasySteer stand-in, the streamed and unstreamed calls come back as tool
 * execution requests, and the follow-up turn with the tool's result is accepted and forwarded.
 */
@QuarkusTest
@QuarkusTestResource(value = GatewayTestResource.class, restrictToAnnotatedClass = false)
class LangChain4jToolCallingTest {

    private static final ToolSpecification WEATHER = ToolSpecification.builder().name("get_weather")
            .description("Current weather").parameters(JsonObjectSchema.builder().addStringProperty("city")
                    .required("city").build()).build();
    private static final ToolSpecification TIME = ToolSpecification.builder().name("get_time")
            .description("Local time").parameters(JsonObjectSchema.builder().addStringProperty("tz").build()).build();

    @TestHTTPResource("/v1")
    URL gateway;

    private static List<String> fixture() throws IOException {
        try (InputStream in = LangChain4jToolCallingTest.class.getResourceAsStream("/fixtures/tools/upstream-stream.jsonl")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private static void assertTheTwoCalls(AiMessage ai) {
        assertThat(ai.hasToolExecutionRequests()).isTrue();
        List<ToolExecutionRequest> calls = ai.toolExecutionRequests();
        assertThat(calls).extracting(ToolExecutionRequest::id).containsExactly("chatcmpl-tool-7f3a", "chatcmpl-tool-9b1c");
        assertThat(calls).extracting(ToolExecutionRequest::name).containsExactly("get_weather", "get_time");
        assertThat(calls).extracting(ToolExecutionRequest::arguments)
                .containsExactly("{\"city\": \"Paris\"}", "{\"tz\": \"CET\"}");
    }

    @Test
    void chatModel_getsToolExecutionRequests_andTheFollowUpTurnIsForwarded() throws Exception {
        EasySteerStandIn upstream = GatewayTestResource.easySteer();
        upstream.enqueueEvents(fixture());
        OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(gateway.toString()).apiKey(GatewayTestResource.ES_KEY)
                .modelName("es-standin").timeout(Duration.ofSeconds(10)).maxRetries(0).build();
        UserMessage question = UserMessage.from("Weather and time in Paris?");

        ChatResponse first = model.chat(ChatRequest.builder().messages(question).toolSpecifications(WEATHER, TIME).build());

        assertTheTwoCalls(first.aiMessage());
        assertThat(first.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);

        List<ToolExecutionRequest> calls = first.aiMessage().toolExecutionRequests();
        ChatResponse second = model.chat(ChatRequest.builder().messages(question, first.aiMessage(),
                ToolExecutionResultMessage.from(calls.get(0), "22C, sunny"),
                ToolExecutionResultMessage.from(calls.get(1), "14:05")).toolSpecifications(WEATHER, TIME).build());

        assertThat(second.aiMessage().text()).isNotBlank();
        assertThat(upstream.rejections()).isEmpty();
        JsonObject sent = upstream.exchanges().stream().filter(e -> e.status() == 200 && e.steered())
                .reduce((a, b) -> b).orElseThrow().body();
        assertThat(sent.getJsonArray("messages").getJsonObject(1).getJsonArray("tool_calls").getJsonObject(0)
                .getString("id")).isEqualTo("chatcmpl-tool-7f3a");
        assertThat(sent.getJsonArray("messages").getJsonObject(3).getString("tool_call_id")).isEqualTo("chatcmpl-tool-9b1c");
        assertThat(sent.getJsonArray("tools").size()).isEqualTo(2);
    }

    @Test
    void streamingChatModel_assemblesTheStreamedCalls() throws Exception {
        GatewayTestResource.easySteer().enqueueEvents(fixture());
        OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder().baseUrl(gateway.toString())
                .apiKey(GatewayTestResource.ES_KEY).modelName("es-standin").timeout(Duration.ofSeconds(10)).build();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();

        model.chat(ChatRequest.builder().messages(UserMessage.from("Weather and time in Paris?"))
                .toolSpecifications(WEATHER, TIME).build(), new StreamingChatResponseHandler() {
                    @Override
                    public void onPartialResponse(String partial) {
                    }

                    @Override
                    public void onCompleteResponse(ChatResponse response) {
                        done.complete(response);
                    }

                    @Override
                    public void onError(Throwable error) {
                        done.completeExceptionally(error);
                    }
                });

        ChatResponse response = done.get(15, TimeUnit.SECONDS);
        assertTheTwoCalls(response.aiMessage());
        assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
    }
}
