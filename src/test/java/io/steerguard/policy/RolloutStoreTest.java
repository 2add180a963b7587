package io.steerguard.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/**
 * Rollout decisions in the local file survive restarts, fail closed on damage, and cannot be written
 * by a writer that has not seen the newest decision of the rollout (Redis: {@code RedisRolloutStoreTest}).
 */
public class RolloutStoreTest {

    public static final RolloutKey KEY = new RolloutKey("acme", "json-format");

    @TempDir
    Path dir;

    public static RolloutRecord record(long version, RolloutPhase from, RolloutPhase to, String actor) {
        return new RolloutRecord(Instant.parse("2026-12-03T10:00:00Z").plusSeconds(version), KEY, "json-format-v2",
                "f1ngerprint", version, from, to, actor, "because " + to,
                List.of(new Measurement("maxExternalityRate", "gate", 0.0, 0.0, 0.04, 90, 0.05, LimitOutcome.OK),
                        new Measurement("maxAsrUplift", "gate", Double.NaN, -1, 1, 0, 0.1,
                                LimitOutcome.INSUFFICIENT_SAMPLES)));
    }

    @Test
    void fileStore_keepsEveryDecisionAcrossARestart_newestPerRollout_andTheHistoryNewestFirst() throws Exception {
        try (FileRolloutStore store = FileRolloutStore.open(dir)) {
            store.append(record(1, RolloutPhase.RUNNING, RolloutPhase.ROLLED_BACK, RolloutRecord.GATE));
            store.append(record(2, RolloutPhase.ROLLED_BACK, RolloutPhase.RUNNING, "admin"));
            store.append(record(3, RolloutPhase.RUNNING, RolloutPhase.PROMOTED, RolloutRecord.GATE));
        }
        try (FileRolloutStore reopened = FileRolloutStore.open(dir)) {
            assertThat(reopened.latest()).containsOnlyKeys(KEY);
            assertThat(reopened.latest().get(KEY)).isEqualTo(record(3, RolloutPhase.RUNNING, RolloutPhase.PROMOTED,
                    RolloutRecord.GATE));
            assertThat(reopened.history(2)).extracting(RolloutRecord::version).containsExactly(3L, 2L);
            assertThat(reopened.latest().get(KEY).numbers().get(1).value()).isNaN();
        }
    }

    @Test
    void fileStore_refusesARecordThatDidNotSeeTheNewestDecision_andWritesNothing() throws Exception {
        try (FileRolloutStore store = FileRolloutStore.open(dir)) {
            store.append(record(1, RolloutPhase.RUNNING, RolloutPhase.ROLLED_BACK, RolloutRecord.GATE));
            long size = Files.size(dir.resolve(FileRolloutStore.FILE_NAME));

            assertThatThrownBy(() -> store.append(record(1, RolloutPhase.RUNNING, RolloutPhase.PROMOTED, "admin")))
                    .isInstanceOf(RolloutStore.StaleRolloutException.class);

            assertThat(Files.size(dir.resolve(FileRolloutStore.FILE_NAME))).isEqualTo(size);
            assertThat(store.latest().get(KEY).to()).isEqualTo(RolloutPhase.ROLLED_BACK);
        }
    }

    @Test
    void fileStore_stopsStartUpOnADamagedRecord_withFileAndLine_butCutsOffATornLastLine() throws Exception {
        Path file = dir.resolve(FileRolloutStore.FILE_NAME);
        try (FileRolloutStore store = FileRolloutStore.open(dir)) {
            store.append(record(1, RolloutPhase.RUNNING, RolloutPhase.ROLLED_BACK, RolloutRecord.GATE));
            store.append(record(2, RolloutPhase.ROLLED_BACK, RolloutPhase.RUNNING, "admin"));
        }
        Files.writeString(file, "{\"tenant\":\"acme\",\"to\":\"PROM", StandardOpenOption.APPEND); // a crash mid-write
        try (FileRolloutStore store = FileRolloutStore.open(dir)) {
            assertThat(store.latest().get(KEY).version()).isEqualTo(2);
            store.append(record(3, RolloutPhase.RUNNING, RolloutPhase.PROMOTED, RolloutRecord.GATE));
        }
        try (FileRolloutStore store = FileRolloutStore.open(dir)) {
            assertThat(store.latest().get(KEY).to()).as("the torn bytes were cut off before the next append")
                    .isEqualTo(RolloutPhase.PROMOTED);
        }

        // flip one byte inside the first record (a rollback): skipping it could undo the rollback
        byte[] bytes = Files.readAllBytes(file);
        int at = new String(bytes, StandardCharsets.UTF_8).indexOf("ROLLED_BACK");
        bytes[at] = 'X';
        Files.write(file, bytes);
        assertThatThrownBy(() -> FileRolloutStore.open(dir)).isInstanceOf(StateFileCorruptException.class)
                .hasMessageStartingWith(file + ":1: ").hasMessageContaining("checksum mismatch");
    }
}
