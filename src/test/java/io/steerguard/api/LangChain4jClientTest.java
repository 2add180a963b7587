package io.steerguard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.steerguard.runtime.remote.FakeUpstream;

/** The LangChain4j OpenAI client, unchanged, pointed at the gateway. */
@QuarkusTest
class LangChain4jClientTest {

    @TestHTTPResource("/v1")
    URL gateway;

    private OpenAiChatModel chatModel(String key, String model) {
        return OpenAiChatModel.builder().baseUrl(gateway.toString()).apiKey(key).modelName(model)
                .timeout(Duration.ofSeconds(10)).maxRetries(0).build();
    }

    @Test
    void chatModel_getsTheAnswer_throughTheGateway() {
        GatewayTestResource.upstream().enqueue(FakeUpstream.Reply.chatStream("Hello", " from", " upstream"));

        ChatResponse response = chatModel(GatewayTestResource.ACME_KEY, "plain").chat(
                dev.langchain4j.model.chat.request.ChatRequest.builder()
                        .messages(dev.langchain4j.data.message.UserMessage.from("Hi")).build());

        assertThat(response.aiMessage().text()).isEqualTo("Hello from upstream");
        assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(7);
        assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(3);
        assertThat(response.finishReason()).hasToString("STOP");
    }

    @Test
    void streamingChatModel_receivesEveryPartial_andTheCompleteResponse() throws Exception {
        GatewayTestResource.upstream().enqueue(FakeUpstream.Reply.chatStream("str", "eam", "ed"));
        OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder().baseUrl(gateway.toString())
                .apiKey(GatewayTestResource.ACME_KEY).modelName("plain").timeout(Duration.ofSeconds(10)).build();
        StringBuilder partials = new StringBuilder();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();

        model.chat("Hi", new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                partials.append(partial).append('|');
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

        ChatResponse response = done.get(10, TimeUnit.SECONDS);
        assertThat(partials).hasToString("str|eam|ed|");
        assertThat(response.aiMessage().text()).isEqualTo("streamed");
    }

    @Test
    void wrongKey_surfacesAsAuthenticationException() {
        assertThatThrownBy(() -> chatModel("sk-wrong", "plain").chat("Hi"))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("Incorrect API key");
    }

    @Test
    void unknownModel_surfacesAsModelNotFoundException() {
        assertThatThrownBy(() -> chatModel(GatewayTestResource.ACME_KEY, "gpt-9").chat("Hi"))
                .isInstanceOf(ModelNotFoundException.class).hasMessageContaining("gpt-9");
    }

    @Test
    void invalidParameter_surfacesAsInvalidRequestException() {
        OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(gateway.toString())
                .apiKey(GatewayTestResource.ACME_KEY).modelName("plain").temperature(3.0).maxRetries(0).build();
        assertThatThrownBy(() -> model.chat("Hi")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("temperature");
    }

    @Test
    void upstreamFailure_surfacesAsAServerSideException() {
        GatewayTestResource.upstream().enqueue(FakeUpstream.Reply.status(500, "{\"error\":{\"message\":\"boom\"}}"));
        assertThatThrownBy(() -> chatModel(GatewayTestResource.ACME_KEY, "plain").chat("Hi"))
                .isInstanceOf(InternalServerException.class).hasMessageContaining("upstream_error");
    }
}
