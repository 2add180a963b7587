package io.steerguard.telemetry;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.steerguard.steering.GeometryReport;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Geometry-audit gauges per steering profile and steered layer, for the Grafana panels: how the
 * profile's vectors lean against the model's refusal direction. Set whenever an audit is computed
 * (on configuration apply, and by the admin endpoint); a profile without an audit has no gauges.
 * Where several entries of a profile steer one layer, the gauges show the worst case: the lowest
 * cosine and the largest relative norm. A relative norm the audit cannot know (operators other
 * than {@code add}) is NaN.
 */
@ApplicationScoped
public class GeometryMetrics {

    /** Cosine between the effective steering vector and the refusal direction, tags {@code profile}, {@code layer}. */
    public static final String COSINE = "steerguard.geometry.cosine";
    /** {@code |c||v|} over the model's mean residual norm at the layer, tags {@code profile}, {@code layer}. */
    public static final String RELATIVE_NORM = "steerguard.geometry.relative_norm";

    /** Mutable gauge state; Micrometer holds gauge objects weakly, so this class keeps them strongly. */
    private static final class LayerValues {
        volatile double cosine = Double.NaN;
        volatile double relativeNorm = Double.NaN;
        Gauge cosineGauge;
        Gauge relativeNormGauge;
    }

    private final MeterRegistry registry;
    private final Map<String, Map<Integer, LayerValues>> byProfile = new HashMap<>();

    public GeometryMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Sets the gauges of {@code profile} to {@code layers}, removing those of layers it no longer steers. */
    public synchronized void update(String profile, SortedMap<Integer, GeometryReport.LayerSummary> layers) {
        Map<Integer, LayerValues> current = byProfile.computeIfAbsent(profile, p -> new HashMap<>());
        current.keySet().removeIf(layer -> {
            boolean gone = !layers.containsKey(layer);
            if (gone) {
                unregister(current.get(layer));
            }
            return gone;
        });
        layers.forEach((layer, summary) -> {
            LayerValues values = current.computeIfAbsent(layer, l -> register(profile, l));
            values.cosine = summary.cosine();
            values.relativeNorm = summary.relativeNorm();
        });
    }

    /** Removes every gauge of {@code profile} (no audit, or the profile is gone). */
    public synchronized void remove(String profile) {
        Map<Integer, LayerValues> gone = byProfile.remove(profile);
        if (gone != null) {
            gone.values().forEach(this::unregister);
        }
    }

    /** Removes the gauges of profiles not in {@code profiles}. */
    public synchronized void retain(Set<String> profiles) {
        for (String profile : Set.copyOf(byProfile.keySet())) {
            if (!profiles.contains(profile)) {
                remove(profile);
            }
        }
    }

    private LayerValues register(String profile, int layer) {
        LayerValues values = new LayerValues();
        String layerTag = Integer.toString(layer);
        values.cosineGauge = Gauge.builder(COSINE, values, v -> v.cosine)
                .description("Cosine between a profile's steering vector and the model's refusal direction; "
                        + "negative predicts higher jailbreak success")
                .tag("profile", profile).tag("layer", layerTag).register(registry);
        values.relativeNormGauge = Gauge.builder(RELATIVE_NORM, values, v -> v.relativeNorm)
                .description("Steering vector norm (times |coefficient|) over the model's mean residual norm")
                .tag("profile", profile).tag("layer", layerTag).register(registry);
        return values;
    }

    private void unregister(LayerValues values) {
        registry.remove(values.cosineGauge);
        registry.remove(values.relativeNormGauge);
    }
}
