package io.steerguard.training.evaluation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.steerguard.runtime.SteeringSpec;
import io.steerguard.shadow.WindowCounts;
import io.steerguard.training.evaluation.EvaluationPlan.ProfilePlan;
import io.steerguard.training.evaluation.EvaluationPlan.UtilitySet;
import io.steerguard.training.evaluation.EvaluationResult.AttackRow;
import io.steerguard.training.evaluation.EvaluationResult.CoefficientResult;
import io.steerguard.training.evaluation.EvaluationResult.ProfileResult;
import io.steerguard.training.evaluation.EvaluationResult.Row;
import io.steerguard.training.evaluation.EvaluationResult.Sample;

/**
 * The offline evaluation: the unsteered model on every held-out category and under every attack
 * template, then each benign profile at each coefficient (utility, refusals, ASR per template and
 * the paired externality over the plain harmful prompts). Answers are greedy, so a coefficient of
 * 0 (no steering, bit-identical logits) reuses the unsteered answers instead of generating again.
 */
public final class DemoEvaluation {

    /** Harmful samples shown per profile. */
    private static final int HARMFUL_SAMPLES = 2;
    private static final int UTILITY_SAMPLES = 2;
    /** Categories also answered at the model's sampling defaults, and the first prompt's seed. */
    private static final List<String> SAMPLED_CATEGORIES = List.of("HARMFUL", "BENIGN", "GREETING", "OUT_OF_SCOPE");
    private static final long SAMPLING_SEED = 7;

    private final Answerer answerer;
    private final Judges judges;
    private final Consumer<String> progress;

    public DemoEvaluation(Answerer answerer, Judges judges, Consumer<String> progress) {
        this.answerer = answerer;
        this.judges = judges;
        this.progress = progress;
    }

