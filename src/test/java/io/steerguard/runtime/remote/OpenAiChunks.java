package io.steerguard.runtime.remote;

import io.vertx.core.json.JsonObject;

import java.util.List;

/** OpenAI streaming chunks shaped like vLLM's, for {@link FakeUpstream} scripts. */
public final class OpenAiChunks {

    private OpenAiChunks() {
    }

    public static String chatRole() {
        return chat(new JsonObject().put("role", "assistant").put("content", ""), null);
    }

    public static String chatDelta(String content) {
        return chat(new JsonObject().put("content", content), null);
    }

    public static String chatFinish(String reason) {
        return chat(new JsonObject(), reason);
    }

    public static String textDelta(String text) {
        return new JsonObject().put("id", "cmpl-1").put("object", "text_completion").put("model", "m")
                .put("choices", List.of(new JsonObject().put("index", 0).put("text", text)
                        .putNull("logprobs").putNull("finish_reason"))).encode();
    }

    public static String textFinish(String reason) {
        return new JsonObject().put("id", "cmpl-1").put("object", "text_completion").put("model", "m")
                .put("choices", List.of(new JsonObject().put("index", 0).put("text", "")
                        .putNull("logprobs").put("finish_reason", reason))).encode();
    }

    public static String usage(int promptTokens, int completionTokens) {
        return new JsonObject().put("id", "chatcmpl-1").put("object", "chat.completion.chunk").put("model", "m")
                .put("choices", List.of()).put("usage", new JsonObject().put("prompt_tokens", promptTokens)
                        .put("completion_tokens", completionTokens)
                        .put("total_tokens", promptTokens + completionTokens)).encode();
    }

    public static String error(String message) {
        return new JsonObject().put("error", new JsonObject().put("object", "error").put("message", message)
                .put("type", "InternalServerError").put("code", 500)).encode();
    }

    private static String chat(JsonObject delta, String finishReason) {
        JsonObject choice = new JsonObject().put("index", 0).put("delta", delta).putNull("logprobs");
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return new JsonObject().put("id", "chatcmpl-1").put("object", "chat.completion.chunk")
                .put("created", 0).put("model", "m").put("choices", List.of(choice)).encode();
    }
}
