package io.steerguard.runtime.remote;

import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.steerguard.runtime.FinishReason;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.GenerationRequest;
import io.steerguard.runtime.Prompt;
import io.steerguard.runtime.RuntimeFault;
import io.steerguard.runtime.RuntimeFault.Kind;
import io.steerguard.runtime.SamplingParams;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.runtime.Usage;
import io.steerguard.runtime.remote.FakeUpstream.Chunks;
import io.steerguard.runtime.remote.FakeUpstream.Reply;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.steerguard.runtime.remote.RemoteRuntimeStreamingTest.WAIT;
import static io.steerguard.runtime.remote.RemoteRuntimeStreamingTest.chat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upstream that answers one whole {@code application/json} completion (a proxy or server that
 * ignores {@code "stream": true}) gives the same events as a stream would, under the same limits.
 */
class RemoteRuntimeJsonAnswerTest {

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
    void start() throws Exception {
        up = FakeUpstream.start(serverVertx);
        runtime = new RemoteRuntime(clientVertx, RemoteRuntimeOptions.of("demo", RemoteRuntimeOptions.Flavor.OPENAI,
                up.baseUrl(), "m").withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofSeconds(5)));
    }

    @AfterEach
    void stop() throws Exception {
        runtime.close();
        up.close();
    }

    private AssertSubscriber<GenerationEvent> subscribe(GenerationRequest request, long demand) {
        return runtime.generate(request).subscribe().withSubscriber(AssertSubscriber.create(demand));
    }

    private RuntimeFault failure(AssertSubscriber<GenerationEvent> sub) {
        Throwable t = sub.awaitFailure(WAIT).getFailure();
        assertThat(t).isInstanceOf(RuntimeFault.class);
        assertThat(runtime.inFlight()).as("in-flight slot released").isZero();
        return (RuntimeFault) t;
    }

    @Test
    void aChatCompletionBody_becomesOneTokenWithTheWholeText_thenTheFinishWithTheUpstreamUsage() {
        up.enqueue(Reply.chatJson("Hello there, world", "stop", 9, 4));
        List<GenerationEvent> events = subscribe(chat(SteeringSpec.none()), Long.MAX_VALUE).awaitCompletion(WAIT).getItems();
        assertThat(events).containsExactly(GenerationEvent.Token.text("Hello there, world"),
                new GenerationEvent.Finished(FinishReason.STOP, new Usage(9, 4)));
        assertThat(runtime.inFlight()).isZero();
    }

    @Test
    void aTextCompletionBody_withACharsetParameter_isReadFromChoiceText() {
        up.enqueue(Reply.completionJson("once more", "length", 3, 2).contentType("application/json; charset=utf-8"));
        GenerationRequest req = GenerationRequest.of("r", Prompt.text("Try"), SamplingParams.greedy(2), SteeringSpec.none());
        List<GenerationEvent> events = subscribe(req, Long.MAX_VALUE).awaitCompletion(WAIT).getItems();
        assertThat(events).containsExactly(GenerationEvent.Token.text("once more"),
                new GenerationEvent.Finished(FinishReason.LENGTH, new Usage(3, 2)));
    }

    @Test
    void theEventsOfAJsonBody_waitForDemand_oneAtATime() {
        up.enqueue(Reply.chatJson("hi", "stop", 1, 1));
        AssertSubscriber<GenerationEvent> sub = subscribe(chat(SteeringSpec.none()), 0);
        up.setDefault(Reply.status(500, "{}")); // a second request would show up as a failure
        sub.request(1);
        sub.awaitItems(1, WAIT);
        assertThat(sub.getItems()).containsExactly(GenerationEvent.Token.text("hi"));
        assertThat(sub.hasCompleted()).isFalse();
        sub.request(1);
        sub.awaitCompletion(WAIT);
        assertThat(sub.getItems()).hasSize(2).last().isInstanceOf(GenerationEvent.Finished.class);
    }

    @Test
    void anEmptyAnswer_givesOnlyTheFinish() {
        up.enqueue(Reply.chatJson("", "length", 5, 0));
        List<GenerationEvent> events = subscribe(chat(SteeringSpec.none()), Long.MAX_VALUE).awaitCompletion(WAIT).getItems();
        assertThat(events).containsExactly(new GenerationEvent.Finished(FinishReason.LENGTH, new Usage(5, 0)));
    }

    @Test
    void malformedJson_failsUpstreamError_namingTheJsonAnswer() {
        up.enqueue(Reply.status(200, "{\"choices\": [ {\"message\": {\"content\": \"hi\""));
        RuntimeFault f = failure(subscribe(chat(SteeringSpec.none()), Long.MAX_VALUE));
        assertThat(f.kind()).isEqualTo(Kind.UPSTREAM_ERROR);
        assertThat(f.getMessage()).contains("malformed JSON in the upstream's JSON answer");
    }

    @Test
    void jsonThatIsNotAnObject_failsUpstreamError() {
        up.enqueue(Reply.status(200, "[\"hi\"]"));
        assertThat(failure(subscribe(chat(SteeringSpec.none()), Long.MAX_VALUE)).getMessage())
                .contains("malformed JSON in the upstream's JSON answer");
    }

    @Test
    void anErrorObjectWithStatus200_failsUpstreamError_withTheUpstreamMessage() {
        up.enqueue(Reply.status(200, Chunks.error("model is overloaded\u0007")));
        RuntimeFault f = failure(subscribe(chat(SteeringSpec.none()), Long.MAX_VALUE));
        assertThat(f.kind()).isEqualTo(Kind.UPSTREAM_ERROR);
        assertThat(f.getMessage()).contains("upstream answered 200 with an error: model is overloaded").doesNotContain("\u0007");
    }

    @Test
    void anAnswerWithoutAFinishReason_failsUpstreamError() {
        up.enqueue(Reply.status(200, "{\"choices\":[{\"message\":{\"content\":\"hi\"}}]}"));
        assertThat(failure(subscribe(chat(SteeringSpec.none()), Long.MAX_VALUE)).getMessage())
                .contains("JSON answer has no finish_reason");
    }

    @Test
    void aJsonBodyOverTheEventSizeLimit_failsUpstreamError_andResetsTheConnection() throws Exception {
        String huge = "x".repeat(4 * 1024 * 1024 + 10);
        up.enqueue(Reply.stream().contentType("application/json")
                .raw("{\"choices\":[{\"message\":{\"content\":\"").raw(huge).raw("\"},\"finish_reason\":\"stop\"}]}"));
        RuntimeFault f = failure(subscribe(chat(SteeringSpec.none()), Long.MAX_VALUE));
        assertThat(f.kind()).isEqualTo(Kind.UPSTREAM_ERROR);
        assertThat(f.getMessage()).contains("JSON answer exceeds 4194304 bytes");
    }

    @Test
    void jsonHeadersThenSilence_failsTimeout_afterTheIdleReadTimeout() {
        up.enqueue(Reply.stream().contentType("application/json").raw("{\"choices\":").hang());
        RuntimeFault f = failure(subscribe(chat(SteeringSpec.none()), Long.MAX_VALUE));
        assertThat(f.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(f.getMessage()).contains("sent no data for 500 ms");
    }

    @Test
    void jsonContentTypes_areRecognisedWithParametersAndSuffixes_butNotLookalikes() {
        assertThat(UpstreamExchange.isJson("application/json")).isTrue();
        assertThat(UpstreamExchange.isJson("Application/JSON ; charset=utf-8")).isTrue();
        assertThat(UpstreamExchange.isJson("application/vnd.api+json")).isTrue();
        assertThat(UpstreamExchange.isJson("text/json-seq")).isFalse();
        assertThat(UpstreamExchange.isJson("application/jsonl")).isFalse();
        assertThat(UpstreamExchange.isJson("text/event-stream")).isFalse();
    }

    @Test
    void cancellingAWholeAnswerRequest_whileTheUpstreamIsStillGenerating_resetsTheUpstreamRequest() throws Exception {
        up.enqueue(Reply.neverAnswer());
        AssertSubscriber<GenerationEvent> sub = subscribe(chat(SteeringSpec.none())
                .withDelivery(io.steerguard.runtime.Delivery.WHOLE), Long.MAX_VALUE);
        FakeUpstream.Exchange ex = up.awaitExchange(0, WAIT);
        assertThat(ex.bodyJson().getBoolean("stream")).isFalse();
        Thread.sleep(700); // past the 500 ms read timeout: a whole answer is allowed its silence
        assertThat(sub.getFailure()).isNull();
        sub.cancel();
        assertThat(ex.awaitClientClose(Duration.ofSeconds(2))).as("upstream saw the connection close").isTrue();
        assertThat(runtime.inFlight()).isZero();
    }
}
