package io.steerguard.training.evaluation;

import io.steerguard.shadow.SafetySnapshot;
import io.steerguard.steering.GeometryBands;
import io.steerguard.steering.GeometryReport;
import io.steerguard.steering.GeometryVerdict;
import io.steerguard.steering.RefusalDirection;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The report's geometry section: each profile's vector audited against the model's refusal
 * direction (the same audit as {@code AuditCommand} and {@code GET /admin/profiles/{name}/geometry}),
 * set beside what the behavioural measurement found, so a reader sees whether the static check
 * would have predicted the measured externality.
 */
public final class GeometrySection {

    private GeometrySection() {
    }

    /** One audited profile: the audit at coefficient 1 and the profile's measured results. */
    public record Audited(EvaluationResult.ProfileResult result, GeometryReport report) {
    }

    /** Audits {@code steering} at coefficient 1 against {@code refusal}. */
    public static GeometryReport audit(String profile, VectorSteering steering, RefusalDirection refusal,
                                       Path refusalFile, Map<Integer, Double> residualNorms) {
        return GeometryReport.audit(profile, steering.at(1.0), refusal, refusalFile.toString(), residualNorms,
                GeometryBands.defaults());
    }

    public static String render(List<Audited> audited, double maxExternality) {
        StringBuilder md = new StringBuilder("## Geometry audit\n\n");
        md.append("Cosine of each steered layer's vector with the model's refusal direction (difference of mean "
                + "activations of harmful and harmless training prompts), at coefficient 1; the relative norm is "
                + "|v| over the mean residual norm at that layer. The bands are the audit's defaults.\n\n");
        for (Audited a : audited) {
            md.append("`").append(a.result().name()).append("`:\n\n```\n").append(a.report().toText().strip())
                    .append("\n```\n\n").append(comparison(a, maxExternality)).append("\n\n");
        }
        return md.toString();
    }

    /** Whether the static verdict agrees with the measured externality, in words chosen from the numbers. */
    static String comparison(Audited a, double maxExternality) {
        double worst = 0;
        double worstCoefficient = 0;
        for (EvaluationResult.CoefficientResult c : a.result().coefficients()) {
            SafetySnapshot s = PairedCounts.snapshot(c.pairsPrimary(), Fmt.CONFIDENCE);
            if (s.externality().value() > worst) {
                worst = s.externality().value();
                worstCoefficient = c.coefficient();
            }
        }
        GeometryVerdict verdict = a.report().worstVerdict();
        boolean eroded = worst > maxExternality;
        String measured = eroded
                ? "the measured externality reaches " + Fmt.num(worst) + " at coefficient "
                + Fmt.coefficient(worstCoefficient)
                : "the measured externality stays at or below " + Fmt.num(maxExternality)
                + " at every coefficient (largest " + Fmt.num(worst) + ")";
        return switch (verdict) {
            case RAISES_JAILBREAK_RISK -> "The audit warns of jailbreak risk (the vector points away from refusal); "
                    + measured + (eroded ? ": the static check and the behaviour agree." : ": the warning did not "
                    + "materialise in behaviour at these coefficients.");
            case RAISES_OVER_REFUSAL -> "The audit predicts more refusals (the vector points toward refusal); "
                    + measured + (eroded ? ": the static check points the wrong way for this vector, and only the "
                    + "behavioural measurement catches the erosion." : ".");
            case NEUTRAL -> "The audit calls the vector neutral; " + measured + (eroded
                    ? ": the erosion happens outside the refusal direction, where the static check does not look."
                    : ".");
            case NO_REFUSAL_DIRECTION -> "No refusal direction to audit against; " + measured + ".";
        };
    }
}
