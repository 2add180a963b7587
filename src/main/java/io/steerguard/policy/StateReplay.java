package io.steerguard.policy;

import io.steerguard.journal.StateRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;


/**
 * Start-up of a {@link StateStore}: the snapshot, then the records of the current log over it,
 * failing closed on damage (see the store's class comment).
 */
final class StateReplay {

    /** A damaged record: where, what, and the profile it names if that part is readable. */
    record Damage(Path file, long line, String message, Optional<String> profile) {
        String where() {
            return file.getFileName() + ":" + line;
        }
    }

    private StateReplay() {
    }

    static Path archive(Path dir, long generation) {
        return dir.resolve("profile-state." + generation + ".jsonl");
    }

    static String header(long generation) {
        return "{\"generation\":" + generation + "}";
    }

    static StateStore.Replay load(Path dir, StateStore.Options options) throws IOException {
        Path file = dir.resolve(StateStore.FILE_NAME);
        Optional<StateSnapshot.Content> snapshot = StateSnapshot.read(dir);
        long generation = snapshot.map(StateSnapshot.Content::generation).orElse(0L);
        long total = snapshot.map(StateSnapshot.Content::transitions).orElse(0L);
        Map<String, ProfileStatus> statuses = new LinkedHashMap<>();
        snapshot.ifPresent(s -> s.statuses().forEach(st -> statuses.put(st.profile(), st)));
        BlockedIdentities blocks = new BlockedIdentities(snapshot.map(StateSnapshot.Content::blocks).orElse(List.of()));
        if (!Files.exists(file) || Files.size(file) == 0) {
            Files.deleteIfExists(file);
            return new StateStore.Replay(statuses, blocks, generation, 0, 0, total, List.of(), List.of(), true);
        }
        byte[] bytes = Files.readAllBytes(file); // at most compactAfter records: compaction bounds it
        List<StateStore.Problem> problems = new ArrayList<>();
        List<Damage> damage = new ArrayList<>();
        long logGeneration = 0;
        long records = 0;
        int start = 0;
        long lineNo = 0;
        int validLength = 0;
        while (start < bytes.length) {
            lineNo++;
            int end = indexOf(bytes, start);
            if (end < 0) {
                problems.add(new StateStore.Problem(lineNo, "incomplete last line (" + (bytes.length - start)
                        + " bytes, torn write) ignored; it is removed before the next append"));
                break;
            }
            String line = StateStore.utf8(bytes, start, end);
            start = end + 1;
            validLength = start;
            if (line.isBlank()) {
                continue;
            }
            try {
                String json = StateRecords.decode(line);
                if (lineNo == 1 && json.startsWith("{\"generation\"")) {
                    logGeneration = TransitionJson.MAPPER.readTree(json).get("generation").asLong();
                    if (logGeneration == generation - 1) {
                        // a compaction wrote its snapshot and crashed before it archived this log: finish it
                        Files.move(file, archive(dir, logGeneration), StandardCopyOption.REPLACE_EXISTING,
                                StandardCopyOption.ATOMIC_MOVE);
                        StateStore.forceDirectory(dir);
                        return new StateStore.Replay(statuses, blocks, generation, 0, 0, total, List.of(), List.of(),
                                true);
                    }
                    if (logGeneration != generation) {
                        throw new StateFileCorruptException(file, 1, "log of generation " + logGeneration
                                + " does not follow the snapshot of generation " + generation);
                    }
                    continue;
                }
                Transition t = TransitionJson.read(json);
                records++;
                blocks.apply(statuses.put(t.profile(), ProfileStatus.after(t)), t);
            } catch (StateFileCorruptException e) {
                throw e;
            } catch (IOException | IllegalArgumentException e) {
                damage.add(new Damage(file, lineNo, e.getMessage(), StateRecords.profileOf(line)));
            }
        }
        if (snapshot.isPresent() && logGeneration != generation) {
            throw new StateFileCorruptException(file, 1, "log without a generation header beside a snapshot of "
                    + "generation " + generation);
        }
        if (!damage.isEmpty()) {
            refuseUnlessRecovering(damage, options);
        }
        return new StateStore.Replay(statuses, blocks, generation, validLength, records, total + records, problems,
                damage, false);
    }

    /**
     * A damaged record may have said anything, a block included: go on only when the operator named,
     * in {@code recover-blocked}, every profile the damaged records name (at least one profile when
     * none can be read).
     */
    private static void refuseUnlessRecovering(List<Damage> damage, StateStore.Options options)
            throws StateFileCorruptException {
        TreeSet<String> named = new TreeSet<>();
        damage.forEach(d -> d.profile().ifPresent(named::add));
        boolean unnamed = damage.stream().anyMatch(d -> d.profile().isEmpty());
        TreeSet<String> missing = new TreeSet<>(named);
        missing.removeAll(options.recoverBlocked());
        if (missing.isEmpty() && !options.recoverBlocked().isEmpty()) {
            return;
        }
        Damage first = damage.get(0);
        StringBuilder message = new StringBuilder(first.message());
        if (damage.size() > 1) {
            message.append(" (").append(damage.size() - 1).append(" more damaged: ")
                    .append(damage.stream().skip(1).map(Damage::where).reduce((a, b) -> a + ", " + b).orElse(""))
                    .append(")");
        }
        message.append(". The state store refuses to guess what a damaged record said (it may have been a block). ")
                .append("Restore the file from a backup, or start with steerguard.state.recover-blocked=")
                .append(named.isEmpty() ? "<profile,...>" : String.join(",", missing.isEmpty() ? named : missing))
                .append(" to start ")
                .append(named.isEmpty() ? "the affected profiles" : "them")
                .append(" BLOCKED")
                .append(unnamed ? " (a damaged record names no readable profile: name every profile it may be)" : "")
                .append("; the damaged log is then kept aside as an archive.");
        throw new StateFileCorruptException(first.file(), first.line(), message.toString());
    }

    /** One record of the audit log, or empty for a header or a damaged line (archives are read as they are). */
    static Optional<Transition> auditRecord(String line) {
        try {
            String json = StateRecords.decode(line);
            if (json.startsWith("{\"generation\"")) {
                return Optional.empty();
            }
            return Optional.of(TransitionJson.read(json));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

}
