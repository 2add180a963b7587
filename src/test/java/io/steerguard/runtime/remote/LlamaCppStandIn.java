package io.steerguard.runtime.remote;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * A loopback stand-in for llama.cpp's {@code llama-server}: OpenAI chat completions streamed as SSE,
 * with whatever control vectors it was "started" with applied to every request (here: a fixed
 * answer per instance). Stricter than the real server on purpose: llama.cpp ignores unknown fields,
 * this one answers 400 to any body that carries a {@code steering} key at all (even {@code null}),
 * so a test proves the gateway never sends steering to a server that steers process-wide. A user
 * message containing {@link #SLOWLY} is streamed one word per 200 ms.
 */
public final class LlamaCppStandIn implements AutoCloseable {

    /** One request as received; {@code status} is what it was answered with. */
    public record Exchange(String path, JsonObject body, int status) {

        /** The last user message of a chat body. */
        public String lastUserMessage() {
            var messages = body == null ? null : body.getJsonArray("messages");
            if (messages == null) {
                return "";
            }
            for (int i = messages.size() - 1; i >= 0; i--) {
                JsonObject m = messages.getJsonObject(i);
                if ("user".equals(m.getString("role"))) {
                    return m.getString("content");
                }
            }
            return "";
        }
    }

    /** A user message containing this is answered slowly ({@link #slowly}), for in-flight tests. */
    public static final String SLOWLY = "[slowly]";
    private static final long SLOW_INTERVAL_MS = 200;
    private static final int SLOW_REPEATS = 5;

    private final Vertx vertx;
    private final HttpServer server;
    private final String answer;
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

    private LlamaCppStandIn(String answer) throws Exception {
        this.answer = answer;
        this.vertx = Vertx.vertx();
        this.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
        server.requestHandler(this::handle);
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Starts a server that answers every admitted chat request with {@code answer}. */
    public static LlamaCppStandIn start(String answer) throws Exception {
        return new LlamaCppStandIn(answer);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort() + "/v1";
    }

    public List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    /** Requests answered with anything but 200. */
    public List<Exchange> rejections() {
        return exchanges.stream().filter(e -> e.status() != 200).toList();
    }

    private void handle(HttpServerRequest req) {
        req.body().onSuccess(buffer -> {
            HttpServerResponse resp = req.response();
            if (!req.path().endsWith("/chat/completions")) {
                exchanges.add(new Exchange(req.path(), null, 404));
                resp.setStatusCode(404).end();
                return;
            }
            JsonObject body;
            try {
                body = buffer.toJsonObject();
            } catch (DecodeException | ClassCastException e) {
                exchanges.add(new Exchange(req.path(), null, 400));
                resp.setStatusCode(400).end("{\"error\":{\"message\":\"invalid JSON\"}}");
                return;
            }
            if (body.containsKey("steering")) {
                exchanges.add(new Exchange(req.path(), body, 400));
                resp.setStatusCode(400).putHeader("content-type", "application/json")
                        .end("{\"error\":{\"code\":400,\"message\":\"llama.cpp stand-in: 'steering' sent to a "
                                + "server whose control vectors are process-wide\",\"type\":\"invalid_request_error\"}}");
                return;
            }
            Exchange exchange = new Exchange(req.path(), body, 200);
            exchanges.add(exchange);
            resp.setChunked(true).putHeader("content-type", "text/event-stream");
            resp.write("data: " + FakeUpstream.Chunks.chatRole() + "\n\n");
            String[] words = answer.split("(?<= )");
            if (exchange.lastUserMessage().contains(SLOWLY)) {
                slowly(resp, words, 0);
                return;
            }
            for (String word : words) {
                resp.write("data: " + FakeUpstream.Chunks.chatDelta(word) + "\n\n");
            }
            finish(resp, words.length);
        });
    }

    /** One word every {@value #SLOW_INTERVAL_MS} ms, the answer {@value #SLOW_REPEATS} times over, until the client goes. */
    private void slowly(HttpServerResponse resp, String[] words, int sent) {
        if (resp.closed() || resp.ended()) {
            return;
        }
        if (sent == words.length * SLOW_REPEATS) {
            finish(resp, sent);
            return;
        }
        resp.write("data: " + FakeUpstream.Chunks.chatDelta(words[sent % words.length]) + "\n\n");
        vertx.setTimer(SLOW_INTERVAL_MS, id -> slowly(resp, words, sent + 1));
    }

    private static void finish(HttpServerResponse resp, int completionTokens) {
        resp.write("data: " + FakeUpstream.Chunks.chatFinish("stop") + "\n\n");
        resp.write("data: " + FakeUpstream.Chunks.usage(5, completionTokens) + "\n\n");
        resp.end(Buffer.buffer("data: [DONE]\n\n"));
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
