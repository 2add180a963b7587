package io.steerguard.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.GenerationRequest;
import io.steerguard.runtime.Introspection;
import io.steerguard.runtime.ModelRuntime;
import io.steerguard.runtime.Priority;
import io.steerguard.runtime.Prompt;
import io.steerguard.runtime.SamplingParams;
import io.steerguard.runtime.SteeringOperator;
import io.steerguard.runtime.SteeringPositions;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.runtime.embedded.EmbeddedRuntime;
import io.steerguard.runtime.embedded.EmbeddedRuntimeOptions;
import io.steerguard.runtime.remote.RemoteRuntime;
import io.steerguard.runtime.remote.RemoteRuntimeOptions;
import io.steerguard.steering.ProfileResolution;
import io.steerguard.steering.SteeringResolver;
import io.steerguard.steering.VectorEntry;
import io.steerguard.steering.VectorStore;
import io.steerguard.steering.VectorValidation;
import io.steerguard.tenant.ApiKeys;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;

/**
 * Runtime mode: this app serves {@code models/tiny-random} as runtime {@code tiny-rt} with EasySteer
 * steering per request, and a gateway's {@code easysteer} remote runtime in front of it produces the
 * same greedy text as the gateway's embedded path on the same model and profile.
 */
@QuarkusTest
@TestProfile(RuntimeModeTest.RuntimeModeProfile.class)
class RuntimeModeTest {

    static final String RUNTIME_KEY = "sk-runtime-test";
    private static final Path VECTORS = Path.of("models/tiny-random/vectors").toAbsolutePath();
    private static final List<Integer> LAYERS = List.of(1, 2);
    private static final double COEFFICIENT = 2.0;
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** Only a Runtime document, a vectors folder and a bearer key: everything a runtime pod has. */
    public static final class RuntimeModeProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path dir = Files.createTempDirectory("steerguard-runtime-mode");
                Files.writeString(dir.resolve("model.yaml"), """
                        apiVersion: steerguard.io/v1
                        kind: Runtime
                        metadata: {name: tiny-rt}
                        spec: {type: embedded, model: models/tiny-random, device: cpu, maxBatch: 2, maxContext: 128}
                        """);
                return Map.of("steerguard.mode", "runtime",
                        "steerguard.config.paths", dir.toString(),
                        "steerguard.runtime.vectors-dir", VECTORS.toString(),
                        "steerguard.runtime.api-key-sha256", ApiKeys.sha256Hex(RUNTIME_KEY),
                        "steerguard.runtime.max-scale", "32",
                        "steerguard.runtime.max-vectors", "3",
                        "steerguard.runtime.max-layers", "4");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Inject
    Vertx vertx;

    private static EmbeddedRuntime embedded;

    @BeforeAll
    static void loadEmbedded() {
        embedded = EmbeddedRuntime.load(new EmbeddedRuntimeOptions("tiny-local", Path.of("models/tiny-random"), "cpu",
                2, 128, 16));
    }

    @AfterAll
    static void closeEmbedded() {
        if (embedded != null) {
            embedded.close();
        }
    }

    private RemoteRuntime gatewaySide(String apiKey) {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        return new RemoteRuntime(vertx, new RemoteRuntimeOptions("tiny-remote", RemoteRuntimeOptions.Flavor.EASYSTEER,
                URI.create("http://localhost:" + port + "/v1"), "tiny-rt", apiKey, Duration.ofSeconds(2),
                Duration.ofSeconds(30), Duration.ofSeconds(60), 4, 16));
    }

    /** The embedded path's steering: the profile's vector loaded and validated as the gateway does. */
    private static SteeringSpec embeddedProfile(SteeringPositions positions, SteeringOperator operator) {
        var model = embedded.modelConfig();
        VectorValidation validation = new VectorValidation(model.hiddenSize(), model.numLayers(),
                model.family().name().toLowerCase(java.util.Locale.ROOT), VectorValidation.HintPolicy.WARN);
        ProfileResolution resolution = new SteeringResolver(new VectorStore(), VECTORS, validation).resolve(List.of(
                new VectorEntry("random-direction.gguf", LAYERS, COEFFICIENT, operator, 0, positions,
                        io.steerguard.steering.Normalisation.NONE)), Map.of());
        assertThat(resolution).isInstanceOf(ProfileResolution.Ready.class);
        return ((ProfileResolution.Ready) resolution).spec();
    }

    /** The same profile as a gateway's easysteer runtime sends it: the file named, nothing loaded. */
    private static SteeringSpec remoteProfile(SteeringPositions positions, SteeringOperator operator) {
        return SteeringSpec.of(new SteeringSpec.Entry("random-direction.gguf", LAYERS, Map.of(), COEFFICIENT, operator,
                0, positions, false));
    }

