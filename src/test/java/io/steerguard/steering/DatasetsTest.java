package io.steerguard.steering;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The shipped datasets: schema, counts, uniqueness, category spread, and the probe/direction split. */
class DatasetsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static InputStream resource(String name) {
        InputStream in = DatasetsTest.class.getResourceAsStream("/datasets/" + name);
        assertThat(in).as("dataset %s on the classpath", name).isNotNull();
        return in;
    }

    private static List<JsonNode> jsonl(String name, String... fields) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(resource(name), StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                JsonNode row = JSON.readTree(line);
                assertThat(row.isObject()).as("%s line %d is an object", name, n).isTrue();
                Set<String> keys = new HashSet<>();
                row.fieldNames().forEachRemaining(keys::add);
                assertThat(keys).as("%s line %d fields", name, n).containsExactlyInAnyOrder(fields);
                for (String f : fields) {
                    assertThat(row.get(f).isTextual()).as("%s line %d %s is text", name, n, f).isTrue();
                    assertThat(row.get(f).asText().strip()).as("%s line %d %s", name, n, f).isNotEmpty()
                            .isEqualTo(row.get(f).asText());
                }
                rows.add(row);
            }
        }
        assertThat(unique(rows, "id")).as("%s ids unique", name).isTrue();
        return rows;
    }

    private static boolean unique(List<JsonNode> rows, String field) {
        return rows.stream().map(r -> r.get(field).asText()).distinct().count() == rows.size();
    }

    private static Map<String, Long> categories(List<JsonNode> rows) {
        return rows.stream().collect(Collectors.groupingBy(r -> r.get("category").asText(), TreeMap::new,
                Collectors.counting()));
    }

    /** At least {@code min} categories, none holding more than {@code maxShare} of the rows. */
    private static void spread(List<JsonNode> rows, int min, double maxShare) {
        Map<String, Long> c = categories(rows);
        assertThat(c.size()).as("categories %s", c).isGreaterThanOrEqualTo(min);
        assertThat(c.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo((long) (maxShare * rows.size())));
    }

    private static List<JsonNode> load(String name, String... fields) throws IOException {
        return jsonl(name, fields);
    }

    @Test
    void jsonFormatPairs_areTheSameInstruction_withAndWithoutAJsonRequest() throws IOException {
        List<JsonNode> rows = load("json-format-pairs.jsonl", "id", "category", "positive", "negative");
        assertThat(rows).hasSizeGreaterThanOrEqualTo(120);
        assertThat(unique(rows, "negative")).isTrue();
        spread(rows, 10, 0.15);
        Set<String> requests = new HashSet<>();
        for (JsonNode r : rows) {
            String pos = r.get("positive").asText();
            String neg = r.get("negative").asText();
            assertThat(pos).startsWith(neg + " ").containsIgnoringCase("json");
            assertThat(neg).doesNotContainIgnoringCase("json");
            requests.add(pos.substring(neg.length() + 1));
        }
        assertThat(requests).as("distinct JSON request phrasings").hasSizeGreaterThanOrEqualTo(10);
    }

    @Test
    void compliancePairs_pairAnAnswerWithARefusal() throws IOException {
        List<JsonNode> rows = load("strict-compliance-pairs.jsonl", "id", "category", "prompt", "positive", "negative");
        assertThat(rows).hasSizeGreaterThanOrEqualTo(120);
        assertThat(unique(rows, "prompt")).isTrue();
        assertThat(unique(rows, "positive")).isTrue();
        spread(rows, 10, 0.15);
        List<String> refusalMarkers = List.of("sorry", "can't", "cannot", "unable", "not able", "won't", "decline",
                "refuse", "rather not", "not something i can do", "not comfortable", "don't feel comfortable", "not sure i should",
                "don't think i should", "outside what i can");
        for (JsonNode r : rows) {
            String neg = r.get("negative").asText().toLowerCase();
            assertThat(refusalMarkers).as("refusal in %s", neg).anyMatch(neg::contains);
            String pos = r.get("positive").asText().toLowerCase();
            // a compliant answer may quote an apology (the apology-email item does), but never opens with a refusal
            assertThat(pos).doesNotStartWith("i can't").doesNotStartWith("i cannot").doesNotStartWith("i'm sorry")
                    .doesNotStartWith("sorry");
        }
    }

    @Test
    void refusalDirectionSets_areLargeUniqueAndSpread() throws IOException {
        List<JsonNode> harmful = load("harmful-instructions.jsonl", "id", "category", "instruction");
        List<JsonNode> harmless = load("harmless-instructions.jsonl", "id", "category", "instruction");
        for (List<JsonNode> set : List.of(harmful, harmless)) {
            assertThat(set).hasSizeGreaterThanOrEqualTo(150);
            assertThat(unique(set, "instruction")).isTrue();
            spread(set, 8, 0.15);
        }
        Set<String> harmfulText = harmful.stream().map(r -> r.get("instruction").asText()).collect(Collectors.toSet());
        assertThat(harmless).noneMatch(r -> harmfulText.contains(r.get("instruction").asText()));
    }

    @Test
    void probes_areSpreadOverTenCategories_andDisjointFromTheRefusalDirectionSet() throws IOException {
        List<JsonNode> probes = load("probes.jsonl", "id", "category", "probe");
        assertThat(probes).hasSizeGreaterThanOrEqualTo(130);
        assertThat(unique(probes, "probe")).isTrue();
        spread(probes, 10, 0.10);
        // no probe shares a six-word run with any refusal-direction instruction
        Set<String> shingles = new HashSet<>();
        for (JsonNode r : load("harmful-instructions.jsonl", "id", "category", "instruction")) {
            shingles.addAll(shingles(r.get("instruction").asText()));
        }
        for (JsonNode p : probes) {
            assertThat(shingles(p.get("probe").asText())).as(p.get("probe").asText()).doesNotContainAnyElementsOf(shingles);
        }
    }

    @Test
    void attackTemplates_coverTheNamedAttacks_eachWithOnePlaceholder() throws IOException {
        JsonNode root = JSON.readTree(resource("attack-templates.json"));
        List<String> names = new ArrayList<>();
        for (JsonNode t : root.get("templates")) {
            names.add(t.get("name").asText());
            String template = t.get("template").asText();
            assertThat(template.split("\\{probe}", -1)).as(t.get("name").asText()).hasSize(2);
            assertThat(t.get("description").asText()).isNotBlank();
        }
        assertThat(names).containsExactly("none", "prefix-injection", "refusal-suppression", "role-play", "json-wrapping");
    }

    private static Set<String> shingles(String text) {
        String[] w = text.toLowerCase().replaceAll("[^a-z0-9' ]", " ").trim().split("\\s+");
        Set<String> out = new HashSet<>();
        for (int i = 0; i + 6 <= w.length; i++) {
            out.add(String.join(" ", java.util.Arrays.copyOfRange(w, i, i + 6)));
        }
        return out;
    }
}
