package io.steerguard.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local state store fails closed: damage stops start-up (unless an operator names the profiles
 * to start BLOCKED), a failed write applies nothing now or after a restart, and compaction keeps
 * start-up and the newest audit entries independent of the length of the history.
 */
class StateStoreIntegrityTest {

    @TempDir
    Path dir;

    private Path log() {
        return dir.resolve(StateStore.FILE_NAME);
    }

    private static Transition t(int minute, String profile, ProfileState from, ProfileState to) {
        boolean blocked = to == ProfileState.BLOCKED;
        return new Transition(TestPolicies.T0.plus(Duration.ofMinutes(minute)), profile, from, to, "test", "r" + minute,
                blocked ? "default" : null, blocked ? PolicyAction.BLOCK : null, blocked ? Recovery.MANUAL : null, "v1",
                List.of());
    }

    /** p: PROBATION, then ACTIVE, then BLOCKED (line 4 of the log), and q: PROBATION. */
    private void writeHistoryEndingInABlock() throws IOException {
        try (StateStore store = StateStore.open(dir)) {
            store.append(t(0, "p", null, ProfileState.PROBATION));
            store.append(t(1, "p", ProfileState.PROBATION, ProfileState.ACTIVE));
            store.append(t(2, "p", ProfileState.ACTIVE, ProfileState.BLOCKED));
            store.append(t(3, "q", null, ProfileState.PROBATION));
        }
    }

