package io.steerguard.runtime.remote;

import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.RuntimeFault;
import io.steerguard.runtime.RuntimeFault.Kind;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.runtime.remote.FakeUpstream.Chunks;
import io.steerguard.runtime.remote.FakeUpstream.Reply;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static io.steerguard.runtime.remote.RemoteRuntimeStreamingTest.WAIT;
import static io.steerguard.runtime.remote.RemoteRuntimeStreamingTest.chat;
import static org.assertj.core.api.Assertions.assertThat;

class RemoteRuntimeFaultTest {

    private static final Duration SHORT = Duration.ofMillis(400);

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

    private RemoteRuntime runtime(String baseUrl, UnaryOperator<RemoteRuntimeOptions> tweak) {
        runtime = new RemoteRuntime(clientVertx, tweak.apply(
                RemoteRuntimeOptions.of("demo", RemoteRuntimeOptions.Flavor.OPENAI, baseUrl, "m")
                        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(5))));
        return runtime;
    }

    private RemoteRuntime runtime() {
        return runtime(up.baseUrl(), o -> o);
    }

    private AssertSubscriber<GenerationEvent> subscribe(long initialDemand) {
        return runtime.generate(chat(SteeringSpec.none())).subscribe().withSubscriber(AssertSubscriber.create(initialDemand));
    }

    private RuntimeFault failure(AssertSubscriber<GenerationEvent> sub) {
        Throwable t = sub.awaitFailure(WAIT).getFailure();
        assertThat(t).isInstanceOf(RuntimeFault.class);
        assertThat(runtime.inFlight()).as("in-flight slot released").isZero();
        return (RuntimeFault) t;
    }

    private RuntimeFault generateAndFail() {
        return failure(subscribe(Long.MAX_VALUE));
    }

    @Test
    void upstreamDown_failsUnavailable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        runtime("http://127.0.0.1:" + port + "/v1", o -> o);
        RuntimeFault f = generateAndFail();
        assertThat(f.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(f.getMessage()).contains("demo").contains("refused").doesNotContain(String.valueOf(port));
    }

    @Test
    void connectThatNeverCompletes_failsTimeout_afterTheConnectTimeout() throws Exception {
        // A listener whose accept queue is full drops further SYNs: the connect hangs, on loopback only.
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort());
            try {
                for (int i = 0; i < 16; i++) {
                    Socket filler = new Socket();
                    try {
                        filler.connect(address, 200);
                        fillers.add(filler);
                    } catch (SocketTimeoutException full) {
                        filler.close();
                        break;
                    }
                }
                runtime("http://127.0.0.1:" + s.getLocalPort() + "/v1",
                        o -> o.withTimeouts(Duration.ofMillis(300), Duration.ofSeconds(5), Duration.ofSeconds(10)));
                long t0 = System.nanoTime();
                RuntimeFault f = generateAndFail();
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertThat(f.kind()).isEqualTo(Kind.TIMEOUT);
                assertThat(f.getMessage()).contains("connect");
                assertThat(ms).isBetween(250L, 4000L);
            } finally {
                for (Socket filler : fillers) {
                    filler.close();
                }
            }
        }
    }

    @Test
    void serverThatAcceptsButNeverAnswers_failsTimeout_afterTheIdleReadTimeout() throws Exception {
        up.enqueue(Reply.neverAnswer());
        runtime(up.baseUrl(), o -> o.withTimeouts(Duration.ofSeconds(2), SHORT, Duration.ofSeconds(10)));
        long t0 = System.nanoTime();
        RuntimeFault f = generateAndFail();
        assertThat(f.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(f.getMessage()).contains("no response");
        assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(300L, 3000L);
        assertThat(up.awaitExchange(0, WAIT).awaitClientClose(WAIT)).as("upstream request reset").isTrue();
    }

    @Test
    void upstreamSilentMidStream_failsTimeout_afterDeliveringWhatArrived() throws Exception {
        up.enqueue(Reply.stream().event(Chunks.chatDelta("a")).event(Chunks.chatDelta("b")).delay(Duration.ofSeconds(5)));
        runtime(up.baseUrl(), o -> o.withTimeouts(Duration.ofSeconds(2), SHORT, Duration.ofSeconds(10)));
        AssertSubscriber<GenerationEvent> sub = subscribe(Long.MAX_VALUE);
        RuntimeFault f = failure(sub);
        assertThat(f.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(f.getMessage()).contains("no data");
        assertThat(sub.getItems()).containsExactly(GenerationEvent.Token.text("a"));
        assertThat(up.awaitExchange(0, WAIT).awaitClientClose(WAIT)).isTrue();
    }

    @Test
    void aSteadyTrickle_stillHitsTheTotalDeadline() {
        Reply trickle = Reply.stream();
        for (int i = 0; i < 100; i++) {
            trickle.event(Chunks.chatDelta("t"));
        }
        up.enqueue(trickle.delay(Duration.ofMillis(50)));
        runtime(up.baseUrl(), o -> o.withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofMillis(600)));
        AssertSubscriber<GenerationEvent> sub = subscribe(Long.MAX_VALUE);
        RuntimeFault f = failure(sub);
        assertThat(f.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(f.getMessage()).contains("did not finish");
        assertThat(sub.getItems()).hasSizeBetween(3, 99);
    }

    @Test
    void status500WithJsonError_failsUpstreamError_withTheUpstreamMessageAndStatus() {
        up.enqueue(Reply.status(500, "{\"error\":{\"message\":\"engine dead\",\"type\":\"InternalServerError\"}}"));
        runtime();
        RuntimeFault f = generateAndFail();
        assertThat(f.kind()).isEqualTo(Kind.UPSTREAM_ERROR);
        assertThat(f.upstreamStatus()).isEqualTo(500);
        assertThat(f.getMessage()).contains("500").contains("engine dead");
    }

    @Test
    void status502WithAnHtmlPage_carriesTheStatusLine_notTheBody() {
        up.enqueue(Reply.status(502, "<html><body>" + "secret internal detail ".repeat(200) + "</body></html>", "text/html"));
        runtime();
        RuntimeFault f = generateAndFail();
        assertThat(f.kind()).isEqualTo(Kind.UPSTREAM_ERROR);
        assertThat(f.upstreamStatus()).isEqualTo(502);
        assertThat(f.getMessage()).contains("HTTP 502 Bad Gateway").doesNotContain("secret");
    }

    @Test
    void status400And422_failInvalidRequest_withTheUpstreamMessage() {
        up.enqueue(Reply.status(400, "{\"object\":\"error\",\"message\":\"max_tokens is too large\",\"code\":400}"));
        up.enqueue(Reply.status(422, "{\"detail\":[{\"loc\":[\"body\"],\"msg\":\"field required\",\"type\":\"missing\"}]}"));
        runtime();
        RuntimeFault f400 = generateAndFail();
        assertThat(f400.kind()).isEqualTo(Kind.INVALID_REQUEST);
        assertThat(f400.getMessage()).contains("max_tokens is too large");
        RuntimeFault f422 = generateAndFail();
        assertThat(f422.kind()).isEqualTo(Kind.INVALID_REQUEST);
        assertThat(f422.upstreamStatus()).isEqualTo(422);
        assertThat(f422.getMessage()).contains("field required");
    }

    @Test
    void status429_failsOverloaded() {
        up.enqueue(Reply.status(429, "{\"error\":{\"message\":\"slow down\"}}"));
        runtime();
        RuntimeFault f = generateAndFail();
        assertThat(f.kind()).isEqualTo(Kind.OVERLOADED);
        assertThat(f.upstreamStatus()).isEqualTo(429);
    }

    @Test
    void connectionResetMidStream_failsUpstreamError_afterTheTokensBeforeIt() {
        up.enqueue(Reply.stream().event(Chunks.chatDelta("part")).event(Chunks.chatDelta("ial"))
                .event(Chunks.chatDelta("never")).resetAfter(2).delay(Duration.ofMillis(100)));
        runtime();
        AssertSubscriber<GenerationEvent> sub = subscribe(Long.MAX_VALUE);
        RuntimeFault f = failure(sub);
        assertThat(f.kind()).isEqualTo(Kind.UPSTREAM_ERROR);
        assertThat(f.getMessage()).contains("mid-stream");
        assertThat(sub.getItems()).containsExactly(GenerationEvent.Token.text("part"), GenerationEvent.Token.text("ial"));
    }

    @Test
    void errorEventMidStream_failsUpstreamError_withItsMessage() {
        up.enqueue(Reply.stream().event(Chunks.chatDelta("ok")).event(Chunks.error("CUDA out of memory")).hang());
        runtime();
        RuntimeFault f = generateAndFail();
        assertThat(f.kind()).isEqualTo(Kind.UPSTREAM_ERROR);
        assertThat(f.getMessage()).contains("CUDA out of memory");
    }

    @Test
    void malformedJson_failsUpstreamError() {
        up.enqueue(Reply.stream().event(Chunks.chatDelta("ok")).raw("data: {\"choices\": [oops\n\n").done());
        runtime();
        RuntimeFault f = generateAndFail();
        assertThat(f.kind()).isEqualTo(Kind.UPSTREAM_ERROR);
        assertThat(f.getMessage()).contains("malformed JSON");
    }

    @Test
    void streamEndingWithoutDone_failsUpstreamError_evenAfterAFinishReason() {
        up.enqueue(Reply.stream().event(Chunks.chatDelta("a")).event(Chunks.chatFinish("stop")));
        up.enqueue(Reply.stream().event(Chunks.chatDelta("a")));
        runtime();
        assertThat(generateAndFail().getMessage()).contains("ended before [DONE]");
        RuntimeFault f = generateAndFail();
        assertThat(f.kind()).isEqualTo(Kind.UPSTREAM_ERROR);
        assertThat(f.getMessage()).contains("before a finish_reason");
    }

    @Test
    void doneWithoutAFinishReason_failsUpstreamError() {
        up.enqueue(Reply.stream().event(Chunks.chatDelta("a")).done());
        runtime();
        assertThat(generateAndFail().getMessage()).contains("without a finish_reason");
    }

    @Test
    void okStatusWithHtmlInsteadOfAnEventStreamOrJson_failsUpstreamError() {
        up.enqueue(Reply.status(200, "<html><body>captive portal</body></html>", "text/html"));
        runtime();
        RuntimeFault f = generateAndFail();
        assertThat(f.kind()).isEqualTo(Kind.UPSTREAM_ERROR);
        assertThat(f.getMessage()).contains("'text/html' instead of an event stream or a JSON completion");
    }

    @Test
    void cancellingTheSubscription_resetsTheUpstreamRequest_atOnce() throws Exception {
        up.enqueue(Reply.stream().event(Chunks.chatDelta("first")).hang());
        runtime();
        AssertSubscriber<GenerationEvent> sub = subscribe(Long.MAX_VALUE);
        sub.awaitItems(1, WAIT);
        FakeUpstream.Exchange ex = up.awaitExchange(0, WAIT);
        assertThat(ex.clientClosed()).isFalse();
        sub.cancel();
        assertThat(ex.awaitClientClose(Duration.ofSeconds(2))).as("upstream saw the connection close").isTrue();
        assertThat(runtime.inFlight()).isZero();
    }

    @Test
    void cancellingBeforeTheResponseHeaders_alsoResetsTheUpstream() throws Exception {
        up.enqueue(Reply.neverAnswer());
        runtime();
        AssertSubscriber<GenerationEvent> sub = subscribe(1);
        FakeUpstream.Exchange ex = up.awaitExchange(0, WAIT);
        sub.cancel();
        assertThat(ex.awaitClientClose(Duration.ofSeconds(2))).isTrue();
        assertThat(runtime.inFlight()).isZero();
    }

    @Test
    void beyondMaxInFlight_failsOverloadedImmediately_andASlotFreesOnCancel() throws Exception {
        up.enqueue(Reply.neverAnswer()).enqueue(Reply.neverAnswer()).enqueue(Reply.chatStream("room again"));
        runtime(up.baseUrl(), o -> o.withLimits(4, 2));
        AssertSubscriber<GenerationEvent> first = subscribe(1);
        AssertSubscriber<GenerationEvent> second = subscribe(1);
        up.awaitExchange(1, WAIT);
        assertThat(runtime.inFlight()).isEqualTo(2);
        long t0 = System.nanoTime();
        Throwable third = subscribe(1).awaitFailure(WAIT).getFailure();
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(500);
        assertThat(third).isInstanceOfSatisfying(RuntimeFault.class, f -> assertThat(f.kind()).isEqualTo(Kind.OVERLOADED));
        assertThat(up.exchanges()).hasSize(2);
        first.cancel();
        List<GenerationEvent> fourth = subscribe(Long.MAX_VALUE).awaitCompletion(WAIT).getItems();
        assertThat(RemoteRuntimeStreamingTest.text(fourth)).isEqualTo("room again");
        second.cancel();
    }

    @Test
    void allPooledConnectionsBusy_failsOverloadedAfterThePoolAcquireTimeout_notTheRequestTimeout() throws Exception {
        up.enqueue(Reply.neverAnswer()).enqueue(Reply.chatStream("late"));
        // one pooled connection, room for more in flight, a 10 s request timeout and a 300 ms acquire wait
        runtime(up.baseUrl(), o -> o.withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(10))
                .withLimits(1, 8).withPoolAcquireTimeout(Duration.ofMillis(300)));
        AssertSubscriber<GenerationEvent> holder = subscribe(1);
        up.awaitExchange(0, WAIT);
        long t0 = System.nanoTime();
        Throwable second = subscribe(1).awaitFailure(WAIT).getFailure();
        long waitedMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(second).isInstanceOfSatisfying(RuntimeFault.class,
                f -> assertThat(f.kind()).isEqualTo(Kind.OVERLOADED));
        assertThat(waitedMs).isBetween(250L, 3_000L);
        holder.cancel();
    }

    @Test
    void anUpstreamThatKeepsTheResponseOpenAfterDone_stillCompletes_andItsConnectionIsDroppedLater() throws Exception {
        up.enqueue(Reply.chatStream("fine").hang());
        runtime(up.baseUrl(), o -> o.withTimeouts(Duration.ofSeconds(2), SHORT, Duration.ofSeconds(10)));
        List<GenerationEvent> events = subscribe(Long.MAX_VALUE).awaitCompletion(WAIT).getItems();
        assertThat(RemoteRuntimeStreamingTest.text(events)).isEqualTo("fine");
        assertThat(runtime.inFlight()).isZero();
        FakeUpstream.Exchange ex = up.awaitExchange(0, WAIT);
        assertThat(ex.clientClosed()).isFalse();
        assertThat(ex.awaitClientClose(Duration.ofSeconds(3))).as("dropped after the idle timeout").isTrue();
    }

    @Test
    void aClosedRuntime_failsUnavailable() {
        runtime();
        runtime.close();
        runtime.close();
        assertThat(generateAndFail().kind()).isEqualTo(Kind.UNAVAILABLE);
    }
}
