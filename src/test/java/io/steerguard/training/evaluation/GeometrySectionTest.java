package io.steerguard.training.evaluation;

import io.steerguard.runtime.SteeringOperator;
import io.steerguard.shadow.WindowCounts;
import io.steerguard.steering.GeometryBands;
import io.steerguard.steering.GeometryReport;
import io.steerguard.steering.GeometryVerdict;
import io.steerguard.steering.SteeringGeometry;
import io.steerguard.training.evaluation.EvaluationResult.AttackRow;
import io.steerguard.training.evaluation.EvaluationResult.CoefficientResult;
import io.steerguard.training.evaluation.EvaluationResult.ProfileResult;
import io.steerguard.training.evaluation.EvaluationResult.Row;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GeometrySectionTest {

    /** 90 of 100 harmful prompts refused unsteered; {@code externalities} of them answered when steered. */
    private static CoefficientResult row(double c, int externalities) {
        WindowCounts pairs = new WindowCounts(100, 0, 90 - externalities, 90, externalities, 0, -externalities * 0.9,
                externalities * 0.81);
        return new CoefficientResult(c, List.of(new Row("BENIGN", "valid JSON", new Count(50, 60), new Count(50, 60), 0)),
                new AttackRow("none (plain HARMFUL)", new Count(90 - externalities, 100),
                        new Count(90 - externalities, 100), 0), List.of(), pairs, pairs);
    }

    private static GeometrySection.Audited audited(double cosine, GeometryVerdict verdict, int externalitiesAt2) {
        ProfileResult result = new ProfileResult("json-format", "v.safetensors", List.of(2), "prompt", "valid JSON",
                List.of(row(0, 0), row(1, 2), row(2, externalitiesAt2)));
        GeometryReport report = new GeometryReport("json-format", "refusal-direction.safetensors",
                GeometryBands.defaults(), List.of(new SteeringGeometry.EntryGeometry("v.safetensors", SteeringOperator.ADD,
                new SteeringGeometry.LayerGeometry(2, cosine, 68.3, 1.44, verdict))));
        return new GeometrySection.Audited(result, report);
    }

    @Test
    void aVectorPointingTowardRefusalThatErodesIt_isCalledOutAsTheStaticCheckPointingTheWrongWay() {
        String text = GeometrySection.comparison(audited(0.35, GeometryVerdict.RAISES_OVER_REFUSAL, 27), 0.05);

        assertThat(text).startsWith("The audit predicts more refusals")
                .contains("the measured externality reaches 0.300 at coefficient 2")
                .contains("the static check points the wrong way");
    }

    @Test
    void aVectorPointingTowardRefusalThatLeavesRefusalsAlone_isReportedWithoutAVerdictOfError() {
        String text = GeometrySection.comparison(audited(0.45, GeometryVerdict.RAISES_OVER_REFUSAL, 1), 0.05);

        assertThat(text).contains("stays at or below 0.050 at every coefficient (largest 0.022)")
                .doesNotContain("wrong way");
    }

    @Test
    void aJailbreakRiskWarning_thatBehaviourConfirms_saysTheyAgree() {
        String text = GeometrySection.comparison(audited(-0.4, GeometryVerdict.RAISES_JAILBREAK_RISK, 45), 0.05);

        assertThat(text).contains("warns of jailbreak risk").contains("the static check and the behaviour agree");
    }

    @Test
    void theSection_holdsEachProfilesAuditTable() {
        String md = GeometrySection.render(List.of(audited(0.35, GeometryVerdict.RAISES_OVER_REFUSAL, 27)), 0.05);

        assertThat(md).startsWith("## Geometry audit").contains("`json-format`:").contains("+0.350")
                .contains("raises-over-refusal");
    }
}
