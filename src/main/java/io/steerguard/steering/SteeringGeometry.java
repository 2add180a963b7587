package io.steerguard.steering;

import io.steerguard.runtime.SteeringOperator;
import io.steerguard.runtime.SteeringSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Geometry audit of steering vectors against a model's refusal direction, and the refusal-ablated
 * variant {@code v' = v - <v, r^> r^} (with {@code r^ = r/|r|}) that Li et al. suggest as mitigation:
 * it removes the part of the steering that acts on refusal, leaving the rest of the behaviour.
 */
public final class SteeringGeometry {

    /** Below this share of the original norm, an ablated vector is treated as having vanished. */
    private static final double VANISHED = 1e-6;

    private SteeringGeometry() {
    }

    /**
     * One steered layer's geometry.
     *
     * @param layer        0-based layer
     * @param cosine       cosine between the effective vector {@code c*v} and {@code r}; NaN without a refusal direction
     * @param norm         {@code |v|}
     * @param relativeNorm {@code |c| |v| / n_L} with {@code n_L} the mean residual norm; NaN when unknown
     * @param verdict      the band the cosine falls in
     */
    public record LayerGeometry(int layer, double cosine, double norm, double relativeNorm, GeometryVerdict verdict) {
    }

    /**
     * Audits every layer of {@code vectors} as applied with {@code coefficient} (its sign flips the
     * effective direction).
     *
     * @param meanResidualNorms mean residual norm per layer; layers without one get a NaN relative norm
     */
    public static List<LayerGeometry> audit(VectorSet vectors, double coefficient, RefusalDirection refusal,
                                            Map<Integer, Double> meanResidualNorms, GeometryBands bands) {
        List<LayerGeometry> out = new ArrayList<>();
        for (int layer : vectors.layers()) {
            float[] v = vectors.direction(layer);
            double norm = VectorMath.norm(v);
            Double residual = meanResidualNorms.get(layer);
            double relative = residual != null && residual > 0 ? Math.abs(coefficient) * norm / residual : Double.NaN;
            float[] r = refusal.directions().directions().get(layer);
            if (r == null || coefficient == 0) {
                out.add(new LayerGeometry(layer, Double.NaN, norm, relative, r == null
                        ? GeometryVerdict.NO_REFUSAL_DIRECTION : GeometryVerdict.NEUTRAL));
                continue;
            }
            double cosine = Math.signum(coefficient) * VectorMath.cosine(v, r);
            out.add(new LayerGeometry(layer, cosine, norm, relative, bands.verdict(cosine)));
        }
        return List.copyOf(out);
    }

    /**
     * One steered layer of one profile entry.
     *
     * @param source   the entry's vector file
     * @param operator the entry's operator
     * @param geometry the layer's geometry under that operator
     */
    public record EntryGeometry(String source, SteeringOperator operator, LayerGeometry geometry) {
    }

    /**
     * Audits a resolved profile, entry by entry and layer by layer, reading each operator's effect on
     * the refusal component:
     * <ul>
     *   <li>{@code add}: the effective vector is {@code c*v}; cosine and relative norm {@code |c||v|/n_L} as in
     *       {@link #audit}.</li>
     *   <li>{@code ablate}: removing {@code u} removes {@code <u, r^>} of the refusal direction whatever the
     *       sign, so the effective cosine is {@code -|cos(v, r)|}.</li>
     *   <li>{@code project-to}: activations below the target move along {@code +u} (the usual case, the target
     *       being the positives' mean projection), so the cosine is {@code cos(v, r)}.</li>
     * </ul>
     * The relative norm is reported for {@code add} only; the other operators move the residual by an
     * amount that depends on the activation, not on {@code |v|}.
     */
    public static List<EntryGeometry> audit(SteeringSpec spec, RefusalDirection refusal,
                                            Map<Integer, Double> meanResidualNorms, GeometryBands bands) {
        List<EntryGeometry> out = new ArrayList<>();
        for (SteeringSpec.Entry e : spec.entries()) {
            if (!e.hasDirections()) {
                throw new IllegalArgumentException(e.source() + ": the entry has no loaded directions to audit");
            }
            VectorSet set = new VectorSet("", new TreeMap<>(e.directions()), e.source());
            double coefficient = e.operator() == SteeringOperator.ADD ? e.coefficient() : 1.0;
            for (LayerGeometry g : audit(set, coefficient, refusal, meanResidualNorms, bands)) {
                LayerGeometry adjusted = g;
                if (e.operator() != SteeringOperator.ADD) {
                    double cosine = e.operator() == SteeringOperator.ABLATE ? -Math.abs(g.cosine()) : g.cosine();
                    GeometryVerdict verdict = Double.isNaN(cosine) ? g.verdict() : bands.verdict(cosine);
                    adjusted = new LayerGeometry(g.layer(), cosine, g.norm(), Double.NaN, verdict);
                }
                out.add(new EntryGeometry(e.source(), e.operator(), adjusted));
            }
        }
        return List.copyOf(out);
    }

    /** {@code v - <v, r^> r^}. */
    public static float[] ablate(float[] v, float[] r) {
        float[] u = VectorMath.unit(r);
        double p = VectorMath.dot(v, u);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] - p * u[i]);
        }
        return out;
    }

    /**
     * The refusal-ablated variant of {@code vectors}, layer by layer.
     *
     * @throws IllegalArgumentException when a layer has no refusal direction, or when a vector lies
     *                                  along the refusal direction so that nothing is left after ablation
     */
    public static VectorSet ablateRefusal(VectorSet vectors, RefusalDirection refusal) {
        TreeMap<Integer, float[]> out = new TreeMap<>();
        for (int layer : vectors.layers()) {
            float[] r = refusal.directions().directions().get(layer);
            if (r == null) {
                throw new IllegalArgumentException(vectors.source() + ": layer " + layer
                        + " has no refusal direction to ablate; compute it for every steered layer");
            }
            float[] v = vectors.direction(layer);
            float[] a = ablate(v, r);
            if (VectorMath.norm(a) <= VANISHED * VectorMath.norm(v)) {
                throw new IllegalArgumentException(vectors.source() + ": layer " + layer
                        + " lies along the refusal direction; its ablated variant is zero");
            }
            out.put(layer, a);
        }
        return new VectorSet(vectors.modelHint(), out, vectors.source() + " (refusal-ablated)");
    }
}