    /** Runs the plan; blocking. */
    public EvaluationResult run(EvaluationPlan plan, EvaluationResult.Facts facts) throws InterruptedException {
        long start = System.nanoTime();
        long generations0 = answerer.generations();
        Map<String, Answered> base = new HashMap<>();
        List<Row> unsteered = new ArrayList<>();
        for (Map.Entry<String, List<EvalPrompt>> c : plan.heldOut().entrySet()) {
            Answered a = answer(c.getValue(), SteeringSpec.none(), "unsteered " + c.getKey());
            base.put(c.getKey(), a);
            unsteered.add(plan.harmfulCategories().contains(c.getKey())
                    ? new Row(c.getKey(), "refusal rate", a.verdicts.refusals(false), a.verdicts.refusals(true),
                    a.verdicts.skipped())
                    : checkRow(c.getKey(), "check passes", a, null));
        }
        unsteered.addAll(atDefaults(plan));
        Map<String, Answered> baseAttacks = new HashMap<>();
        List<AttackRow> attacks = new ArrayList<>();
        for (String attack : plan.attacks()) {
            Answered a = answer(plan.wrapped(attack), SteeringSpec.none(), "unsteered attack " + attack);
            baseAttacks.put(attack, a);
            attacks.add(attackRow(attack, a));
        }
        List<ProfileResult> profiles = new ArrayList<>();
        List<Sample> samples = new ArrayList<>();
        for (ProfilePlan profile : plan.profiles()) {
            List<CoefficientResult> rows = new ArrayList<>();
            List<Answered> harmfulByCoefficient = new ArrayList<>();
            List<Answered> utilityByCoefficient = new ArrayList<>();
            Answered unsteeredUtility = null;
            for (double c : plan.coefficients()) {
                SteeringSpec steering = profile.steering().at(c);
                String what = profile.name() + " x" + c;
                List<Row> utility = new ArrayList<>();
                Answered firstUtility = null;
                for (UtilitySet set : profile.utility()) {
                    Answered a = c == 0 && base.containsKey(set.category())
                            && base.get(set.category()).prompts.equals(set.prompts())
                            ? base.get(set.category()) : answer(set.prompts(), steering, what + " " + set.label());
                    utility.add(checkRow(set.category(), set.label(), a, set));
                    firstUtility = firstUtility == null ? a : firstUtility;
                }
                Answered harmful = c == 0 ? base.get(EvaluationPlan.HARMFUL)
                        : answer(plan.harmful(), steering, what + " harmful");
                List<AttackRow> steeredAttacks = new ArrayList<>();
                for (String attack : plan.attacks()) {
                    Answered a = c == 0 ? baseAttacks.get(attack) : answer(plan.wrapped(attack), steering,
                            what + " attack " + attack);
                    steeredAttacks.add(attackRow(attack, a));
                }
                Answered plainHarmful = base.get(EvaluationPlan.HARMFUL);
                WindowCounts primary = PairedCounts.pair(harmful.verdicts, plainHarmful.verdicts, false);
                WindowCounts lexical = PairedCounts.pair(harmful.verdicts, plainHarmful.verdicts, true);
                rows.add(new CoefficientResult(c, utility, attackRow("none (plain HARMFUL)", harmful), steeredAttacks,
                        primary, lexical));
                harmfulByCoefficient.add(harmful);
                utilityByCoefficient.add(firstUtility);
                if (c == 0) {
                    unsteeredUtility = firstUtility;
                }
            }
            ProfileResult result = new ProfileResult(profile.name(), profile.steering().file().toString(),
                    profile.steering().layers(), profile.steering().positions(), profile.utility().get(0).label(), rows);
            profiles.add(result);
            int chosen = SampleChoice.coefficientIndex(result);
            if (chosen >= 0) {
                Answered u0 = unsteeredUtility != null ? unsteeredUtility
                        : answer(profile.utility().get(0).prompts(), SteeringSpec.none(), "unsteered samples");
                samples.addAll(samples(profile.name(), rows.get(chosen).coefficient(), u0,
                        utilityByCoefficient.get(chosen), UTILITY_SAMPLES, false));
                samples.addAll(samples(profile.name(), rows.get(chosen).coefficient(), base.get(EvaluationPlan.HARMFUL),
                        harmfulByCoefficient.get(chosen), HARMFUL_SAMPLES, true));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        EvaluationResult.Timing timing = new EvaluationResult.Timing(seconds, answerer.generations() - generations0,
                Runtime.getRuntime().availableProcessors() + " cores");
        return new EvaluationResult(facts, unsteered, attacks, profiles, samples, timing, null);
    }

    /**
     * The categories a newcomer meets first, answered the way a client that sends no temperature
     * is answered (the model's generation_config.json defaults): whether those defaults keep the
     * model on topic, and refusing, as greedy decoding does.
     */
    private List<Row> atDefaults(EvaluationPlan plan) throws InterruptedException {
        List<Row> rows = new ArrayList<>();
        io.steerguard.runtime.SamplingDefaults d = answerer.defaults();
        String how = String.format(java.util.Locale.ROOT, "sampled at temperature %s, top_p %s, top_k %d",
                Fmt.coefficient(d.temperature()), Fmt.coefficient(d.topP()), d.topK());
        for (String category : SAMPLED_CATEGORIES) {
            List<EvalPrompt> prompts = plan.heldOut().get(category);
            if (prompts == null) {
                continue;
            }
            long t0 = System.nanoTime();
            List<String> answers = answerer.answerAtDefaults(prompts, SAMPLING_SEED);
            Verdicts v = judges.judge(prompts.stream().map(EvalPrompt::prompt).toList(), answers);
            progress.accept(String.format(java.util.Locale.ROOT, "sampled %s: %d prompts in %.1f s", category,
                    prompts.size(), (System.nanoTime() - t0) / 1e9));
            Answered a = new Answered(prompts, answers, v);
            rows.add(plan.harmfulCategories().contains(category)
                    ? new Row(category, "refusal rate, " + how, v.refusals(false), v.refusals(true), v.skipped())
                    : checkRow(category, "check passes, " + how, a, null));
        }
        return rows;
    }

    /** Prompts with their answers and verdicts. */
    private record Answered(List<EvalPrompt> prompts, List<String> answers, Verdicts verdicts) {
    }

    private Answered answer(List<EvalPrompt> prompts, SteeringSpec steering, String what) throws InterruptedException {
        long t0 = System.nanoTime();
        List<String> answers = answerer.answer(prompts, steering);
        // The classifier sees the bare request: for wrapped prompts that is still the wrapped text the
        // client sent, as on the gateway's shadow path.
        Verdicts v = judges.judge(prompts.stream().map(EvalPrompt::prompt).toList(), answers);
        progress.accept(String.format(java.util.Locale.ROOT, "%s: %d prompts in %.1f s", what, prompts.size(),
                (System.nanoTime() - t0) / 1e9));
        return new Answered(prompts, answers, v);
    }

    /** Utility: check passes and the gateway classifier saw no refusal (primary); the check alone (lexical). */
    private static Row checkRow(String category, String metric, Answered a, UtilitySet set) {
        long kp = 0;
        long kl = 0;
        long n = 0;
        for (int i = 0; i < a.prompts.size(); i++) {
            String answer = a.answers.get(i);
            if (answer == null) {
                continue;
            }
            n++;
            boolean passes = set == null ? a.prompts.get(i).check().test(answer) : set.passes(a.prompts.get(i), answer);
            kl += passes ? 1 : 0;
            kp += passes && !a.verdicts.primary()[i] ? 1 : 0;
        }
        return new Row(category, metric, new Count(kp, n), new Count(kl, n), a.verdicts.skipped());
    }

    private static AttackRow attackRow(String attack, Answered a) {
        return new AttackRow(attack, a.verdicts.refusals(false), a.verdicts.refusals(true), a.verdicts.skipped());
    }

    /**
     * Up to {@code max} samples; for harmful prompts those the unsteered model refused and the steered
     * one answered come first (the externality made visible), then the rest in corpus order.
     */
    private static List<Sample> samples(String profile, double c, Answered unsteered, Answered steered, int max,
                                        boolean harmful) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < unsteered.prompts.size(); i++) {
            if (harmful && unsteered.verdicts.primary()[i] && !steered.verdicts.primary()[i]
                    && steered.answers.get(i) != null) {
                order.add(i);
            }
        }
        for (int i = 0; i < unsteered.prompts.size(); i++) {
            if (!order.contains(i) && unsteered.answers.get(i) != null && steered.answers.get(i) != null) {
                order.add(i);
            }
        }
        List<Sample> out = new ArrayList<>();
        for (int i : order.subList(0, Math.min(max, order.size()))) {
            EvalPrompt p = unsteered.prompts.get(i);
            out.add(new Sample(profile, c, p.category(), p.prompt(), unsteered.answers.get(i), steered.answers.get(i)));
        }
        return out;
    }
}
