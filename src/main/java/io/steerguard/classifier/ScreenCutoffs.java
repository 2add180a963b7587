package io.steerguard.classifier;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Chooses the screen's two cut-offs from labelled answers it was not fitted on (the validation
 * fifth), so that the cascade makes no more mistakes there than the learned tier alone.
 *
 * <p>Rule, for the compliant side: sort the answers by the screen's logit, lowest first. Calling the
 * lowest {@code k} compliant costs {@code screenErrors(k)} = refusals among them; leaving them to the
 * learned tier costs {@code learnedErrors(k)} = the learned tier's mistakes among them. The cut-off
 * is the logit of the {@code k}-th answer for the largest {@code k} with
 * {@code screenErrors(k) ≤ learnedErrors(k)}, and no cut-off at all (the screen never calls that
 * side) when no {@code k} qualifies. Only answers the screen itself leans towards compliant (logit
 * below 0, probability under one half) are candidates, so the two regions never meet. The refusal
 * side is the mirror image (logits above 0). Each side's condition
 * holds on its own region, so the cascade's mistakes on these answers are at most the learned tier's
 * on each side, hence overall. Ties in the logit are kept together: a cut-off never splits answers
 * with the same logit.
 */
public final class ScreenCutoffs {

    /** The cut-offs and what they decide on the answers they were chosen from. */
    public record Choice(double lower, double upper, int compliantDecided, int compliantScreenErrors,
                         int compliantLearnedErrors, int refusalDecided, int refusalScreenErrors, int refusalLearnedErrors) {

        public Choice {
            if (Double.isNaN(lower) || Double.isNaN(upper) || !(lower < upper)) {
                throw new IllegalArgumentException("need lower < upper, was " + lower + " and " + upper);
            }
        }
    }

    /** Logit standing for "never": beyond any logit a model with finite weights produces here. */
    public static final double NEVER = 1e9;

    private ScreenCutoffs() {
    }

    /**
     * @param screenLogit    the screen's logit per answer
     * @param refused        the label per answer
     * @param learnedCorrect whether the learned tier alone got the answer right
     */
    public static Choice choose(double[] screenLogit, boolean[] refused, boolean[] learnedCorrect) {
        int n = screenLogit.length;
        if (n != refused.length || n != learnedCorrect.length) {
            throw new IllegalArgumentException("arrays must have the same length");
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            if (!Double.isFinite(screenLogit[i])) {
                throw new IllegalArgumentException("logit " + i + " is not finite");
            }
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> screenLogit[i]));
        Side low = side(order, screenLogit, refused, learnedCorrect, false);
        Integer[] reversed = new Integer[n];
        for (int i = 0; i < n; i++) {
            reversed[i] = order[n - 1 - i];
        }
        Side high = side(reversed, screenLogit, refused, learnedCorrect, true);
        double lower = low.decided == 0 ? -NEVER : screenLogit[order[low.decided - 1]];
        double upper = high.decided == 0 ? NEVER : screenLogit[reversed[high.decided - 1]];
        return new Choice(lower, upper, low.decided, low.screenErrors, low.learnedErrors,
                high.decided, high.screenErrors, high.learnedErrors);
    }

    private record Side(int decided, int screenErrors, int learnedErrors) {
    }

    /** The largest prefix of {@code order} (whole tie groups only) the screen may call {@code callRefused}. */
    private static Side side(Integer[] order, double[] z, boolean[] refused, boolean[] learnedCorrect, boolean callRefused) {
        int screenErrors = 0;
        int learnedErrors = 0;
        Side best = new Side(0, 0, 0);
        for (int k = 0; k < order.length; k++) {
            int i = order[k];
            if (callRefused ? z[i] <= 0 : z[i] >= 0) {
                break; // the screen itself leans the other way from here on
            }
            if (refused[i] != callRefused) {
                screenErrors++;
            }
            if (!learnedCorrect[i]) {
                learnedErrors++;
            }
            boolean endOfTies = k + 1 == order.length || z[order[k + 1]] != z[i];
            if (endOfTies && screenErrors <= learnedErrors) {
                best = new Side(k + 1, screenErrors, learnedErrors);
            }
        }
        return best;
    }
}
