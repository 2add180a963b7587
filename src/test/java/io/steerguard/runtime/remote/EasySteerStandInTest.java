package io.steerguard.runtime.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.steerguard.runtime.ChatMessage;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.GenerationRequest;
import io.steerguard.runtime.Prompt;
import io.steerguard.runtime.SamplingParams;
import io.steerguard.runtime.SteeringOperator;
import io.steerguard.runtime.SteeringPositions;
import io.steerguard.runtime.SteeringSpec;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The stand-in EasySteer server agrees with EasySteer's real request model on the shared cases
 * ({@code scripts/check-easysteer-fixtures.py} checks the same file against the real pydantic model),
 * and the gateway's {@code easysteer} runtime passes it: steered and unsteered, every position mode
 * and both operators. Against a server started with {@code --steering-config} the steered request
 * fails with EasySteer's own reason.
 */
class EasySteerStandInTest {

    private static final Path FIXTURES = Path.of("src/test/resources/testdata/easysteer");
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void theStandIn_admitsAndRejects_exactlyTheCasesEasySteersModelDoes() throws Exception {
        List<String> lines = Files.readAllLines(FIXTURES.resolve("steering-cases.jsonl"));
        assertThat(lines).hasSizeGreaterThan(40);
        for (String line : lines) {
            JsonObject c = new JsonObject(line);
            JsonObject body = new JsonObject().put("model", "m");
            if (c.containsKey("steering")) {
                body.put("steering", c.getValue("steering"));
            }
            assertThat(EasySteerStandIn.admit(body, new EasySteerStandIn.Flags(java.util.Set.of("all"), true, false)))
                    .as(c.getString("case")).satisfies(error -> assertThat(error == null).isEqualTo(c.getBoolean("admitted")));
        }
    }

    @Test
    void everyRewrittenDocumentationExample_isAValidEasySteerRequest() throws Exception {
        JsonArray examples = new JsonArray(Files.readString(FIXTURES.resolve("runtime-mode-examples.json")));
        for (Object o : examples) {
            JsonObject example = (JsonObject) o;
            assertThat(EasySteerStandIn.admit(example.getJsonObject("body"), EasySteerStandIn.Flags.recommended()))
                    .as(example.getString("name")).isNull();
        }
    }

    @Test
    void steeringFalse_theOldUnsteeredBody_isRejectedWithPydanticsMessage() {
        assertThat(EasySteerStandIn.admit(new JsonObject().put("steering", false), EasySteerStandIn.Flags.recommended()))
                .contains("Input should be a valid dictionary or instance of SteeringSpec");
    }

    private static GenerationRequest chat(SteeringSpec steering) {
        return GenerationRequest.of("es-1", Prompt.chat(List.of(ChatMessage.user("Say hello"))),
                SamplingParams.greedy(8), steering);
    }

    private static List<GenerationEvent> run(RemoteRuntime runtime, SteeringSpec steering) {
        return runtime.generate(chat(steering)).subscribe().withSubscriber(AssertSubscriber.<GenerationEvent>create(Long.MAX_VALUE))
                .awaitCompletion(WAIT).getItems();
    }

    private static SteeringSpec.Entry entry(String source, List<Integer> layers, double c, SteeringOperator op,
                                            SteeringPositions positions) {
        return new SteeringSpec.Entry(source, layers, java.util.Map.of(), c, op, 0, positions, false);
    }

    @Test
    void theGatewaysEasySteerRuntime_passesTheStandIn_steeredAndUnsteered() throws Exception {
        try (EasySteerStandIn server = EasySteerStandIn.start(EasySteerStandIn.Flags.recommended(),
                b -> b.containsKey("steering") ? "Sure thing" : "I cannot help");
             RemoteRuntime runtime = new RemoteRuntime(vertx, RemoteRuntimeOptions.of("es", RemoteRuntimeOptions.Flavor.EASYSTEER,
                     server.baseUrl(), "up"))) {
            assertThat(run(runtime, SteeringSpec.none())).last().isInstanceOf(GenerationEvent.Finished.class);
            SteeringSpec every = new SteeringSpec(List.of(
                    entry("/srv/a.gguf", List.of(0, 3), 4.0, SteeringOperator.ADD, SteeringPositions.ALL),
                    entry("/srv/b.gguf", List.of(1), 1.0, SteeringOperator.ABLATE,
                            new SteeringPositions(SteeringPositions.Mode.PROMPT, 0)),
                    entry("/srv/c.gguf", List.of(2), -2.0, SteeringOperator.ADD,
                            new SteeringPositions(SteeringPositions.Mode.GENERATED, 0)),
                    entry("/srv/d.gguf", List.of(5), 2.0, SteeringOperator.ADD, SteeringPositions.firstK(4))));
            List<GenerationEvent> steered = run(runtime, every);
            assertThat(steered).filteredOn(e -> e instanceof GenerationEvent.Token).isNotEmpty();
            assertThat(server.rejections()).isEmpty();
            assertThat(server.exchanges()).hasSize(2);
            assertThat(server.exchanges().get(0).body().containsKey("steering")).isFalse();
        }
    }

    @Test
    void aServerWithADefaultSpec_rejectsEverySteeredRequest_withEasySteersReason() throws Exception {
        try (EasySteerStandIn server = EasySteerStandIn.start(EasySteerStandIn.Flags.withServerDefault(), b -> "ok");
             RemoteRuntime runtime = new RemoteRuntime(vertx, RemoteRuntimeOptions.of("es", RemoteRuntimeOptions.Flavor.EASYSTEER,
                     server.baseUrl(), "up"))) {
            run(runtime, SteeringSpec.none());
            runtime.generate(chat(SteeringSpec.of(entry("/srv/a.gguf", List.of(3), 4.0, SteeringOperator.ADD,
                    SteeringPositions.ALL)))).subscribe().withSubscriber(AssertSubscriber.<GenerationEvent>create(Long.MAX_VALUE))
                    .awaitFailure(WAIT);
            assertThat(server.rejections()).singleElement().asString().contains("--steering-config");
        }
    }
}
