package io.steerguard.soak;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * The soak run's model server: an OpenAI/EasySteer-style streaming upstream on loopback whose
 * behaviour the fault injector switches at run time. Unlike the suite's recording fake it keeps no
 * per-exchange history, so hours of traffic cost it constant memory.
 *
 * <p>Modes: {@code OK} streams a short completion; {@code RESET} drops the connection after two
 * events; {@code STALL} sends the role chunk and then nothing (the gateway's read timeout fires);
 * {@code GARBAGE} sends an event that is not JSON. An unsteered request (no {@code steering}, as
 * EasySteer requires) and a steered one get the same text, so mirroring finds no externality.
 */
final class SoakUpstream implements AutoCloseable {

    enum Mode { OK, RESET, STALL, GARBAGE }

    private static final String ROLE = "{\"id\":\"s\",\"object\":\"chat.completion.chunk\",\"created\":0,\"model\":\"soak\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}";

    private final Vertx vertx;
    private final HttpServer server;
    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.OK);
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    private SoakUpstream(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    static SoakUpstream start(Vertx vertx) throws Exception {
        CompletableFuture<SoakUpstream> started = new CompletableFuture<>();
        SoakUpstream[] self = new SoakUpstream[1];
        HttpServer server = vertx.createHttpServer().requestHandler(r -> self[0].handle(r));
        self[0] = new SoakUpstream(vertx, server);
        server.listen(0, "127.0.0.1").onComplete(ar -> {
            if (ar.succeeded()) {
                started.complete(self[0]);
            } else {
                started.completeExceptionally(ar.cause());
            }
        });
        return started.get(10, TimeUnit.SECONDS);
    }

    int port() {
        return server.actualPort();
    }

    void mode(Mode next) {
        mode.set(next);
    }

    long requests() {
        return requests.get();
    }

    /** Requests the upstream refused as EasySteer would (a {@code steering} that is not an object). */
    long rejected() {
        return rejected.get();
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            requests.incrementAndGet();
            JsonObject json;
            try {
                json = body.toJsonObject();
            } catch (RuntimeException e) {
                request.response().setStatusCode(400).end("{\"error\":{\"message\":\"bad json\"}}");
                return;
            }
            Object steering = json.getValue("steering");
            if (json.containsKey("steering") && !(steering instanceof JsonObject) && steering != null) {
                rejected.incrementAndGet();
                request.response().setStatusCode(400).putHeader("Content-Type", "application/json")
                        .end("{\"error\":{\"message\":\"steering: Input should be a valid dictionary\"}}");
                return;
            }
            int maxTokens = Math.max(1, json.getInteger("max_tokens", 16));
            stream(request, mode.get(), maxTokens, body.toString().contains("SOAK-LONG"));
        });
    }

    private void stream(HttpServerRequest request, Mode current, int maxTokens, boolean long_) {
        var response = request.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
        response.write("data: " + ROLE + "\n\n");
        switch (current) {
            case STALL -> {
                return; // nothing more: the gateway's idle-read timeout ends it
            }
            case RESET -> {
                response.write("data: " + chunk("Sure", null) + "\n\n");
                request.connection().close();
                return;
            }
            case GARBAGE -> {
                response.end("data: {this is not json\n\n");
                return;
            }
            case OK -> {
            }
        }
        // prompts with SOAK-LONG (the slow readers') get up to 4000 chunks of 200 bytes, written as fast as
        // the gateway takes them, so a reader that stops reading fills every buffer on the way.
        int tokens = long_ ? Math.min(maxTokens, 4000) : Math.min(maxTokens, 8);
        String piece = long_ ? " " + "x".repeat(199) : " word";
        int[] sent = {0};
        Runnable[] pump = new Runnable[1];
        pump[0] = () -> {
            if (response.closed() || response.ended()) {
                return;
            }
            while (sent[0] < tokens && !response.writeQueueFull()) {
                response.write("data: " + chunk(sent[0] == 0 ? "Sure," : piece, null) + "\n\n");
                sent[0]++;
                if (!long_) {
                    break; // short answers trickle, one chunk per tick, like a decoding model
                }
            }
            if (sent[0] < tokens) {
                if (response.writeQueueFull()) {
                    response.drainHandler(v -> pump[0].run());
                } else {
                    vertx.setTimer(2, id -> pump[0].run());
                }
                return;
            }
            response.write("data: " + chunk("", tokens >= maxTokens ? "length" : "stop") + "\n\n");
            response.write("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":" + tokens
                    + ",\"total_tokens\":" + (5 + tokens) + "}}\n\n");
            response.end("data: [DONE]\n\n");
        };
        vertx.setTimer(2, id -> pump[0].run());
    }

    private static String chunk(String content, String finish) {
        return "{\"id\":\"s\",\"object\":\"chat.completion.chunk\",\"created\":0,\"model\":\"soak\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"content\":\"" + content + "\"},\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"")
                + "}]}";
    }

    @Override
    public void close() {
        server.close();
    }
}