    /** Overwrites one byte inside line {@code lineNo} (1-based) of the log, as a bad sector would. */
    private void damage(int lineNo, String find, String replaceWith) throws IOException {
        List<String> lines = Files.readAllLines(log(), StandardCharsets.UTF_8);
        String line = lines.get(lineNo - 1);
        assertThat(line).contains(find);
        lines.set(lineNo - 1, line.replace(find, replaceWith));
        Files.writeString(log(), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    @Test
    void damagedBlockRecord_inTheMiddle_stopsStartUp_withFileAndLine() throws IOException {
        writeHistoryEndingInABlock();
        // still valid JSON and still a valid transition: only the checksum can tell
        damage(4, "\"to\":\"BLOCKED\"", "\"to\":\"ACTIVE\"");

        assertThatThrownBy(() -> StateStore.open(dir)).isInstanceOf(StateFileCorruptException.class)
                .hasMessageStartingWith(log() + ":4: checksum mismatch")
                .hasMessageContaining("steerguard.state.recover-blocked=p")
                .satisfies(e -> assertThat(((StateFileCorruptException) e).line()).isEqualTo(4));
    }

    @Test
    void unreadableRecord_inTheMiddle_stopsStartUp_withFileAndLine() throws IOException {
        writeHistoryEndingInABlock();
        damage(4, "{\"time\"", "{\"ti\u0000e\"");

        assertThatThrownBy(() -> StateStore.open(dir)).isInstanceOf(StateFileCorruptException.class)
                .hasMessageStartingWith(log() + ":4: ");
    }

    @Test
    void recoverBlocked_mustNameEveryProfileTheDamagedRecordNames() throws IOException {
        writeHistoryEndingInABlock();
        damage(4, "\"to\":\"BLOCKED\"", "\"to\":\"ACTIVE\"");

        assertThatThrownBy(() -> StateStore.open(dir, options(Set.of("q"))))
                .isInstanceOf(StateFileCorruptException.class).hasMessageContaining("recover-blocked=p");
    }

    @Test
    void recoverBlocked_startsTheNamedProfileBlocked_keepsTheDamagedLogAside_andTheAuditLogSaysWhy()
            throws IOException {
        writeHistoryEndingInABlock();
        damage(4, "\"to\":\"BLOCKED\"", "\"to\":\"ACTIVE\"");
        byte[] damaged = Files.readAllBytes(log());

        try (StateStore store = StateStore.open(dir, options(Set.of("p")))) {
            ProfileStatus p = store.recoveredStatuses().get("p");
            assertThat(p.state()).isEqualTo(ProfileState.BLOCKED);
            assertThat(p.fingerprint()).as("blocks whatever identity is configured").isEqualTo(BlockedIdentities.ANY);
            assertThat(store.recoveredStatuses().get("q").state()).isEqualTo(ProfileState.PROBATION);
            assertThat(store.readAudit(1, Optional.of("p"))).singleElement().satisfies(t -> {
                assertThat(t.actor()).isEqualTo(StateStore.RECOVERY_ACTOR);
                assertThat(t.reason()).contains("profile-state.jsonl:4").contains("profile-state.0.jsonl");
            });
            ProfileStateMachine machine = new ProfileStateMachine(store, Clock.systemUTC());
            assertThat(machine.register("p", "v9")).hasValueSatisfying(t -> {
                assertThat(t.to()).isEqualTo(ProfileState.BLOCKED);
                assertThat(t.fingerprint()).isEqualTo("v9");
            });
        }
        assertThat(Files.readAllBytes(StateReplay.archive(dir, 0))).as("the damaged log, kept as it was")
                .isEqualTo(damaged);
        try (StateStore store = StateStore.open(dir)) {
            assertThat(store.recoveredStatuses().get("p").state()).as("a later start needs no flag")
                    .isEqualTo(ProfileState.BLOCKED);
        }
    }

    @Test
    void tornLastLine_isStillOnlyAWarning_nowThatDamageStopsStartUp() throws IOException {
        writeHistoryEndingInABlock();
        Files.writeString(log(), "{\"time\":\"2026-", java.nio.file.StandardOpenOption.APPEND);

        try (StateStore store = StateStore.open(dir)) {
            assertThat(store.recovered().problems()).singleElement()
                    .satisfies(p -> assertThat(p.line()).isEqualTo(6));
            assertThat(store.recoveredStatuses().get("p").state()).isEqualTo(ProfileState.BLOCKED);
        }
    }

    @Test
    void failedFsync_appliesNothing_theCallerIsTold_andNothingIsReplayedAfterARestart() throws IOException {
        AtomicBoolean failing = new AtomicBoolean();
        StateStore.Durability flaky = channel -> {
            if (failing.getAndSet(false)) {
                throw new IOException("injected: fsync failed");
            }
            channel.force(true);
        };
        try (StateStore store = StateStore.open(dir, StateStore.Options.DEFAULT.withDurability(flaky))) {
            ProfileStateMachine machine = new ProfileStateMachine(store, Clock.systemUTC());
            machine.register("p", "v1");
            long before = Files.size(log());

            failing.set(true);
            assertThatThrownBy(() -> machine.block("p", PolicyAction.BLOCK, "bob", "incident 42"))
                    .isInstanceOf(UncheckedIOException.class).hasMessageContaining("cannot persist")
                    .rootCause().hasMessageContaining("injected");

            assertThat(machine.status("p").orElseThrow().state()).isEqualTo(ProfileState.PROBATION);
            assertThat(Files.size(log())).as("the written record was cut off again").isEqualTo(before);
            assertThat(machine.register("q", "v1")).as("the store keeps working").isPresent();
        }
        try (StateStore store = StateStore.open(dir)) {
            assertThat(store.recoveredStatuses().get("p").state()).as("after a restart too")
                    .isEqualTo(ProfileState.PROBATION);
            assertThat(store.readAudit(10, Optional.empty())).extracting(Transition::to)
                    .containsExactly(ProfileState.PROBATION, ProfileState.PROBATION);
        }
    }

    @Test
    void compaction_boundsTheLog_andNeitherStartUpNorTheNewestAuditEntriesReadTheArchives() throws IOException {
        StateStore.Options compactEvery10 = new StateStore.Options(10, Set.of(), StateStore.Durability.FSYNC);
        try (StateStore store = StateStore.open(dir, compactEvery10)) {
            ProfileStateMachine machine = new ProfileStateMachine(store, Clock.systemUTC());
            machine.register("p", "v1");
            machine.block("p", PolicyAction.BLOCK, "bob", "incident 42");
            machine.register("p", "v2"); // the blocked identity v1 is replaced, its block recorded
            for (int i = 0; i < 200; i++) {
                machine.register("q", "v" + i);
            }
            assertThat(store.generation()).isGreaterThanOrEqualTo(20);
        }
        assertThat(Files.readAllLines(log())).as("header + fewer than compactAfter records").hasSizeLessThan(12);
        List<String> archivedRecords;
        try (Stream<Path> files = Files.list(dir)) {
            archivedRecords = files.filter(f -> f.getFileName().toString().matches("profile-state\\.\\d+\\.jsonl"))
                    .flatMap(StateStoreIntegrityTest::lines).toList();
        }
        assertThat(archivedRecords).hasSizeGreaterThan(190);

        // start-up and the newest entries never need the archives: take them away
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.getFileName().toString().matches("profile-state\\.\\d+\\.jsonl")).forEach(f -> {
                try {
                    Files.delete(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        try (StateStore store = StateStore.open(dir, compactEvery10)) {
            assertThat(store.recovered().transitions()).isEqualTo(203);
            assertThat(store.recoveredStatuses().get("q").fingerprint()).isEqualTo("v199");
            assertThat(store.readAudit(3, Optional.of("q"))).extracting(Transition::fingerprint)
                    .containsExactly("v197", "v198", "v199");
            ProfileStateMachine machine = new ProfileStateMachine(store, Clock.systemUTC());
            assertThat(machine.register("p", "v1")).as("the replaced block survived compaction")
                    .hasValueSatisfying(t -> assertThat(t.to()).isEqualTo(ProfileState.BLOCKED));
        }
    }

    @Test
    void readAudit_readsBackThroughTheArchives_whenAskedForMoreThanTheLogHolds() throws IOException {
        StateStore.Options compactEvery4 = new StateStore.Options(4, Set.of(), StateStore.Durability.FSYNC);
        try (StateStore store = StateStore.open(dir, compactEvery4)) {
            for (int i = 0; i < 30; i++) {
                store.append(t(i, i % 3 == 0 ? "p" : "q", null, ProfileState.PROBATION));
            }
            assertThat(store.readAudit(25, Optional.empty())).extracting(Transition::reason)
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(5, 30).mapToObj(i -> "r" + i).toList());
            assertThat(store.readAudit(100, Optional.of("p"))).hasSize(10);
        }
    }

    @Test
    void crashBetweenSnapshotAndArchive_isFinishedAtTheNextStart() throws IOException {
        try (StateStore store = StateStore.open(dir)) {
            store.append(t(0, "p", null, ProfileState.PROBATION));
            store.append(t(1, "p", ProfileState.PROBATION, ProfileState.BLOCKED));
            // what compact() does first, then "crash": the log is still generation 0
            StateSnapshot.write(dir, StateStore.Durability.FSYNC, 1, 2,
                    List.of(ProfileStatus.after(t(1, "p", ProfileState.PROBATION, ProfileState.BLOCKED))), List.of());
        }
        try (StateStore store = StateStore.open(dir)) {
            assertThat(store.generation()).isEqualTo(1);
            assertThat(store.recoveredStatuses().get("p").state()).isEqualTo(ProfileState.BLOCKED);
            assertThat(Files.exists(StateReplay.archive(dir, 0))).isTrue();
            assertThat(store.readAudit(10, Optional.empty())).hasSize(2);
        }
    }

    @Test
    void logWrittenBeforeChecksums_isStillRead() throws IOException {
        Files.writeString(log(), TransitionJson.write(t(0, "p", null, ProfileState.PROBATION)) + "\n"
                + TransitionJson.write(t(1, "p", ProfileState.PROBATION, ProfileState.BLOCKED)) + "\n");
        try (StateStore store = StateStore.open(dir)) {
            assertThat(store.recoveredStatuses().get("p").state()).isEqualTo(ProfileState.BLOCKED);
            store.append(t(2, "q", null, ProfileState.PROBATION));
        }
        try (StateStore store = StateStore.open(dir)) {
            assertThat(store.readAudit(10, Optional.empty())).hasSize(3);
        }
    }

    private static StateStore.Options options(Set<String> recoverBlocked) {
        return new StateStore.Options(1000, recoverBlocked, StateStore.Durability.FSYNC);
    }

    private static Stream<String> lines(Path f) {
        try {
            return Files.readAllLines(f).stream().filter(l -> !l.startsWith("{\"generation\""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