    private static String greedy(ModelRuntime runtime, Prompt prompt, SteeringSpec steering) {
        GenerationRequest request = new GenerationRequest("rt-" + System.nanoTime(), prompt,
                new SamplingParams(10, 0.0, 1.0, 0, null, List.of(), false), steering, Introspection.none(),
                Priority.INTERACTIVE);
        List<GenerationEvent> events = runtime.generate(request).collect().asList().await().atMost(WAIT);
        StringBuilder text = new StringBuilder();
        events.stream().filter(e -> e instanceof GenerationEvent.Token).forEach(e -> text.append(((GenerationEvent.Token) e).text()));
        assertThat(events.get(events.size() - 1)).isInstanceOf(GenerationEvent.Finished.class);
        return text.toString();
    }

    private static final Prompt CHAT = Prompt.chat(List.of(new io.steerguard.runtime.ChatMessage("user", "Hello there")));
    private static final Prompt TEXT = Prompt.text("Once upon a time");

    @Test
    void gatewayInFrontOfRuntimeMode_givesTheEmbeddedPathsGreedyOutput_steeredAndUnsteered() {
        try (RemoteRuntime remote = gatewaySide(RUNTIME_KEY)) {
            for (Prompt prompt : List.of(CHAT, TEXT)) {
                String unsteered = greedy(embedded, prompt, SteeringSpec.none());
                String steered = greedy(embedded, prompt, embeddedProfile(SteeringPositions.ALL, SteeringOperator.ADD));
                assertThat(steered).isNotEqualTo(unsteered);
                assertThat(greedy(remote, prompt, SteeringSpec.none())).isEqualTo(unsteered);
                assertThat(greedy(remote, prompt, remoteProfile(SteeringPositions.ALL, SteeringOperator.ADD)))
                        .isEqualTo(steered);
            }
        }
    }

    @Test
    void positionsAndAblation_travelOverTheWire_withTheSameEffectAsEmbedded() {
        try (RemoteRuntime remote = gatewaySide(RUNTIME_KEY)) {
            for (SteeringPositions positions : List.of(SteeringPositions.firstK(2),
                    new SteeringPositions(SteeringPositions.Mode.PROMPT, 0),
                    new SteeringPositions(SteeringPositions.Mode.GENERATED, 0))) {
                assertThat(greedy(remote, CHAT, remoteProfile(positions, SteeringOperator.ADD)))
                        .as("positions %s", positions.mode())
                        .isEqualTo(greedy(embedded, CHAT, embeddedProfile(positions, SteeringOperator.ADD)));
            }
            assertThat(greedy(remote, CHAT, remoteProfile(SteeringPositions.ALL, SteeringOperator.ABLATE)))
                    .isEqualTo(greedy(embedded, CHAT, embeddedProfile(SteeringPositions.ALL, SteeringOperator.ABLATE)));
        }
    }

    private static String body(String steering) {
        return "{\"model\":\"tiny-rt\",\"max_tokens\":6,\"temperature\":0,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}]"
                + (steering == null ? "" : ",\"steering\":" + steering) + "}";
    }

    private static io.restassured.response.ValidatableResponse post(String body) {
        return given().header("Authorization", "Bearer " + RUNTIME_KEY).contentType("application/json").body(body)
                .post("/v1/chat/completions").then();
    }

    private static String vector(String source) {
        return "{\"vectors\":[{\"source\":\"" + source + "\",\"algorithm\":\"direct\",\"scale\":2.0,\"layers\":[1,2],"
                + "\"normalize\":false,\"apply\":{\"prompt\":\"all\",\"generation\":\"all\"}}],\"conflict\":\"sequential\"}";
    }

    @Test
    void steeringFalse_andAbsentSteering_serveTheUnsteeredModel_andAVectorChangesIt() {
        String unsteered = post(body("false")).statusCode(200).header("X-SteerGuard-Decision", "unsteered")
                .extract().path("choices[0].message.content");
        assertThat((String) post(body(null)).statusCode(200).extract().path("choices[0].message.content"))
                .isEqualTo(unsteered);
        assertThat((String) post(body(vector("random-direction.gguf"))).statusCode(200)
                .header("X-SteerGuard-Decision", "steered").extract().path("choices[0].message.content"))
                .isNotEqualTo(unsteered);
    }

    @Test
    void vectorPathsLeavingTheVectorsFolder_areRejectedWith400() {
        for (String escape : List.of("../config.json", "sub/../../config.json",
                "/etc/passwd", VECTORS.getParent().resolve("config.json").toString())) {
            post(body(vector(escape))).statusCode(400).body("error.type", equalTo("invalid_request_error"))
                    .body("error.param", equalTo("steering.vectors[0].source"))
                    .body("error.message", containsString("vectors folder"));
        }
    }

    @Test
    void missingVectorFile_andLayerTheModelLacks_areClientErrors() {
        post(body(vector("nope.gguf"))).statusCode(400).body("error.param", equalTo("steering.vectors"))
                .body("error.message", containsString("nope.gguf"));
        post(body(vector("random-direction.gguf").replace("[1,2]", "[40]"))).statusCode(400)
                .body("error.param", equalTo("steering.vectors[0].layers"))
                .body("error.message", containsString("holds layers [1, 2]"));
    }

