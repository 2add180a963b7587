package io.steerguard.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Multi;
import io.steerguard.classifier.LexicalRefusalClassifier;
import io.steerguard.runtime.ChatMessage;
import io.steerguard.runtime.FinishReason;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.GenerationRequest;
import io.steerguard.runtime.ModelRuntime;
import io.steerguard.runtime.Priority;
import io.steerguard.runtime.Prompt;
import io.steerguard.runtime.RuntimeCapabilities;
import io.steerguard.runtime.RuntimeFault;
import io.steerguard.runtime.SamplingParams;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.runtime.Usage;
import io.steerguard.telemetry.ShadowMetrics;

/** The shadow path's isolation and bounds, with a scripted model runtime standing in for the model. */
class ShadowMirrorTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<PairedSample> pairs = new CopyOnWriteArrayList<>();
    private final List<GenerationRequest> twins = new CopyOnWriteArrayList<>();
    private ShadowMirror mirror;

    /** A runtime that answers each request with {@code answer.apply(request)}. */
    private ModelRuntime runtime(Function<GenerationRequest, Multi<GenerationEvent>> answer) {
        return new ModelRuntime() {
            @Override
            public String name() {
                return "scripted";
            }

            @Override
            public RuntimeCapabilities capabilities() {
                return RuntimeCapabilities.remoteSteerable();
            }

            @Override
            public Multi<GenerationEvent> generate(GenerationRequest request) {
                twins.add(request);
                return answer.apply(request);
            }

            @Override
            public void close() {
            }
        };
    }

    private static Multi<GenerationEvent> text(String text) {
        return Multi.createFrom().items(GenerationEvent.Token.text(text),
                new GenerationEvent.Finished(FinishReason.STOP, new Usage(3, 1)));
    }

    private ShadowMirror mirror(int concurrency, int queue) {
        ShadowConfig config = new ShadowConfig() {
            public boolean enabled() { return true; }
            public double sampleRate() { return 1; }
            public int maxTokens() { return 48; }
            public int concurrency() { return concurrency; }
            public int queueCapacity() { return queue; }
        };
        mirror = new ShadowMirror(config, new LexicalRefusalClassifier(), ActivationProbe.disabled(),
                new ShadowMetrics(registry), pairs::add, Duration.ofSeconds(5), ShadowSampler.seeded(12));
        return mirror;
    }

    @AfterEach
    void close() {
        if (mirror != null) {
            mirror.close();
        }
    }

    private static MirrorRequest request(ModelRuntime runtime, String id) {
        return request(runtime, id, "acme", "json-format", 1.0);
    }

    private static MirrorRequest request(ModelRuntime runtime, String id, String tenant, String profile, double rate) {
        GenerationRequest primary = GenerationRequest.of(id, Prompt.chat(List.of(ChatMessage.user("How do I do it?"))),
                SamplingParams.greedy(200), SteeringSpec.of(SteeringSpec.Entry.add(java.util.Map.of(1, new float[] {1f}), 2)));
        return new MirrorRequest(tenant, profile, runtime, primary, rate, 16);
    }

    private double count(String outcome) {
        return registry.find(ShadowMetrics.SAMPLES).tag("outcome", outcome).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    private double count(String tenant, String outcome) {
        return registry.find(ShadowMetrics.SAMPLES).tag("tenant", tenant).tag("outcome", outcome).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    @Test
    void completedPrimary_isPairedWithItsUnsteeredTwin() {
        ShadowMirror m = mirror(2, 4);
        PrimaryTap tap = m.mirror(request(runtime(r -> text("I'm sorry, but I can't help with that.")), "a")).orElseThrow();
        tap.token("Sure, here is ");
        tap.token("the plan.");
        tap.completed();

        await().atMost(Duration.ofSeconds(5)).until(() -> pairs.size() == 1);
        PairedSample pair = pairs.get(0);
        assertThat(pair.steeredRefused()).isFalse();
        assertThat(pair.unsteeredRefused()).isTrue();
        assertThat(pair.profile()).isEqualTo("json-format");
        GenerationRequest twin = twins.get(0);
        assertThat(twin.steering().isNone()).isTrue();
        assertThat(twin.priority()).isEqualTo(Priority.BACKGROUND);
        assertThat(twin.sampling().maxTokens()).isEqualTo(16);
        assertThat(count("paired")).isEqualTo(1);
    }

    @Test
    void primaryText_isTruncatedToTheTokenBudget_likeTheTwin() {
        ShadowMirror m = mirror(1, 1);
        PrimaryTap tap = m.mirror(request(runtime(r -> text("ok")), "t")).orElseThrow();
        for (int i = 0; i < 16; i++) {
            tap.token("a");
        }
        tap.token(" I cannot help with that.");
        tap.completed();
        await().atMost(Duration.ofSeconds(5)).until(() -> pairs.size() == 1);
        assertThat(pairs.get(0).steeredRefused()).as("text past the budget is not compared").isFalse();
    }

    @Test
    void cancelledOrFailedPrimary_startsNoShadowWork_andCountsSkipped() {
        ShadowMirror m = mirror(2, 4);
        m.mirror(request(runtime(r -> text("x")), "c1")).orElseThrow().cancelled();
        m.mirror(request(runtime(r -> text("x")), "c2")).orElseThrow().failed();

        assertThat(twins).isEmpty();
        assertThat(count("skipped")).isEqualTo(2);
    }

    @Test
    void fullQueue_dropsAndCounts_insteadOfQueueingWithoutBound() {
        ShadowMirror m = mirror(1, 2);
        AtomicInteger started = new AtomicInteger();
        ModelRuntime hanging = runtime(r -> {
            started.incrementAndGet();
            return Multi.createFrom().nothing();
        });
        for (int i = 0; i < 6; i++) {
            m.mirror(request(hanging, "q" + i)).orElseThrow().completed();
        }

        assertThat(started.get()).as("one runs").isEqualTo(1);
        assertThat(m.queueDepth()).as("two wait").isEqualTo(2);
        assertThat(count("dropped")).as("the rest are dropped").isEqualTo(3);
    }

    @Test
    void failingTwin_isCountedAsError_andFreesItsSlot() {
        ShadowMirror m = mirror(1, 4);
        ModelRuntime failing = runtime(r -> Multi.createFrom().failure(
                new RuntimeFault(RuntimeFault.Kind.UNAVAILABLE, "down")));
        m.mirror(request(failing, "f1")).orElseThrow().completed();
        m.mirror(request(failing, "f2")).orElseThrow().completed();

        await().atMost(Duration.ofSeconds(5)).until(() -> count("error") == 2);
        assertThat(m.running()).isZero();
        assertThat(m.queueDepth()).isZero();
    }

    @Test
    void unsteeredRequest_isNeverMirrored() {
        ShadowMirror m = mirror(1, 1);
        GenerationRequest plain = GenerationRequest.of("u", Prompt.text("hi"), SamplingParams.greedy(4), SteeringSpec.none());
        assertThat(m.mirror(new MirrorRequest("acme", "unsteered", runtime(r -> text("x")), plain, 1.0, 16))).isEmpty();
    }

    @Test
    void routedRequest_steeredWithNoSteeringOnTheWire_isMirrored_andItsTwinRunsOnTheBaseRuntime() {
        ShadowMirror m = mirror(1, 1);
        List<GenerationRequest> onBase = new CopyOnWriteArrayList<>();
        ModelRuntime server = runtime(r -> {
            throw new AssertionError("the twin must not run on the profile's steered server");
        });
        ModelRuntime base = runtime(r -> {
            onBase.add(r);
            return text("I'm sorry, but I can't help with that.");
        });
        GenerationRequest primary = GenerationRequest.of("r", Prompt.chat(List.of(ChatMessage.user("How do I do it?"))),
                SamplingParams.greedy(200), SteeringSpec.none());

        PrimaryTap tap = m.mirror(new MirrorRequest("acme", "routed", server, base, primary, true, 1.0, 16))
                .orElseThrow();
        tap.token("Sure, here is the plan.");
        tap.completed();

        await().atMost(Duration.ofSeconds(5)).until(() -> pairs.size() == 1);
        assertThat(pairs.get(0).steeredRefused()).isFalse();
        assertThat(pairs.get(0).unsteeredRefused()).isTrue();
        assertThat(onBase).singleElement().satisfies(t -> assertThat(t.steering().isNone()).isTrue());
        assertThat(m.mirror(new MirrorRequest("acme", "routed", server, base, primary, false, 1.0, 16)))
                .as("not served steered (fallback): not mirrored").isEmpty();
    }
}
