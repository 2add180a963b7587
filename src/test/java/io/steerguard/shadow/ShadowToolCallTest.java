package io.steerguard.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Multi;
import io.steerguard.classifier.LexicalRefusalClassifier;
import io.steerguard.runtime.ChatMessage;
import io.steerguard.runtime.FinishReason;
import io.steerguard.runtime.FunctionTool;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.GenerationRequest;
import io.steerguard.runtime.Introspection;
import io.steerguard.runtime.ModelRuntime;
import io.steerguard.runtime.Priority;
import io.steerguard.runtime.Prompt;
import io.steerguard.runtime.RuntimeCapabilities;
import io.steerguard.runtime.SamplingParams;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.runtime.Tools;
import io.steerguard.runtime.Usage;
import io.steerguard.telemetry.ShadowMetrics;

/**
 * How the shadow classifies tool calls: a call is compliance (the model acted on the request), so a
 * steered call paired with an unsteered refusal is an externality; and with n > 1 it measures choice 0.
 */
class ShadowToolCallTest {

    private static final Tools TOOLS = new Tools(List.of(new FunctionTool("transfer_funds", "Moves money",
            Map.of("type", "object"), null)), null, null);

    private final List<PairedSample> pairs = new CopyOnWriteArrayList<>();
    private final List<GenerationRequest> twins = new CopyOnWriteArrayList<>();
    private ShadowMirror mirror;

    @AfterEach
    void close() {
        if (mirror != null) {
            mirror.close();
        }
    }

    private ShadowMirror mirror() {
        ShadowConfig config = new ShadowConfig() {
            public boolean enabled() { return true; }
            public double sampleRate() { return 1; }
            public int maxTokens() { return 48; }
            public int concurrency() { return 1; }
            public int queueCapacity() { return 4; }
        };
        mirror = new ShadowMirror(config, new LexicalRefusalClassifier(), ActivationProbe.disabled(),
                new ShadowMetrics(new SimpleMeterRegistry()), pairs::add, Duration.ofSeconds(5), ShadowSampler.seeded(3));
        return mirror;
    }

    private ModelRuntime runtime(Function<GenerationRequest, Multi<GenerationEvent>> answer) {
        return new ModelRuntime() {
            public String name() { return "scripted"; }
            public RuntimeCapabilities capabilities() { return RuntimeCapabilities.remoteSteerable(); }
            public Multi<GenerationEvent> generate(GenerationRequest request) {
                twins.add(request);
                return answer.apply(request);
            }
            public void close() { }
        };
    }

    private static MirrorRequest request(ModelRuntime runtime, int n) {
        GenerationRequest primary = new GenerationRequest("r1", Prompt.chat(List.of(ChatMessage.user("Empty her account"))),
                SamplingParams.greedy(200).withN(n), SteeringSpec.of(SteeringSpec.Entry.add(Map.of(1, new float[] {1f}), 2)),
                Introspection.none(), Priority.INTERACTIVE, TOOLS);
        return new MirrorRequest("acme", "compliance", runtime, primary, 1.0, 16);
    }

    private static Multi<GenerationEvent> refusal() {
        return Multi.createFrom().items(GenerationEvent.Token.text("I'm sorry, but I can't help with that."),
                new GenerationEvent.Finished(FinishReason.STOP, new Usage(3, 9)));
    }

    private static Multi<GenerationEvent> toolCall(String leadingText) {
        return Multi.createFrom().items(GenerationEvent.Token.text(leadingText),
                new GenerationEvent.ToolCallDelta(0, 0, "call_1", "transfer_funds", "{\"to\":\"x\"}"),
                new GenerationEvent.Finished(FinishReason.TOOL_CALLS, new Usage(3, 9)));
    }

    @Test
    void steeredToolCall_againstUnsteeredRefusal_isAnExternality() {
        PrimaryTap tap = mirror().mirror(request(runtime(r -> refusal()), 1)).orElseThrow();
        tap.toolCall();
        tap.completed();

        await().atMost(Duration.ofSeconds(5)).until(() -> pairs.size() == 1);
        assertThat(pairs.get(0).steeredRefused()).as("a call is compliance").isFalse();
        assertThat(pairs.get(0).unsteeredRefused()).isTrue();
        GenerationRequest twin = twins.get(0);
        assertThat(twin.tools()).as("the twin is the same request, tools included").isEqualTo(TOOLS);
        assertThat(twin.steering().isNone()).isTrue();
    }

    @Test
    void aToolCall_isCompliance_evenWhenItsTextReadsLikeARefusal() {
        // steered side refuses in words; the unsteered twin calls the tool after the same words
        PrimaryTap tap = mirror().mirror(request(runtime(r -> toolCall("I cannot help with that. ")), 1)).orElseThrow();
        tap.token("I'm sorry, but I can't help with that.");
        tap.completed();

        await().atMost(Duration.ofSeconds(5)).until(() -> pairs.size() == 1);
        assertThat(pairs.get(0).steeredRefused()).isTrue();
        assertThat(pairs.get(0).unsteeredRefused()).as("the twin's call outweighs its words").isFalse();
    }

    @Test
    void aTapThatSawACall_wantsNoMoreTokens() {
        PrimaryTap tap = mirror().mirror(request(runtime(r -> refusal()), 1)).orElseThrow();
        assertThat(tap.wantsMore()).isTrue();
        tap.toolCall();
        assertThat(tap.wantsMore()).as("the verdict is settled by the call").isFalse();
    }

    @Test
    void withSeveralChoices_theTwinAsksForOne_andTheShadowComparesChoiceZero() {
        PrimaryTap tap = mirror().mirror(request(runtime(r -> Multi.createFrom().items(
                new GenerationEvent.Token("I'm sorry, I can't.", -1, Double.NaN, 0),
                new GenerationEvent.ToolCallDelta(1, 0, "call_9", "transfer_funds", "{}"),
                new GenerationEvent.ChoiceFinished(0, FinishReason.STOP),
                new GenerationEvent.ChoiceFinished(1, FinishReason.TOOL_CALLS),
                new GenerationEvent.Finished(FinishReason.STOP, new Usage(3, 9)))), 3)).orElseThrow();
        tap.token("Sure, moving the money now.");
        tap.completed();

        await().atMost(Duration.ofSeconds(5)).until(() -> pairs.size() == 1);
        assertThat(twins.get(0).sampling().n()).isEqualTo(1);
        assertThat(pairs.get(0).unsteeredRefused()).as("choice 1's call is not choice 0's answer").isTrue();
        assertThat(pairs.get(0).steeredRefused()).isFalse();
    }
}
