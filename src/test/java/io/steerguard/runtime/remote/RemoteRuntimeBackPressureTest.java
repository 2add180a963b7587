package io.steerguard.runtime.remote;

import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.runtime.remote.FakeUpstream.Chunks;
import io.steerguard.runtime.remote.FakeUpstream.Reply;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.steerguard.runtime.remote.RemoteRuntimeStreamingTest.WAIT;
import static io.steerguard.runtime.remote.RemoteRuntimeStreamingTest.chat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A slow subscriber must slow the upstream down, not make the gateway buffer the stream. The fake
 * upstream writes only while its connection's write queue has room, so how far it gets is how much
 * the client (plus the kernel's socket buffers) absorbed.
 */
class RemoteRuntimeBackPressureTest {

    /** 1 KiB of text per event, 200k events: about 230 MB if nothing pushed back. */
    private static final int EVENTS = 200_000;
    private static final String PIECE = "x".repeat(1024);
    /** Socket buffers on loopback can hold a few MB (tcp_rmem max here is 32 MB); the stream is far larger. */
    private static final long STALL_LIMIT_BYTES = 64L * 1024 * 1024;

    private static Vertx clientVertx;
    private static Vertx serverVertx;

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

    @Test
    void aSubscriberThatRequestsOne_stallsTheUpstream_insteadOfBufferingTheStream() throws Exception {
        try (FakeUpstream up = FakeUpstream.start(serverVertx);
             RemoteRuntime runtime = new RemoteRuntime(clientVertx, RemoteRuntimeOptions.of("bp",
                     RemoteRuntimeOptions.Flavor.OPENAI, up.baseUrl(), "m")
                     .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofMinutes(2)))) {
            up.enqueue(Reply.generated(EVENTS, i -> Chunks.chatDelta(PIECE)));
            AssertSubscriber<GenerationEvent> sub = runtime.generate(chat(SteeringSpec.none()))
                    .subscribe().withSubscriber(AssertSubscriber.create(1));
            sub.awaitItems(1, WAIT);
            FakeUpstream.Exchange ex = up.awaitExchange(0, WAIT);

            long stalledAt = awaitStall(ex);
            System.out.printf("back-pressure: upstream stalled after %d events, %.1f MB of %.1f MB%n",
                    ex.eventsWritten(), stalledAt / 1e6, EVENTS * (PIECE.length() + 110.0) / 1e6);
            assertThat(stalledAt).isLessThan(STALL_LIMIT_BYTES);
            assertThat(ex.eventsWritten()).isLessThan(EVENTS / 2);
            assertThat(sub.getItems()).hasSize(1);

            // Longer than the idle-read timeout: being paused by a slow client is not upstream silence.
            Thread.sleep(2500);
            assertThat(sub.getFailure()).isNull();
            assertThat(ex.bytesWritten()).isEqualTo(stalledAt);

            // Demand again: the stream resumes where it stopped, nothing lost.
            sub.request(999);
            sub.awaitItems(1000, WAIT);
            assertThat(sub.getItems()).allMatch(e -> e.equals(GenerationEvent.Token.text(PIECE)));

            sub.cancel();
            assertThat(ex.awaitClientClose(WAIT)).isTrue();
            assertThat(runtime.inFlight()).isZero();
        }
    }

    @Test
    void aFastSubscriber_receivesALongStreamCompletely() throws Exception {
        int events = 20_000;
        try (FakeUpstream up = FakeUpstream.start(serverVertx);
             RemoteRuntime runtime = new RemoteRuntime(clientVertx,
                     RemoteRuntimeOptions.of("fast", RemoteRuntimeOptions.Flavor.OPENAI, up.baseUrl(), "m"))) {
            Reply reply = Reply.generated(events, i -> i == events - 1 ? Chunks.chatFinish("length") : Chunks.chatDelta("t" + i));
            up.enqueue(reply);
            var items = runtime.generate(chat(SteeringSpec.none()))
                    .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE)).awaitCompletion(WAIT).getItems();
            assertThat(items).hasSize(events);
            assertThat(items.get(0)).isEqualTo(GenerationEvent.Token.text("t0"));
            assertThat(items.get(events - 2)).isEqualTo(GenerationEvent.Token.text("t" + (events - 2)));
            assertThat(items.get(events - 1)).isInstanceOf(GenerationEvent.Finished.class);
        }
    }

    /** Waits until the upstream's written byte count stops moving for 500 ms, and returns it. */
    private static long awaitStall(FakeUpstream.Exchange ex) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        long last = -1;
        int stableFor = 0;
        while (System.nanoTime() < deadline) {
            Thread.sleep(100);
            long now = ex.bytesWritten();
            stableFor = now == last ? stableFor + 1 : 0;
            last = now;
            if (stableFor >= 5) {
                return now;
            }
            if (ex.serverEnded()) {
                break;
            }
        }
        throw new AssertionError("upstream never stalled: wrote " + last + " bytes, ended=" + ex.serverEnded());
    }
}
