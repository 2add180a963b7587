package io.steerguard.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.steerguard.classifier.ActivationRefusalClassifier;
import io.steerguard.classifier.ActivationRefusalScorer;
import io.steerguard.classifier.EnsembleRefusalClassifier;
import io.steerguard.classifier.EnsembleRule;
import io.steerguard.classifier.LexicalRefusalClassifier;
import io.steerguard.runtime.ChatMessage;
import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.GenerationRequest;
import io.steerguard.runtime.Introspection;
import io.steerguard.runtime.Priority;
import io.steerguard.runtime.Prompt;
import io.steerguard.runtime.SamplingParams;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.runtime.embedded.EmbeddedRuntime;
import io.steerguard.runtime.embedded.EmbeddedRuntimeOptions;
import io.steerguard.telemetry.ShadowMetrics;

/**
 * The activation tier on the committed {@code models/tiny-random}: introspection leaves the tokens
 * alone, and a mirrored pair's activation scores are exactly what {@link ActivationRefusalScorer}
 * gives on the captured distributions, computed here by hand.
 */
class ActivationShadowTest {

    private static final int LAYER = 2;
    private static final int[] REFUSAL_IDS = {5, 17, 40};
    private static EmbeddedRuntime runtime;
    private static float[] direction;
    private static SteeringSpec steering;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<PairedSample> pairs = new CopyOnWriteArrayList<>();
    private ShadowMirror mirror;

    @BeforeAll
    static void load() {
        runtime = EmbeddedRuntime.load(EmbeddedRuntimeOptions.defaults("tiny", Path.of("models/tiny-random"))
                .withDevice("cpu").withMaxBatch(2).withMaxContext(128));
        int hidden = runtime.modelConfig().hiddenSize();
        Random random = new Random(7);
        direction = randomUnit(random, hidden);
        steering = SteeringSpec.of(SteeringSpec.Entry.add(Map.of(1, randomUnit(random, hidden)), 6.0));
    }

    @AfterAll
    static void close() {
        runtime.close();
    }

    @AfterEach
    void closeMirror() {
        if (mirror != null) {
            mirror.close();
        }
    }

