package io.steerguard.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Multi;
import io.steerguard.classifier.LexicalRefusalClassifier;
import io.steerguard.runtime.ChatMessage;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.GenerationRequest;
import io.steerguard.runtime.Prompt;
import io.steerguard.runtime.SamplingParams;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.telemetry.ShadowMetrics;

/**
 * Issue 12 points 1, 2 and 6 on the mirror itself, attacked the way a client or a noisy tenant
 * would: choosing request ids, hanging up early, flooding the shadow queue.
 */
class ShadowMirrorIntegrityTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<PairedSample> pairs = new CopyOnWriteArrayList<>();
    private ShadowMirror mirror;

    private ShadowMirror mirror(int concurrency, int queue) {
        ShadowConfig config = new ShadowConfig() {
            public boolean enabled() { return true; }
            public double sampleRate() { return 1; }
            public int maxTokens() { return 48; }
            public int concurrency() { return concurrency; }
            public int queueCapacity() { return queue; }
        };
        mirror = new ShadowMirror(config, new LexicalRefusalClassifier(), ActivationProbe.disabled(),
                new ShadowMetrics(registry), pairs::add, Duration.ofSeconds(5), ShadowSampler.seeded(2026));
        return mirror;
    }

    @AfterEach
    void close() {
        if (mirror != null) {
            mirror.close();
        }
    }

    private static MirrorRequest request(ScriptedRuntime runtime, String id, String tenant, String profile, double rate) {
        GenerationRequest primary = GenerationRequest.of(id, Prompt.chat(List.of(ChatMessage.user("How do I do it?"))),
                SamplingParams.greedy(200), SteeringSpec.of(SteeringSpec.Entry.add(Map.of(1, new float[] {1f}), 2)));
        return new MirrorRequest(tenant, profile, runtime, primary, rate, 16);
    }

    private double count(String tenant, String profile, String outcome) {
        return registry.find(ShadowMetrics.SAMPLES).tag("tenant", tenant).tag("profile", profile)
                .tag("outcome", outcome).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    // --- point 1: the server decides, from nothing the client sends ---

    @Test
    void clientChosenRequestIds_doNotChangeTheMirroredShare() {
        ShadowMirror m = mirror(1, 1);
        ScriptedRuntime runtime = ScriptedRuntime.eroding();
        int mirrored = 0;
        for (int i = 0; i < 40; i++) {
            if (m.mirror(request(runtime, "the-same-id", "acme", "json-format", 0.5)).isPresent()) {
                mirrored++;
            }
        }
        // a sampler keyed on the id mirrors 40 or 0; a fair coin lands outside [8, 32] with p = 4e-5
        assertThat(mirrored).as("mirrored out of 40 requests carrying one client-chosen id").isBetween(8, 32);
    }

    @Test
    void mirroredShare_holdsPerTenantAndPerProfile_whateverIdsTheClientsPick() {
        ShadowMirror m = mirror(1, 1);
        ScriptedRuntime runtime = ScriptedRuntime.eroding();
        // each cell picks its ids differently: one id repeated, counting ids, ids that share a hash
        // prefix, and fresh random ids
        Map<String, java.util.function.IntFunction<String>> idsOf = Map.of(
                "acme/json-format", i -> "fixed",
                "acme/compliance", i -> Integer.toString(i),
                "globex/json-format", i -> "aaaaaaaa" + (i % 3),
                "globex/compliance", i -> java.util.UUID.randomUUID().toString());
        Map<String, Double> rates = Map.of("json-format", 0.5, "compliance", 0.1);
        int n = 2000;
        for (Map.Entry<String, java.util.function.IntFunction<String>> cell : idsOf.entrySet()) {
            String tenant = cell.getKey().split("/")[0];
            String profile = cell.getKey().split("/")[1];
            double rate = rates.get(profile);
            int mirrored = 0;
            for (int i = 0; i < n; i++) {
                if (m.mirror(request(runtime, cell.getValue().apply(i), tenant, profile, rate)).isPresent()) {
                    mirrored++;
                }
            }
            double sd = Math.sqrt(n * rate * (1 - rate));
            assertThat((double) mirrored).as(cell.getKey() + " at rate " + rate)
                    .isBetween(n * rate - 5 * sd, n * rate + 5 * sd);
        }
    }

    // --- point 2: hanging up does not escape the measurement ---

    @Test
    void primaryWhoseClientHungUp_isPairedFromWhatRanOn_andCounted() {
        ShadowMirror m = mirror(1, 4);
        ScriptedRuntime runtime = ScriptedRuntime.eroding();
        PrimaryTap tap = m.mirror(request(runtime, "h1", "acme", "json-format", 1.0)).orElseThrow();
        tap.token("Sure, ");
        assertThat(tap.wantsMore()).as("the budget of 16 is not recorded yet: the generation must run on").isTrue();
        for (int i = 0; i < 15; i++) {
            tap.token("here ");
        }
        assertThat(tap.wantsMore()).as("budget recorded: the generation may stop").isFalse();
        tap.completedAfterDisconnect();

        await().atMost(Duration.ofSeconds(5)).until(() -> pairs.size() == 1);
        assertThat(pairs.get(0).steeredRefused()).isFalse();
        assertThat(pairs.get(0).unsteeredRefused()).isTrue();
        assertThat(count("acme", "json-format", "paired")).isEqualTo(1);
        assertThat(count("acme", "json-format", "skipped")).isZero();
        assertThat(registry.find(ShadowMetrics.PAIRED_AFTER_DISCONNECT).tag("tenant", "acme")
                .tag("profile", "json-format").counter().count()).isEqualTo(1);
    }

    // --- point 6: each tenant gets its share of the shadow capacity ---

    /** A runtime whose twins hang until the test completes them, in order. */
    private static final class HeldTwins {
        final List<CompletableFuture<Boolean>> release = new CopyOnWriteArrayList<>();
        final ScriptedRuntime runtime = new ScriptedRuntime(r -> {
            CompletableFuture<Boolean> gate = new CompletableFuture<>();
            release.add(gate);
            return Multi.createFrom().completionStage(gate).onItem().transformToMultiAndConcatenate(
                    v -> ScriptedRuntime.text(ScriptedRuntime.REFUSES));
        });

        /** The tenant of the {@code i}-th twin started (its id is {@code tenant-n-shadow}). */
        String tenantOf(int i) {
            return runtime.requests.get(i).requestId().split("-")[0];
        }
    }

    @Test
    void tenantFlood_doesNotStarveAnotherTenantsSamples() {
        ShadowMirror m = mirror(1, 4);
        HeldTwins twins = new HeldTwins();
        for (int i = 0; i < 20; i++) {
            m.mirror(request(twins.runtime, "flooder-" + i, "flooder", "json-format", 1.0)).orElseThrow().completed();
        }
        for (int i = 0; i < 2; i++) {
            m.mirror(request(twins.runtime, "quiet-" + i, "quiet", "json-format", 1.0)).orElseThrow().completed();
        }

        assertThat(m.queueDepth("quiet")).as("the quiet tenant's samples wait for a slot, not dropped").isEqualTo(2);
        assertThat(count("quiet", "json-format", "dropped")).isZero();
        assertThat(count("flooder", "json-format", "dropped")).as("the flood pays for its own excess, counted per "
                + "tenant and profile").isEqualTo(20 - 1 - 2);

        // twins finish one by one: the quiet tenant's two run before the flooder's second
        for (int started = 1; started <= 3; started++) {
            int n = started;
            await().atMost(Duration.ofSeconds(5)).until(() -> twins.release.size() == n);
            twins.release.get(n - 1).complete(true);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> twins.release.size() == 4);
        assertThat(List.of(twins.tenantOf(0), twins.tenantOf(1), twins.tenantOf(2), twins.tenantOf(3)))
                .containsExactly("flooder", "quiet", "flooder", "quiet");
        twins.release.forEach(f -> f.complete(true));
        await().atMost(Duration.ofSeconds(5)).until(() -> count("quiet", "json-format", "paired") == 2);
    }

    @Test
    void queueFilledByOneTenant_yieldsAShareToATenantThatArrivesLater() {
        ShadowMirror m = mirror(1, 4);
        HeldTwins twins = new HeldTwins();
        for (int i = 0; i < 5; i++) {
            m.mirror(request(twins.runtime, "early-" + i, "early", "json-format", 1.0)).orElseThrow().completed();
        }
        assertThat(m.queueDepth("early")).as("alone, one tenant may use the whole queue").isEqualTo(4);

        m.mirror(request(twins.runtime, "late-0", "late", "compliance", 1.0)).orElseThrow().completed();

        assertThat(m.queueDepth("late")).isEqualTo(1);
        assertThat(m.queueDepth("early")).isEqualTo(3);
        assertThat(count("early", "json-format", "dropped")).as("the newest of the tenant over its share").isEqualTo(1);
        assertThat(count("late", "compliance", "dropped")).isZero();
        twins.release.forEach(f -> f.complete(true));
    }
}
