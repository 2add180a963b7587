package io.steerguard.runtime.remote;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * A real HTTP server on loopback (port 0) that plays scripted OpenAI-style upstream answers, for
 * tests of anything that talks to a remote model server.
 *
 * <pre>{@code
 * try (FakeUpstream up = FakeUpstream.start()) {
 *     up.enqueue(FakeUpstream.Reply.chatStream("Hel", "lo"));      // next request gets this
 *     up.enqueue(FakeUpstream.Reply.status(500, "{\"error\":{\"message\":\"boom\"}}"));
 *     ... call up.baseUrl() ...                                     // http://127.0.0.1:<port>/v1
 *     FakeUpstream.Exchange ex = up.awaitExchange(0, Duration.ofSeconds(5));
 *     ex.bodyJson(); ex.awaitClientClose(Duration.ofSeconds(2));
 * }
 * }</pre>
 *
 * <p>Each request takes the next enqueued {@link Reply} (FIFO), or the default reply (500) when
 * none is left. Closing a connection from the server side sends a TCP reset (SO_LINGER 0), so
 * {@link Reply#resetAfter} is a real "connection reset mid-stream".
 */
public final class FakeUpstream implements AutoCloseable {

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final HttpServer server;
    private final Deque<Reply> replies = new ArrayDeque<>();
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile Reply defaultReply = Reply.status(500, "{\"error\":{\"message\":\"FakeUpstream: no scripted reply\"}}");

    private FakeUpstream(Vertx vertx, boolean ownsVertx) throws Exception {
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        this.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSoLinger(0));
        server.connectionHandler(c -> connections.incrementAndGet());
        server.requestHandler(this::handle);
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Starts a server on its own Vert.x instance (closed with the server). */
    public static FakeUpstream start() throws Exception {
        return new FakeUpstream(Vertx.vertx(), true);
    }

    /** Starts a server on a caller-owned Vert.x instance. */
    public static FakeUpstream start(Vertx vertx) throws Exception {
        return new FakeUpstream(vertx, false);
    }

    public int port() {
        return server.actualPort();
    }

    /** The OpenAI base URL of this server, {@code http://127.0.0.1:<port>/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    /** Queues the reply for the next request that has none yet. */
    /** Drops every scripted reply not taken yet, so a failed test cannot hand its replies to the next. */
    public synchronized int clearQueue() {
        int left = replies.size();
        replies.clear();
        return left;
    }

    public synchronized FakeUpstream enqueue(Reply reply) {
        replies.addLast(reply);
        return this;
    }

    /** The reply for requests that find the queue empty. */
    public FakeUpstream setDefault(Reply reply) {
        this.defaultReply = reply;
        return this;
    }

    /** Every request received so far, in arrival order. */
    public List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    /** TCP connections accepted so far (keep-alive reuse keeps this low). */
    public int connectionCount() {
        return connections.get();
    }

    /** Waits until request number {@code index} (0-based) has arrived with its whole body. */
    public Exchange awaitExchange(int index, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (exchanges.size() <= index) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("FakeUpstream: request " + index + " did not arrive within " + timeout
                        + " (got " + exchanges.size() + ")");
            }
            Thread.sleep(5);
        }
        return exchanges.get(index);
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        if (ownsVertx) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private synchronized Reply nextReply() {
        Reply r = replies.pollFirst();
        return r != null ? r : defaultReply;
    }

    private void handle(HttpServerRequest req) {
        Reply reply = nextReply();
        req.body().onSuccess(body -> {
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            req.headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
            Exchange ex = new Exchange(req.method().name(), req.path(), headers, body.toString());
            exchanges.add(ex);
            HttpServerResponse resp = req.response();
            resp.closeHandler(v -> ex.closedByClient(resp.ended()));
            play(reply, ex, req, resp);
        });
    }

    private void play(Reply reply, Exchange ex, HttpServerRequest req, HttpServerResponse resp) {
        if (reply.neverAnswer) {
            return;
        }
        String invalid = invalidStreamOptions(ex.body());
        if (invalid != null) {
            // vLLM's request validator: stream_options is only allowed with stream=true
            resp.setStatusCode(400).putHeader("content-type", "application/json").end(new JsonObject()
                    .put("object", "error").put("message", invalid).put("type", "BadRequestError")
                    .putNull("param").put("code", 400).encode());
            ex.markEnded();
            return;
        }
        if (reply.pieces != null) {
            // like vLLM: an event stream only when the request says "stream": true, else one JSON body
            Object stream = ex.bodyJson().getValue("stream");
            reply = Boolean.TRUE.equals(stream) ? Reply.chatStream(reply.pieces)
                    : Reply.chatJson(String.join("", reply.pieces), "stop", 7, reply.pieces.length);
        }
        resp.setStatusCode(reply.status);
        if (reply.contentType != null) {
            resp.putHeader("content-type", reply.contentType);
        }
        if (reply.generator != null) {
            resp.setChunked(true);
            generate(reply, ex, resp, 0);
            return;
        }
        if (reply.writes.isEmpty() && !reply.hang) {
            resp.end(Buffer.buffer(reply.body == null ? "" : reply.body));
            ex.markEnded();
            return;
        }
        resp.setChunked(true);
        writeNext(reply, ex, req, resp, 0);
    }

    private void writeNext(Reply reply, Exchange ex, HttpServerRequest req, HttpServerResponse resp, int i) {
        if (ex.clientClosed()) {
            return;
        }
        if (i == reply.resetAfter) {
            req.connection().close();
            return;
        }
        if (i == reply.writes.size()) {
            if (!reply.hang) {
                resp.end();
                ex.markEnded();
            }
            return;
        }
        Buffer chunk = reply.writes.get(i);
        resp.write(chunk);
        ex.bytesWritten.addAndGet(chunk.length());
        if (reply.delay.isZero()) {
            writeNext(reply, ex, req, resp, i + 1);
        } else {
            vertx.setTimer(reply.delay.toMillis(), id -> writeNext(reply, ex, req, resp, i + 1));
        }
    }

    /** vLLM's answer to {@code stream_options} without {@code "stream": true}, or null when the body is fine. */
    private static String invalidStreamOptions(String body) {
        JsonObject json;
        try {
            json = new JsonObject(body);
        } catch (RuntimeException notAnObject) {
            return null; // tests of raw bodies: not this check's business
        }
        if (json.getValue("stream_options") != null && !Boolean.TRUE.equals(json.getValue("stream"))) {
            return "Stream options can only be defined when `stream=True`.";
        }
        return null;
    }

    /** Writes generated events only while the connection can take them (server-side back-pressure). */
    private void generate(Reply reply, Exchange ex, HttpServerResponse resp, int from) {
        int i = from;
        while (i < reply.count) {
            if (ex.clientClosed()) {
                return;
            }
            if (resp.writeQueueFull()) {
                int next = i;
                resp.drainHandler(v -> generate(reply, ex, resp, next));
                return;
            }
            Buffer chunk = Buffer.buffer("data: " + reply.generator.apply(i) + "\n\n");
            resp.write(chunk);
            ex.bytesWritten.addAndGet(chunk.length());
            ex.eventsWritten.incrementAndGet();
            i++;
        }
        resp.end(Buffer.buffer("data: [DONE]\n\n"));
        ex.markEnded();
    }

    /** One request as the fake server saw it, plus what happened to its connection. */
    public static final class Exchange {
        private final String method;
        private final String path;
        private final Map<String, String> headers;
        private final String body;
        private final CountDownLatch clientClose = new CountDownLatch(1);
        private final CompletableFuture<Void> ended = new CompletableFuture<>();
        private volatile boolean closedBeforeEnd;
        final AtomicLong bytesWritten = new AtomicLong();
        final AtomicLong eventsWritten = new AtomicLong();

        Exchange(String method, String path, Map<String, String> headers, String body) {
            this.method = method;
            this.path = path;
            this.headers = headers;
            this.body = body;
        }

        public String method() {
            return method;
        }

        public String path() {
            return path;
        }

        /** A request header, case-insensitively, or null. */
        public String header(String name) {
            return headers.get(name);
        }

        public String body() {
            return body;
        }

        public JsonObject bodyJson() {
            return new JsonObject(body);
        }

        /** Body bytes (SSE chunks included) the server has handed to the connection so far. */
        public long bytesWritten() {
            return bytesWritten.get();
        }

        /** Events a {@link Reply#generated} reply has written so far. */
        public long eventsWritten() {
            return eventsWritten.get();
        }

        /** Whether the client closed the connection before the response was complete. */
        public boolean clientClosed() {
            return closedBeforeEnd;
        }

        /** Waits for the client to close the connection before the response was complete. */
        public boolean awaitClientClose(Duration timeout) throws InterruptedException {
            return clientClose.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Whether the server finished writing the response. */
        public boolean serverEnded() {
            return ended.isDone();
        }

        void markEnded() {
            ended.complete(null);
        }

        void closedByClient(boolean responseEnded) {
            if (!responseEnded && !ended.isDone()) {
                closedBeforeEnd = true;
                clientClose.countDown();
            }
        }
    }

    /** A scripted answer. Build with the static factories, refine with the fluent methods. */
    public static final class Reply {
        private int status = 200;
        private String contentType = "text/event-stream";
        private String body;
        private final List<Buffer> writes = new ArrayList<>();
        private Duration delay = Duration.ZERO;
        private int resetAfter = -1;
        private boolean hang;
        private boolean neverAnswer;
        private IntFunction<String> generator;
        private int count;
        private String[] pieces;

        private Reply() {
        }

        /** A 200 event stream with nothing in it yet. */
        public static Reply stream() {
            return new Reply();
        }

        /** A status with a JSON body. */
        public static Reply status(int status, String body) {
            return status(status, body, "application/json");
        }

        /** A status with a body of the given content type. */
        public static Reply status(int status, String body, String contentType) {
            Reply r = new Reply();
            r.status = status;
            r.body = body;
            r.contentType = contentType;
            return r;
        }

        /** Reads the request, then never sends a byte. */
        public static Reply neverAnswer() {
            Reply r = new Reply();
            r.neverAnswer = true;
            return r;
        }

        /**
         * A chat stream as vLLM sends it: a role chunk, one content chunk per piece, a finish chunk
         * with {@code stop}, a usage chunk ({@code promptTokens} 7, one completion token per piece)
         * and {@code [DONE]}.
         */
        public static Reply chatStream(String... pieces) {
            Reply r = stream().event(Chunks.chatRole());
            for (String p : pieces) {
                r.event(Chunks.chatDelta(p));
            }
            return r.event(Chunks.chatFinish("stop")).event(Chunks.usage(7, pieces.length)).done();
        }

        /**
         * A whole non-streamed chat answer as vLLM sends it for {@code "stream": false}: one
         * {@code chat.completion} object, {@code application/json}.
         */
        public static Reply chatJson(String content, String finishReason, int promptTokens, int completionTokens) {
            return status(200, Chunks.chatCompletion(content, finishReason, promptTokens, completionTokens));
        }

        /** A whole non-streamed {@code /completions} answer ({@code text_completion}), {@code application/json}. */
        public static Reply completionJson(String text, String finishReason, int promptTokens, int completionTokens) {
            return status(200, Chunks.textCompletion(text, finishReason, promptTokens, completionTokens));
        }

        /**
         * What vLLM does with the request it gets: {@link #chatStream} when its body asks for
         * {@code "stream": true}, otherwise {@link #chatJson} of the joined pieces.
         */
        public static Reply chatAnswer(String... pieces) {
            Reply r = new Reply();
            r.pieces = pieces.clone();
            return r;
        }

        /**
         * {@code count} events from {@code eventAt}, then {@code [DONE]}, written only while the
         * connection's write queue has room: how far it gets shows how much the client buffered.
         */
        public static Reply generated(int count, IntFunction<String> eventAt) {
            Reply r = new Reply();
            r.count = count;
            r.generator = eventAt;
            return r;
        }

        /** Appends {@code data: <json>} and the blank line, as one write. */
        public Reply event(String json) {
            writes.add(Buffer.buffer("data: " + json + "\n\n"));
            return this;
        }

        /** Appends the {@code [DONE]} event, as one write. */
        public Reply done() {
            writes.add(Buffer.buffer("data: [DONE]\n\n"));
            return this;
        }

        /** Appends arbitrary text as one write (split events, comments, CRLF, garbage). */
        public Reply raw(String text) {
            writes.add(Buffer.buffer(text));
            return this;
        }

        /** Appends raw bytes as one write (e.g. half of a UTF-8 character). */
        public Reply raw(byte[] bytes) {
            writes.add(Buffer.buffer(bytes));
            return this;
        }

        /** Waits this long before every write after the first. */
        public Reply delay(Duration between) {
            this.delay = between;
            return this;
        }

        /** Resets the TCP connection instead of making write number {@code writes} (0-based). */
        public Reply resetAfter(int writes) {
            this.resetAfter = writes;
            return this;
        }

        /** After the last write, keeps the response open without ending it. */
        public Reply hang() {
            this.hang = true;
            return this;
        }

        /** Overrides the content type. */
        public Reply contentType(String type) {
            this.contentType = type;
            return this;
        }
    }

    /** OpenAI streaming chunks shaped like vLLM's. */
    public static final class Chunks {
        private Chunks() {
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

        /** vLLM's {@code ChatCompletionResponse}, fields in its order. */
        public static String chatCompletion(String content, String finishReason, int promptTokens, int completionTokens) {
            JsonObject message = new JsonObject().put("role", "assistant").putNull("reasoning_content")
                    .put("content", content).put("tool_calls", List.of());
            JsonObject choice = new JsonObject().put("index", 0).put("message", message).putNull("logprobs")
                    .put("finish_reason", finishReason).putNull("stop_reason");
            return new JsonObject().put("id", "chatcmpl-1").put("object", "chat.completion").put("created", 0)
                    .put("model", "m").put("choices", List.of(choice)).put("usage", usageObject(promptTokens, completionTokens))
                    .putNull("prompt_logprobs").encode();
        }

        /** vLLM's {@code CompletionResponse}. */
        public static String textCompletion(String text, String finishReason, int promptTokens, int completionTokens) {
            JsonObject choice = new JsonObject().put("index", 0).put("text", text).putNull("logprobs")
                    .put("finish_reason", finishReason).putNull("stop_reason").putNull("prompt_logprobs");
            return new JsonObject().put("id", "cmpl-1").put("object", "text_completion").put("created", 0)
                    .put("model", "m").put("choices", List.of(choice)).put("usage", usageObject(promptTokens, completionTokens))
                    .encode();
        }

        private static JsonObject usageObject(int promptTokens, int completionTokens) {
            return new JsonObject().put("prompt_tokens", promptTokens).put("total_tokens", promptTokens + completionTokens)
                    .put("completion_tokens", completionTokens).putNull("prompt_tokens_details");
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
}
