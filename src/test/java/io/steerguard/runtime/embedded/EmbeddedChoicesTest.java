package io.steerguard.runtime.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.steerguard.runtime.ChatMessage;
import io.steerguard.runtime.FunctionTool;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.GenerationRequest;
import io.steerguard.runtime.Introspection;
import io.steerguard.runtime.Priority;
import io.steerguard.runtime.Prompt;
import io.steerguard.runtime.RuntimeFault;
import io.steerguard.runtime.SamplingParams;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.runtime.Tools;

/** n > 1 on the embedded runtime: choices batched as sequences, tagged with their index, usage summed. */
class EmbeddedChoicesTest {

    @TempDir
    static Path tmp;
    static EmbeddedRuntime runtime;

    @BeforeAll
    static void load() {
        Path dir = tmp.resolve("chat-model");
        int vocab = TestTokenizers.writeByteLevel(dir);
        TinyModels.write(dir, TinyModels.Spec.of(ModelConfig.Family.LLAMA, TensorType.F32).withVocab(vocab));
        runtime = EmbeddedRuntime.load(EmbeddedRuntimeOptions.defaults("tiny", dir)
                .withDevice("cpu").withMaxBatch(4).withMaxContext(96).withQueueCapacity(8));
    }

    @AfterAll
    static void close() {
        runtime.close();
    }

    private static List<GenerationEvent> run(SamplingParams sampling) {
        return runtime.generate(GenerationRequest.of("n", Prompt.chat(List.of(ChatMessage.user("Hello world"))),
                sampling, SteeringSpec.none())).collect().asList().await().atMost(Duration.ofSeconds(60));
    }

    private static List<String> texts(List<GenerationEvent> events, int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> events.stream()
                .filter(e -> e instanceof GenerationEvent.Token t && t.choice() == i)
                .map(e -> ((GenerationEvent.Token) e).text()).collect(Collectors.joining())).toList();
    }

    private static SamplingParams sampled(Long seed, int n) {
        return new SamplingParams(12, 1.0, 1.0, 0, seed, List.of(), false, n, 0, 0, Map.of());
    }

    @Test
    void threeChoices_eachEndOnce_thenOneFinishedWithTheirSummedUsage() {
        List<GenerationEvent> events = run(sampled(11L, 3));

        assertThat(events.get(events.size() - 1)).isInstanceOf(GenerationEvent.Finished.class);
        List<GenerationEvent.ChoiceFinished> ends = events.stream().filter(e -> e instanceof GenerationEvent.ChoiceFinished)
                .map(e -> (GenerationEvent.ChoiceFinished) e).toList();
        assertThat(ends).extracting(GenerationEvent.ChoiceFinished::choice).containsExactlyInAnyOrder(0, 1, 2);
        long tokens = events.stream().filter(e -> e instanceof GenerationEvent.Token t && t.tokenId() >= 0).count();
        GenerationEvent.Finished f = (GenerationEvent.Finished) events.get(events.size() - 1);
        assertThat(f.usage().completionTokens()).isGreaterThanOrEqualTo((int) tokens).isLessThanOrEqualTo(36);
        assertThat(f.usage().promptTokens())
                .isEqualTo(runtime.tokenizer().encodeChat(List.of(ChatMessage.user("Hello world"))).length);
    }

    @Test
    void withAFixedSeed_theChoicesAreReproducible_andNotCopiesOfOneAnother() {
        List<String> first = texts(run(sampled(42L, 3)), 3);
        List<String> again = texts(run(sampled(42L, 3)), 3);

        assertThat(again).isEqualTo(first);
        assertThat(first.stream().distinct().count()).as("each choice draws from its own seed").isGreaterThan(1);
    }

    @Test
    void atTemperatureZero_theChoicesAreIdentical() {
        List<String> choices = texts(run(SamplingParams.greedy(12).withN(3)), 3);

        assertThat(choices).hasSize(3).allSatisfy(t -> assertThat(t).isEqualTo(choices.get(0)).isNotEmpty());
    }

    @Test
    void tools_areRefusedWithTheRuntimeAndTheMissingCapability() {
        GenerationRequest withTools = new GenerationRequest("t", Prompt.chat(List.of(ChatMessage.user("Hi"))),
                SamplingParams.greedy(4), SteeringSpec.none(), Introspection.none(), Priority.INTERACTIVE,
                new Tools(List.of(new FunctionTool("f", null, null, null)), null, null));

        assertThatThrownBy(() -> runtime.generate(withTools).collect().asList().await().atMost(Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(RuntimeFault.class, f -> {
                    assertThat(f.kind()).isEqualTo(RuntimeFault.Kind.UNSUPPORTED);
                    assertThat(f.getMessage()).contains("runtime 'tiny'").contains("tool-call parser");
                });
    }

    @Test
    void logitBiasOutsideTheVocabulary_isAnInvalidRequest() {
        SamplingParams bias = new SamplingParams(4, 0, 1, 0, null, List.of(), false, 1, 0, 0, Map.of(1_000_000, 5.0));

        assertThatThrownBy(() -> run(bias)).isInstanceOfSatisfying(RuntimeFault.class,
                f -> assertThat(f.kind()).isEqualTo(RuntimeFault.Kind.INVALID_REQUEST));
    }

    @Test
    void logitBias_steersTheGeneratedText() {
        String plain = texts(run(SamplingParams.greedy(6)), 1).get(0);
        int forced = runtime.tokenizer().encodeText("Z")[0];
        SamplingParams biased = new SamplingParams(6, 0, 1, 0, null, List.of(), false, 1, 0, 0, Map.of(forced, 100.0));

        assertThat(texts(run(biased), 1).get(0)).isNotEqualTo(plain).startsWith("Z");
    }
}
