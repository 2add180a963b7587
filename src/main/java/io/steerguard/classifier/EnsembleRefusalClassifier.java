package io.steerguard.classifier;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Combines tiers by an {@link EnsembleRule}. The verdict's method is the deciding member's method
 * for {@code first-available} (so "judge->embedding" fallbacks stay visible) and
 * {@code "ensemble"} for the voting rules.
 */
public final class EnsembleRefusalClassifier implements RefusalClassifier {

    private final List<RefusalClassifier> members;
    private final EnsembleRule rule;

    public EnsembleRefusalClassifier(List<RefusalClassifier> members, EnsembleRule rule) {
        this.members = List.copyOf(members);
        this.rule = Objects.requireNonNull(rule, "rule");
        if (this.members.isEmpty()) {
            throw new IllegalArgumentException("members must not be empty");
        }
        if (rule.kind() == EnsembleRule.Kind.WEIGHTED_MEAN && rule.weights().size() != this.members.size()) {
            throw new IllegalArgumentException("weighted-mean has " + rule.weights().size() + " weights for "
                    + this.members.size() + " members");
        }
    }

    @Override
    public Verdict classify(String prompt, String response) {
        return assess(new Exchange(prompt, response)).verdict();
    }

    /** Each exchange's verdict with the readings of the members that ran on it. */
    @Override
    public List<Assessment> assessAll(List<Exchange> exchanges) {
        List<Assessment> out = new ArrayList<>(exchanges.size());
        for (Exchange e : exchanges) {
            out.add(assess(e));
        }
        return out;
    }

    private Assessment assess(Exchange exchange) {
        List<Exchange> one = List.of(exchange);
        if (rule.kind() == EnsembleRule.Kind.FIRST_AVAILABLE) {
            ClassifierException last = null;
            for (RefusalClassifier member : members) {
                try {
                    return member.assessAll(one).get(0);
                } catch (ClassifierException e) {
                    last = e;
                }
            }
            throw new ClassifierException("no ensemble member reached a verdict", last);
        }
        List<Verdict> verdicts = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        List<TierReading> readings = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            try {
                Assessment a = members.get(i).assessAll(one).get(0);
                verdicts.add(a.verdict());
                readings.addAll(a.tiers());
                weights.add(rule.kind() == EnsembleRule.Kind.WEIGHTED_MEAN ? rule.weights().get(i) : 1.0);
            } catch (ClassifierException e) {
                // A failed member abstains; the others still decide.
            }
        }
        if (verdicts.isEmpty()) {
            throw new ClassifierException("no ensemble member reached a verdict");
        }
        Verdict combined = rule.kind() == EnsembleRule.Kind.MAJORITY ? majority(verdicts) : weightedMean(verdicts, weights);
        return new Assessment(combined, readings);
    }

    private static Verdict majority(List<Verdict> verdicts) {
        int votes = 0;
        double scoreSum = 0;
        for (Verdict v : verdicts) {
            votes += v.refused() ? 1 : 0;
            scoreSum += v.score();
        }
        int n = verdicts.size();
        boolean refused = 2 * votes > n || (2 * votes == n && scoreSum / n >= 0.5);
        return new Verdict(refused, (double) votes / n, ClassifierMethod.ENSEMBLE.id());
    }

    private Verdict weightedMean(List<Verdict> verdicts, List<Double> weights) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < verdicts.size(); i++) {
            num += weights.get(i) * verdicts.get(i).score();
            den += weights.get(i);
        }
        if (den <= 0) {
            throw new ClassifierException("only zero-weight members answered");
        }
        return Verdict.fromScore(Math.min(1.0, num / den), rule.threshold(), ClassifierMethod.ENSEMBLE.id());
    }

    @Override
    public RefusalClassifier withActivation(Verdict activation) {
        List<RefusalClassifier> bound = members.stream().map(m -> m.withActivation(activation)).toList();
        return bound.equals(members) ? this : new EnsembleRefusalClassifier(bound, rule);
    }

    @Override
    public String method() {
        return ClassifierMethod.ENSEMBLE.id();
    }
}
