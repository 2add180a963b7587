package io.steerguard.runtime.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.steerguard.runtime.ChatMessage;
import io.steerguard.runtime.FinishReason;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.GenerationRequest;
import io.steerguard.runtime.Prompt;
import io.steerguard.runtime.RuntimeFault;
import io.steerguard.runtime.SamplingParams;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.runtime.remote.FakeUpstream.Reply;
import io.vertx.core.Vertx;

/**
 * Tool-call deltas and several choices from a remote runtime: one upstream chunk can yield several
 * events, and a subscriber that asks for one at a time still gets every one, in order, never more
 * than it asked for.
 */
class RemoteToolCallStreamTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static GenerationRequest chat(int n) {
        return GenerationRequest.of("r", Prompt.chat(List.of(ChatMessage.user("hi"))),
                new SamplingParams(16, 0, 1, 0, null, List.of(), false, n, 0, 0, Map.of()), SteeringSpec.none());
    }

    /** Requests one event at a time and records any event it did not ask for. */
    private static final class OneAtATime implements Flow.Subscriber<GenerationEvent> {
        final List<GenerationEvent> items = new CopyOnWriteArrayList<>();
        final AtomicLong outstanding = new AtomicLong();
        final CountDownLatch done = new CountDownLatch(1);
        volatile Throwable failure;
        volatile boolean overflow;
        Flow.Subscription s;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            s = subscription;
            outstanding.incrementAndGet();
            s.request(1);
        }

        @Override
        public void onNext(GenerationEvent item) {
            if (outstanding.decrementAndGet() < 0) {
                overflow = true;
            }
            items.add(item);
            outstanding.incrementAndGet();
            s.request(1);
        }

        @Override
        public void onError(Throwable t) {
            failure = t;
            done.countDown();
        }

        @Override
        public void onComplete() {
            done.countDown();
        }
    }

    private static OneAtATime run(Reply reply, int n) throws Exception {
        try (FakeUpstream up = FakeUpstream.start(vertx);
             RemoteRuntime runtime = new RemoteRuntime(vertx, RemoteRuntimeOptions.of("tools",
                     RemoteRuntimeOptions.Flavor.OPENAI, up.baseUrl(), "m"))) {
            up.enqueue(reply);
            OneAtATime sub = new OneAtATime();
            runtime.generate(chat(n)).subscribe().withSubscriber(sub);
            assertThat(sub.done.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            return sub;
        }
    }

    private static final String HEAD = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",";

    @Test
    void oneChunkWithTextAndTwoCalls_yieldsEveryEventInOrder_withinDemand() throws Exception {
        OneAtATime sub = run(Reply.stream().event(HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Let me check.\","
                + "\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"f\","
                + "\"arguments\":\"{}\"}},{\"index\":1,\"id\":\"call_b\",\"type\":\"function\",\"function\":"
                + "{\"name\":\"g\",\"arguments\":\"{\\\"x\\\":1}\"}}]},\"finish_reason\":\"tool_calls\"}]}").done(), 1);

        assertThat(sub.failure).isNull();
        assertThat(sub.overflow).as("never more events than requested").isFalse();
        assertThat(sub.items).containsExactly(
                new GenerationEvent.Token("Let me check.", -1, Double.NaN, 0),
                new GenerationEvent.ToolCallDelta(0, 0, "call_a", "f", "{}"),
                new GenerationEvent.ToolCallDelta(0, 1, "call_b", "g", "{\"x\":1}"),
                new GenerationEvent.Finished(FinishReason.TOOL_CALLS, new io.steerguard.runtime.Usage(0, 1)));
    }

    @Test
    void twoChoicesInOneChunk_areBothEmitted_andEachEnds() throws Exception {
        OneAtATime sub = run(Reply.stream().event(HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},"
                + "\"finish_reason\":\"stop\"},{\"index\":1,\"delta\":{\"content\":\"b\"},\"finish_reason\":\"length\"}]}")
                .event(Chunks.usage(3, 2)).done(), 2);

        assertThat(sub.failure).isNull();
        assertThat(sub.overflow).isFalse();
        assertThat(sub.items).containsExactly(
                new GenerationEvent.Token("a", -1, Double.NaN, 0),
                new GenerationEvent.ChoiceFinished(0, FinishReason.STOP),
                new GenerationEvent.Token("b", -1, Double.NaN, 1),
                new GenerationEvent.ChoiceFinished(1, FinishReason.LENGTH),
                new GenerationEvent.Finished(FinishReason.STOP, new io.steerguard.runtime.Usage(3, 2)));
    }

    @Test
    void aChoiceIndexBeyondN_isAProtocolFault() throws Exception {
        OneAtATime sub = run(Reply.stream().event(HEAD + "\"choices\":[{\"index\":1,\"delta\":{\"content\":\"a\"},"
                + "\"finish_reason\":\"stop\"}]}").done(), 1);

        assertThat(sub.failure).isInstanceOf(RuntimeFault.class).hasMessageContaining("choice index 1");
    }

    @Test
    void doneBeforeEveryChoiceFinished_isAProtocolFault() throws Exception {
        OneAtATime sub = run(Reply.stream().event(HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},"
                + "\"finish_reason\":\"stop\"}]}").done(), 2);

        assertThat(sub.failure).isInstanceOf(RuntimeFault.class).hasMessageContaining("choice 1");
    }

    private static final class Chunks {
        static String usage(int p, int c) {
            return FakeUpstream.Chunks.usage(p, c);
        }
    }
}
