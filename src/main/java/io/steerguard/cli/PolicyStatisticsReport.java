package io.steerguard.cli;

import io.steerguard.policy.PowerSimulation;
import io.steerguard.stats.RateInterval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Writes {@code docs/policy-statistics.md}: simulated false-block and detection rates of the
 * interval rule for a grid of (limit, minSamples, confidence), so policy authors can choose.
 * Rerun with {@code java -cp target/classes:<deps> io.steerguard.cli.PolicyStatisticsReport [out.md] [runs]}.
 */
public final class PolicyStatisticsReport {

    static final long SEED = 20260301L;
    static final int SAMPLES_PER_SAFE_RUN = 1000;
    static final int DETECTION_BUDGET = 200;
    static final Duration SPACING = Duration.ofSeconds(10);

    private PolicyStatisticsReport() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/policy-statistics.md");
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        long start = System.nanoTime();
        StringBuilder rows = new StringBuilder();
        for (double limit : new double[] {0.05, 0.10, 0.20}) {
            for (int minSamples : new int[] {10, 30, 50}) {
                for (double confidence : new double[] {0.90, 0.95, 0.99}) {
                    var setting = new PowerSimulation.Setting(limit, minSamples, confidence, Duration.ofHours(1));
                    var safe = PowerSimulation.run(setting, limit / 2, runs, SAMPLES_PER_SAFE_RUN, SPACING, SEED);
                    var unsafe = PowerSimulation.run(setting, limit + 0.15, runs, DETECTION_BUDGET, SPACING, SEED + 1);
                    rows.append(String.format(Locale.ROOT, "| %.2f | %d | %.2f | %.2f%% (%d/%d) | %.2f%% (%d/%d) | %.1f |%n",
                            limit, minSamples, confidence, 100 * safe.blockedShare(), safe.blocked(), runs,
                            100 * unsafe.blockedShare(), unsafe.blocked(), runs, unsafe.meanSamplesToBlock()));
                }
            }
        }
        String errorRows = classifierErrorRows(runs / 2);
        String sequenceRows = sequenceRows(runs / 2);
        double seconds = (System.nanoTime() - start) / 1e9;
        String doc = HEADER.formatted(runs, SPACING.toSeconds(), SAMPLES_PER_SAFE_RUN, DETECTION_BUDGET, SEED)
                + rows + FOOTER_TABLE + ERROR_HEADER.formatted(runs / 2, VALIDATION_PER_CLASS) + errorRows
                + ERROR_FOOTER + SEQUENCE_HEADER.formatted(runs / 2) + sequenceRows + FOOTER.formatted(seconds);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, doc);
        System.out.println("wrote " + out + " in " + String.format(Locale.ROOT, "%.1f", seconds) + " s");
    }

    /** Labelled answers per class the simulated classifier's error is measured on (per run). */
    static final int VALIDATION_PER_CLASS = 500;

    /**
     * The shipped policy under a classifier that errs: false blocks of a profile at half the limit and
     * detection of a +15-point profile, with the statistics uncorrected and corrected. With a share q
     * of unsteered refusals, runs have 1000/q and 200/q pairs, so the denominators match the table above.
     */
    static String classifierErrorRows(int runs) {
        var setting = new PowerSimulation.Setting(0.05, 30, 0.99, Duration.ofHours(1));
        StringBuilder rows = new StringBuilder();
        for (double q : new double[] {1.0, 0.3}) {
            for (double error : new double[] {0.0, 0.05, 0.10}) {
                for (boolean corrected : new boolean[] {false, true}) {
                    if (error == 0 && corrected) {
                        continue;
                    }
                    var classifier = new PowerSimulation.Classifier(error, VALIDATION_PER_CLASS, q, corrected);
                    int safeSamples = (int) Math.round(SAMPLES_PER_SAFE_RUN / q);
                    int budget = (int) Math.round(DETECTION_BUDGET / q);
                    var safe = PowerSimulation.run(setting, 0.025, classifier, runs, safeSamples, SPACING, SEED + 2);
                    var unsafe = PowerSimulation.run(setting, 0.20, classifier, runs, 3 * budget, SPACING, SEED + 3);
                    var withinBudget = PowerSimulation.run(setting, 0.20, classifier, runs, budget, SPACING, SEED + 3);
                    rows.append(String.format(Locale.ROOT, "| %.1f | %.0f%% | %s | %.2f%% (%d/%d) | %.2f%% (%d/%d) within %d | %.2f%% (%d/%d) within %d | %.1f |%n",
                            q, 100 * error, corrected ? "yes" : "no", 100 * safe.blockedShare(), safe.blocked(), runs,
                            100 * withinBudget.blockedShare(), withinBudget.blocked(), runs, budget,
                            100 * unsafe.blockedShare(), unsafe.blocked(), runs, 3 * budget, unsafe.meanSamplesToBlock()));
                }
            }
        }
        return rows.toString();
    }

    /**
     * Today's interval rule against the confidence sequence, at the shipped limit and minSamples:
     * false blocks at half the limit and at the limit itself (the worst case a guarantee must
     * cover), with a 1 h window that slides and a 24 h one that holds every sample of the run, and
     * detection of +15 and +5 points.
     */
    static String sequenceRows(int runs) {
        StringBuilder rows = new StringBuilder();
        record Row(RateInterval method, double confidence) { }
        List<Row> grid = List.of(new Row(RateInterval.FIXED_SAMPLE, 0.95), new Row(RateInterval.CONFIDENCE_SEQUENCE, 0.95),
                new Row(RateInterval.FIXED_SAMPLE, 0.99), new Row(RateInterval.CONFIDENCE_SEQUENCE, 0.99),
                new Row(RateInterval.FIXED_SAMPLE, 0.9999));
        for (Row row : grid) {
            var hour = new PowerSimulation.Setting(0.05, 30, row.confidence(), Duration.ofHours(1), row.method());
            var day = new PowerSimulation.Setting(0.05, 30, row.confidence(), Duration.ofHours(24), row.method());
            var half = PowerSimulation.run(hour, 0.025, runs, SAMPLES_PER_SAFE_RUN, SPACING, SEED + 4);
            var atLimit = PowerSimulation.run(hour, 0.05, runs, SAMPLES_PER_SAFE_RUN, SPACING, SEED + 5);
            var atLimitDay = PowerSimulation.run(day, 0.05, runs, SAMPLES_PER_SAFE_RUN, SPACING, SEED + 5);
            var plus15 = PowerSimulation.run(hour, 0.20, runs, DETECTION_BUDGET, SPACING, SEED + 6);
            var plus5 = PowerSimulation.run(hour, 0.10, runs, SAMPLES_PER_SAFE_RUN, SPACING, SEED + 7);
            rows.append(String.format(Locale.ROOT,
                    "| %s | %.4f | %s | %s | %s | %s, mean %.1f | %s, mean %.1f |%n",
                    row.method().configName(), row.confidence(), share(half), share(atLimit), share(atLimitDay),
                    share(plus15), plus15.meanSamplesToBlock(), share(plus5), plus5.meanSamplesToBlock()));
        }
        return rows.toString();
    }

    private static String share(PowerSimulation.Result r) {
        return String.format(Locale.ROOT, "%.2f%% (%d/%d)", 100 * r.blockedShare(), r.blocked(), r.runs());
    }

    private static final String HEADER = """
            # Policy statistics: how often the interval rule blocks

            Generated by `io.steerguard.cli.PolicyStatisticsReport` (Monte-Carlo through the real
            `ProfileStatistics` and `PolicyEngine`); do not edit by hand, rerun it.

            A limit is *exceeded* only when the whole confidence interval is past it: for
            `maxExternalityRate` the Wilson lower bound must be above the limit, and never on fewer than
            `minSamples` observations. These tables show what that costs and buys for the externality rate.

            **Method.** %d runs per setting. Each run streams paired samples into a fresh profile, one every
            %d s of simulated time; every sample is a pair the unsteered model refused, so it adds one to the
            externality denominator. The policy is evaluated after **every** sample with a 1 h window, as a
            gateway that evaluates continuously would; a run counts as blocked at the first `Exceeded`
            decision (with `action: block` or `fallback-unsteered` the profile moves to BLOCKED then and
            stays there). Evaluating after every sample is the worst case for false blocks: each evaluation
            is another chance for chance to cross the bound.

            * **False blocks**: true externality rate = half the limit, %d samples per run.
            * **Detection**: true rate = limit + 0.15, blocked within %d paired samples.
            * Seed %d.

            With live traffic, only pairs where the unsteered model refused count toward the externality
            rate: if it refuses a share q of live prompts, divide the sample counts here by q (probes, which
            are harmful by construction, have q close to 1).

            | limit | minSamples | confidence | false blocks (true rate = limit/2) | blocked within budget (true rate = limit + 0.15) | mean samples to block |
            |---:|---:|---:|---:|---:|---:|
            """;

    private static final String FOOTER_TABLE = """

            **Reading the table.** The issue's acceptance bar is fewer than 1%% false blocks at half the limit
            and at least 95%% detection within 200 samples at 15 points above it. At 95%% confidence and small
            `minSamples` the first evaluations, on few samples, carry most of the false-block risk; raising
            `minSamples` or the confidence removes it at the price of a later block. The shipped
            `policies/default.yaml` uses limit 0.05, `minSamples: 30`, `confidence: 0.99`.
            `PowerSimulationTest` checks the bar for the shipped default on every build.
            """.replace("%%", "%");

    private static final String ERROR_HEADER = """

            ## When the classifier errs

            Every verdict above was taken as truth. Real verdicts are not: the shipped classifier misreads
            a few percent of answers (see [classifier-evaluation.md](classifier-evaluation.md)), and a
            misread unsteered refusal or a misread steered answer looks exactly like an externality.
            The gateway therefore corrects the externality and over-refusal rates for the classifier's
            measured sensitivity and specificity (`MisclassificationCorrection`: the paired Rogan–Gladen
            estimator π̂ = (M⁻¹ ⊗ M⁻¹) q̂, with a delta-method interval that also carries the uncertainty
            of Se and Sp, and never narrower than the uncorrected Wilson interval stretched by
            1 / (Se + Sp − 1)); policies decide on the corrected interval.

            **Method.** The shipped policy (limit 0.05, `minSamples: 30`, `confidence: 0.99`, 1 h window),
            %d runs per row. Each pair is drawn true first (the unsteered answer refuses with probability
            q; the steered one then complies with the true externality rate), then each verdict is flipped
            with the stated symmetric error. Each run measures its classifier's error afresh on %d labelled
            refusals and as many compliant answers, so the correction carries that noise too.
            False blocks: true externality 0.025 (half the limit), 1000/q pairs per run. Detection: true
            externality 0.20 (15 points above the limit), blocked within 200/q pairs.

            | q (unsteered refusal share) | symmetric error | corrected | false blocks (true rate 0.025) | blocked (true rate 0.20) | blocked within 3× the budget | mean pairs to block (3× budget runs) |
            |---:|---:|:---:|---:|---:|---:|---:|
            """;

    private static final String ERROR_FOOTER = """

            **Reading it.** Without correction a 5%% or 10%% symmetric error alone makes a harmless profile
            look eroded: the observed rate sits near the error rate, above the 0.05 limit, and the profile
            is blocked almost surely. With the correction, false blocks return under the 1%% bar where
            pairs are mostly unsteered refusals (q = 1, the probe setting), but not quite at q = 0.3 with
            10%% error (a few percent). The price is power: the corrected interval is wider, so a real
            +15-point erosion is no longer caught within the 200-pair budget in 95%% of runs at 10%% error;
            at q = 1 it is within three times that budget. At q = 0.3 even that is not reached, because
            a 1 h window holds too few unsteered refusals: use probes, a longer window or a lower
            `minSamples`, or a better classifier. `PowerSimulationTest` checks the q = 1, 10%% rows.
            """.replace("%%", "%");

    private static final String SEQUENCE_HEADER = """

            ## Anytime-valid decisions: `method: confidence-sequence`

            The interval rule re-checks a fixed-sample interval after every sample. Each look is another
            chance to cross the bound, so its false-block rate has no bound under continuous monitoring:
            the tables above keep it low only because the true rate sits at half the limit. At the limit
            itself it is far above 1 − confidence. A policy can instead set `decision.method:
            confidence-sequence`: the externality and over-refusal intervals become a time-uniform
            confidence sequence (`ConfidenceSequence`, the beta-binomial mixture martingale with a
            Beta(½, 4) prior), whose coverage holds at every sample size at once (Ville's inequality). A
            profile whose true rate is at or below the limit is then blocked with probability at most
            1 − confidence, however often the policy looks. It is computed from counts, so it works on
            the Redis-shared windows as they are. The guarantee is exact while the window still holds
            every sample (the 24 h column: each run lasts under 3 h); once a window slides, old samples
            leave and the bound is a heuristic (the 1 h column measures it).

            **Method.** Limit 0.05, `minSamples: 30`, %d runs per cell, one sample every 10 s, every sample
            an unsteered refusal; false blocks over 1000 samples, detection of +15 points within 200
            samples and of +5 points within 1000.

            | method | confidence | false blocks, true rate 0.025 | false blocks, true rate 0.05 (1 h window) | false blocks, true rate 0.05 (24 h window) | blocked, true rate 0.20, within 200 | blocked, true rate 0.10, within 1000 |
            |---|---:|---:|---:|---:|---:|---:|
            """;

    private static final String FOOTER = """

            **Reading it.** At the shipped confidence 0.99 the interval rule blocks a profile that sits
            exactly at the limit in many times the 1%% its confidence suggests, more with the sliding 1 h
            window than with the 24 h one. The confidence sequence at 0.99 stays inside its bound and pays
            in samples: it needs more evidence before it blocks a real excess. Matched on the observed
            false-block rate at the limit instead (the sequence at 0.95 against the interval rule at
            0.9999), the two detect about equally fast, and only the sequence's rate is bounded however
            long the profile is watched: the interval rule's grows with every look. The code default
            stays `interval`, so an upgrade never changes when an existing policy blocks, and the shipped
            policy keeps it for now because the demo tour and the classifier-error tables above are
            calibrated on it. A policy that must defend every block should set `method:
            confidence-sequence`. `PowerSimulationTest` checks the sequence's coverage with a fixed seed.

            Generated in %.1f s.
            """;
}
