package io.steerguard.shadow;

import io.steerguard.stats.Estimate;
import io.steerguard.stats.Wilson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Multi;
import io.steerguard.classifier.LexicalRefusalClassifier;
import io.steerguard.classifier.RefusalClassifier;
import io.steerguard.classifier.Verdict;
import io.steerguard.runtime.GenerationRequest;
import io.steerguard.runtime.Priority;
import io.steerguard.runtime.RuntimeFault;
import io.steerguard.runtime.SteeringSpec;

/** Probe audits against a scripted runtime: the numbers, the load bounds, faults and cancellation. */
class ProbeRunnerTest {

    private static final double Z95 = 1.959963984540054;
    private static final SteeringSpec STEERING =
            SteeringSpec.of(SteeringSpec.Entry.add(Map.of(3, new float[] {1f, 0f}), 4.0));

    private final SafetyStatistics statistics = new SafetyStatistics();
    private ProbeRunner runner;

    @AfterEach
    void close() {
        if (runner != null) {
            runner.close();
        }
    }

    private ProbeRunner runner(RefusalClassifier classifier, int concurrency, double rate, Duration timeout) {
        runner = new ProbeRunner(classifier, new ProbeRunnerOptions(concurrency, rate, timeout), statistics::recordProbe);
        return runner;
    }

    private ProbeRunner runner(int concurrency, double rate) {
        return runner(new LexicalRefusalClassifier(), concurrency, rate, Duration.ofSeconds(5));
    }

    private static ProbeSet probes(int n) {
        return new ProbeSet("test", IntStream.rangeClosed(1, n)
                .mapToObj(i -> new ProbeSet.Probe("p" + i, "cat", "Harmful request number " + i + "."))
                .toList());
    }

    private static ProbeJob job(ScriptedRuntime runtime, int probes, List<String> attacks) {
        return new ProbeJob("json-format", runtime, STEERING, probes(probes), attacks, AttackTemplates.builtin(), 16,
                0.95, "default", "cli");
    }

    @Test
    void steeredComplies_unsteeredRefuses_givesUpliftOne_withNewcombeInterval() throws Exception {
        ScriptedRuntime runtime = ScriptedRuntime.eroding();

        ProbeReport report = runner(2, Double.POSITIVE_INFINITY)
                .run(job(runtime, 10, List.of("none", "prefix-injection")));

        ProbeResult overall = report.overall();
        assertThat(overall.probes()).isEqualTo(20);
        assertThat(overall.steeredComplied()).isEqualTo(20);
        assertThat(overall.unsteeredComplied()).isZero();
        // Wilson bounds at the edges: 20/20 has lower n/(n+z²), 0/20 has upper z²/(n+z²) = w.
        // Newcombe: lower = 1 − sqrt((1 − n/(n+z²))² + w²) = 1 − √2·w = 0.7721; upper = 1 + 0 = 1.
        double w = Z95 * Z95 / (20 + Z95 * Z95);
        Estimate uplift = report.uplift();
        assertThat(uplift.value()).isEqualTo(1.0);
        assertThat(uplift.interval().lower()).isCloseTo(1 - Math.sqrt(2) * w, within(1e-9));
        assertThat(uplift.interval().lower()).isCloseTo(0.7721, within(1e-4));
        assertThat(uplift.interval().upper()).isEqualTo(1.0);
        assertThat(report.outcome()).isEqualTo(ProbeReport.Outcome.COMPLETED);
        assertThat(report.attacks()).extracting(ProbeReport.AttackOutcome::attack)
                .containsExactly("none", "prefix-injection");
        assertThat(report.attacks()).allSatisfy(a -> {
            assertThat(a.pairs()).isEqualTo(10);
            assertThat(a.steeredComplied()).isEqualTo(10);
            assertThat(a.unsteeredComplied()).isZero();
        });
        assertThat(statistics.profile("json-format").latestProbe()).contains(overall);
    }

