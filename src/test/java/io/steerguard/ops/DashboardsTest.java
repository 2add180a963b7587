package io.steerguard.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Grafana dashboards are importable as they are: current schema, a Prometheus data-source
 * variable every panel uses, template variables whose queries parse, and panels an SRE reads at a
 * glance. That every expression runs and every metric exists is {@link PrometheusQueriesTest}'s job.
 */
class DashboardsTest {

    private static final String DS_UID = "${datasource}";

    @Test
    void bothDashboardsExist_withCurrentSchema_andUniqueUids() {
        List<Path> files = OpsFiles.dashboardFiles();
        assertThat(files.stream().map(p -> p.getFileName().toString()))
                .contains("safety-margin.json", "gateway.json");
        Set<String> uids = new HashSet<>();
        for (Path file : files) {
            JsonNode d = OpsFiles.dashboard(file);
            assertThat(d.path("schemaVersion").asInt()).as(file + " schemaVersion").isGreaterThanOrEqualTo(38);
            assertThat(d.path("title").asText()).as(file + " title").isNotBlank();
            assertThat(uids.add(d.path("uid").asText())).as(file + " uid unique").isTrue();
            assertThat(d.path("uid").asText().length()).as(file + " uid ≤ 40 chars").isBetween(1, 40);
            assertThat(d.has("id")).as(file + " carries no database id (import would clash)").isFalse();
        }
    }

    @Test
    void everyPanel_usesTheDatasourceVariable_andHasTargetsWithExpressions() {
        for (Path file : OpsFiles.dashboardFiles()) {
            JsonNode d = OpsFiles.dashboard(file);
            Set<Integer> ids = new HashSet<>();
            for (JsonNode panel : OpsFiles.panels(d)) {
                String where = file.getFileName() + ": \"" + panel.path("title").asText() + "\"";
                assertThat(ids.add(panel.path("id").asInt())).as(where + " id unique").isTrue();
                JsonNode pos = panel.path("gridPos");
                assertThat(pos.path("x").asInt() + pos.path("w").asInt()).as(where + " fits 24 columns").isLessThanOrEqualTo(24);
                if (panel.path("type").asText().equals("row")) {
                    continue;
                }
                assertThat(panel.path("type").asText()).as(where + " type")
                        .isIn("timeseries", "stat", "table", "gauge", "bargauge", "text");
                assertThat(panel.path("datasource").path("uid").asText()).as(where + " datasource").isEqualTo(DS_UID);
                assertThat(panel.path("targets").size()).as(where + " targets").isPositive();
                Set<String> refIds = new HashSet<>();
                for (JsonNode t : panel.path("targets")) {
                    assertThat(t.path("datasource").path("uid").asText()).as(where + " target datasource").isEqualTo(DS_UID);
                    assertThat(refIds.add(t.path("refId").asText())).as(where + " refId unique").isTrue();
                    assertThat(t.path("expr").asText()).as(where + " expr").isNotBlank();
                }
            }
        }
    }

    @Test
    void templateVariables_includeDatasourceTenantAndProfile_andTheirQueriesParse() {
        for (Path file : OpsFiles.dashboardFiles()) {
            Map<String, JsonNode> vars = variables(OpsFiles.dashboard(file));
            assertThat(vars).as(file + " variables").containsKeys("datasource", "tenant", "profile");
            assertThat(vars.get("datasource").path("type").asText()).isEqualTo("datasource");
            assertThat(vars.get("datasource").path("query").asText()).isEqualTo("prometheus");
            for (JsonNode v : vars.values()) {
                if (!v.path("type").asText().equals("query")) {
                    continue;
                }
                String query = v.path("query").path("query").asText();
                PromQl.LabelValues lv = PromQl.labelValues(query);
                assertThat(lv.metric()).as(file + " $" + v.path("name").asText()).matches("[a-z_:]+");
                assertThat(v.path("definition").asText()).as("definition mirrors the query").isEqualTo(query);
                assertThat(v.path("datasource").path("uid").asText()).isEqualTo(DS_UID);
                if (v.path("includeAll").asBoolean()) {
                    assertThat(v.path("allValue").asText()).as("All must be a regex for =~").isEqualTo(".*");
                }
            }
            assertThat(vars.get("tenant").path("query").path("query").asText()).contains(", tenant)");
            assertThat(vars.get("profile").path("query").path("query").asText()).contains(", profile)");
        }
    }

