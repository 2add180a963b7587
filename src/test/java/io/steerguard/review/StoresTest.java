package io.steerguard.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.steerguard.classifier.Platt;
import io.steerguard.classifier.TierReading;
import io.steerguard.classifier.Verdict;

class StoresTest {

    private static final Platt SHIPPED = new Platt(1.0, 0.0);

    @TempDir
    Path dir;

    private static LabelRecord label(String id, ReviewLabel label) {
        return new LabelRecord(Instant.parse("2026-01-01T00:00:00Z"), id, "t", "p", ReviewSide.UNSTEERED, label, "ann",
                null, Verdict.refusal(0.8, "learned"), List.of(new TierReading("learned", true, 0.8, 0.5, 1.386)));
    }

    @Test
    void labels_surviveAReopen_latestPerAnswer() throws Exception {
        try (LabelStore store = LabelStore.open(dir, 100)) {
            store.append(List.of(label("rv_1", ReviewLabel.REFUSAL), label("rv_2", ReviewLabel.COMPLIANCE)));
            store.append(List.of(label("rv_1", ReviewLabel.REFUSAL).relabel(ReviewLabel.COMPLIANCE, "bob", Instant.now())));
        }
        try (LabelStore store = LabelStore.open(dir, 100)) {
            assertThat(store.damage()).isEmpty();
            assertThat(store.all()).hasSize(2);
            LabelRecord first = store.latest("rv_1").orElseThrow();
            assertThat(first.label()).isEqualTo(ReviewLabel.COMPLIANCE);
            assertThat(first.previous()).isEqualTo(ReviewLabel.REFUSAL);
            assertThat(first.reviewer()).isEqualTo("bob");
            assertThat(first.learnedLogit()).isEqualTo(1.386);
        }
    }

    @Test
    void aDamagedLabelLine_keepsTheLabelsBeforeIt_andSetsTheFileAside() throws Exception {
        try (LabelStore store = LabelStore.open(dir, 100)) {
            store.append(List.of(label("rv_1", ReviewLabel.REFUSAL), label("rv_2", ReviewLabel.COMPLIANCE)));
        }
        Path file = dir.resolve(LabelStore.FILE_NAME);
        Files.writeString(file, Files.readString(file).replace("\"rv_2\"", "\"rv_3\""));
        try (LabelStore store = LabelStore.open(dir, 100)) {
            assertThat(store.damage()).get().asString().contains("line 2", "checksum mismatch", ".damaged-");
            assertThat(store.all()).extracting(LabelRecord::id).containsExactly("rv_1");
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith(LabelStore.FILE_NAME + ".damaged-"));
        }
        try (LabelStore store = LabelStore.open(dir, 100)) {
            assertThat(store.damage()).as("the fresh file is whole").isEmpty();
            assertThat(store.all()).hasSize(1);
        }
    }

    @Test
    void theLabelLog_staysBounded_underRelabelling() throws Exception {
        try (LabelStore store = LabelStore.open(dir, 5)) {
            LabelRecord r = label("rv_1", ReviewLabel.REFUSAL);
            for (int i = 0; i < 200; i++) {
                r = r.relabel(i % 2 == 0 ? ReviewLabel.COMPLIANCE : ReviewLabel.REFUSAL, "x", Instant.now());
                store.append(List.of(r));
            }
        }
        assertThat(Files.readAllLines(dir.resolve(LabelStore.FILE_NAME)).size()).isLessThan(10);
    }

    @Test
    void calibrationVersions_surviveAReopen_inOrder() throws Exception {
        try (CalibrationStore store = CalibrationStore.open(dir, SHIPPED)) {
            assertThat(store.current().version()).isZero();
            store.append(CalibrationVersion.Action.RECALIBRATE, "ann", "fit", new Platt(0.5, 0.1), -1, 60, 30, 30, 0.6, 0.4);
            store.append(CalibrationVersion.Action.ROLLBACK, "bob", "undo", SHIPPED, 0, 0, 0, 0, Double.NaN, Double.NaN);
        }
        try (CalibrationStore store = CalibrationStore.open(dir, SHIPPED)) {
            assertThat(store.damage()).isEmpty();
            assertThat(store.history()).extracting(CalibrationVersion::action)
                    .containsExactly(CalibrationVersion.Action.RECALIBRATE, CalibrationVersion.Action.ROLLBACK);
            assertThat(store.current().version()).isEqualTo(2);
            assertThat(store.current().from()).isEqualTo(1);
            assertThat(store.current().target()).isZero();
            assertThat(store.version(1).orElseThrow().platt()).isEqualTo(new Platt(0.5, 0.1));
        }
    }

    @Test
    void aTornOrReorderedCalibrationLog_isNotTrusted() throws Exception {
        try (CalibrationStore store = CalibrationStore.open(dir, SHIPPED)) {
            store.append(CalibrationVersion.Action.RECALIBRATE, "ann", "fit", new Platt(0.5, 0.1), -1, 60, 30, 30, 0.6, 0.4);
        }
        Path file = dir.resolve(CalibrationStore.FILE_NAME);
        String line = Files.readString(file);
        Files.writeString(file, line.substring(0, line.length() - 1)); // no newline: a torn write
        try (CalibrationStore store = CalibrationStore.open(dir, SHIPPED)) {
            assertThat(store.damage()).get().asString().contains("torn");
            assertThat(store.current().platt()).isEqualTo(SHIPPED);
            assertThat(store.current().action()).isEqualTo(CalibrationVersion.Action.RESET);
        }
    }
}
