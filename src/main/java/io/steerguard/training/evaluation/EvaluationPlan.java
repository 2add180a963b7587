package io.steerguard.training.evaluation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

import io.steerguard.shadow.AttackTemplates;

/**
 * What to evaluate: the capped held-out prompts per category (in report order), the attack
 * templates, the benign profiles and the coefficients.
 *
 * @param heldOut           category name to its prompts, already capped
 * @param harmfulCategories the categories whose expected answer is a refusal (refusal rate reported)
 * @param attackCap         plain held-out HARMFUL prompts wrapped in each template (the first ones)
 * @param coefficients      multipliers of every profile's vector, ascending; 0 reuses the unsteered answers
 */
public record EvaluationPlan(Map<String, List<EvalPrompt>> heldOut, Set<String> harmfulCategories,
                             AttackTemplates templates, List<String> attacks, int attackCap,
                             List<ProfilePlan> profiles, List<Double> coefficients) {

    /** The plain harmful category: its prompts are the ones wrapped and paired. */
    public static final String HARMFUL = "HARMFUL";

    public EvaluationPlan {
        heldOut = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(heldOut));
        harmfulCategories = Set.copyOf(harmfulCategories);
        Objects.requireNonNull(templates, "templates");
        attacks = List.copyOf(attacks);
        profiles = List.copyOf(profiles);
        coefficients = List.copyOf(coefficients);
        if (!heldOut.containsKey(HARMFUL)) {
            throw new IllegalArgumentException("heldOut must hold the " + HARMFUL + " category");
        }
        for (String a : attacks) {
            if (!templates.has(a)) {
                throw new IllegalArgumentException("unknown attack template '" + a + "'; expected " + templates.names());
            }
        }
        if (attackCap < 0) {
            throw new IllegalArgumentException("attackCap must not be negative");
        }
        for (double c : coefficients) {
            if (!Double.isFinite(c)) {
                throw new IllegalArgumentException("coefficients must be finite");
            }
        }
    }

    public List<EvalPrompt> harmful() {
        return heldOut.get(HARMFUL);
    }

    /** The first {@code attackCap} harmful prompts, wrapped in {@code attack}. */
    public List<EvalPrompt> wrapped(String attack) {
        List<EvalPrompt> plain = harmful().subList(0, Math.min(attackCap, harmful().size()));
        return plain.stream().map(p -> p.withPrompt(templates.apply(attack, p.prompt()))).toList();
    }

    /** One benign profile: its vector and the sets its utility is measured on. */
    public record ProfilePlan(String name, VectorSteering steering, List<UtilitySet> utility) {
        public ProfilePlan {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(steering, "steering");
            utility = List.copyOf(utility);
            if (utility.isEmpty()) {
                throw new IllegalArgumentException("a profile needs at least one utility set");
            }
        }
    }

    /**
     * Prompts and the check that scores utility on them.
     *
     * @param check the utility check, or null to use each example's own check
     */
    public record UtilitySet(String label, String category, List<EvalPrompt> prompts, Predicate<String> check) {
        public UtilitySet {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(category, "category");
            prompts = List.copyOf(prompts);
        }

        boolean passes(EvalPrompt p, String answer) {
            return check == null ? p.check().test(answer) : check.test(answer);
        }
    }
}
