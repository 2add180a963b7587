package io.steerguard.runtime.embedded;

import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.steerguard.runtime.ChatMessage;
import io.steerguard.runtime.FinishReason;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.GenerationRequest;
import io.steerguard.runtime.Introspection;
import io.steerguard.runtime.Priority;
import io.steerguard.runtime.Prompt;
import io.steerguard.runtime.RuntimeFault;
import io.steerguard.runtime.SamplingParams;
import io.steerguard.runtime.SteeringSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The ModelRuntime surface: text in, events out, over a tiny model with a real byte-level tokenizer. */
class EmbeddedRuntimeTest {

    @TempDir
    static Path tmp;
    static EmbeddedRuntime runtime;

    @BeforeAll
    static void load() {
        Path dir = tmp.resolve("chat-model");
        int vocab = TestTokenizers.writeByteLevel(dir);
        TinyModels.write(dir, TinyModels.Spec.of(ModelConfig.Family.LLAMA, TensorType.BF16).withVocab(vocab));
        runtime = EmbeddedRuntime.load(EmbeddedRuntimeOptions.defaults("tiny", dir)
                .withDevice("cpu").withMaxBatch(2).withMaxContext(96).withQueueCapacity(1));
    }

    @AfterAll
    static void close() {
        runtime.close();
    }

    static List<GenerationEvent> run(GenerationRequest request) {
        return runtime.generate(request).collect().asList().await().atMost(Duration.ofSeconds(60));
    }

    static GenerationRequest chat(SamplingParams sampling) {
        return GenerationRequest.of("req", Prompt.chat(List.of(ChatMessage.user("Hello world"))), sampling, SteeringSpec.none());
    }

    static String text(List<GenerationEvent> events) {
        return events.stream().filter(e -> e instanceof GenerationEvent.Token)
                .map(e -> ((GenerationEvent.Token) e).text()).collect(Collectors.joining());
    }

    @Test
    void chatGeneration_streamsTokensThenExactlyOneFinishedWithUsage_andTextEqualsDecode() {
        List<GenerationEvent> events = run(chat(SamplingParams.greedy(16)));
        assertThat(events.get(events.size() - 1)).isInstanceOf(GenerationEvent.Finished.class);
        assertThat(events.stream().filter(e -> e instanceof GenerationEvent.Finished)).hasSize(1);
        GenerationEvent.Finished finished = (GenerationEvent.Finished) events.get(events.size() - 1);
        int[] ids = events.stream().filter(e -> e instanceof GenerationEvent.Token t && t.tokenId() >= 0)
                .mapToInt(e -> ((GenerationEvent.Token) e).tokenId()).toArray();
        assertThat(finished.usage().completionTokens()).isGreaterThanOrEqualTo(ids.length).isLessThanOrEqualTo(16);
        assertThat(finished.usage().promptTokens())
                .isEqualTo(runtime.tokenizer().encodeChat(List.of(ChatMessage.user("Hello world"))).length);
        assertThat(text(events)).isEqualTo(runtime.tokenizer().decode(ids));
        assertThat(runtime.capabilities().chat()).isTrue();
    }

    @Test
    void stopString_endsGenerationBeforeTheMatch() {
        String full = text(run(chat(SamplingParams.greedy(24))));
        assertThat(full.length()).as("greedy output long enough to cut: '%s'", full).isGreaterThan(6);
        String stop = full.substring(4, 6);
        String expected = full.substring(0, full.indexOf(stop));
        List<GenerationEvent> events = run(chat(new SamplingParams(24, 0, 1, 0, null, List.of(stop), false)));
        assertThat(text(events)).isEqualTo(expected);
        assertThat(((GenerationEvent.Finished) events.get(events.size() - 1)).reason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void seededSampling_isReproducible_andLogprobsAreReported() {
        SamplingParams params = new SamplingParams(12, 0.9, 0.95, 20, 1234L, List.of(), true);
        List<GenerationEvent> a = run(chat(params));
        List<GenerationEvent> b = run(chat(params));
        assertThat(a).isEqualTo(b);
        assertThat(a).filteredOn(e -> e instanceof GenerationEvent.Token t && t.tokenId() >= 0)
                .allSatisfy(e -> assertThat(((GenerationEvent.Token) e).logprob()).isLessThanOrEqualTo(0.0));
    }

    @Test
    void introspection_emitsCapturedBeforeTheFirstToken() {
        GenerationRequest request = new GenerationRequest("req", new Prompt.Tokens(new int[]{5, 6, 7}),
                SamplingParams.greedy(3), SteeringSpec.none(), new Introspection(List.of(1), true), Priority.BACKGROUND);
        List<GenerationEvent> events = run(request);
        assertThat(events.get(0)).isInstanceOfSatisfying(GenerationEvent.Captured.class, c -> {
            assertThat(c.residuals()).containsOnlyKeys(1);
            assertThat(c.firstTokenLogProbs()).hasSize(runtime.modelConfig().vocabSize());
        });
        assertThat(events.subList(1, events.size())).noneMatch(e -> e instanceof GenerationEvent.Captured);
    }

    @Test
    void steeringChangesTheOutput_andNoneMatchesAnUnsteeredRequest() {
        GenerationRequest plain = new GenerationRequest("req", new Prompt.Tokens(new int[]{5, 6, 7}),
                SamplingParams.greedy(8), SteeringSpec.none(), new Introspection(List.of(2), true), Priority.INTERACTIVE);
        float[] v = new float[48];
        v[3] = 1;
        GenerationRequest steered = plain.withSteering(SteeringSpec.of(SteeringSpec.Entry.add(Map.of(0, v), 50.0)));
        GenerationEvent.Captured a = (GenerationEvent.Captured) run(plain).get(0);
        GenerationEvent.Captured b = (GenerationEvent.Captured) run(plain).get(0);
        GenerationEvent.Captured c = (GenerationEvent.Captured) run(steered).get(0);
        assertThat(b.firstTokenLogProbs()).isEqualTo(a.firstTokenLogProbs());
        assertThat(c.firstTokenLogProbs()).isNotEqualTo(a.firstTokenLogProbs());
    }

    @Test
    void cancellingTheSubscription_freesTheBatchSlot() {
        AssertSubscriber<GenerationEvent> sub = runtime.generate(chat(SamplingParams.greedy(80)))
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        // poll every millisecond: the tiny model could otherwise finish all 80 tokens between polls
        await().pollInterval(java.time.Duration.ofMillis(1)).until(() -> sub.getItems().size() >= 2);
        sub.cancel();
        await().until(() -> runtime.runningSequences() == 0);
        assertThat(sub.getItems()).noneMatch(e -> e instanceof GenerationEvent.Finished);
    }

    @Test
    void invalidRequests_failTheStreamWithAFault() {
        float[] wrong = new float[5];
        GenerationRequest bad = GenerationRequest.of("req", new Prompt.Tokens(new int[]{1}), SamplingParams.greedy(2),
                SteeringSpec.of(SteeringSpec.Entry.add(Map.of(0, wrong), 1.0)));
        assertThatThrownBy(() -> run(bad)).isInstanceOfSatisfying(RuntimeFault.class,
                f -> assertThat(f.kind()).isEqualTo(RuntimeFault.Kind.INVALID_REQUEST));
        GenerationRequest tooLong = GenerationRequest.of("req", new Prompt.Tokens(new int[97]), SamplingParams.greedy(2),
                SteeringSpec.none());
        assertThatThrownBy(() -> run(tooLong)).isInstanceOfSatisfying(RuntimeFault.class,
                f -> assertThat(f.getMessage()).contains("97 tokens"));
    }
}
