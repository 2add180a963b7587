package io.steerguard.steering;

import io.steerguard.derivation.RefusalDirectionDerivation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.steerguard.runtime.SteeringOperator;
import io.steerguard.runtime.SteeringPositions;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.steering.SteeringGeometry.EntryGeometry;
import io.steerguard.steering.SteeringGeometry.LayerGeometry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RefusalGeometryTest {

    private static final int D = 32;

    @TempDir
    Path dir;

    private static float[] gaussian(Random rnd) {
        float[] v = new float[D];
        for (int i = 0; i < D; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }

    private static float[] scaled(float[] v, double s) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] * s);
        }
        return out;
    }

    private static RefusalDirection refusal(float[] r2, float[] r4) {
        return new RefusalDirection(VectorSet.of("llama", Map.of(2, r2, 4, r4)), Set.of(40, 2170));
    }

    @Test
    void refusalDirection_isTheDifferenceOfMeans_harmfulMinusHarmless() {
        Random rnd = new Random(21);
        float[] planted = scaled(VectorMath.unit(gaussian(rnd)), 4);
        List<float[]> harmful = new ArrayList<>();
        List<float[]> harmless = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            harmless.add(gaussian(rnd));
            float[] h = gaussian(rnd);
            for (int k = 0; k < D; k++) {
                h[k] += planted[k];
            }
            harmful.add(h);
        }

        RefusalDirection r = RefusalDirectionDerivation.fromActivations(Map.of(7, harmful), Map.of(7, harmless), "llama", Set.of(40));

        assertThat(VectorMath.cosine(r.directions().direction(7), planted)).isGreaterThan(0.95);
        assertThat(r.refusalTokenIds()).containsExactly(40);
    }

    @Test
    void vectorEqualToMinusR_hasCosineMinusOne_andRaisesJailbreakRisk() {
        Random rnd = new Random(22);
        float[] r = gaussian(rnd);
        VectorSet v = VectorSet.of("llama", Map.of(2, scaled(r, -1)));

        LayerGeometry g = SteeringGeometry.audit(v, 1.0, refusal(r, gaussian(rnd)), Map.of(), GeometryBands.defaults())
                .get(0);

        assertThat(g.cosine()).isCloseTo(-1.0, within(1e-6));
        assertThat(g.verdict()).isEqualTo(GeometryVerdict.RAISES_JAILBREAK_RISK);
        assertThat(g.relativeNorm()).isNaN();
    }

    @Test
    void positiveCosine_raisesOverRefusal_andANegativeCoefficientFlipsTheVerdict() {
        Random rnd = new Random(23);
        float[] r = gaussian(rnd);
        VectorSet v = VectorSet.of("llama", Map.of(2, scaled(r, 2)));
        RefusalDirection rd = refusal(r, gaussian(rnd));

        assertThat(SteeringGeometry.audit(v, 1.5, rd, Map.of(2, 30.0), GeometryBands.defaults()).get(0))
                .satisfies(g -> {
                    assertThat(g.verdict()).isEqualTo(GeometryVerdict.RAISES_OVER_REFUSAL);
                    assertThat(g.relativeNorm()).isCloseTo(1.5 * 2 * VectorMath.norm(r) / 30.0, within(1e-9));
                });
        assertThat(SteeringGeometry.audit(v, -1.0, rd, Map.of(), GeometryBands.defaults()).get(0).verdict())
                .isEqualTo(GeometryVerdict.RAISES_JAILBREAK_RISK);
    }

    @Test
    void nearOrthogonalVector_isNeutral_andAMissingLayerIsSaid() {
        float[] r = new float[D];
        r[0] = 1;
        float[] v = new float[D];
        v[0] = 0.05f;
        v[1] = 1;
        VectorSet set = VectorSet.of("llama", Map.of(2, v, 3, v));

        List<LayerGeometry> audit = SteeringGeometry.audit(set, 1, refusal(r, r), Map.of(), GeometryBands.defaults());

        assertThat(audit).extracting(LayerGeometry::verdict)
                .containsExactly(GeometryVerdict.NEUTRAL, GeometryVerdict.NO_REFUSAL_DIRECTION);
    }

    @Test
    void ablatedVariant_hasCosineZeroWithR_andKeepsTheRest() {
        Random rnd = new Random(24);
        float[] r = gaussian(rnd);
        float[] other = SteeringGeometry.ablate(gaussian(rnd), r); // the part of v unrelated to refusal
        float[] v = new float[D];
        for (int k = 0; k < D; k++) {
            v[k] = -2 * r[k] + other[k];
        }
        float[] r4 = gaussian(rnd);
        RefusalDirection rd = refusal(r, r4);
        VectorSet set = VectorSet.of("llama", Map.of(2, v, 4, VectorMath.subtract(gaussian(rnd), r4)));

        VectorSet ablated = SteeringGeometry.ablateRefusal(set, rd);

        assertThat(VectorMath.cosine(ablated.direction(2), r)).isCloseTo(0.0, within(1e-6));
        assertThat(VectorMath.cosine(ablated.direction(4), r4)).isCloseTo(0.0, within(1e-6));
        assertThat(VectorMath.cosine(ablated.direction(2), other)).isCloseTo(1.0, within(1e-6));
        assertThat(SteeringGeometry.audit(ablated, 1, rd, Map.of(), GeometryBands.defaults()))
                .extracting(LayerGeometry::verdict).containsOnly(GeometryVerdict.NEUTRAL);
    }

    @Test
    void ablatedVariant_exportsAsGguf_thatReadsBackOrthogonal() throws IOException {
        Random rnd = new Random(25);
        float[] r = gaussian(rnd);
        float[] v = VectorMath.subtract(gaussian(rnd), scaled(r, 3));
        VectorSet ablated = SteeringGeometry.ablateRefusal(VectorSet.of("llama", Map.of(2, v)),
                refusal(r, gaussian(rnd)));
        Path out = dir.resolve("json-ablated.gguf");

        VectorFiles.write(ablated, out);

        assertThat(VectorMath.cosine(VectorFiles.read(out).direction(2), r)).isCloseTo(0.0, within(1e-6));
    }

    @Test
    void vectorAlongR_cannotBeAblated() {
        Random rnd = new Random(26);
        float[] r = gaussian(rnd);
        assertThatThrownBy(() -> SteeringGeometry.ablateRefusal(VectorSet.of("llama", Map.of(2, scaled(r, -1))),
                refusal(r, r))).hasMessageContaining("lies along the refusal direction");
    }

    @Test
    void refusalDirection_roundTripsThroughItsFile_withTokenIdsAndLayerZero() throws IOException {
        Random rnd = new Random(27);
        RefusalDirection r = new RefusalDirection(VectorSet.of("qwen2", Map.of(0, gaussian(rnd), 9, gaussian(rnd))),
                Set.of(2170, 40, 9));
        Path p = dir.resolve(RefusalDirection.FILE_NAME);

        r.write(p);
        RefusalDirection back = RefusalDirection.read(p);

        assertThat(back.directions().sameVectors(r.directions())).isTrue();
        assertThat(back.refusalTokenIds()).containsExactlyInAnyOrder(9, 40, 2170);
    }

    @Test
    void anOrdinaryVectorFile_isNotARefusalDirection() throws IOException {
        Path p = dir.resolve("v.safetensors");
        VectorFiles.write(VectorSet.of("llama", Map.of(1, new float[] {1})), p);
        assertThatThrownBy(() -> RefusalDirection.read(p)).isInstanceOf(VectorFileException.class)
                .hasMessage(p + ": metadata kind: is 'null', expected 'refusal-direction'");
    }

    @Test
    void profileAudit_readsEachOperatorsEffectOnRefusal() {
        Random rnd = new Random(28);
        float[] r = gaussian(rnd);
        RefusalDirection rd = refusal(r, r);
        Map<Integer, float[]> alongR = Map.of(2, scaled(r, 1));
        SteeringSpec spec = new SteeringSpec(List.of(
                SteeringSpec.Entry.add(alongR, -2.0),
                new SteeringSpec.Entry("abl.gguf", List.of(2), alongR, 1, SteeringOperator.ABLATE, 0,
                        SteeringPositions.ALL, false),
                new SteeringSpec.Entry("proj.gguf", List.of(2), alongR, 1, SteeringOperator.PROJECT_TO, 3,
                        SteeringPositions.ALL, false)));

        List<EntryGeometry> audit = SteeringGeometry.audit(spec, rd, Map.of(2, 10.0), GeometryBands.defaults());

        assertThat(audit).extracting(g -> g.geometry().verdict()).containsExactly(
                GeometryVerdict.RAISES_JAILBREAK_RISK,   // add with c < 0 pushes against r
                GeometryVerdict.RAISES_JAILBREAK_RISK,   // ablating a refusal-aligned direction removes refusal
                GeometryVerdict.RAISES_OVER_REFUSAL);    // projecting onto +r pushes toward refusal
        assertThat(audit.get(0).geometry().relativeNorm()).isCloseTo(2 * VectorMath.norm(r) / 10.0, within(1e-9));
        assertThat(audit.get(1).geometry().relativeNorm()).isNaN();
    }
}
