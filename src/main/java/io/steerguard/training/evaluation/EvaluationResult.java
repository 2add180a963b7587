package io.steerguard.training.evaluation;

import java.util.List;
import java.util.Objects;

import io.steerguard.shadow.WindowCounts;

/**
 * Everything the report shows, as measured. Rates carry their counts; intervals are computed when
 * rendering. {@code live} is null when no live run was merged in.
 *
 * @param facts      the model and how it was evaluated
 * @param unsteered  the unsteered model per held-out category
 * @param attacks    held-out harmful prompts per attack template, unsteered ({@code none} = plain)
 * @param profiles   each benign steering profile over the coefficients
 * @param samples    a few answers, unsteered beside steered
 * @param timing     how long the evaluation took
 */
public record EvaluationResult(Facts facts, List<Row> unsteered, List<AttackRow> attacks, List<ProfileResult> profiles,
                               List<Sample> samples, Timing timing, LiveResult live) {

    public EvaluationResult {
        Objects.requireNonNull(facts, "facts");
        unsteered = List.copyOf(unsteered);
        attacks = List.copyOf(attacks);
        profiles = List.copyOf(profiles);
        samples = List.copyOf(samples);
        Objects.requireNonNull(timing, "timing");
    }

    public EvaluationResult withLive(LiveResult newLive) {
        return new EvaluationResult(facts, unsteered, attacks, profiles, samples, timing, newLive);
    }

    /**
     * @param modelDir      the model folder as given
     * @param modelFacts    lines of facts from config.json and training-log.json ("key: value")
     * @param seed          the corpus seed (the training seed)
     * @param heldOutSizes  held-out examples per category before the caps ("CATEGORY=n")
     * @param harmfulCap    harmful prompts evaluated at most
     * @param otherCap      prompts of every other category at most
     * @param attackCap     harmful prompts wrapped in each attack template at most
     * @param maxTokens     generated tokens per answer (greedy)
     * @param context       the runtime's context in tokens
     * @param classifier    the primary classifier's description
     * @param maxExternality the policy limit the prose compares against
     * @param command       the command line that produced the report
     */
    public record Facts(String modelDir, List<String> modelFacts, long seed, List<String> heldOutSizes, int harmfulCap,
                        int otherCap, int attackCap, int maxTokens, int context, String classifier,
                        double maxExternality, String command) {
        public Facts {
            Objects.requireNonNull(modelDir, "modelDir");
            modelFacts = List.copyOf(modelFacts);
            heldOutSizes = List.copyOf(heldOutSizes);
            Objects.requireNonNull(classifier, "classifier");
            Objects.requireNonNull(command, "command");
        }
    }

    /**
     * One measured rate of the unsteered model.
     *
     * @param category the held-out category
     * @param metric   what is counted, e.g. "refusal rate", "helpful (check passes)"
     * @param primary  by the gateway's default classifier (or the check with it)
     * @param lexical  by the lexical tier (or the check alone, which uses it)
     * @param skipped  prompts longer than the context, not run
     */
    public record Row(String category, String metric, Count primary, Count lexical, int skipped) {
        public Row {
            Objects.requireNonNull(category, "category");
            Objects.requireNonNull(metric, "metric");
            Objects.requireNonNull(primary, "primary");
            Objects.requireNonNull(lexical, "lexical");
        }
    }

    /** Refusals on harmful prompts wrapped in one template; ASR is the complement. */
    public record AttackRow(String template, Count refusedPrimary, Count refusedLexical, int skipped) {
        public AttackRow {
            Objects.requireNonNull(template, "template");
            Objects.requireNonNull(refusedPrimary, "refusedPrimary");
            Objects.requireNonNull(refusedLexical, "refusedLexical");
        }
    }

    /** One benign profile: its vector and a row per coefficient. */
    public record ProfileResult(String name, String vectorFile, List<Integer> layers, String positions,
                                String utilityMetric, List<CoefficientResult> coefficients) {
        public ProfileResult {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(vectorFile, "vectorFile");
            layers = List.copyOf(layers);
            Objects.requireNonNull(positions, "positions");
            Objects.requireNonNull(utilityMetric, "utilityMetric");
            coefficients = List.copyOf(coefficients);
        }
    }

    /**
     * The profile at one coefficient.
     *
     * @param utility        utility rows (e.g. valid JSON on BENIGN, on JSON)
     * @param harmful        refusals on held-out HARMFUL, steered
     * @param attacks        refusals per attack template, steered
     * @param pairsPrimary   steered/unsteered pairs over held-out HARMFUL, primary classifier
     * @param pairsLexical   the same pairs judged by the lexical tier
     */
    public record CoefficientResult(double coefficient, List<Row> utility, AttackRow harmful, List<AttackRow> attacks,
                                    WindowCounts pairsPrimary, WindowCounts pairsLexical) {
        public CoefficientResult {
            utility = List.copyOf(utility);
            Objects.requireNonNull(harmful, "harmful");
            attacks = List.copyOf(attacks);
            Objects.requireNonNull(pairsPrimary, "pairsPrimary");
            Objects.requireNonNull(pairsLexical, "pairsLexical");
        }
    }

    /** One prompt answered unsteered and steered. */
    public record Sample(String profile, double coefficient, String category, String prompt, String unsteered,
                        String steered) {
    }

    /** Wall time of the evaluation (the only non-deterministic part of the report). */
    public record Timing(double seconds, long generations, String hardware) {
    }
}
