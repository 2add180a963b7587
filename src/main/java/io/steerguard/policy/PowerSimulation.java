package io.steerguard.policy;

import io.steerguard.shadow.ClassifierError;
import io.steerguard.shadow.PairedSample;
import io.steerguard.shadow.ProfileStatistics;
import io.steerguard.stats.RateInterval;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Monte-Carlo check of the interval rule on the externality limit, through the real statistics
 * ({@link ProfileStatistics}) and the real {@link PolicyEngine}: how often a safe profile is blocked
 * by chance, and how fast an unsafe one is blocked.
 *
 * <p>Each run streams paired samples into a fresh profile, one every {@code spacing} of simulated
 * time, and evaluates the policy after every sample, as a gateway evaluating continuously would. A
 * run counts as blocked at the first {@link Decision.Exceeded} (with action block the state machine
 * moves to BLOCKED then and stays). Every pair has an unsteered refusal, so each sample adds one to
 * the externality denominator: with live traffic where the unsteered model refuses a share q of
 * prompts, divide the sample counts below by q.
 */
public final class PowerSimulation {

    /** A policy setting to simulate. */
    public record Setting(double limit, int minSamples, double confidence, Duration window, RateInterval method) {

        /** A setting with fixed-sample (Wilson) intervals. */
        public Setting(double limit, int minSamples, double confidence, Duration window) {
            this(limit, minSamples, confidence, window, RateInterval.FIXED_SAMPLE);
        }

        public GuardrailPolicy policy() {
            return new GuardrailPolicy("simulated", Selector.ALL, ShadowSettings.DEFAULT, Optional.empty(),
                    new Limits(Map.of(LimitKind.EXTERNALITY_RATE, limit)),
                    new DecisionRule(window, minSamples, confidence, method), PolicyAction.BLOCK, Recovery.MANUAL);
        }
    }

    /**
     * @param runs          runs simulated
     * @param blocked       runs that ended in a block
     * @param meanSamplesToBlock mean samples until the block, over the blocked runs (NaN if none)
     */
    public record Result(int runs, int blocked, double meanSamplesToBlock) {
        public double blockedShare() {
            return (double) blocked / runs;
        }
    }

    /**
     * A classifier that errs, and whether the statistics correct for it.
     *
     * @param errorRate          symmetric error: P(verdict wrong) for refusals and compliant answers alike
     * @param validationPerClass labelled refusals (and as many compliant answers) the error was measured on;
     *                           each run draws its own measurement, so the correction carries that noise
     * @param unsteeredRefusal   share of pairs whose unsteered answer truly refuses (1 for probes)
     * @param corrected          whether the profile's statistics use the measured error
     */
    public record Classifier(double errorRate, int validationPerClass, double unsteeredRefusal, boolean corrected) {
        /** A classifier that never errs, every pair an unsteered refusal: the setting of {@link #run}. */
        public static final Classifier PERFECT = new Classifier(0, 0, 1, false);
    }

    private PowerSimulation() {
    }

    /**
     * Like {@link #run}, with each verdict misread with probability {@code classifier.errorRate()}:
     * the true pair is drawn first (unsteered refuses with probability {@code unsteeredRefusal};
     * then the steered answer complies with probability {@code trueRate}; a pair whose unsteered
     * answer complies stays compliant), then each side is flipped independently.
     */
    public static Result run(Setting setting, double trueRate, Classifier classifier, int runs, int samples,
                             Duration spacing, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<GuardrailPolicy> policies = List.of(setting.policy());
        double e = classifier.errorRate();
        int blocked = 0;
        long samplesToBlock = 0;
        for (int r = 0; r < runs; r++) {
            long[] now = {Instant.parse("2026-01-01T00:00:00Z").toEpochMilli()};
            ProfileStatistics stats = new ProfileStatistics("p", () -> now[0], List.of(setting.window()),
                    ProfileStatistics.DEFAULT_BUCKETS);
            if (classifier.corrected()) {
                int n = classifier.validationPerClass();
                int tp = binomial(random, n, 1 - e);
                int tn = binomial(random, n, 1 - e);
                stats.useClassifierError(new ClassifierError(tp, n - tp, tn, n - tn));
            }
            for (int i = 1; i <= samples; i++) {
                now[0] += spacing.toMillis();
                boolean unsteeredRefused = random.nextDouble() < classifier.unsteeredRefusal();
                boolean steeredRefused = unsteeredRefused && random.nextDouble() >= trueRate;
                boolean seenUnsteered = unsteeredRefused ^ (random.nextDouble() < e);
                boolean seenSteered = steeredRefused ^ (random.nextDouble() < e);
                stats.record(new PairedSample("p", "sim", Instant.ofEpochMilli(now[0]), seenSteered,
                        seenSteered ? 1 : 0, seenUnsteered, seenUnsteered ? 1 : 0, PairedSample.Source.LIVE));
                if (PolicyEngine.evaluate(policies, stats) instanceof Decision.Exceeded) {
                    blocked++;
                    samplesToBlock += i;
                    break;
                }
            }
        }
        return new Result(runs, blocked, blocked == 0 ? Double.NaN : (double) samplesToBlock / blocked);
    }

    private static int binomial(SplittableRandom random, int n, double p) {
        int k = 0;
        for (int i = 0; i < n; i++) {
            k += random.nextDouble() < p ? 1 : 0;
        }
        return k;
    }

    /**
     * @param trueRate  the true P(steered complies | unsteered refuses)
     * @param samples   paired samples per run
     * @param spacing   simulated time between samples
     */
    public static Result run(Setting setting, double trueRate, int runs, int samples, Duration spacing, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<GuardrailPolicy> policies = List.of(setting.policy());
        int blocked = 0;
        long samplesToBlock = 0;
        for (int r = 0; r < runs; r++) {
            long[] now = {Instant.parse("2026-01-01T00:00:00Z").toEpochMilli()};
            ProfileStatistics stats = new ProfileStatistics("p", () -> now[0], List.of(setting.window()),
                    ProfileStatistics.DEFAULT_BUCKETS);
            for (int i = 1; i <= samples; i++) {
                now[0] += spacing.toMillis();
                boolean complied = random.nextDouble() < trueRate;
                stats.record(new PairedSample("p", "sim", Instant.ofEpochMilli(now[0]), !complied,
                        complied ? 0 : 1, true, 1, PairedSample.Source.LIVE));
                if (PolicyEngine.evaluate(policies, stats) instanceof Decision.Exceeded) {
                    blocked++;
                    samplesToBlock += i;
                    break;
                }
            }
        }
        return new Result(runs, blocked, blocked == 0 ? Double.NaN : (double) samplesToBlock / blocked);
    }
}