    private static float[] randomUnit(Random random, int n) {
        float[] v = new float[n];
        double norm = 0;
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
            norm += v[i] * v[i];
        }
        for (int i = 0; i < n; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    private static final Prompt PROMPT = Prompt.chat(List.of(ChatMessage.user("How do I pick a lock?")));

    private static List<GenerationEvent> run(SamplingParams sampling, SteeringSpec spec, Introspection introspection) {
        return runtime.generate(new GenerationRequest("r", PROMPT, sampling, spec, introspection, Priority.INTERACTIVE))
                .collect().asList().await().atMost(Duration.ofSeconds(60));
    }

    private static List<GenerationEvent.Token> tokens(List<GenerationEvent> events) {
        return events.stream().filter(e -> e instanceof GenerationEvent.Token)
                .map(e -> (GenerationEvent.Token) e).toList();
    }

    private static GenerationEvent.Captured captured(List<GenerationEvent> events) {
        return events.stream().filter(e -> e instanceof GenerationEvent.Captured)
                .map(e -> (GenerationEvent.Captured) e).findFirst().orElseThrow();
    }

    @Test
    void introspection_neverChangesTheTokens_orTheirLogProbs() {
        SamplingParams greedy = new SamplingParams(12, 0, 1, 0, null, List.of(), true);
        SamplingParams seeded = new SamplingParams(12, 0.9, 0.95, 0, 1234L, List.of(), true);
        for (SamplingParams sampling : List.of(greedy, seeded)) {
            List<GenerationEvent> plain = run(sampling, steering, Introspection.none());
            List<GenerationEvent> introspected = run(sampling, steering, new Introspection(List.of(LAYER), true));

            assertThat(plain).noneMatch(e -> e instanceof GenerationEvent.Captured);
            assertThat(introspected.get(0)).isInstanceOf(GenerationEvent.Captured.class);
            List<GenerationEvent.Token> a = tokens(plain);
            List<GenerationEvent.Token> b = tokens(introspected);
            assertThat(b).hasSize(a.size());
            for (int i = 0; i < a.size(); i++) {
                assertThat(b.get(i).tokenId()).as("token %d", i).isEqualTo(a.get(i).tokenId());
                // the chosen token's log-probability is a function of the step's logits: bit-equal logits
                assertThat(Double.doubleToLongBits(b.get(i).logprob())).as("logprob %d", i)
                        .isEqualTo(Double.doubleToLongBits(a.get(i).logprob()));
            }
            float[] firstDistribution = captured(introspected).firstTokenLogProbs();
            assertThat((double) firstDistribution[a.get(0).tokenId()]).isCloseTo(a.get(0).logprob(), within(1e-5));
        }
    }

    private ShadowMirror mirror(ActivationProbe probe) {
        ShadowConfig config = new ShadowConfig() {
            public boolean enabled() { return true; }
            public double sampleRate() { return 1; }
            public int maxTokens() { return 8; }
            public int concurrency() { return 1; }
            public int queueCapacity() { return 4; }
        };
        // activation first: on a pair with activations it decides; the lexical tier is its fallback
        var classifier = new EnsembleRefusalClassifier(List.of(new ActivationRefusalClassifier(),
                new LexicalRefusalClassifier()), EnsembleRule.firstAvailable());
        mirror = new ShadowMirror(config, classifier, probe, new ShadowMetrics(registry), pairs::add,
                Duration.ofSeconds(60));
        return mirror;
    }

    /** What {@code GenerationHandler} does: the primary carries the tap's introspection and feeds the tap. */
    private static void servePrimary(PrimaryTap tap, GenerationRequest primary) {
        GenerationRequest introspected = new GenerationRequest(primary.requestId(), primary.prompt(), primary.sampling(),
                primary.steering(), tap.introspection(), primary.priority());
        for (GenerationEvent e : runtime.generate(introspected).collect().asList().await().atMost(Duration.ofSeconds(60))) {
            if (e instanceof GenerationEvent.Captured c) {
                tap.captured(c);
            } else if (e instanceof GenerationEvent.Token t) {
                tap.token(t.text());
            }
        }
        tap.completed();
    }

    @Test
    void mirroredPair_carriesActivationScores_matchingTheScorerOnTheCapturedDistributions() {
        ActivationSetup setup = new ActivationSetup(LAYER, direction, REFUSAL_IDS, 0.5);
        ActivationProbe probe = new ActivationProbe(true);
        probe.register(runtime, setup);
        ShadowMirror m = mirror(probe);
        GenerationRequest primary = GenerationRequest.of("pair-1", PROMPT, SamplingParams.greedy(8), steering);

        PrimaryTap tap = m.mirror(new MirrorRequest("acme", "tiny", runtime, primary, 1.0, 8)).orElseThrow();
        assertThat(tap.introspection()).isEqualTo(new Introspection(List.of(LAYER), true));
        servePrimary(tap, primary);
        await().atMost(Duration.ofSeconds(60)).until(() -> pairs.size() == 1);

        // by hand: the same generations, their captures, the scorer's formulas
        Introspection intro = setup.introspection();
        GenerationEvent.Captured steered = captured(run(SamplingParams.greedy(8), steering, intro));
        GenerationEvent.Captured unsteered = captured(run(SamplingParams.greedy(8), SteeringSpec.none(), intro));
        double pSteered = ActivationRefusalScorer.refusalProbability(
                ActivationRefusalScorer.firstTokenRefusalLogOdds(steered.firstTokenLogProbs(), REFUSAL_IDS));
        double pUnsteered = ActivationRefusalScorer.refusalProbability(
                ActivationRefusalScorer.firstTokenRefusalLogOdds(unsteered.firstTokenLogProbs(), REFUSAL_IDS));
        double projSteered = ActivationRefusalScorer.projection(steered.residuals().get(LAYER), direction);
        double projUnsteered = ActivationRefusalScorer.projection(unsteered.residuals().get(LAYER), direction);
        assertThat(pSteered).as("steering moves the first-token distribution").isNotCloseTo(pUnsteered, within(1e-6));

        PairedSample pair = pairs.get(0);
        assertThat(pair.steeredScore()).isCloseTo(pSteered, within(1e-9));
        assertThat(pair.unsteeredScore()).isCloseTo(pUnsteered, within(1e-9));
        assertThat(pair.steeredRefused()).isEqualTo(pSteered >= 0.5);
        assertThat(pair.unsteeredRefused()).isEqualTo(pUnsteered >= 0.5);

        var steeredScore = registry.find(ShadowMetrics.ACTIVATION_REFUSAL_SCORE).tags("profile", "tiny", "path", "steered")
                .summary();
        var unsteeredScore = registry.find(ShadowMetrics.ACTIVATION_REFUSAL_SCORE)
                .tags("profile", "tiny", "path", "unsteered").summary();
        assertThat(steeredScore.count()).isEqualTo(1);
        assertThat(steeredScore.totalAmount()).isCloseTo(pSteered, within(1e-9));
        assertThat(unsteeredScore.totalAmount()).isCloseTo(pUnsteered, within(1e-9));
        assertThat(registry.find(ShadowMetrics.ACTIVATION_PROJECTION).tags("profile", "tiny", "path", "steered")
                .gauge().value()).isCloseTo(projSteered, within(1e-9));
        assertThat(registry.find(ShadowMetrics.ACTIVATION_PROJECTION).tags("profile", "tiny", "path", "unsteered")
                .gauge().value()).isCloseTo(projUnsteered, within(1e-9));
    }

    @Test
    void runtimeWithoutSetup_getsNoIntrospection_andTheTextTiersDecide() {
        ShadowMirror m = mirror(new ActivationProbe(true));
        GenerationRequest primary = GenerationRequest.of("pair-2", PROMPT, SamplingParams.greedy(8), steering);

        PrimaryTap tap = m.mirror(new MirrorRequest("acme", "tiny", runtime, primary, 1.0, 8)).orElseThrow();
        assertThat(tap.introspection().isNone()).isTrue();
        servePrimary(tap, primary);
        await().atMost(Duration.ofSeconds(60)).until(() -> pairs.size() == 1);

        assertThat(registry.find(ShadowMetrics.ACTIVATION_REFUSAL_SCORE).summary()).isNull();
        assertThat(registry.find(ShadowMetrics.SAMPLES).tag("outcome", "paired").counter().count()).isEqualTo(1);
    }

    @Test
    void disabledProbe_neverIntrospects_evenForARegisteredRuntime() {
        ActivationProbe off = new ActivationProbe(false);
        off.register(runtime, new ActivationSetup(LAYER, direction, REFUSAL_IDS, 0.5));
        assertThat(off.setup(runtime)).isEmpty();
    }

    @Test
    void unsampledRequest_getsNoTap_soThePrimaryCarriesNoIntrospection() {
        ActivationProbe probe = new ActivationProbe(true);
        probe.register(runtime, new ActivationSetup(LAYER, direction, REFUSAL_IDS, 0.5));
        ShadowMirror m = mirror(probe);
        GenerationRequest primary = GenerationRequest.of("never", PROMPT, SamplingParams.greedy(8), steering);
        assertThat(m.mirror(new MirrorRequest("acme", "tiny", runtime, primary, 0.0, 8))).isEmpty();
    }

    @Test
    void remoteRuntime_cannotBeRegistered() {
        var remote = new io.steerguard.runtime.ModelRuntime() {
            public String name() { return "remote"; }
            public io.steerguard.runtime.RuntimeCapabilities capabilities() {
                return io.steerguard.runtime.RuntimeCapabilities.remoteSteerable();
            }
            public io.smallrye.mutiny.Multi<GenerationEvent> generate(GenerationRequest r) {
                throw new AssertionError("not called");
            }
            public void close() { }
        };
        assertThatThrownBy(() -> new ActivationProbe(true).register(remote, new ActivationSetup(LAYER, direction,
                REFUSAL_IDS, 0.5))).hasMessageContaining("remote");
    }
}