    @Test
    void malformedSteering_andGatewayStyleProfiles_getOpenAiErrors() {
        post(body("{\"profile\":\"json-format\"}")).statusCode(400).body("error.param", equalTo("steering.profile"));
        post(body("true")).statusCode(400).body("error.param", equalTo("steering"));
        post(body(vector("random-direction.gguf").replace("direct", "lm_steer"))).statusCode(400)
                .body("error.param", equalTo("steering.vectors[0].algorithm"));
        post("{\"model\":").statusCode(400).body("error.message", containsString("not valid JSON"));
        post(body("false").replace("tiny-rt", "tiny")).statusCode(404).body("error.code", equalTo("model_not_found"));
    }

    @Test
    void theBearerKeyIsRequired_whenConfigured() {
        given().contentType("application/json").body(body("false")).post("/v1/chat/completions").then()
                .statusCode(401).body("error.code", equalTo("invalid_api_key"));
        given().header("Authorization", "Bearer sk-acme").get("/v1/models").then().statusCode(401);
        try (RemoteRuntime wrongKey = gatewaySide("sk-wrong")) {
            List<GenerationEvent> events = wrongKey.generate(new GenerationRequest("k", CHAT,
                    new SamplingParams(4, 0.0, 1.0, 0, null, List.of(), false), SteeringSpec.none(),
                    Introspection.none(), Priority.INTERACTIVE)).onFailure().recoverWithItem(f -> null)
                    .collect().asList().await().atMost(WAIT);
            assertThat(events).noneMatch(e -> e instanceof GenerationEvent.Token);
        }
    }

    @Test
    void modelsListsTheServedRuntimes_andTheAdminApiIsAbsent() {
        given().header("Authorization", "Bearer " + RUNTIME_KEY).get("/v1/models").then().statusCode(200)
                .body("data.id", equalTo(List.of("tiny-rt")));
        given().header("Authorization", "Bearer " + RUNTIME_KEY).get("/admin/config").then().statusCode(404);
    }

    /** EasySteer's documented requests, rewritten for the tiny model: served, or a 400 naming the field. */
    @Test
    void easySteersDocumentedExamples_areServed_orRefusedNamingTheField() throws Exception {
        io.vertx.core.json.JsonArray examples = new io.vertx.core.json.JsonArray(
                Files.readString(Path.of("src/test/resources/testdata/easysteer/runtime-mode-examples.json")));
        for (Object o : examples) {
            io.vertx.core.json.JsonObject example = (io.vertx.core.json.JsonObject) o;
            var response = post(example.getJsonObject("body").encode()).statusCode(example.getInteger("status"));
            if (example.getInteger("status") == 200) {
                assertThat((String) response.header("X-SteerGuard-Decision", "steered").extract()
                        .path("choices[0].message.content")).as(example.getString("name")).isNotEmpty();
            } else {
                response.body("error.param", equalTo(example.getString("param")));
            }
        }
    }

    @Test
    void priority_isTheDefault_theFirstVectorWinsOnASharedLayer_unlikeSequentialStacking() {
        String v1 = "{\"source\":\"random-direction.gguf\",\"scale\":2.0,\"layers\":[1,2],\"apply\":{\"prompt\":\"all\",\"generation\":\"all\"}}";
        String v2 = v1.replace("2.0", "-3.0");
        String first = post(body("{\"vectors\":[" + v1 + "]}")).statusCode(200).extract().path("choices[0].message.content");
        assertThat((String) post(body("{\"vectors\":[" + v1 + "," + v2 + "]}")).statusCode(200).extract()
                .path("choices[0].message.content")).isEqualTo(first);
        assertThat((String) post(body("{\"vectors\":[" + v1 + "," + v2 + "],\"conflict\":\"sequential\"}")).statusCode(200)
                .extract().path("choices[0].message.content")).isNotEqualTo(first);
    }

    /** #12.7: scale, vector count and layer count are bounded by configuration (here 32, 3 and 4). */
    @Test
    void scaleVectorsAndLayers_overTheConfiguredBounds_are400sNamingTheField() {
        String v = "{\"source\":\"random-direction.gguf\",\"scale\":%s,%s\"apply\":{\"prompt\":\"all\"}}";
        post(body("{\"vectors\":[" + v.formatted("1e6", "\"layers\":[1],") + "]}")).statusCode(400)
                .body("error.param", equalTo("steering.vectors[0].scale"));
        post(body("{\"vectors\":[" + String.join(",", java.util.Collections.nCopies(4, v.formatted("1", "\"layers\":[1],")))
                + "],\"conflict\":\"sequential\"}")).statusCode(400).body("error.param", equalTo("steering.vectors"));
        // layers the file decides count too: three vectors of the two-layer file are six layers
        post(body("{\"vectors\":[" + String.join(",", java.util.Collections.nCopies(3, v.formatted("1", "")))
                + "],\"conflict\":\"sequential\"}")).statusCode(400).body("error.param", equalTo("steering.vectors[2].layers"));
        post(body("{\"vectors\":[" + v.formatted("32", "") + "," + v.formatted("-32", "") + "]}")).statusCode(200);
    }
}
