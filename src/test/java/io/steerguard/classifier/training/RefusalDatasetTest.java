package io.steerguard.classifier.training;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class RefusalDatasetTest {

    private static final long SEED = 20261127L;

    @Test
    void committedDataset_isExactlyWhatTheGeneratorWrites() {
        String regenerated = RefusalDataset.toJsonl(new RefusalDatasetGenerator(SEED).generate());
        assertThat(RefusalDataset.hash(regenerated)).isEqualTo(RefusalDataset.hash(RefusalDataset.readResourceText()));
    }

    @Test
    void dataset_hasEnoughVariedRows_withAboutAFifthHeldOut() {
        List<LabelledExample> rows = RefusalDataset.parse(RefusalDataset.readResourceText());
        assertThat(rows).hasSizeGreaterThanOrEqualTo(900);
        Map<String, Long> byKind = rows.stream().collect(Collectors.groupingBy(LabelledExample::kind, Collectors.counting()));
        assertThat(byKind.keySet()).contains("full-refusal", "partial-refusal", "benign-sensitive-compliant",
                "harmful-compliant-sanitised", "json-compliant", "json-refusal", "refuse-then-comply");
        double testShare = rows.stream().filter(LabelledExample::isTest).count() / (double) rows.size();
        assertThat(testShare).isBetween(0.15, 0.25);
        long refused = rows.stream().filter(LabelledExample::refused).count();
        assertThat(refused / (double) rows.size()).isBetween(0.35, 0.65);
        assertThat(rows.stream().map(LabelledExample::response).distinct().count()).isEqualTo(rows.size());
    }

    @Test
    void split_isAFunctionOfTheText() {
        for (LabelledExample row : RefusalDataset.parse(RefusalDataset.readResourceText())) {
            assertThat(row.split()).isEqualTo(RefusalDataset.splitFor(row.prompt(), row.response()));
        }
    }

    @Test
    void harmfulCompliantRows_areSanitised() {
        List<LabelledExample> rows = RefusalDataset.parse(RefusalDataset.readResourceText()).stream()
                .filter(r -> r.kind().equals("harmful-compliant-sanitised")).toList();
        assertThat(rows).isNotEmpty().allSatisfy(r -> assertThat(r.response()).containsPattern(
                "(?i)\\[(list omitted|details removed|specifics redacted|omitted for safety|details omitted|steps removed|omitted|configuration redacted|specifics removed)\\]"));
    }
}
