package io.steerguard.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The operations files of the repository (dashboards, alert rules) and every PromQL expression in them. */
final class OpsFiles {

    static final Path DASHBOARDS = Path.of("grafana/dashboards");
    static final Path RULES = Path.of("grafana/alerts/steerguard-rules.yaml");
    static final Path PROMETHEUS_RULE = Path.of("k8s/base/prometheusrule.yaml");

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One PromQL expression and where it lives.
     *
     * @param where  e.g. {@code gateway.json: "Requests/s" A} or {@code rule SteerGuardProfileBlocked}
     * @param alert  the alert's name for rule expressions, null for dashboard targets
     */
    record Expression(String where, String expr, String alert) {
    }

    private OpsFiles() {
    }

    static List<Path> dashboardFiles() {
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode dashboard(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every panel, rows' nested panels included. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            out.add(p);
            p.path("panels").forEach(out::add);
        }
        return out;
    }

    static List<Expression> dashboardExpressions() {
        List<Expression> out = new ArrayList<>();
        for (Path file : dashboardFiles()) {
            for (JsonNode panel : panels(dashboard(file))) {
                for (JsonNode target : panel.path("targets")) {
                    out.add(new Expression(file.getFileName() + ": \"" + panel.path("title").asText() + "\" "
                            + target.path("refId").asText(), target.path("expr").asText(), null));
                }
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> ruleGroups(Map<String, Object> rulesDocument) {
        return (List<Map<String, Object>>) rulesDocument.get("groups");
    }

    static Map<String, Object> rulesFile() {
        return yaml(RULES).get(0);
    }

    @SuppressWarnings("unchecked")
    static List<Expression> ruleExpressions() {
        List<Expression> out = new ArrayList<>();
        for (Map<String, Object> group : ruleGroups(rulesFile())) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                String alert = (String) rule.get("alert");
                out.add(new Expression("rule " + alert, String.valueOf(rule.get("expr")), alert));
            }
        }
        return out;
    }

    static List<Expression> allExpressions() {
        List<Expression> all = new ArrayList<>(dashboardExpressions());
        all.addAll(ruleExpressions());
        return all;
    }

    /** Every YAML document in a file, as plain maps (empty documents skipped). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> yaml(Path file) {
        try {
            return yamlText(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> yamlText(String text) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(text)) {
            if (doc != null) {
                docs.add((Map<String, Object>) doc);
            }
        }
        return docs;
    }
}
