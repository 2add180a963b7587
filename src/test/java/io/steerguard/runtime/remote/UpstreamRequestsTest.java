package io.steerguard.runtime.remote;

import io.steerguard.steering.easysteer.EasySteerRequests;
import com.fasterxml.jackson.core.JsonFactory;
import io.steerguard.runtime.ChatMessage;
import io.steerguard.runtime.GenerationRequest;
import io.steerguard.runtime.Introspection;
import io.steerguard.runtime.Priority;
import io.steerguard.runtime.Prompt;
import io.steerguard.runtime.RuntimeFault;
import io.steerguard.runtime.SamplingParams;
import io.steerguard.runtime.SteeringOperator;
import io.steerguard.runtime.SteeringPositions;
import io.steerguard.runtime.SteeringSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class UpstreamRequestsTest {

    private static final JsonFactory JSON = new JsonFactory();
    private static final RemoteRuntimeOptions OPENAI =
            RemoteRuntimeOptions.of("plain", RemoteRuntimeOptions.Flavor.OPENAI, "http://127.0.0.1:9/v1", "up-model");
    private static final RemoteRuntimeOptions EASYSTEER =
            RemoteRuntimeOptions.of("steer", RemoteRuntimeOptions.Flavor.EASYSTEER, "http://127.0.0.1:9/v1", "qwen");

    static SteeringSpec.Entry entry(String source, List<Integer> layers, double c, SteeringOperator op,
                                    SteeringPositions positions, boolean normalize) {
        return new SteeringSpec.Entry(source, layers, Map.of(), c, op, 0, positions, normalize);
    }

    @Test
    void chatPrompt_goesToChatCompletions_withMessagesAndStreamingUsage() throws Exception {
        GenerationRequest req = GenerationRequest.of("r1",
                Prompt.chat(List.of(ChatMessage.system("be brief"), ChatMessage.user("hi"))),
                new SamplingParams(32, 0.7, 0.9, 0, 42L, List.of("\n\n", "END"), false), SteeringSpec.none());
        JsonObject body = body(OPENAI, req);
        assertThat(UpstreamRequests.endpoint(req.prompt())).isEqualTo("/chat/completions");
        assertThat(body.getString("model")).isEqualTo("up-model");
        assertThat(body.getJsonArray("messages")).isEqualTo(new JsonArray()
                .add(new JsonObject().put("role", "system").put("content", "be brief"))
                .add(new JsonObject().put("role", "user").put("content", "hi")));
        assertThat(body.getInteger("max_tokens")).isEqualTo(32);
        assertThat(body.getDouble("temperature")).isEqualTo(0.7);
        assertThat(body.getDouble("top_p")).isEqualTo(0.9);
        assertThat(body.getLong("seed")).isEqualTo(42L);
        assertThat(body.getJsonArray("stop")).containsExactly("\n\n", "END");
        assertThat(body.getBoolean("stream")).isTrue();
        assertThat(body.getJsonObject("stream_options")).isEqualTo(new JsonObject().put("include_usage", true));
        assertThat(body.fieldNames()).doesNotContain("top_k", "logprobs", "steering", "prompt");
    }

    @Test
    void aWholeAnswerRequest_asksForStreamFalse_withoutStreamOptions_butKeepsStopAndMaxTokens() throws Exception {
        GenerationRequest req = GenerationRequest.of("r1", Prompt.chat(List.of(ChatMessage.user("hi"))),
                new SamplingParams(32, 0, 1, 0, null, List.of("END"), false), SteeringSpec.none())
                .withDelivery(io.steerguard.runtime.Delivery.WHOLE);
        JsonObject body = body(OPENAI, req);
        assertThat(body.getBoolean("stream")).isFalse();
        assertThat(body.fieldNames()).doesNotContain("stream_options");
        assertThat(body.getJsonArray("stop")).containsExactly("END");
        assertThat(body.getInteger("max_tokens")).isEqualTo(32);
    }

    @Test
    void textPrompt_goesToCompletions_withTopKAndNumericLogprobs() throws Exception {
        GenerationRequest req = GenerationRequest.of("r2", Prompt.text("Once upon"),
                new SamplingParams(8, 1.0, 1.0, 40, null, List.of(), true), SteeringSpec.none());
        JsonObject body = body(OPENAI, req);
        assertThat(UpstreamRequests.endpoint(req.prompt())).isEqualTo("/completions");
        assertThat(body.getString("prompt")).isEqualTo("Once upon");
        assertThat(body.getInteger("top_k")).isEqualTo(40);
        assertThat(body.getInteger("logprobs")).isEqualTo(1);
        assertThat(body.fieldNames()).doesNotContain("seed", "stop", "messages");
    }

    @Test
    void chatLogprobs_areSpelledAsABoolean() throws Exception {
        GenerationRequest req = GenerationRequest.of("r", Prompt.chat(List.of(ChatMessage.user("x"))),
                new SamplingParams(8, 0, 1, 0, null, List.of(), true), SteeringSpec.none());
        assertThat(body(OPENAI, req).getBoolean("logprobs")).isTrue();
    }

    @Test
    void tokenPrompt_isSentAsATokenArrayToCompletions() throws Exception {
        GenerationRequest req = GenerationRequest.of("r3", new Prompt.Tokens(new int[]{1, 15043, 29892}),
                SamplingParams.greedy(4), SteeringSpec.none());
        assertThat(UpstreamRequests.endpoint(req.prompt())).isEqualTo("/completions");
        assertThat(body(OPENAI, req).getJsonArray("prompt")).containsExactly(1, 15043, 29892);
    }

    @Test
    void easysteerUnsteered_omitsSteering_becauseEasySteerRejectsFalse() throws Exception {
        JsonObject body = body(EASYSTEER, chat(SteeringSpec.none()));
        assertThat(body.containsKey("steering")).isFalse();
    }

    @Test
    void easysteerSteered_sendsOneVectorPerEntry_withDirectEraseAndApplyMapping() throws Exception {
        SteeringSpec spec = new SteeringSpec(List.of(
                entry("/vectors/json.gguf", List.of(3, 5), 4.0, SteeringOperator.ADD, SteeringPositions.ALL, false),
                entry("/vectors/refusal.gguf", List.of(0), 0.0, SteeringOperator.ABLATE,
                        new SteeringPositions(SteeringPositions.Mode.PROMPT, 0), true),
                entry("/vectors/c.GGUF", List.of(7), -1.5, SteeringOperator.ADD,
                        new SteeringPositions(SteeringPositions.Mode.GENERATED, 0), false),
                entry("/vectors/gate.gguf", List.of(12), 2.0, SteeringOperator.ADD, SteeringPositions.firstK(4), false)));
        JsonObject steering = body(EASYSTEER, chat(spec)).getJsonObject("steering");
        assertThat(steering.getString("conflict")).isEqualTo("sequential");
        JsonArray vectors = steering.getJsonArray("vectors");
        assertThat(vectors).hasSize(4);
        assertThat(vectors.getJsonObject(0)).isEqualTo(new JsonObject()
                .put("source", "/vectors/json.gguf").put("algorithm", "direct").put("scale", 4.0)
                .put("layers", new JsonArray().add(3).add(5)).put("normalize", false)
                .put("apply", new JsonObject().put("prompt", "all").put("generation", "all")));
        assertThat(vectors.getJsonObject(1)).isEqualTo(new JsonObject()
                .put("source", "/vectors/refusal.gguf").put("algorithm", "erase").put("scale", 1.0)
                .put("layers", new JsonArray().add(0)).put("normalize", true)
                .put("apply", new JsonObject().put("prompt", "all")));
        assertThat(vectors.getJsonObject(2).getDouble("scale")).isEqualTo(-1.5);
        assertThat(vectors.getJsonObject(2).getJsonObject("apply")).isEqualTo(new JsonObject().put("generation", "all"));
        assertThat(vectors.getJsonObject(3).getJsonObject("apply"))
                .isEqualTo(new JsonObject().put("generation_window", new JsonArray().add(0).add(4)));
    }

    @Test
    void validate_rejectsProjectToInlineAndNonGgufSources_andAcceptsTheRest() {
        assertThat(EasySteerRequests.validate(entry("/v/a.gguf", List.of(1), 1, SteeringOperator.PROJECT_TO,
                SteeringPositions.ALL, false))).get().asString().contains("project-to");
        assertThat(EasySteerRequests.validate(SteeringSpec.Entry.add(Map.of(2, new float[]{1, 0}), 1.0)))
                .get().asString().contains("inline");
        assertThat(EasySteerRequests.validate(entry("/v/a.safetensors", List.of(1), 1, SteeringOperator.ADD,
                SteeringPositions.ALL, false))).get().asString().contains("not a .gguf");
        for (SteeringPositions.Mode mode : SteeringPositions.Mode.values()) {
            SteeringPositions positions = new SteeringPositions(mode, 3);
            assertThat(EasySteerRequests.validate(entry("/v/a.gguf", List.of(0, 1), 2, SteeringOperator.ADD,
                    positions, false))).as("positions %s", mode).isEmpty();
        }
        assertThat(EasySteerRequests.validate(entry("/v/a.gguf", List.of(4), 0, SteeringOperator.ABLATE,
                SteeringPositions.ALL, false))).isEmpty();
    }

    @Test
    void validateSpec_namesTheOffendingEntry() {
        SteeringSpec spec = new SteeringSpec(List.of(
                entry("/v/ok.gguf", List.of(1), 1, SteeringOperator.ADD, SteeringPositions.ALL, false),
                entry("/v/bad.gguf", List.of(1), 1, SteeringOperator.PROJECT_TO, SteeringPositions.ALL, false)));
        assertThat(EasySteerRequests.validate(spec)).get().asString().startsWith("steering entry 1 (/v/bad.gguf)");
    }

    @Test
    void openaiRuntime_rejectsAnySteering_asUnsupported() {
        SteeringSpec spec = SteeringSpec.of(entry("/v/a.gguf", List.of(1), 1, SteeringOperator.ADD,
                SteeringPositions.ALL, false));
        assertThat(UpstreamRequests.reject(OPENAI, chat(spec))).get()
                .extracting(RuntimeFault::kind).isEqualTo(RuntimeFault.Kind.UNSUPPORTED);
        assertThat(UpstreamRequests.reject(OPENAI, chat(SteeringSpec.none()))).isEmpty();
        assertThat(UpstreamRequests.reject(EASYSTEER, chat(spec))).isEmpty();
    }

    @Test
    void introspection_isUnsupportedOnEveryRemoteRuntime() {
        GenerationRequest req = new GenerationRequest("r", Prompt.text("x"), SamplingParams.greedy(1),
                SteeringSpec.none(), new Introspection(List.of(3), false), Priority.BACKGROUND);
        assertThat(UpstreamRequests.reject(EASYSTEER, req)).get()
                .extracting(RuntimeFault::kind).isEqualTo(RuntimeFault.Kind.UNSUPPORTED);
    }

    static GenerationRequest chat(SteeringSpec spec) {
        return GenerationRequest.of("r", Prompt.chat(List.of(ChatMessage.user("hello"))), SamplingParams.greedy(16), spec);
    }

    private static JsonObject body(RemoteRuntimeOptions options, GenerationRequest req) throws Exception {
        return new JsonObject(UpstreamRequests.body(JSON, options, req));
    }
}
