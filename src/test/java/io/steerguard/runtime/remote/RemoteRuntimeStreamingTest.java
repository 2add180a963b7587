package io.steerguard.runtime.remote;

import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.steerguard.runtime.ChatMessage;
import io.steerguard.runtime.FinishReason;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.GenerationRequest;
import io.steerguard.runtime.Prompt;
import io.steerguard.runtime.RuntimeCapabilities;
import io.steerguard.runtime.SamplingParams;
import io.steerguard.runtime.SteeringOperator;
import io.steerguard.runtime.SteeringPositions;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.runtime.Usage;
import io.steerguard.runtime.remote.FakeUpstream.Chunks;
import io.steerguard.runtime.remote.FakeUpstream.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

class RemoteRuntimeStreamingTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    private static Vertx clientVertx;
    private static Vertx serverVertx;
    private FakeUpstream up;
    private RemoteRuntime runtime;

    @BeforeAll
    static void startVertx() {
        clientVertx = Vertx.vertx();
        serverVertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        clientVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        serverVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @BeforeEach
    void startUpstream() throws Exception {
        up = FakeUpstream.start(serverVertx);
    }

    @AfterEach
    void stop() throws Exception {
        if (runtime != null) {
            runtime.close();
        }
        up.close();
    }

    private RemoteRuntime runtime(RemoteRuntimeOptions.Flavor flavor, UnaryOperator<RemoteRuntimeOptions> tweak) {
        runtime = new RemoteRuntime(clientVertx, tweak.apply(RemoteRuntimeOptions.of("demo", flavor, up.baseUrl(), "up-model")));
        return runtime;
    }

    static GenerationRequest chat(SteeringSpec steering) {
        return GenerationRequest.of("req-1", Prompt.chat(List.of(ChatMessage.user("Say hello"))),
                SamplingParams.greedy(16), steering);
    }

    static List<GenerationEvent> completed(AssertSubscriber<GenerationEvent> sub) {
        return sub.awaitCompletion(WAIT).getItems();
    }

    static String text(List<GenerationEvent> events) {
        StringBuilder sb = new StringBuilder();
        events.stream().filter(e -> e instanceof GenerationEvent.Token)
                .forEach(e -> sb.append(((GenerationEvent.Token) e).text()));
        return sb.toString();
    }

    @Test
    void chatStream_emitsTokensInOrder_thenExactlyOneFinishedWithTheUpstreamUsage() {
        runtime(RemoteRuntimeOptions.Flavor.OPENAI, o -> o);
        up.enqueue(Reply.chatStream("Hel", "lo", " world"));
        List<GenerationEvent> events = completed(runtime.generate(chat(SteeringSpec.none()))
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE)));
        assertThat(events).containsExactly(
                GenerationEvent.Token.text("Hel"), GenerationEvent.Token.text("lo"), GenerationEvent.Token.text(" world"),
                new GenerationEvent.Finished(FinishReason.STOP, new Usage(7, 3)));
        assertThat(runtime.inFlight()).isZero();
    }

    @Test
    void withoutAUsageChunk_usageCountsContentChunks_andPromptTokensAreZero() {
        runtime(RemoteRuntimeOptions.Flavor.OPENAI, o -> o);
        up.enqueue(Reply.stream().event(Chunks.chatRole()).event(Chunks.chatDelta("a")).event(Chunks.chatDelta("b"))
                .event(Chunks.chatFinish("length")).done());
        List<GenerationEvent> events = completed(runtime.generate(chat(SteeringSpec.none()))
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE)));
        assertThat(events.get(events.size() - 1))
                .isEqualTo(new GenerationEvent.Finished(FinishReason.LENGTH, new Usage(0, 2)));
    }

    @Test
    void textPrompt_usesTheCompletionsEndpoint_andReadsChoiceText() throws Exception {
        runtime(RemoteRuntimeOptions.Flavor.OPENAI, o -> o.withApiKey("sk-test"));
        up.enqueue(Reply.stream().event(Chunks.textDelta("once")).event(Chunks.textDelta(" more"))
                .event(Chunks.textFinish("stop")).event(Chunks.usage(3, 2)).done());
        GenerationRequest req = GenerationRequest.of("r", Prompt.text("Try"), SamplingParams.greedy(4), SteeringSpec.none());
        List<GenerationEvent> events = completed(runtime.generate(req).subscribe().withSubscriber(AssertSubscriber.create(10)));
        assertThat(text(events)).isEqualTo("once more");
        FakeUpstream.Exchange ex = up.awaitExchange(0, WAIT);
        assertThat(ex.path()).isEqualTo("/v1/completions");
        assertThat(ex.header("authorization")).isEqualTo("Bearer sk-test");
        assertThat(ex.header("accept")).isEqualTo("text/event-stream");
        assertThat(ex.bodyJson().getString("prompt")).isEqualTo("Try");
        assertThat(ex.bodyJson().getString("model")).isEqualTo("up-model");
    }

    @Test
    void eventsSplitAcrossWrites_atEveryAwkwardPlace_areReassembled() {
        runtime(RemoteRuntimeOptions.Flavor.OPENAI, o -> o);
        String fixture = ": ping\r\n\r\n"
                + "data: " + Chunks.chatDelta("caf\u00e9 ") + "\r\n\r\n"
                + "data: " + Chunks.chatDelta("\u65e5\u672c\uD83D\uDE42") + "\n\n"
                + "data: " + Chunks.chatFinish("stop") + "\n\n"
                + "data: [DONE]\n\n";
        byte[] bytes = fixture.getBytes(StandardCharsets.UTF_8);
        Reply reply = Reply.stream();
        for (int i = 0; i < bytes.length; i += 3) {
            // three bytes per write: the emoji and the CJK characters are cut mid-character
            reply.raw(java.util.Arrays.copyOfRange(bytes, i, Math.min(i + 3, bytes.length)));
        }
        up.enqueue(reply.contentType("text/event-stream; charset=utf-8"));
        List<GenerationEvent> events = completed(runtime.generate(chat(SteeringSpec.none()))
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE)));
        assertThat(text(events)).isEqualTo("caf\u00e9 \u65e5\u672c\uD83D\uDE42");
    }

    @Test
    void sequentialGenerations_reuseOneKeepAliveConnection() {
        runtime(RemoteRuntimeOptions.Flavor.OPENAI, o -> o);
        for (int i = 0; i < 3; i++) {
            up.enqueue(Reply.chatStream("x" + i));
            assertThat(text(completed(runtime.generate(chat(SteeringSpec.none()))
                    .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE))))).isEqualTo("x" + i);
        }
        assertThat(up.connectionCount()).isEqualTo(1);
    }

    @Test
    void eventsArriveOnAVertxEventLoopThread_evenWhenSubscribedFromAPlainThread() {
        runtime(RemoteRuntimeOptions.Flavor.OPENAI, o -> o);
        up.enqueue(Reply.chatStream("a", "b"));
        List<String> threads = new CopyOnWriteArrayList<>();
        completed(runtime.generate(chat(SteeringSpec.none()))
                .onItem().invoke(e -> threads.add(Thread.currentThread().getName()))
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE)));
        assertThat(threads).hasSize(3).allMatch(t -> t.startsWith("vert.x-eventloop-thread"));
    }

    @Test
    void subscribedFromAnEventLoop_eventsComeBackOnThatSameLoop() throws Exception {
        runtime(RemoteRuntimeOptions.Flavor.OPENAI, o -> o);
        up.enqueue(Reply.chatStream("same", "loop"));
        List<String> threads = new CopyOnWriteArrayList<>();
        java.util.concurrent.CompletableFuture<String> subscriberThread = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CompletableFuture<AssertSubscriber<GenerationEvent>> sub = new java.util.concurrent.CompletableFuture<>();
        clientVertx.runOnContext(v -> {
            subscriberThread.complete(Thread.currentThread().getName());
            sub.complete(runtime.generate(chat(SteeringSpec.none()))
                    .onItem().invoke(e -> threads.add(Thread.currentThread().getName()))
                    .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE)));
        });
        completed(sub.get(10, TimeUnit.SECONDS));
        assertThat(threads).hasSize(3).containsOnly(subscriberThread.get());
    }

    @Test
    void easysteerRuntime_sendsTheSteeringObject_andSteeringFalseForItsUnsteeredTwin() throws Exception {
        runtime(RemoteRuntimeOptions.Flavor.EASYSTEER, o -> o);
        assertThat(runtime.capabilities()).isEqualTo(RuntimeCapabilities.remoteSteerable());
        SteeringSpec spec = SteeringSpec.of(new SteeringSpec.Entry("/srv/vectors/json.gguf", List.of(6), java.util.Map.of(),
                4.0, SteeringOperator.ADD, 0, SteeringPositions.firstK(8), false));
        up.enqueue(Reply.chatStream("{}"));
        up.enqueue(Reply.chatStream("I can't"));
        completed(runtime.generate(chat(spec)).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE)));
        completed(runtime.generate(chat(spec).withSteering(SteeringSpec.none()))
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE)));
        JsonObject steered = up.awaitExchange(0, WAIT).bodyJson();
        assertThat(steered.getJsonObject("steering").encode()).isEqualTo(
                "{\"vectors\":[{\"source\":\"/srv/vectors/json.gguf\",\"algorithm\":\"direct\",\"scale\":4.0,"
                        + "\"layers\":[6],\"normalize\":false,\"apply\":{\"generation_window\":[0,8]}}],"
                        + "\"conflict\":\"sequential\"}");
        assertThat(up.awaitExchange(1, WAIT).bodyJson().containsKey("steering")).isFalse();
    }

    @Test
    void openaiRuntime_refusesSteering_withoutContactingTheUpstream() {
        runtime(RemoteRuntimeOptions.Flavor.OPENAI, o -> o);
        assertThat(runtime.capabilities()).isEqualTo(RuntimeCapabilities.remotePlain());
        SteeringSpec spec = SteeringSpec.of(new SteeringSpec.Entry("/v/a.gguf", List.of(1), java.util.Map.of(),
                1.0, SteeringOperator.ADD, 0, SteeringPositions.ALL, false));
        Throwable failure = runtime.generate(chat(spec)).subscribe().withSubscriber(AssertSubscriber.create(1))
                .awaitFailure(WAIT).getFailure();
        assertThat(failure).isInstanceOfSatisfying(io.steerguard.runtime.RuntimeFault.class,
                f -> assertThat(f.kind()).isEqualTo(io.steerguard.runtime.RuntimeFault.Kind.UNSUPPORTED));
        assertThat(up.exchanges()).isEmpty();
        assertThat(runtime.inFlight()).isZero();
    }

    @Test
    void generateIsLazy_nothingIsSentUntilSubscription() throws Exception {
        runtime(RemoteRuntimeOptions.Flavor.OPENAI, o -> o);
        up.enqueue(Reply.chatStream("late"));
        var multi = runtime.generate(chat(SteeringSpec.none()));
        Thread.sleep(200);
        assertThat(up.exchanges()).isEmpty();
        assertThat(text(completed(multi.subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE)))))
                .isEqualTo("late");
    }
}
