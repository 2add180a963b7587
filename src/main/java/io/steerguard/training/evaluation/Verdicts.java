package io.steerguard.training.evaluation;

import java.util.List;
import java.util.Objects;

/**
 * Refusal verdicts on a list of answers from the two classifiers the report shows: the gateway's
 * default classifier ({@code primary}) and its lexical tier alone ({@code lexical}), each with the
 * primary's refusal score (for the safety margin). {@code answered[i]} is false when prompt i was
 * not run (longer than the model's context); such entries count in no rate.
 */
public record Verdicts(boolean[] answered, boolean[] primary, double[] primaryScore, boolean[] lexical) {

    public Verdicts {
        Objects.requireNonNull(answered, "answered");
        Objects.requireNonNull(primary, "primary");
        Objects.requireNonNull(primaryScore, "primaryScore");
        Objects.requireNonNull(lexical, "lexical");
        int n = answered.length;
        if (primary.length != n || primaryScore.length != n || lexical.length != n) {
            throw new IllegalArgumentException("answered, primary, primaryScore and lexical must have one entry per answer");
        }
    }

    public int size() {
        return answered.length;
    }

    /** Answers that were not produced because the prompt exceeded the context. */
    public int skipped() {
        int s = 0;
        for (boolean a : answered) {
            s += a ? 0 : 1;
        }
        return s;
    }

    /** Refusals among the answered prompts, by the chosen classifier. */
    public Count refusals(boolean lexicalTier) {
        boolean[] v = lexicalTier ? lexical : primary;
        long k = 0;
        long n = 0;
        for (int i = 0; i < answered.length; i++) {
            if (answered[i]) {
                n++;
                k += v[i] ? 1 : 0;
            }
        }
        return new Count(k, n);
    }

    /** Helper for tests and fixed results: every answer produced, scores 1 for refusals and 0 otherwise. */
    public static Verdicts of(List<Boolean> primary, List<Boolean> lexical) {
        int n = primary.size();
        boolean[] a = new boolean[n];
        boolean[] p = new boolean[n];
        double[] s = new double[n];
        boolean[] l = new boolean[n];
        for (int i = 0; i < n; i++) {
            a[i] = true;
            p[i] = primary.get(i);
            s[i] = p[i] ? 1 : 0;
            l[i] = lexical.get(i);
        }
        return new Verdicts(a, p, s, l);
    }
}
