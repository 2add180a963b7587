package io.steerguard.runtime.remote;

import io.steerguard.runtime.FinishReason;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.RuntimeFault;
import io.steerguard.runtime.Usage;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;

import java.io.IOException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One generation against the upstream: a {@link Flow.Subscription} that turns the HTTP response's
 * event stream into {@link GenerationEvent}s at the pace the subscriber asks for.
 *
 * <p>Why a hand-written subscription instead of {@code toMulti()} on the Mutiny Vert.x bindings:
 * demand decides how far the SSE bytes are <em>parsed</em>, not just whether buffers flow. With no
 * demand the HTTP response is paused and unparsed bytes wait in the {@link SseParser} (at most a few
 * network reads), so there is no event queue at all; cancellation resets the HTTP request in the
 * same place; and the per-token path allocates only the token's text and event.
 *
 * <p>An upstream may also answer with one whole {@code application/json} completion (a server or
 * proxy that ignores {@code "stream": true}, or a request sent with {@code "stream": false}). That
 * body is collected up to the same size limit as one event, under the same timers, then decoded by
 * the same {@link StreamChunk} into the same events: one token with the whole text, then the finish.
 *
 * <p>Threading: every field below is touched only on {@link #ctx}, an event-loop context. The
 * HTTP client, the timers and the subscriber's signals all run there; {@link #request} and
 * {@link #cancel} from other threads hop onto it. Nothing here blocks.
 */
final class UpstreamExchange implements Flow.Subscription, SseParser.Sink {

    private static final int MAX_EVENT_BYTES = 4 * 1024 * 1024;
    private static final int MAX_ERROR_BODY_BYTES = 8 * 1024;

    private final RemoteRuntime runtime;
    private final Vertx vertx;
    private final Context ctx;
    private final Flow.Subscriber<? super GenerationEvent> downstream;
    private final String path;
    private final Buffer body;
    private final long idleNanos;
    /** The request asked for one JSON body: the upstream sends nothing until it has finished. */
    private final boolean wholeAnswer;

    private final SseParser parser = new SseParser(MAX_EVENT_BYTES);
    private final StreamChunk chunk = new StreamChunk();

    private long demand;
    /** The subscriber got its terminal signal or cancelled; nothing more is emitted. */
    private boolean terminated;
    /** The in-flight slot; released once, possibly from the cancelling thread. */
    private final AtomicBoolean slotHeld = new AtomicBoolean(true);
    private HttpClientRequest request;
    private HttpClientResponse response;
    private boolean responsePaused;
    private boolean upstreamEnded;
    /** [DONE] was seen; the rest of the response is only drained so the connection can be reused. */
    private boolean done;
    private int errorStatus;
    private Buffer errorBody;
    private boolean draining;
    private boolean drainAgain;
    /** Non-null when the upstream answered one whole JSON completion: its body so far. */
    private Buffer wholeBody;
    /** The whole JSON answer was decoded and its token (if any) emitted; the finish may still wait for demand. */
    private boolean wholeDecoded;

    private String finishReason;
    /** Choices asked for; with more than one, each gets a ChoiceFinished and every one must finish. */
    private final int n;
    private final String[] finishReasons;
    /**
     * Events decoded but not yet wanted: one upstream chunk can carry several (a content delta and
     * tool-call deltas, or several choices), and the subscriber may have asked for only one.
     */
    private final java.util.ArrayDeque<GenerationEvent> pending = new java.util.ArrayDeque<>();
    /** [DONE] was read and the Finished event waits in {@link #pending}. */
    private boolean completeAfterPending;
    private int promptTokens = -1;
    private int completionTokens = -1;
    private int contentChunks;

    private long deadlineTimer = -1;
    private long idleTimer = -1;
    private long lastActivity;

    UpstreamExchange(RemoteRuntime runtime, Context ctx, Flow.Subscriber<? super GenerationEvent> downstream,
                     String path, Buffer body, boolean wholeAnswer) {
        this(runtime, ctx, downstream, path, body, wholeAnswer, 1);
    }

    /**
     * @param wholeAnswer whether the upstream was asked for one JSON body instead of an event stream
     * @param n           choices asked for; with more than one, each gets a ChoiceFinished
     */
    UpstreamExchange(RemoteRuntime runtime, Context ctx, Flow.Subscriber<? super GenerationEvent> downstream,
                     String path, Buffer body, boolean wholeAnswer, int n) {
        this.n = n;
        this.finishReasons = new String[n];
        this.runtime = runtime;
        this.vertx = runtime.vertx();
        this.ctx = ctx;
        this.downstream = downstream;
        this.path = path;
        this.body = body;
        this.idleNanos = runtime.options().idleReadTimeout().toNanos();
        this.wholeAnswer = wholeAnswer;
    }

    /** Signals onSubscribe, then starts the HTTP exchange on the context. The in-flight slot is already held. */
    void start() {
        downstream.onSubscribe(this);
        onContext(this::connect);
    }

    // ---- Flow.Subscription, callable from any thread ------------------------------------------

    @Override
    public void request(long n) {
        if (Vertx.currentContext() == ctx) {
            addDemand(n);
        } else {
            ctx.runOnContext(v -> addDemand(n));
        }
    }

    @Override
    public void cancel() {
        // Free the slot on the caller's thread so admission sees it at once; the reset hops to the loop.
        releaseSlot();
        onContext(this::doCancel);
    }

    private void addDemand(long n) {
        if (terminated) {
            return;
        }
        if (n <= 0) {
            // Reactive Streams rule 3.9 names the exception: a subscriber bug, not a runtime fault
            fail(new IllegalArgumentException("subscriber requested " + n + " items; rule 3.9 requires n > 0"));
            return;
        }
        demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
        drain();
    }

    private void doCancel() {
        if (terminated) {
            return;
        }
        terminate();
        resetUpstream();
    }

    // ---- HTTP exchange --------------------------------------------------------------------------

    private void connect() {
        if (terminated) {
            return;
        }
        deadlineTimer = vertx.setTimer(runtime.options().requestTimeout().toMillis(), id -> onDeadline());
        runtime.client().request(runtime.requestOptions(path, wholeAnswer)).onComplete(this::onRequest);
    }

    private void onRequest(AsyncResult<HttpClientRequest> ar) {
        if (ar.failed()) {
            fail(UpstreamFaults.connectFailure(runtime.name(), ar.cause(),
                    runtime.inFlight() > runtime.options().maxPooledConnections()));
            return;
        }
        request = ar.result();
        if (terminated) {
            request.reset(); // cancelled while connecting: give the connection back at once
            return;
        }
        touch();
        if (!wholeAnswer) {
            // A whole-answer upstream is silent until it has generated everything: before its
            // headers only the request deadline applies; the idle timer starts with the headers.
            armIdle(idleNanos);
        }
        request.send(body).onComplete(this::onResponse);
    }

    private void onResponse(AsyncResult<HttpClientResponse> ar) {
        if (terminated) {
            return;
        }
        if (ar.failed()) {
            fail(runtime.closed()
                    ? new RuntimeFault(RuntimeFault.Kind.UNAVAILABLE, "runtime '" + runtime.name() + "' is closed", ar.cause())
                    : UpstreamFaults.transportFailure(runtime.name(), ar.cause(), false));
            return;
        }
        touch();
        if (idleTimer < 0) {
            armIdle(idleNanos);
        }
        response = ar.result();
        response.exceptionHandler(this::onResponseFailure);
        response.endHandler(v -> onEnd());
        int status = response.statusCode();
        if (status >= 300) {
            errorStatus = status;
            errorBody = Buffer.buffer(256);
            response.handler(this::collectErrorBody);
            return;
        }
        String contentType = response.getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType != null && isJson(contentType)) {
            // Bounded by the size check, so it is read to its end whatever the demand: no pausing needed.
            wholeBody = Buffer.buffer(1024);
            response.handler(this::collectWhole);
            return;
        }
        if (contentType != null && !contentType.regionMatches(true, 0, "text/event-stream", 0, 17)) {
            fail(UpstreamFaults.protocol(runtime.name(), "upstream answered " + status + " with content type '"
                    + UpstreamFaults.clean(contentType) + "' instead of an event stream or a JSON completion", null));
            return;
        }
        response.handler(this::onChunk);
        drain();
    }

    /** {@code application/json} or a {@code +json} type, parameters such as {@code charset} ignored. */
    static boolean isJson(String contentType) {
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
        return type.equalsIgnoreCase("application/json")
                || (type.regionMatches(true, 0, "application/", 0, 12) && type.regionMatches(true, type.length() - 5, "+json", 0, 5));
    }

    private void collectWhole(Buffer buffer) {
        if (terminated) {
            return;
        }
        touch();
        if (wholeBody.length() + buffer.length() > MAX_EVENT_BYTES) {
            fail(UpstreamFaults.protocol(runtime.name(), "the upstream's JSON answer exceeds " + MAX_EVENT_BYTES + " bytes", null));
            return;
        }
        wholeBody.appendBuffer(buffer);
    }

    private void onChunk(Buffer buffer) {
        if (terminated) {
            return;
        }
        touch();
        // Bounded: with no demand the response is paused, and next() rejects events over the limit.
        parser.append(buffer);
        drain();
    }

    private void collectErrorBody(Buffer buffer) {
        touch();
        int room = MAX_ERROR_BODY_BYTES - errorBody.length();
        if (room > 0) {
            errorBody.appendBuffer(buffer, 0, Math.min(room, buffer.length()));
        }
    }

    private void onEnd() {
        upstreamEnded = true;
        if (done && idleTimer >= 0) {
            vertx.cancelTimer(idleTimer); // the drain guard is no longer needed
            idleTimer = -1;
        }
        if (done || terminated) {
            return;
        }
        if (errorStatus != 0) {
            fail(errorStatusFault());
            return;
        }
        drain();
    }

    private void onResponseFailure(Throwable t) {
        if (terminated) {
            return;
        }
        upstreamEnded = true;
        fail(errorStatus != 0 ? errorStatusFault() : UpstreamFaults.transportFailure(runtime.name(), t, true));
    }

    private RuntimeFault errorStatusFault() {
        return UpstreamFaults.status(runtime.name(), errorStatus, response.statusMessage(), errorBody, runtime.json());
    }

    // ---- demand-driven parsing ------------------------------------------------------------------

    private void drain() {
        if (draining) {
            drainAgain = true;
            return;
        }
        draining = true;
        try {
            do {
                drainAgain = false;
                pump();
            } while (drainAgain && !terminated);
        } finally {
            draining = false;
            if (terminated) {
                parser.release(); // nothing of the parser is on the stack any more
            }
        }
    }

    private void pump() {
        if (response == null || errorStatus != 0) {
            return;
        }
        if (wholeBody != null) {
            pumpWhole();
            return;
        }
        try {
            while (!terminated && demand > 0 && flushPending() && parser.next(this)) {
                // an event queues its items and emits what demand allows, so demand is rechecked per event
            }
            flushPending();
            if (!terminated && demand > 0 && upstreamEnded && !completeAfterPending) {
                if (!parser.finish(this) && !terminated) {
                    fail(UpstreamFaults.protocol(runtime.name(), finishReason == null
                            ? "upstream stream ended before a finish_reason and [DONE]"
                            : "upstream stream ended before [DONE]", null));
                } else if (!terminated) {
                    drainAgain = true; // the last, unterminated event was dispatched; look again
                }
            }
        } catch (SseParser.EventTooLargeException e) {
            fail(UpstreamFaults.protocol(runtime.name(), e.getMessage(), e));
            return;
        }
        updateFlow();
    }

    /** A whole JSON answer: once it has arrived, one token and the finish, each when demanded. */
    private void pumpWhole() {
        if (!upstreamEnded || terminated || demand <= 0) {
            return;
        }
        if (!wholeDecoded) {
            wholeDecoded = true;
            byte[] bytes = wholeBody.getBytes();
            wholeBody = Buffer.buffer(0); // keeps whole mode; the bytes are no longer needed
            accept(bytes, 0, bytes.length, true);
            if (!terminated) {
                finish(true); // queues the Finished after the answer's events; flushed as demand allows
            }
            return;
        }
        flushPending();
    }

    /** Pauses the response while nobody wants events; resumes it when they do. */
    private void updateFlow() {
        if (response == null || upstreamEnded || terminated) {
            return;
        }
        boolean want = demand > 0;
        if (want && responsePaused) {
            responsePaused = false;
            touch(); // time spent paused by us is not upstream silence
            response.resume();
        } else if (!want && !responsePaused) {
            responsePaused = true;
            response.pause();
        }
    }

    @Override
    public void onEventData(byte[] data, int offset, int length) {
        if (isDoneMarker(data, offset, length)) {
            finish(false);
            return;
        }
        accept(data, offset, length, false);
    }

    /** Decodes one event's data, or a whole JSON answer, and emits its text when there is any. */
    private void accept(byte[] data, int offset, int length, boolean whole) {
        try {
            chunk.decode(runtime.json(), data, offset, length);
        } catch (IOException e) {
            fail(UpstreamFaults.protocol(runtime.name(), whole ? "malformed JSON in the upstream's JSON answer"
                    : "malformed JSON in the upstream event stream", e));
            return;
        }
        if (chunk.error != null) {
            fail(whole ? UpstreamFaults.answerError(runtime.name(), chunk.error)
                    : UpstreamFaults.streamError(runtime.name(), chunk.error));
            return;
        }
        if (chunk.hasUsage()) {
            promptTokens = Math.max(promptTokens, chunk.promptTokens);
            completionTokens = Math.max(completionTokens, chunk.completionTokens);
        }
        for (int i = 0; i < chunk.choiceCount; i++) {
            StreamChunk.Choice c = chunk.choices[i];
            if (c.index < 0 || c.index >= n) {
                fail(UpstreamFaults.protocol(runtime.name(), "upstream sent choice index " + c.index + " for a request of "
                        + n + " choice(s)", null));
                return;
            }
            if (c.content != null && !c.content.isEmpty()) {
                contentChunks++;
                pending.add(new GenerationEvent.Token(c.content, -1, c.logprob, c.index));
            }
            for (StreamChunk.ToolCallPart part : c.toolCalls) {
                if (part.index() < 0) {
                    fail(UpstreamFaults.protocol(runtime.name(), "upstream sent a tool call with a negative index", null));
                    return;
                }
                pending.add(new GenerationEvent.ToolCallDelta(c.index, part.index(), part.id(), part.name(),
                        part.arguments() == null ? "" : part.arguments()));
            }
            if (c.finishReason != null) {
                finishReasons[c.index] = c.finishReason;
                if (c.index == 0) {
                    finishReason = c.finishReason;
                }
                if (n > 1) {
                    pending.add(new GenerationEvent.ChoiceFinished(c.index, FinishReason.fromOpenAi(c.finishReason)));
                }
            }
        }
        flushPending();
    }

    /**
     * Emits queued events while there is demand; completes the stream once the queued Finished went out.
     *
     * @return whether the queue is empty and the stream still open (so the next upstream event may be read)
     */
    private boolean flushPending() {
        while (!terminated && demand > 0 && !pending.isEmpty()) {
            demand--;
            downstream.onNext(pending.poll());
        }
        if (pending.isEmpty() && completeAfterPending && !terminated) {
            terminate();
            downstream.onComplete();
            drainRemainder();
        }
        return pending.isEmpty() && !terminated;
    }

    private void finish(boolean whole) {
        for (int i = 0; i < n; i++) {
            if (finishReasons[i] == null) {
                String what = whole ? "the upstream's JSON answer has no finish_reason"
                        : "upstream sent [DONE] without a finish_reason";
                fail(UpstreamFaults.protocol(runtime.name(), n == 1 ? what
                        : (whole ? "the upstream's JSON answer has no finish_reason for choice " + i
                                : "upstream sent [DONE] before choice " + i + " had a finish_reason"), null));
                return;
            }
        }
        // Without a usage chunk we report what we know: one token per content chunk, prompt unknown (0).
        Usage usage = promptTokens >= 0 || completionTokens >= 0
                ? new Usage(Math.max(0, promptTokens), Math.max(0, completionTokens))
                : new Usage(0, contentChunks);
        done = true;
        completeAfterPending = true;
        pending.add(new GenerationEvent.Finished(FinishReason.fromOpenAi(finishReason), usage));
        flushPending();
    }

    /** After [DONE]: read the response to its end so the keep-alive connection returns to the pool. */
    private void drainRemainder() {
        if (upstreamEnded || response == null) {
            return;
        }
        response.handler(b -> { });
        if (responsePaused) {
            responsePaused = false;
            response.resume();
        }
        long guardMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(idleNanos));
        idleTimer = vertx.setTimer(guardMillis, id -> {
            idleTimer = -1;
            resetUpstream(); // the upstream keeps the response open after [DONE]: drop the connection
        });
    }

    private static boolean isDoneMarker(byte[] d, int off, int len) {
        return len == 6 && d[off] == '[' && d[off + 1] == 'D' && d[off + 2] == 'O' && d[off + 3] == 'N'
                && d[off + 4] == 'E' && d[off + 5] == ']';
    }

    // ---- timers -------------------------------------------------------------------------------------

    private void touch() {
        lastActivity = System.nanoTime();
    }

    private void armIdle(long nanos) {
        idleTimer = vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)), id -> onIdleCheck());
    }

    private void onIdleCheck() {
        idleTimer = -1;
        if (terminated) {
            return;
        }
        if (responsePaused || !pending.isEmpty()) {
            armIdle(idleNanos); // we stopped reading because the client is slow; the upstream is not idle
            return;
        }
        long silent = System.nanoTime() - lastActivity;
        if (silent < idleNanos) {
            armIdle(idleNanos - silent);
            return;
        }
        long millis = runtime.options().idleReadTimeout().toMillis();
        fail(errorStatus != 0 ? errorStatusFault() : UpstreamFaults.timeout(runtime.name(), response == null
                ? "upstream sent no response within " + millis + " ms"
                : "upstream sent no data for " + millis + " ms"));
    }

    private void onDeadline() {
        deadlineTimer = -1;
        if (terminated) {
            return;
        }
        fail(errorStatus != 0 ? errorStatusFault() : UpstreamFaults.timeout(runtime.name(),
                "upstream did not finish within " + runtime.options().requestTimeout().toMillis() + " ms"));
    }

    // ---- termination ---------------------------------------------------------------------------------

    private void fail(Throwable fault) {
        if (terminated) {
            return;
        }
        terminate();
        resetUpstream();
        downstream.onError(fault);
    }

    /** Marks the subscription finished, stops timers and frees the in-flight slot, exactly once. */
    private void terminate() {
        terminated = true;
        if (!draining) {
            parser.release(); // otherwise drain() releases it once the parser's frames are gone
        }
        if (deadlineTimer >= 0) {
            vertx.cancelTimer(deadlineTimer);
            deadlineTimer = -1;
        }
        if (idleTimer >= 0) {
            vertx.cancelTimer(idleTimer);
            idleTimer = -1;
        }
        releaseSlot();
    }

    private void releaseSlot() {
        if (slotHeld.compareAndSet(true, false)) {
            runtime.release();
        }
    }

    /** Resets the HTTP stream unless it already ended; for HTTP/1.1 that closes the connection. */
    private void resetUpstream() {
        if (request != null && !upstreamEnded) {
            request.reset();
        }
    }

    private void onContext(Runnable action) {
        if (Vertx.currentContext() == ctx) {
            action.run();
        } else {
            ctx.runOnContext(v -> action.run());
        }
    }
}
