package io.steerguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.steerguard.fuzz.Fuzz;

/**
 * The state log is replayed at every start: every mutated log opens (a torn last line is dropped)
 * or stops start-up with a {@link StateFileCorruptException} naming the file and line — never
 * another exception, which would hide where the damage is.
 */
class StateLogFuzzTest {

    private static final List<String> DICTIONARY = List.of("\t", "\n", "\"to\":\"BLOCKED\"", "\"to\":\"ACTIVE\"",
            "\"from\":null", "\"profile\":\"", "\"fingerprint\":\"", "\"time\":\"", "{\"generation\":1}", "00000000",
            "ffffffff", "null", "{}", "[]", "\\u0000");

    @TempDir
    Path dir;

    @Test
    void mutatedStateLogs_openOrStopWithFileAndLine() {
        int[] run = {0};
        Fuzz.Report report = Fuzz.run("state-log", Fuzz.corpus("state-log"), DICTIONARY, 400, input -> {
            Path data = Files.createDirectories(dir.resolve("run-" + run[0]++));
            Files.write(data.resolve(StateStore.FILE_NAME), input);
            try (StateStore store = StateStore.open(data)) {
                assertThat(store.recoveredStatuses()).isNotNull();
                return Fuzz.Outcome.VALID;
            } catch (StateFileCorruptException e) {
                assertThat(e.getMessage()).contains(StateStore.FILE_NAME);
                return Fuzz.clearError(e);
            }
        });
        assertThat(report.failures()).as(report.toString()).isEmpty();
        assertThat(report.valid()).as("the seeds themselves open").isGreaterThanOrEqualTo(2);
    }
}
