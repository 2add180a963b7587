package io.steerguard.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {

    @TempDir
    Path dir;

    private static Transition t(int minute, String profile, ProfileState from, ProfileState to) {
        boolean blocked = to == ProfileState.BLOCKED;
        return new Transition(TestPolicies.T0.plus(Duration.ofMinutes(minute)), profile, from, to, "test",
                "reason with \"quotes\"\nand a newline", blocked ? "default" : null,
                blocked ? PolicyAction.BLOCK : null, blocked ? Recovery.auto(Duration.ofMinutes(30)) : null, "v1",
                List.of(new Measurement("maxExternalityRate", "default", 0.2, 0.1, 0.3, 40, 0.05,
                        LimitOutcome.EXCEEDED)));
    }

    @Test
    void transitions_roundTrip_throughTheFile() throws IOException {
        Transition written = t(0, "p", ProfileState.ACTIVE, ProfileState.BLOCKED);
        try (StateStore store = StateStore.open(dir)) {
            store.append(written);
        }
        try (StateStore store = StateStore.open(dir)) {
            assertThat(store.readAudit(10, Optional.empty())).containsExactly(written);
            assertThat(store.recovered().statuses().get("p").state()).isEqualTo(ProfileState.BLOCKED);
            assertThat(store.recovered().problems()).isEmpty();
        }
        assertThat(Files.readAllLines(dir.resolve(StateStore.FILE_NAME))).as("header and one record").hasSize(2);
    }

    @Test
    void recovery_keepsTheLastStateOfEachProfile() throws IOException {
        try (StateStore store = StateStore.open(dir)) {
            store.append(t(0, "a", null, ProfileState.PROBATION));
            store.append(t(1, "b", null, ProfileState.PROBATION));
            store.append(t(2, "a", ProfileState.PROBATION, ProfileState.ACTIVE));
            store.append(t(3, "a", ProfileState.ACTIVE, ProfileState.BLOCKED));
        }
        try (StateStore store = StateStore.open(dir)) {
            assertThat(store.recovered().statuses().get("a").state()).isEqualTo(ProfileState.BLOCKED);
            assertThat(store.recovered().statuses().get("a").since()).isEqualTo(TestPolicies.T0.plusSeconds(180));
            assertThat(store.recovered().statuses().get("b").state()).isEqualTo(ProfileState.PROBATION);
            assertThat(store.recovered().transitions()).isEqualTo(4);
        }
    }

    @Test
    void appends_neverRewriteEarlierBytes() throws IOException {
        Path file = dir.resolve(StateStore.FILE_NAME);
        try (StateStore store = StateStore.open(dir)) {
            store.append(t(0, "a", null, ProfileState.PROBATION));
            store.append(t(1, "a", ProfileState.PROBATION, ProfileState.ACTIVE));
            byte[] before = Files.readAllBytes(file);

            store.append(t(2, "a", ProfileState.ACTIVE, ProfileState.BLOCKED));

            byte[] after = Files.readAllBytes(file);
            assertThat(after.length).isGreaterThan(before.length);
            assertThat(Arrays.copyOf(after, before.length)).isEqualTo(before);
        }
        try (StateStore store = StateStore.open(dir)) {
            byte[] before = Files.readAllBytes(file);
            store.append(t(3, "b", null, ProfileState.PROBATION));
            assertThat(Arrays.copyOf(Files.readAllBytes(file), before.length)).isEqualTo(before);
        }
    }

    @Test
    void tornLastLine_isIgnoredWithAWarning_andCutBeforeTheNextAppend() throws IOException {
        Path file = dir.resolve(StateStore.FILE_NAME);
        try (StateStore store = StateStore.open(dir)) {
            store.append(t(0, "a", ProfileState.ACTIVE, ProfileState.BLOCKED));
        }
        byte[] complete = Files.readAllBytes(file);
        // a crash in the middle of writing the unblocking line
        String torn = TransitionJson.write(t(1, "a", ProfileState.BLOCKED, ProfileState.PROBATION)).substring(0, 40);
        Files.writeString(file, torn, StandardOpenOption.APPEND);

        try (StateStore store = StateStore.open(dir)) {
            assertThat(store.recovered().statuses().get("a").state()).isEqualTo(ProfileState.BLOCKED);
            assertThat(store.recovered().problems()).singleElement()
                    .satisfies(p -> assertThat(p.toString()).startsWith("line 3: incomplete last line (40 bytes"));

            store.append(t(2, "b", null, ProfileState.PROBATION));
        }
        byte[] after = Files.readAllBytes(file);
        assertThat(Arrays.copyOf(after, complete.length)).isEqualTo(complete);
        try (StateStore store = StateStore.open(dir)) {
            assertThat(store.recovered().problems()).isEmpty();
            assertThat(store.readAudit(10, Optional.empty())).extracting(Transition::profile).containsExactly("a", "b");
        }
    }

    @Test
    void readAudit_returnsTheMostRecentEntries_oldestFirst_optionallyOfOneProfile() throws IOException {
        try (StateStore store = StateStore.open(dir)) {
            for (int i = 0; i < 10; i++) {
                store.append(t(i, i % 2 == 0 ? "even" : "odd", null, ProfileState.PROBATION));
            }

            assertThat(store.readAudit(3, Optional.empty())).extracting(Transition::time)
                    .containsExactly(at(7), at(8), at(9));
            assertThat(store.readAudit(2, Optional.of("even"))).extracting(Transition::time)
                    .containsExactly(at(6), at(8));
            assertThat(store.readAudit(0, Optional.empty())).isEmpty();
        }
    }

    @Test
    void secondOpener_ofTheSameDirectory_isRefused() throws IOException {
        try (StateStore first = StateStore.open(dir)) {
            assertThatThrownBy(() -> StateStore.open(dir)).isInstanceOf(IOException.class)
                    .hasMessageContaining("in use");
        }
    }

    private static Instant at(int minute) {
        return TestPolicies.T0.plus(Duration.ofMinutes(minute));
    }
}
