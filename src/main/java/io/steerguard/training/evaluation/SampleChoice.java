package io.steerguard.training.evaluation;

import java.util.List;

import io.steerguard.training.evaluation.EvaluationResult.CoefficientResult;
import io.steerguard.training.evaluation.EvaluationResult.ProfileResult;

/**
 * Which coefficient the report's samples show: the largest "utility-preserving" one, i.e. the
 * largest non-zero coefficient whose first utility rate (gateway classifier) is at least the
 * unsteered one (coefficient 0, or the smallest coefficient when 0 was not run); when none is,
 * the smallest non-zero coefficient. -1 when the profile has no non-zero coefficient.
 */
public final class SampleChoice {

    private SampleChoice() {
    }

    public static int coefficientIndex(ProfileResult profile) {
        List<CoefficientResult> rows = profile.coefficients();
        if (rows.isEmpty()) {
            return -1;
        }
        CoefficientResult reference = rows.stream().filter(r -> r.coefficient() == 0).findFirst().orElse(rows.get(0));
        double base = utility(reference);
        int best = -1;
        int smallest = -1;
        for (int i = 0; i < rows.size(); i++) {
            CoefficientResult r = rows.get(i);
            if (r.coefficient() == 0) {
                continue;
            }
            if (smallest < 0 || Math.abs(r.coefficient()) < Math.abs(rows.get(smallest).coefficient())) {
                smallest = i;
            }
            double u = utility(r);
            if (!Double.isNaN(u) && !(u < base) && (best < 0 || Math.abs(r.coefficient()) > Math.abs(rows.get(best).coefficient()))) {
                best = i;
            }
        }
        return best >= 0 ? best : smallest;
    }

    static double utility(CoefficientResult r) {
        return r.utility().isEmpty() ? Double.NaN : r.utility().get(0).primary().rate();
    }
}
