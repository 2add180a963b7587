package io.steerguard.steering;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.steering.SteeringGeometry.EntryGeometry;
import io.steerguard.steering.SteeringGeometry.LayerGeometry;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The geometry audit of one profile (or one vector file) against a model's refusal direction, per
 * entry and steered layer, as the CLI prints it and the admin endpoint returns it.
 *
 * @param subject        what was audited: a profile name or a vector file
 * @param refusalSource  the refusal-direction file used
 * @param bands          the cosine bands behind the verdicts
 * @param rows           one row per entry and steered layer, in profile order
 */
public record GeometryReport(String subject, String refusalSource, GeometryBands bands, List<EntryGeometry> rows) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public GeometryReport {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(refusalSource, "refusalSource");
        Objects.requireNonNull(bands, "bands");
        rows = List.copyOf(rows);
    }

    /**
     * Audits a resolved profile (see {@link SteeringGeometry#audit(SteeringSpec, RefusalDirection, Map, GeometryBands)}
     * for how each operator is read).
     *
     * @param meanResidualNorms mean residual norm per layer ({@link ResidualNorms}); empty leaves relative norms unknown
     */
    public static GeometryReport audit(String subject, SteeringSpec spec, RefusalDirection refusal, String refusalSource,
                                       Map<Integer, Double> meanResidualNorms, GeometryBands bands) {
        return new GeometryReport(subject, refusalSource, bands,
                SteeringGeometry.audit(spec, refusal, meanResidualNorms, bands));
    }

    /**
     * One steered layer summarised over the entries that steer it.
     *
     * @param cosine       the lowest effective cosine (the entry leaning hardest away from refusal); NaN if none is known
     * @param relativeNorm the largest relative norm; NaN if none is known
     */
    public record LayerSummary(double cosine, double relativeNorm) {
    }

    /** Per steered layer, the worst case over entries: what the gauges show. */
    public SortedMap<Integer, LayerSummary> perLayer() {
        SortedMap<Integer, LayerSummary> out = new TreeMap<>();
        for (EntryGeometry row : rows) {
            LayerGeometry g = row.geometry();
            LayerSummary old = out.get(g.layer());
            out.put(g.layer(), old == null ? new LayerSummary(g.cosine(), g.relativeNorm())
                    : new LayerSummary(minKnown(old.cosine(), g.cosine()), maxKnown(old.relativeNorm(), g.relativeNorm())));
        }
        return out;
    }

    /** The most severe verdict: jailbreak risk, then over-refusal, then neutral, then no direction known. */
    public GeometryVerdict worstVerdict() {
        for (GeometryVerdict v : List.of(GeometryVerdict.RAISES_JAILBREAK_RISK, GeometryVerdict.RAISES_OVER_REFUSAL,
                GeometryVerdict.NEUTRAL)) {
            if (rows.stream().anyMatch(r -> r.geometry().verdict() == v)) {
                return v;
            }
        }
        return GeometryVerdict.NO_REFUSAL_DIRECTION;
    }

    /** The report as a JSON object; unknown numbers are null. */
    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("subject", subject);
        root.put("refusalDirection", refusalSource);
        root.putObject("bands").put("riskBelow", bands.riskBelow()).put("overRefusalAbove", bands.overRefusalAbove());
        root.put("verdict", worstVerdict().label());
        var layers = root.putArray("layers");
        for (EntryGeometry row : rows) {
            LayerGeometry g = row.geometry();
            ObjectNode n = layers.addObject();
            n.put("source", row.source());
            n.put("operator", row.operator().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            n.put("layer", g.layer());
            number(n, "cosine", g.cosine());
            number(n, "norm", g.norm());
            number(n, "relativeNorm", g.relativeNorm());
            n.put("verdict", g.verdict().label());
        }
        return root;
    }

    /** A table for terminals. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append("geometry audit of ").append(subject).append('\n');
        sb.append("refusal direction: ").append(refusalSource).append('\n');
        sb.append(String.format(Locale.ROOT, "bands: cosine < %.2f raises jailbreak risk, > %.2f raises over-refusal%n",
                bands.riskBelow(), bands.overRefusalAbove()));
        sb.append(String.format(Locale.ROOT, "%-6s %-10s %-8s %-10s %-10s %-22s %s%n", "layer", "operator", "cosine",
                "norm", "rel.norm", "verdict", "source"));
        for (EntryGeometry row : rows) {
            LayerGeometry g = row.geometry();
            sb.append(String.format(Locale.ROOT, "%-6d %-10s %-8s %-10s %-10s %-22s %s%n", g.layer(),
                    row.operator().name().toLowerCase(Locale.ROOT).replace('_', '-'), fmt(g.cosine(), "%+.3f"),
                    fmt(g.norm(), "%.4g"), fmt(g.relativeNorm(), "%.3f"), g.verdict().label(), row.source()));
        }
        sb.append("overall: ").append(worstVerdict().label());
        if (worstVerdict() == GeometryVerdict.RAISES_JAILBREAK_RISK) {
            sb.append(" (negative cosine predicts higher attack success; --export-ablated writes v - <v,r^>r^)");
        }
        return sb.append('\n').toString();
    }

    private static String fmt(double v, String format) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, format, v) : "-";
    }

    private static void number(ObjectNode n, String key, double v) {
        if (Double.isFinite(v)) {
            n.put(key, v);
        } else {
            n.putNull(key);
        }
    }

    private static double minKnown(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.min(a, b);
    }

    private static double maxKnown(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
    }
}
