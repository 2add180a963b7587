package io.steerguard.api;

import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import io.steerguard.runtime.FinishReason;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.RuntimeFault;
import io.steerguard.runtime.Usage;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * Subscribes to one generation and writes it to the client, streamed (server-sent events) or as
 * one JSON body.
 *
 * <p>Every signal is handled on the request's event-loop context, in order: signals from other
 * threads (the embedded runtime's inference thread) are queued to the context; once one has been
 * queued, later signals queue too so none can overtake it.
 *
 * <p>Streaming respects back-pressure: one event is requested at a time, and the next only when
 * the connection's write queue has room. Headers are sent with the first token, so a runtime that
 * fails before producing anything still gets a proper error status instead of a 200.
 *
 * <p>When the client goes away the generation is cancelled at once, unless the shadow still wants
 * its tokens ({@link Listener#shadowWantsMore()}: a mirrored request whose token budget is not yet
 * recorded). Then it runs on without the client, writing nothing, until the budget is recorded or
 * the generation ends, and is cancelled there: a client cannot escape measurement by hanging up,
 * and the extra work is bounded by the shadow's budget.
 *
 * <p>{@link #end(OpenAiError)} ends the answer early from any thread (a profile blocked while it
 * streams): the generation is cancelled and the client gets the error as a final event, or as the
 * response when nothing was sent yet.
 */
final class GenerationResponder implements Flow.Subscriber<GenerationEvent> {

    private static final Logger LOG = Logger.getLogger(GenerationResponder.class);
    /** Queued events are written at once past this size, so a fast upstream cannot grow the batch without end. */
    private static final int MAX_BATCH_BYTES = 16 * 1024;

    /** What the handler learns about the outcome, for metrics. */
    interface Listener {
        void firstToken();

        /** A token's text as sent (or, unstreamed, as it will be sent) to the client. */
        void token(String text);

        void usage(Usage usage);

        /** Choice 0 called a tool (a tool-call delta went, or would go, to the client). */
        default void toolCall() {
        }

        /** The runtime's introspection, which never reaches the client; ignored unless a listener wants it. */
        default void captured(GenerationEvent.Captured captured) {
        }

        void fault(RuntimeFault fault);

        void finished(int status);

        /** Whether the shadow still wants this generation's tokens: asked when the client goes away, then per token. */
        default boolean shadowWantsMore() {
            return false;
        }

        /**
         * The client went away before the answer was complete.
         *
         * @param runsOn whether the generation runs on without it for the shadow; {@link #ranOn} follows
         */
        default void clientGone(boolean runsOn) {
            finished(499);
        }

        /** A generation that ran on without its client ended: {@code completed} unless it failed. */
        default void ranOn(boolean completed) {
        }
    }

    private final Context context;
    private final HttpServerResponse response;
    private final AnswerFormat format;
    private final boolean stream;
    private final boolean logprobs;
    private final String model;
    private final Listener listener;
    private final AtomicInteger queued = new AtomicInteger();
    /** Events queued in this event-loop turn, not yet written; see {@link #writeEvent}. */
    private Buffer batch;
    private boolean flushScheduled;

    private Flow.Subscription subscription;
    private boolean headersSent;
    /** The client-facing answer is over (sent, failed, ended, or the client went away). */
    private boolean done;
    /** The client went away and the generation runs on for the shadow. */
    private boolean runningOn;
    /** Run once when {@link #done} is first set: e.g. leaving the registry of running steered streams. */
    private Runnable onDone = () -> { };
    private boolean sawToken;
    /** Per choice: whether its first chunk went out, and (unstreamed) its text, calls and finish reason. */
    private final AnswerChoices choices;
    /** The runtime ended choices one by one (n > 1): their finish chunks are already out. */
    private boolean choicesFinished;
    private GenerationEvent.Finished finished;

    GenerationResponder(Context context, HttpServerResponse response, AnswerFormat format, boolean stream,
                        boolean logprobs, String model, Listener listener) {
        this.context = context;
        this.response = response;
        this.format = format;
        this.stream = stream;
        this.logprobs = logprobs;
        this.model = model;
        this.listener = listener;
        this.choices = new AnswerChoices(logprobs);
    }

    /** Sets what runs once when the client-facing answer is over; call before subscribing. */
    void onDone(Runnable action) {
        this.onDone = action;
    }

    /**
     * Ends the answer now with {@code error} and cancels the generation; callable from any thread.
     * Nothing happens when the answer is already over.
     */
    void end(OpenAiError error) {
        onContext(() -> {
            if (done) {
                return;
            }
            if (subscription != null) {
                subscription.cancel();
            }
            endWith(error);
        });
    }

    private void markDone() {
        if (!done) {
            done = true;
            onDone.run();
        }
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        onContext(() -> {
            if (done) {
                s.cancel(); // ended (blocked) before the generation was subscribed
                return;
            }
            subscription = s;
            response.closeHandler(v -> clientGone());
            if (response.closed()) {
                clientGone();
            } else {
                s.request(stream ? 1 : Long.MAX_VALUE);
            }
        });
    }

    @Override
    public void onNext(GenerationEvent event) {
        onContext(() -> handle(event));
    }

    @Override
    public void onError(Throwable failure) {
        onContext(() -> fail(failure));
    }

    @Override
    public void onComplete() {
        onContext(this::complete);
    }

    private void handle(GenerationEvent event) {
        if (done) {
            if (runningOn) {
                runOn(event);
            }
            return;
        }
        if (event instanceof GenerationEvent.Token token) {
            firstOutput();
            if (token.choice() == 0) {
                // the shadow measures choice 0
                listener.token(token.text());
            }
            AnswerChoices.Choice choice = choices.get(token.choice());
            boolean first = !choice.started;
            choice.started = true;
            if (stream) {
                writeEvent(format.deltaEvent(token.choice(), token.text(), first,
                        logprobs && !Double.isNaN(token.logprob()) ? List.of(token) : null));
                return;
            }
            choice.text.append(token.text());
            if (logprobs && !Double.isNaN(token.logprob())) {
                choice.logprobTokens.add(token);
            }
        } else if (event instanceof GenerationEvent.ToolCallDelta call) {
            firstOutput();
            if (call.choice() == 0) {
                listener.toolCall();
            }
            AnswerChoices.Choice choice = choices.get(call.choice());
            boolean first = !choice.started;
            choice.started = true;
            if (stream) {
                writeEvent(format.toolCallEvent(call, first));
                return;
            }
            choices.addToolCall(call);
        } else if (event instanceof GenerationEvent.ChoiceFinished cf) {
            choicesFinished = true;
            choices.get(cf.choice()).reason = cf.reason();
            if (stream) {
                writeEvent(format.finishEvent(cf.choice(), cf.reason()));
                return;
            }
        } else if (event instanceof GenerationEvent.Finished f) {
            finished = f;
            listener.usage(f.usage());
        } else if (event instanceof GenerationEvent.Captured c) {
            listener.captured(c);
        }
        if (stream) {
            subscription.request(1);
        }
    }

    private void firstOutput() {
        if (!sawToken) {
            sawToken = true;
            listener.firstToken();
        }
    }

    /**
     * Queues one event. Events that arrive in the same event-loop turn (one upstream read often
     * holds several) leave in one write: Vert.x flushes every write made outside the response's
     * own connection read, so writing each event costs a syscall and a TCP segment of its own.
     * The batch is written when the turn ends, when it reaches {@link #MAX_BATCH_BYTES}, or with
     * the end of the response; the bytes on the wire are the same, only fewer HTTP chunks.
     */
    private void writeEvent(Buffer chunk) {
        sendStreamHeaders();
        if (batch == null) {
            batch = chunk;
            if (!flushScheduled) {
                flushScheduled = true;
                context.runOnContext(v -> {
                    flushScheduled = false;
                    flushBatch();
                });
            }
        } else {
            batch.appendBuffer(chunk);
        }
        if (batch.length() >= MAX_BATCH_BYTES) {
            flushBatch();
        }
        if (response.writeQueueFull()) {
            response.drainHandler(v -> {
                if (!done) {
                    subscription.request(1);
                }
            });
        } else {
            subscription.request(1);
        }
    }

    private void flushBatch() {
        if (batch != null && !done) {
            response.write(batch);
        }
        batch = null;
    }

    /** The queued events followed by {@code last}, for the final write. */
    private Buffer withBatch(Buffer last) {
        if (batch == null) {
            return last;
        }
        Buffer all = batch.appendBuffer(last);
        batch = null;
        return all;
    }

    private void sendStreamHeaders() {
        if (!headersSent) {
            headersSent = true;
            response.setStatusCode(200).setChunked(true)
                    .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                    .putHeader("Cache-Control", "no-cache")
                    .putHeader("X-Accel-Buffering", "no");
        }
    }

    /** One event of a generation running on without its client: only the shadow sees it. */
    private void runOn(GenerationEvent event) {
        if (event instanceof GenerationEvent.Token token && token.choice() == 0) {
            listener.token(token.text());
        } else if (event instanceof GenerationEvent.ToolCallDelta call && call.choice() == 0) {
            listener.toolCall();
        } else if (event instanceof GenerationEvent.Captured c) {
            listener.captured(c);
        }
        if (listener.shadowWantsMore()) {
            if (stream) {
                subscription.request(1);
            }
        } else {
            subscription.cancel();
            endRunOn(true);
        }
    }

    private void endRunOn(boolean completed) {
        if (runningOn) {
            runningOn = false;
            listener.ranOn(completed);
        }
    }

    private void complete() {
        if (done) {
            endRunOn(true);
            return;
        }
        if (finished == null) {
            fail(new RuntimeFault(RuntimeFault.Kind.UPSTREAM_ERROR, "the generation ended without a finish event"));
            return;
        }
        markDone();
        FinishReason reason = finished.reason();
        if (stream) {
            Buffer tail = Buffer.buffer(512);
            if (!headersSent) {
                // nothing was generated: still one (role) delta so clients see a well-formed stream
                sendStreamHeaders();
                tail.appendBuffer(format.deltaEvent("", true, null));
            }
            response.end(withBatch(tail.appendBuffer(format.streamEnd(choicesFinished, reason, finished.usage()))));
        } else {
            if (!choicesFinished) {
                choices.get(0).reason = reason;
            }
            response.setStatusCode(200).putHeader("Content-Type", "application/json")
                    .end(format.completeResponse(choices.views(), finished.usage()));
        }
        listener.finished(200);
    }

    private void fail(Throwable failure) {
        if (done) {
            endRunOn(false);
            return;
        }
        OpenAiError error;
        if (failure instanceof RuntimeFault fault) {
            listener.fault(fault);
            error = OpenAiError.fromFault(model, fault);
        } else {
            LOG.errorf(failure, "generation for model %s failed", model);
            error = OpenAiError.internal();
        }
        endWith(error);
    }

    /** Ends the answer with {@code error}: as a final event once the 200 is out, else as the response. */
    private void endWith(OpenAiError error) {
        markDone();
        if (response.closed()) {
            batch = null;
            listener.finished(499);
        } else if (headersSent) {
            // the 200 is on the wire (or leaves with the queued events): the error travels as a final
            // event, without [DONE], as OpenAI does
            response.end(withBatch(format.errorEvent(error)));
            listener.finished(error.status());
        } else {
            response.setStatusCode(error.status()).putHeader("Content-Type", "application/json").end(error.toJson());
            listener.finished(error.status());
        }
    }

    private void clientGone() {
        if (!done) {
            markDone();
            batch = null;
            runningOn = subscription != null && listener.shadowWantsMore();
            if (!runningOn && subscription != null) {
                subscription.cancel();
            }
            listener.clientGone(runningOn);
            if (runningOn && stream) {
                // demand may be parked on a drain handler that will never fire now
                subscription.request(1);
            }
        }
    }

    private void onContext(Runnable action) {
        if (queued.get() == 0 && Context.isOnEventLoopThread() && io.vertx.core.Vertx.currentContext() == context) {
            action.run();
        } else {
            queued.incrementAndGet();
            context.runOnContext(v -> {
                queued.decrementAndGet();
                action.run();
            });
        }
    }
}