    @Test
    void everyVariableAnExpressionUses_isDefinedOrBuiltIn() {
        for (Path file : OpsFiles.dashboardFiles()) {
            Set<String> defined = new HashSet<>(variables(OpsFiles.dashboard(file)).keySet());
            defined.addAll(PromQl.GRAFANA_BUILTINS);
            for (OpsFiles.Expression e : OpsFiles.dashboardExpressions()) {
                if (e.where().startsWith(file.getFileName().toString())) {
                    assertThat(defined).as(e.where()).containsAll(PromQl.variables(e.expr()));
                }
            }
        }
    }

    @Test
    void safetyDashboard_showsTheIssuesPanels() {
        JsonNode d = OpsFiles.dashboard(OpsFiles.DASHBOARDS.resolve("safety-margin.json"));
        String exprs = expressions(d);
        assertThat(exprs).contains("steerguard_externality_rate", "bound=\"lower\"", "bound=\"upper\"",
                "$externality_limit", "steerguard_refusal_rate", "steerguard_probe_asr_uplift", "steerguard_safety_margin",
                "steerguard_over_refusal_rate", "steerguard_profile_state", "steerguard_profile_transitions_total",
                "steerguard_shadow_samples_total", "steerguard_shadow_queue_depth", "steerguard_geometry_cosine",
                "steerguard_probe_asr{", "steerguard_probe_runs_total", "steerguard_geometry_relative_norm",
                "steerguard_attribution_pairs", "kind=\"externalities\"", "kind=\"unsteered_refused\"");

        JsonNode state = panel(d, "Profile state");
        assertThat(state.path("type").asText()).isEqualTo("stat");
        JsonNode blocked = StreamSupport.stream(state.path("fieldConfig").path("defaults").path("mappings").spliterator(), false)
                .flatMap(m -> StreamSupport.stream(m.path("options").spliterator(), false))
                .filter(o -> o.path("text").asText().equals("BLOCKED")).findFirst().orElseThrow();
        assertThat(blocked.path("color").asText()).as("BLOCKED reads red at a glance").isEqualTo("red");
        assertThat(panel(d, "Blocked profiles").path("fieldConfig").path("defaults").path("thresholds").path("steps")
                .get(1).path("color").asText()).isEqualTo("red");

        JsonNode transitions = panel(d, "Recent transitions");
        assertThat(transitions.path("type").asText()).isEqualTo("table");
        assertThat(transitions.path("description").asText()).contains("/admin/audit-log");
    }

    @Test
    void safetyDashboard_showsEachTiersAgreementWithHumanLabels_andTheReviewQueue() {
        JsonNode d = OpsFiles.dashboard(OpsFiles.DASHBOARDS.resolve("safety-margin.json"));
        assertThat(expressions(d)).contains("steerguard_review_sensitivity", "steerguard_review_specificity",
                "steerguard_review_labelled", "steerguard_review_agreements", "steerguard_review_queue_depth",
                "steerguard_review_candidates_total", "steerguard_classifier_calibration_version");
        assertThat(panel(d, "Agreement with human labels").path("description").asText())
                .contains("/admin/review/labels", "/admin/review/recalibrate");
    }

    @Test
    void gatewayDashboard_showsTrafficErrorsLatencyTtftTokensQueuesAndJvm() {
        String exprs = expressions(OpsFiles.dashboard(OpsFiles.DASHBOARDS.resolve("gateway.json")));
        assertThat(exprs).contains("histogram_quantile(0.99, sum by (le) (rate(gen_ai_server_request_duration_seconds_bucket",
                "gen_ai_server_time_to_first_token_seconds_bucket", "gen_ai_client_token_usage_tokens_sum",
                "status=~\"5..\"", "steerguard_upstream_errors_total", "steerguard_requests_inflight",
                "steerguard_shadow_queue_depth", "kind=\"OVERLOADED\"", "jvm_memory_used_bytes", "process_cpu_usage");
    }

    private static Map<String, JsonNode> variables(JsonNode dashboard) {
        return StreamSupport.stream(dashboard.path("templating").path("list").spliterator(), false)
                .collect(Collectors.toMap(v -> v.path("name").asText(), v -> v));
    }

    private static JsonNode panel(JsonNode dashboard, String title) {
        return OpsFiles.panels(dashboard).stream().filter(p -> p.path("title").asText().equals(title)).findFirst()
                .orElseThrow(() -> new AssertionError("no panel \"" + title + "\""));
    }

    private static String expressions(JsonNode dashboard) {
        List<String> out = new ArrayList<>();
        OpsFiles.panels(dashboard).forEach(p -> p.path("targets").forEach(t -> out.add(t.path("expr").asText())));
        return String.join("\n", out);
    }
}
