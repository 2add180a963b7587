package io.steerguard.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.steerguard.policy.GuardrailPolicy;
import io.steerguard.policy.LimitKind;
import io.steerguard.policy.PolicyAction;
import io.steerguard.policy.Recovery;
import io.steerguard.stats.RateInterval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table tests over {@code testdata/policies}: every broken file is rejected with each of its
 * {@code # expect:} lines verbatim; every file under {@code warnings/} loads and reports each of its
 * {@code # expect-warning:} lines verbatim.
 */
class PolicyDocumentsTest {

    private static final Path DIR = Path.of("src/test/resources/testdata/policies");
    private static final Path WARNINGS = DIR.resolve("warnings");

    static Stream<Path> brokenFiles() throws IOException {
        return Files.list(DIR).filter(p -> p.toString().endsWith(".yaml")).sorted();
    }

    static Stream<Path> warningFiles() throws IOException {
        return Files.list(WARNINGS).filter(p -> p.toString().endsWith(".yaml")).sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFiles")
    void brokenPolicy_isRejected_withTheExactMessage(Path file) throws IOException {
        List<String> expected = expectations(file, "# expect: ");

        ConfigLoader.Outcome outcome = new ConfigLoader().load(List.of(file));

        assertThat(outcome).isInstanceOf(ConfigLoader.Outcome.Rejected.class);
        List<String> reported = ((ConfigLoader.Outcome.Rejected) outcome).problems().stream()
                .filter(ConfigProblem::isError).map(p -> p.toString().replace(DIR + "/", "")).toList();
        assertThat(reported).containsAll(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("warningFiles")
    void questionablePolicy_loads_withTheExactWarning(Path file) throws IOException {
        List<String> expected = expectations(file, "# expect-warning: ");

        ConfigLoader.Outcome outcome = new ConfigLoader().load(List.of(file));

        assertThat(outcome).isInstanceOf(ConfigLoader.Outcome.Loaded.class);
        ConfigLoader.Outcome.Loaded loaded = (ConfigLoader.Outcome.Loaded) outcome;
        assertThat(loaded.config().policies()).isNotEmpty();
        List<String> reported = loaded.warnings().stream()
                .map(p -> p.toString().replace(WARNINGS + "/", "").replace("warning: ", "")).toList();
        assertThat(reported).containsAll(expected);
    }

    @Test
    void shippedDefaultPolicy_loads_governingEveryProfile() {
        ConfigLoader.Outcome outcome = new ConfigLoader().load(List.of(Path.of("policies")));

        assertThat(outcome).isInstanceOf(ConfigLoader.Outcome.Loaded.class);
        ConfigLoader.Outcome.Loaded loaded = (ConfigLoader.Outcome.Loaded) outcome;
        assertThat(loaded.warnings()).isEmpty();
        GuardrailPolicy p = loaded.config().policies().get("default").policy();
        assertThat(p.selector().matchesProfile("any-profile", Map.of())).isTrue();
        assertThat(p.limits().get(LimitKind.EXTERNALITY_RATE)).hasValue(0.05);
        assertThat(p.limits().values()).hasSize(4);
        assertThat(p.decision().window()).isEqualTo(Duration.ofHours(1));
        assertThat(p.decision().minSamples()).isEqualTo(30);
        assertThat(p.decision().method()).as("the interval rule stays the default").isEqualTo(RateInterval.FIXED_SAMPLE);
        assertThat(p.action()).isEqualTo(PolicyAction.FALLBACK_UNSTEERED);
        assertThat(p.recovery()).isEqualTo(Recovery.MANUAL);
        assertThat(p.probes()).hasValueSatisfying(pr -> assertThat(pr.every()).isEqualTo(Duration.ofMinutes(15)));
    }

    @Test
    void fullPolicy_parses_everyField() throws IOException {
        String yaml = """
                apiVersion: steerguard.io/v1
                kind: GuardrailPolicy
                metadata: {name: json-strict, labels: {team: safety}}
                spec:
                  selector: {profiles: ["json-*"], tenants: [acme, "team-?"], labels: {owner: platform}}
                  shadow: {sampleRate: 0.25, maxTokens: 32}
                  probes: {every: 1h, set: probes/custom.jsonl, attacks: [none, role-play]}
                  limits: {maxExternalityRate: 0.02, maxAsrUplift: 0.05, minSafetyMargin: -0.1, maxOverRefusalRate: 0.3}
                  decision: {window: 24h, minSamples: 100, confidence: 0.9, method: confidence-sequence}
                  action: block
                  recovery: {mode: auto, cooldown: 2h}
                """;
        DocumentParser.Result result = new DocumentParser().parse(Path.of("inline.yaml"), yaml);

        assertThat(result.problems()).isEmpty();
        GuardrailPolicy p = ((GuardrailPolicyDocument) result.documents().get(0)).policy();
        assertThat(p.name()).isEqualTo("json-strict");
        assertThat(p.selector().matchesProfile("json-format", Map.of("owner", "platform"))).isTrue();
        assertThat(p.selector().matchesProfile("json-format", Map.of("owner", "other"))).isFalse();
        assertThat(p.selector().matchesProfile("yaml-format", Map.of("owner", "platform"))).isFalse();
        assertThat(p.selector().matchesTenant("team-a")).isTrue();
        assertThat(p.selector().matchesTenant("team-ab")).isFalse();
        assertThat(p.shadow().sampleRate()).isEqualTo(0.25);
        assertThat(p.shadow().probationSampleRate()).as("defaults to 5x the sample rate, at most 1").isEqualTo(1.0);
        assertThat(p.shadow().maxTokens()).isEqualTo(32);
        assertThat(p.probes().orElseThrow().attacks()).containsExactly("none", "role-play");
        assertThat(p.probes().orElseThrow().set()).isEqualTo("probes/custom.jsonl");
        assertThat(p.limits().get(LimitKind.SAFETY_MARGIN)).hasValue(-0.1);
        assertThat(p.limits().get(LimitKind.OVER_REFUSAL_RATE)).hasValue(0.3);
        assertThat(p.decision().confidence()).isEqualTo(0.9);
        assertThat(p.decision().method()).isEqualTo(RateInterval.CONFIDENCE_SEQUENCE);
        assertThat(p.recovery()).isEqualTo(Recovery.auto(Duration.ofHours(2)));
    }

    @Test
    void attackTemplateNames_matchTheShippedDataset() throws IOException {
        JsonNode json = new ObjectMapper().readTree(Path.of("src/main/resources/datasets/attack-templates.json").toFile());
        List<String> names = new ArrayList<>();
        json.get("templates").forEach(t -> names.add(t.get("name").asText()));

        assertThat(PolicySpecParser.ATTACKS).containsExactlyElementsOf(names);
    }

    private static List<String> expectations(Path file, String prefix) throws IOException {
        List<String> expected = Files.readAllLines(file).stream().filter(l -> l.startsWith(prefix))
                .map(l -> l.substring(prefix.length())).toList();
        assertThat(expected).as("fixture must state what it expects").isNotEmpty();
        return expected;
    }
}
