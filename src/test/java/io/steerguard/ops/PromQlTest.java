package io.steerguard.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void metricNames_skipFunctionsLabelsRangesKeywordsAndGroupingLists() {
        String expr = "sum by (le, model) (rate(foo_bucket{a=\"b{c}\", model=~\"$model\"}[5m]))\n"
                + "  / on (model) group_left (tenant) bar:ratio > 0.05 and ignoring(x) baz unless vector(1e3)"
                + " or histogram_quantile(0.9, qux) offset 5m";

        assertThat(PromQl.metricNames(expr)).containsExactly("foo_bucket", "bar:ratio", "baz", "qux");
    }

    @Test
    void metricNames_ofAnAggregationWithoutGrouping_isTheSelectedMetric() {
        assertThat(PromQl.metricNames("count(steerguard_profile_state{state=\"BLOCKED\"} == 1) or vector(0)"))
                .containsExactly("steerguard_profile_state");
        assertThat(PromQl.metricNames("time() - max(steerguard_config_last_applied_timestamp_seconds)"))
                .containsExactly("steerguard_config_last_applied_timestamp_seconds");
    }

    @Test
    void substitute_replacesBothSpellings_andFailsOnAnUnknownVariable() {
        assertThat(PromQl.substitute("rate(x{p=~\"$profile\"}[${__rate_interval}])",
                Map.of("profile", ".*", "__rate_interval", "1m"))).isEqualTo("rate(x{p=~\".*\"}[1m])");
        assertThatThrownBy(() -> PromQl.substitute("x{a=\"$nope\"}", Map.of()))
                .hasMessageContaining("$nope");
    }

    @Test
    void labelValues_parsesMetricMatchersAndLabel() {
        PromQl.LabelValues lv = PromQl.labelValues("label_values(steerguard_profile_state{state=\"ACTIVE\"}, profile)");
        assertThat(lv.metric()).isEqualTo("steerguard_profile_state");
        assertThat(lv.selector()).isEqualTo("steerguard_profile_state{state=\"ACTIVE\"}");
        assertThat(lv.label()).isEqualTo("profile");
        assertThatThrownBy(() -> PromQl.labelValues("query_result(up)")).isInstanceOf(IllegalArgumentException.class);
    }
}
