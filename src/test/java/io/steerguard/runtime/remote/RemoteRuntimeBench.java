package io.steerguard.runtime.remote;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.runtime.remote.FakeUpstream.Chunks;
import io.steerguard.runtime.remote.FakeUpstream.Reply;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Rerunnable throughput check of the remote runtime's streaming path (client side: SSE parsing,
 * chunk decoding, event emission) against {@link FakeUpstream} on loopback. Both sides share the
 * machine, so the numbers are a floor for the client, not a model-server benchmark.
 *
 * <p>Run: {@code ./mvnw -q -o test-compile && java -cp target/test-classes:target/classes:$(cat cp.txt)
 * io.steerguard.runtime.remote.RemoteRuntimeBench [streams] [tokensPerStream] [rounds]}, with
 * {@code cp.txt} from {@code ./mvnw -q -o dependency:build-classpath -Dmdep.outputFile=cp.txt}.
 */
public final class RemoteRuntimeBench {

    public static void main(String[] args) throws Exception {
        int streams = args.length > 0 ? Integer.parseInt(args[0]) : 32;
        int tokens = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Vertx clientVertx = Vertx.vertx();
        Vertx serverVertx = Vertx.vertx();
        try (FakeUpstream up = FakeUpstream.start(serverVertx);
             RemoteRuntime runtime = new RemoteRuntime(clientVertx,
                     RemoteRuntimeOptions.of("bench", RemoteRuntimeOptions.Flavor.OPENAI, up.baseUrl(), "m")
                             .withLimits(streams, streams))) {
            // Pre-encode one typical vLLM content chunk (a ~4-character token).
            String token = Chunks.chatDelta(" tok");
            String finish = Chunks.chatFinish("length");
            up.setDefault(Reply.generated(tokens + 1, i -> i < tokens ? token : finish));
            for (int round = 0; round <= rounds; round++) {
                long t0 = System.nanoTime();
                List<AssertSubscriber<GenerationEvent>> subs = new ArrayList<>();
                for (int s = 0; s < streams; s++) {
                    Multi<GenerationEvent> m = runtime.generate(RemoteRuntimeStreamingTest.chat(SteeringSpec.none()));
                    subs.add(m.subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE)));
                }
                long events = 0;
                for (AssertSubscriber<GenerationEvent> sub : subs) {
                    events += sub.awaitCompletion(Duration.ofMinutes(2)).getItems().size();
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                long bytes = (long) streams * (tokens * (token.length() + 8L) + finish.length() + 22);
                System.out.printf("%s round %d: %d streams x %d tokens: %.0f events/s, %.1f MB/s of SSE, %.3f s%n",
                        round == 0 ? "warm-up" : "measured", round, streams, tokens, events / seconds,
                        bytes / seconds / 1e6, seconds);
            }
        } finally {
            clientVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            serverVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
