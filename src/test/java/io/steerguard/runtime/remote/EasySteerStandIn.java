package io.steerguard.runtime.remote;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A stand-in for EasySteer's vLLM OpenAI server on loopback (port 0): it admits or rejects each
 * {@code /v1/chat/completions} and {@code /v1/completions} request the way the server at
 * EasySteer-vllm-v1 {@code 6267ca0c} does, and streams a scripted answer for admitted ones.
 *
 * <p>Admission, in the server's order: the body must be JSON; {@code steering} must pass
 * {@link EasySteerSpecModel} (400 otherwise, e.g. for {@code "steering": false}); a server started
 * with {@code --steering-config} rejects every request that carries {@code steering}
 * ({@code serving.py _maybe_get_steer_vector}); algorithms not declared with {@code --steer-algorithms}
 * and several vectors without {@code --steer-multi-vector} are rejected
 * ({@code v1/engine/input_processor.py _validate_steer_vector}). Error bodies have vLLM's
 * {@code {"error": {"message", "type", "param", "code"}}} shape.
 */
public final class EasySteerStandIn implements AutoCloseable {

    /** How the stand-in server was "started": the launch flags that change admission. */
    public record Flags(Set<String> steerAlgorithms, boolean multiVector, boolean steeringConfig, boolean toolParser) {

        public Flags(Set<String> steerAlgorithms, boolean multiVector, boolean steeringConfig) {
            this(steerAlgorithms, multiVector, steeringConfig, false);
        }

        /**
         * {@code --steer-algorithms direct,erase --steer-multi-vector --enable-auto-tool-choice
         * --tool-call-parser hermes}: what SteerGuard needs.
         */
        public static Flags recommended() {
            return new Flags(Set.of("direct", "erase"), true, false, true);
        }

        /** {@code --steering-config spec.json}: a server-side default that blocks per-request steering. */
        public static Flags withServerDefault() {
            return new Flags(Set.of("direct"), false, true);
        }
    }

    /** One request as the stand-in saw it and what it answered. */
    public record Exchange(String path, JsonObject body, int status, String error) {
        public boolean steered() {
            return body != null && body.getValue("steering") != null;
        }
    }

    private final Vertx vertx;
    private final HttpServer server;
    private final Flags flags;
    private final Function<JsonObject, String> answer;
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    /** Scripted event streams (the {@code data:} JSON of each event), taken one per admitted request. */
    private final java.util.Deque<List<String>> scripted = new java.util.concurrent.ConcurrentLinkedDeque<>();

    private EasySteerStandIn(Flags flags, Function<JsonObject, String> answer) throws Exception {
        this.flags = flags;
        this.answer = answer;
        this.vertx = Vertx.vertx();
        this.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
        server.requestHandler(this::handle);
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /**
     * Starts a stand-in.
     *
     * @param answer the text streamed back for an admitted request body
     */
    public static EasySteerStandIn start(Flags flags, Function<JsonObject, String> answer) throws Exception {
        return new EasySteerStandIn(flags, answer);
    }

    /**
     * The next admitted <em>steered</em> request (the shadow's unsteered twins keep the answer function)
     * streams these events verbatim (each as {@code data: <json>}), then
     * {@code data: [DONE]}, instead of the answer function's text: e.g. a tool-call stream as vLLM's
     * tool parser frames it.
     */
    public EasySteerStandIn enqueueEvents(List<String> dataJsons) {
        scripted.add(List.copyOf(dataJsons));
        return this;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort() + "/v1";
    }

    public List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    /** The rejections so far, as {@code "<status> <message>"}. */
    public List<String> rejections() {
        return exchanges.stream().filter(e -> e.status() != 200).map(e -> e.status() + " " + e.error()).toList();
    }

    /**
     * Admission alone: the error message the server would answer {@code body} with, or null when it
     * admits it (a body that is not a JSON object is the caller's problem).
     */
    public static String admit(JsonObject body, Flags flags) {
        String toolsError = EasySteerToolModel.admit(body, flags.toolParser());
        if (toolsError != null) {
            return toolsError;
        }
        Object steering = body.getValue("steering");
        List<String> errors = EasySteerSpecModel.validate(steering);
        if (!errors.isEmpty()) {
            return errors.size() + " validation error(s) for ChatCompletionRequest: " + String.join("; ", errors);
        }
        if (steering == null) {
            return null;
        }
        if (flags.steeringConfig()) {
            return "Per-request steering is not allowed when engine-default steering is active (--steering-config). "
                    + "Use POST /v1/steering to change the engine steering config.";
        }
        JsonArray vectors = ((JsonObject) steering).getJsonArray("vectors");
        Set<String> used = new TreeSet<>();
        for (int i = 0; i < vectors.size(); i++) {
            used.add(vectors.getJsonObject(i).getString("algorithm", "direct"));
        }
        if (!flags.steerAlgorithms().contains("all")) {
            List<String> undeclared = new ArrayList<>(used);
            undeclared.removeAll(flags.steerAlgorithms());
            if (!undeclared.isEmpty()) {
                return "steering algorithm(s) " + undeclared + " were not declared at launch (declared: "
                        + new TreeSet<>(flags.steerAlgorithms()) + "). Add them to steer_algorithms and restart the engine.";
            }
            if (vectors.size() > 1 && !flags.multiVector()) {
                return "multi-vector steering was not declared at launch; start the engine with steer_multi_vector=True.";
            }
        }
        return null;
    }

    private void handle(HttpServerRequest req) {
        req.body().onSuccess(buffer -> {
            HttpServerResponse resp = req.response();
            boolean chat = req.path().endsWith("/chat/completions");
            if (!chat && !req.path().endsWith("/completions")) {
                exchanges.add(new Exchange(req.path(), null, 404, "not found"));
                resp.setStatusCode(404).end();
                return;
            }
            JsonObject body;
            try {
                body = buffer.toJsonObject();
            } catch (DecodeException | ClassCastException e) {
                reject(resp, req.path(), null, "JSON decode error");
                return;
            }
            String error = admit(body, flags);
            if (error != null) {
                reject(resp, req.path(), body, error);
                return;
            }
            exchanges.add(new Exchange(req.path(), body, 200, null));
            List<String> events = body.getValue("steering") != null ? scripted.poll() : null;
            resp.setChunked(true).putHeader("content-type", "text/event-stream");
            if (events != null) {
                for (String event : events) {
                    resp.write("data: " + event + "\n\n");
                }
                resp.end(Buffer.buffer("data: [DONE]\n\n"));
                return;
            }
            String text = answer.apply(body);
            if (chat) {
                resp.write("data: " + FakeUpstream.Chunks.chatRole() + "\n\n");
            }
            for (String word : text.split("(?<= )")) {
                resp.write("data: " + (chat ? FakeUpstream.Chunks.chatDelta(word) : FakeUpstream.Chunks.textDelta(word))
                        + "\n\n");
            }
            resp.write("data: " + (chat ? FakeUpstream.Chunks.chatFinish("stop") : FakeUpstream.Chunks.textFinish("stop"))
                    + "\n\n");
            resp.write("data: " + FakeUpstream.Chunks.usage(5, text.split(" ").length) + "\n\n");
            resp.end(Buffer.buffer("data: [DONE]\n\n"));
        });
    }

    private void reject(HttpServerResponse resp, String path, JsonObject body, String message) {
        exchanges.add(new Exchange(path, body, 400, message));
        resp.setStatusCode(400).putHeader("content-type", "application/json")
                .end(new JsonObject().put("error", new JsonObject().put("message", message)
                        .put("type", "BadRequestError").putNull("param").put("code", 400)).encode());
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
