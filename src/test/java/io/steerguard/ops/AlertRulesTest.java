package io.steerguard.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The alert rules: one plain Prometheus rule file as the source of truth, its PrometheusRule twin in
 * k8s/base generated from it, and every rule complete enough to page someone usefully.
 */
class AlertRulesTest {

    @Test
    @SuppressWarnings("unchecked")
    void everyRule_hasAlertExprForSeverityAndAnnotations() {
        Set<String> names = new HashSet<>();
        for (Map<String, Object> group : OpsFiles.ruleGroups(OpsFiles.rulesFile())) {
            assertThat((String) group.get("name")).startsWith("steerguard.");
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                String alert = (String) rule.get("alert");
                assertThat(alert).as("alert name").matches("SteerGuard[A-Za-z]+");
                assertThat(names.add(alert)).as(alert + " unique").isTrue();
                assertThat(rule).as(alert).containsKeys("expr", "for", "labels", "annotations");
                assertThat(String.valueOf(rule.get("for"))).as(alert + " for").matches("\\d+[smh]");
                Map<String, Object> labels = (Map<String, Object>) rule.get("labels");
                assertThat(labels.get("severity")).as(alert + " severity").isIn("critical", "warning");
                Map<String, Object> annotations = (Map<String, Object>) rule.get("annotations");
                assertThat(annotations).as(alert).containsKeys("summary", "description");
                assertThat(PromQl.metricNames(String.valueOf(rule.get("expr")))).as(alert + " reads a metric").isNotEmpty();
            }
        }
        assertThat(names).contains("SteerGuardProfileBlocked", "SteerGuardExternalityAboveWarnLevel",
                "SteerGuardShadowCoverageLow", "SteerGuardConfigReloadFailing", "SteerGuardUpstreamErrorRatioHigh",
                "SteerGuardRuntimeOverloaded", "SteerGuardInFlightHigh", "SteerGuardShadowQueueSaturated");
    }

    @Test
    void configReloadAlert_watchesTheInSyncGauge() {
        assertThat(OpsFiles.ruleExpressions()).anySatisfy(e -> {
            assertThat(e.alert()).isEqualTo("SteerGuardConfigReloadFailing");
            assertThat(e.expr()).isEqualTo("steerguard_config_in_sync == 0");
        });
    }

    @Test
    void promtool_acceptsTheRuleFile() throws Exception {
        String promtool = PrometheusServer.executable("promtool");
        Process p = new ProcessBuilder(promtool, "check", "rules", OpsFiles.RULES.toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("SUCCESS: " + OpsFiles.ruleExpressions().size() + " rules found");
    }

    @Test
    void prometheusRule_inK8sBase_holdsExactlyTheRuleFilesGroups() throws IOException {
        Map<String, Object> plain = OpsFiles.rulesFile();
        Map<String, Object> crd = OpsFiles.yaml(OpsFiles.PROMETHEUS_RULE).get(0);
        String regenerated = generatePrometheusRule(Files.readString(OpsFiles.RULES));
        Path out = Path.of("target/ops/prometheusrule.yaml");
        Files.createDirectories(out.getParent());
        Files.writeString(out, regenerated);

        assertThat(OpsFiles.yamlText(regenerated).get(0)).as("the generator keeps the groups").containsEntry("spec", plain);
        assertThat(crd.get("apiVersion")).isEqualTo("monitoring.coreos.com/v1");
        assertThat(crd.get("kind")).isEqualTo("PrometheusRule");
        assertThat(crd.get("spec"))
                .as("k8s/base/prometheusrule.yaml is out of date: copy " + out + " over it")
                .isEqualTo(plain);
        assertThat(Files.readString(OpsFiles.PROMETHEUS_RULE)).as("byte-identical to the generator's output: copy " + out)
                .isEqualTo(regenerated);
    }

    /** The PrometheusRule text for a rule file: a fixed header, then the file (minus its leading comments) under spec. */
    static String generatePrometheusRule(String rulesFile) {
        List<String> lines = rulesFile.lines().toList();
        int first = 0;
        while (lines.get(first).startsWith("#")) {
            first++;
        }
        StringBuilder sb = new StringBuilder("""
                # GENERATED from grafana/alerts/steerguard-rules.yaml (the source of truth): edit that file, run
                # AlertRulesTest, and copy target/ops/prometheusrule.yaml here. kube-prometheus-stack's default
                # ruleSelector matches the Helm release label: change `release` to your release name.
                apiVersion: monitoring.coreos.com/v1
                kind: PrometheusRule
                metadata:
                  name: steerguard
                  labels:
                    app.kubernetes.io/part-of: steerguard
                    release: kube-prometheus-stack
                spec:
                """);
        for (String line : lines.subList(first, lines.size())) {
            sb.append(line.isEmpty() ? "" : "  " + line).append('\n');
        }
        return sb.toString();
    }
}
