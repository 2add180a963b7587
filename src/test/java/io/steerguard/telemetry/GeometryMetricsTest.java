package io.steerguard.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.steerguard.steering.GeometryReport.LayerSummary;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class GeometryMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final GeometryMetrics metrics = new GeometryMetrics(registry);

    private Gauge gauge(String name, String profile, int layer) {
        return registry.find(name).tag("profile", profile).tag("layer", Integer.toString(layer)).gauge();
    }

    private static TreeMap<Integer, LayerSummary> layers(Object... pairs) {
        TreeMap<Integer, LayerSummary> m = new TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((Integer) pairs[i], (LayerSummary) pairs[i + 1]);
        }
        return m;
    }

    @Test
    void update_setsCosineAndRelativeNormPerLayer_andTheGaugesSurviveGarbageCollection() throws InterruptedException {
        metrics.update("json", layers(3, new LayerSummary(-0.4, 0.25), 5, new LayerSummary(0.05, Double.NaN)));
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(10);
        }

        assertThat(gauge(GeometryMetrics.COSINE, "json", 3).value()).isEqualTo(-0.4);
        assertThat(gauge(GeometryMetrics.RELATIVE_NORM, "json", 3).value()).isEqualTo(0.25);
        assertThat(gauge(GeometryMetrics.COSINE, "json", 5).value()).isEqualTo(0.05);
        assertThat(gauge(GeometryMetrics.RELATIVE_NORM, "json", 5).value()).isNaN();
    }

    @Test
    void update_replacesValues_andDropsLayersNoLongerSteered() {
        metrics.update("json", layers(3, new LayerSummary(-0.4, 0.25), 5, new LayerSummary(0.05, 0.1)));
        metrics.update("json", layers(3, new LayerSummary(0.2, 0.5)));

        assertThat(gauge(GeometryMetrics.COSINE, "json", 3).value()).isEqualTo(0.2);
        assertThat(gauge(GeometryMetrics.COSINE, "json", 5)).isNull();
        assertThat(gauge(GeometryMetrics.RELATIVE_NORM, "json", 5)).isNull();
    }

    @Test
    void retain_removesTheGaugesOfProfilesThatAreGone() {
        metrics.update("json", layers(3, new LayerSummary(-0.4, 0.25)));
        metrics.update("compliance", layers(4, new LayerSummary(-0.2, 0.3)));

        metrics.retain(Set.of("compliance"));

        assertThat(gauge(GeometryMetrics.COSINE, "json", 3)).isNull();
        assertThat(gauge(GeometryMetrics.COSINE, "compliance", 4).value()).isEqualTo(-0.2);
        metrics.remove("compliance");
        assertThat(registry.getMeters()).isEmpty();
    }
}