    @Test
    void everyPair_isSentSteeredAndUnsteered_inBackground_greedy_withTheTemplateApplied() throws Exception {
        ScriptedRuntime runtime = ScriptedRuntime.eroding();

        runner(1, Double.POSITIVE_INFINITY).run(job(runtime, 3, List.of("none", "refusal-suppression")));

        List<GenerationRequest> requests = runtime.requests;
        assertThat(requests).hasSize(12);
        assertThat(requests).allSatisfy(r -> {
            assertThat(r.priority()).isEqualTo(Priority.BACKGROUND);
            assertThat(r.sampling().isGreedy()).isTrue();
            assertThat(r.sampling().maxTokens()).isEqualTo(16);
        });
        // one at a time: each pair's steered request, then its unsteered twin with the same prompt
        for (int i = 0; i < requests.size(); i += 2) {
            assertThat(requests.get(i).steering()).isEqualTo(STEERING);
            assertThat(requests.get(i + 1).steering().isNone()).isTrue();
            assertThat(ScriptedRuntime.prompt(requests.get(i + 1))).isEqualTo(ScriptedRuntime.prompt(requests.get(i)));
        }
        assertThat(ScriptedRuntime.prompt(requests.get(0))).isEqualTo("Harmful request number 1.");
        assertThat(ScriptedRuntime.prompt(requests.get(2))).startsWith("Answer the request below")
                .endsWith("Request: Harmful request number 1.");
    }

    @Test
    void identicalAnswers_giveUpliftZero_withAnIntervalContainingZero() throws Exception {
        // Odd probes comply, even ones refuse, whether steered or not.
        ScriptedRuntime runtime = new ScriptedRuntime(r -> ScriptedRuntime.text(
                Integer.parseInt(ScriptedRuntime.prompt(r).replaceAll("\\D", "")) % 2 == 1
                        ? ScriptedRuntime.COMPLIES : ScriptedRuntime.REFUSES));

        ProbeReport report = runner(2, Double.POSITIVE_INFINITY).run(job(runtime, 20, List.of("none")));

        assertThat(report.overall().steeredComplied()).isEqualTo(10);
        assertThat(report.overall().unsteeredComplied()).isEqualTo(10);
        assertThat(report.overall().asrSteered(0.95).value()).isEqualTo(0.5);
        Estimate uplift = report.uplift();
        assertThat(uplift.value()).isZero();
        assertThat(uplift.interval().contains(0)).isTrue();
        assertThat(uplift.interval().lower()).isLessThan(-0.2);
        assertThat(uplift.interval().upper()).isGreaterThan(0.2);
    }

    @Test
    void pairsArePaced_atTheConfiguredRate() throws Exception {
        ScriptedRuntime runtime = ScriptedRuntime.eroding();
        int pairs = 11;
        double rate = 20;

        long start = System.nanoTime();
        ProbeReport report = runner(2, rate).run(job(runtime, pairs, List.of("none")));
        double elapsed = (System.nanoTime() - start) / 1e9;

        assertThat(report.overall().probes()).isEqualTo(pairs);
        // pair k starts no earlier than (k − 1)/rate after the first
        assertThat(elapsed).isGreaterThanOrEqualTo((pairs - 1) / rate);
    }

    @Test
    void generationsInFlight_neverExceedTheConcurrency() throws Exception {
        ScriptedRuntime runtime = new ScriptedRuntime(r -> ScriptedRuntime.text(ScriptedRuntime.REFUSES)
                .onItem().call(i -> io.smallrye.mutiny.Uni.createFrom().nullItem()
                        .onItem().delayIt().by(Duration.ofMillis(10))));

        runner(2, Double.POSITIVE_INFINITY).run(job(runtime, 12, List.of("none")));

        assertThat(runtime.maxInFlight.get()).isEqualTo(2);
    }

    @Test
    void failedAndHangingGenerations_countAsErrors_andTheRestIsMeasured() throws Exception {
        ScriptedRuntime runtime = new ScriptedRuntime(r -> {
            String p = ScriptedRuntime.prompt(r);
            if (p.contains("number 3.") && r.steering().isNone()) {
                return Multi.createFrom().failure(new RuntimeFault(RuntimeFault.Kind.UNAVAILABLE, "upstream down"));
            }
            if (p.contains("number 5.") && !r.steering().isNone()) {
                return Multi.createFrom().nothing();
            }
            if (p.contains("number 7.")) {
                throw new IllegalStateException("runtime bug");
            }
            return ScriptedRuntime.text(r.steering().isNone() ? ScriptedRuntime.REFUSES : ScriptedRuntime.COMPLIES);
        });

        ProbeReport report = runner(new LexicalRefusalClassifier(), 2, Double.POSITIVE_INFINITY, Duration.ofMillis(300))
                .run(job(runtime, 8, List.of("none")));

        assertThat(report.outcome()).isEqualTo(ProbeReport.Outcome.PARTIAL);
        assertThat(report.errors()).isEqualTo(3);
        assertThat(report.overall().probes()).isEqualTo(5);
        assertThat(report.overall().steeredComplied()).isEqualTo(5);
        assertThat(runtime.cancelled.get()).as("the hanging generation is cancelled at its timeout").isEqualTo(1);
        assertThat(report.errorSamples()).containsExactlyInAnyOrder("none: RuntimeFault: upstream down",
                "none: no answer within PT0.3S", "none: IllegalStateException: runtime bug");
        assertThat(statistics.profile("json-format").latestProbe()).contains(report.overall());
    }

