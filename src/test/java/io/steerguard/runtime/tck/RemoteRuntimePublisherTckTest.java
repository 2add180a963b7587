package io.steerguard.runtime.tck;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowPublisherVerification;

import io.smallrye.mutiny.Multi;
import io.steerguard.runtime.ChatMessage;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.GenerationRequest;
import io.steerguard.runtime.Prompt;
import io.steerguard.runtime.SamplingParams;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.runtime.remote.FakeUpstream;
import io.steerguard.runtime.remote.RemoteRuntime;
import io.steerguard.runtime.remote.RemoteRuntimeOptions;
import io.vertx.core.Vertx;

/**
 * {@code RemoteRuntime.generate} against every publisher rule of the Reactive Streams TCK, over real
 * HTTP to a scripted OpenAI-compatible server: n events are a stream of n − 1 content chunks (one
 * token event each) and its finish (one Finished event).
 */
class RemoteRuntimePublisherTckTest {

    static final int MAX_ELEMENTS = 64;

    static Vertx clientVertx;
    static Vertx serverVertx;
    static FakeUpstream upstream;
    static RemoteRuntime runtime;

    @BeforeAll
    static void start() throws Exception {
        clientVertx = Vertx.vertx();
        serverVertx = Vertx.vertx();
        upstream = FakeUpstream.start(serverVertx);
        runtime = new RemoteRuntime(clientVertx, RemoteRuntimeOptions.of("tck", RemoteRuntimeOptions.Flavor.OPENAI,
                upstream.baseUrl(), "m").withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10)));
    }

    @AfterAll
    static void stop() throws Exception {
        runtime.close();
        upstream.close();
        clientVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        serverVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static GenerationRequest request() {
        return GenerationRequest.of("tck", Prompt.chat(List.of(ChatMessage.user("count"))), SamplingParams.greedy(128),
                SteeringSpec.none());
    }

    /**
     * The generation as the gateway subscribes to it; the scripted answer is chosen when a
     * subscriber arrives, so that each subscription gets the answer its publisher was made for.
     */
    private static Multi<GenerationEvent> answering(FakeUpstream.Reply reply) {
        return Multi.createFrom().deferred(() -> {
            upstream.setDefault(reply);
            return runtime.generate(request());
        });
    }

    @TestFactory
    Stream<DynamicTest> generate_followsEveryPublisherRuleOfTheReactiveStreamsTck() {
        return TckAdapter.rules(new FlowPublisherVerification<GenerationEvent>(new TestEnvironment(2000, 200)) {
            @Override
            public Flow.Publisher<GenerationEvent> createFlowPublisher(long elements) {
                if (elements < 1) {
                    // the TCK's own way to say a rule needs what this publisher cannot emit
                    throw new org.testng.SkipException("a generation always ends with a Finished event");
                }
                String[] pieces = IntStream.range(0, (int) elements - 1).mapToObj(i -> "t" + i + " ").toArray(String[]::new);
                return answering(FakeUpstream.Reply.chatStream(pieces));
            }

            @Override
            public Flow.Publisher<GenerationEvent> createFailedFlowPublisher() {
                return answering(FakeUpstream.Reply.status(500, "{\"error\":{\"message\":\"boom\"}}"));
            }

            @Override
            public long maxElementsFromPublisher() {
                return MAX_ELEMENTS;
            }
        });
    }
}