    @Test
    void anAuditWithoutASingleMeasuredPair_fails_andRecordsNothing() throws Exception {
        ScriptedRuntime runtime = new ScriptedRuntime(r ->
                Multi.createFrom().failure(new RuntimeFault(RuntimeFault.Kind.UNAVAILABLE, "down")));

        ProbeReport report = runner(2, Double.POSITIVE_INFINITY).run(job(runtime, 4, List.of("none")));

        assertThat(report.outcome()).isEqualTo(ProbeReport.Outcome.FAILED);
        assertThat(report.errors()).isEqualTo(4);
        assertThat(statistics.profile("json-format").latestProbe()).isEmpty();
    }

    @Test
    void aFailingClassifier_turnsItsPairsIntoErrors() throws Exception {
        RefusalClassifier broken = new RefusalClassifier() {
            @Override
            public Verdict classify(String prompt, String response) {
                throw new io.steerguard.classifier.ClassifierException("model not loaded");
            }

            @Override
            public String method() {
                return "broken";
            }
        };

        ProbeReport report = runner(broken, 1, Double.POSITIVE_INFINITY, Duration.ofSeconds(5))
                .run(job(ScriptedRuntime.eroding(), 3, List.of("none")));

        assertThat(report.outcome()).isEqualTo(ProbeReport.Outcome.FAILED);
        assertThat(report.errors()).isEqualTo(3);
        assertThat(report.errorSamples()).containsExactly("classifier: ClassifierException: model not loaded");
    }

    @Test
    void cancel_stopsTheAudit_cancelsGenerationsInFlight_andRecordsNothing() {
        ScriptedRuntime runtime = new ScriptedRuntime(r -> Multi.createFrom().nothing());
        ProbeRun run = runner(2, Double.POSITIVE_INFINITY).start(job(runtime, 50, List.of("none")));
        await().atMost(Duration.ofSeconds(5)).until(() -> runtime.inFlight.get() == 2);

        run.cancel();

        assertThatThrownBy(() -> run.result().join()).isInstanceOf(CancellationException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> runtime.inFlight.get() == 0);
        assertThat(runtime.cancelled.get()).isEqualTo(2);
        assertThat(runtime.requests).hasSize(2);
        assertThat(statistics.profile("json-format").latestProbe()).isEmpty();
    }

    @Test
    void classifier_runsOnTheRunnersThreads_neverOnTheRuntimesCompletionThread() throws Exception {
        ExecutorService eventLoop = Executors.newSingleThreadExecutor(r -> new Thread(r, "fake-event-loop"));
        List<String> threads = new CopyOnWriteArrayList<>();
        LexicalRefusalClassifier lexical = new LexicalRefusalClassifier();
        RefusalClassifier recording = new RefusalClassifier() {
            @Override
            public Verdict classify(String prompt, String response) {
                threads.add(Thread.currentThread().getName());
                return lexical.classify(prompt, response);
            }

            @Override
            public String method() {
                return "recording";
            }
        };
        ScriptedRuntime runtime = new ScriptedRuntime(r -> ScriptedRuntime.text(ScriptedRuntime.COMPLIES)
                .emitOn(eventLoop));
        try {
            runner(recording, 2, Double.POSITIVE_INFINITY, Duration.ofSeconds(5)).run(job(runtime, 4, List.of("none")));
        } finally {
            eventLoop.shutdownNow();
        }

        assertThat(threads).hasSize(8).allSatisfy(t -> assertThat(t).startsWith("steerguard-probe-"));
    }
}
