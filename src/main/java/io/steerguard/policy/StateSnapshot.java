package io.steerguard.policy;

import io.steerguard.journal.StateRecords;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code profile-state.snapshot}: one record ({@link StateRecords}) holding the generation it
 * starts, the number of transitions before it, the status of every profile and every blocked
 * identity. Each status is stored as the transition that leads to it, so it reads back exactly.
 */
final class StateSnapshot {

    /** What a snapshot holds. */
    record Content(long generation, long transitions, List<ProfileStatus> statuses, List<ProfileStatus> blocks) {
    }

    private StateSnapshot() {
    }

    /** Writes it to a temporary file, forces it, and renames it over the previous snapshot. */
    static void write(Path dir, StateStore.Durability durability, long generation, long transitions,
                      Collection<ProfileStatus> statuses, Collection<ProfileStatus> blocks) throws IOException {
        ObjectNode o = TransitionJson.MAPPER.createObjectNode();
        o.put("generation", generation);
        o.put("transitions", transitions);
        ArrayNode s = o.putArray("statuses");
        statuses.forEach(status -> s.add(asTransition(status)));
        ArrayNode b = o.putArray("blocks");
        blocks.forEach(status -> b.add(asTransition(status)));
        byte[] record = StateRecords.encode(o.toString());
        Path tmp = dir.resolve(StateStore.SNAPSHOT_NAME + ".tmp");
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            StateStore.write(c, record, 0);
            durability.force(c);
        }
        Files.move(tmp, dir.resolve(StateStore.SNAPSHOT_NAME), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        StateStore.forceDirectory(dir);
    }

    /** The snapshot in {@code dir}, if there is one. */
    static Optional<Content> read(Path dir) throws IOException {
        Path file = dir.resolve(StateStore.SNAPSHOT_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (!text.endsWith("\n")) {
            throw new StateFileCorruptException(file, 1, "incomplete snapshot (a snapshot is renamed into place "
                    + "only once complete, so this is damage, not a torn write)");
        }
        try {
            JsonNode o = TransitionJson.MAPPER.readTree(StateRecords.decode(text.substring(0, text.length() - 1)));
            return Optional.of(new Content(o.get("generation").asLong(), o.get("transitions").asLong(),
                    statuses(o.get("statuses")), statuses(o.get("blocks"))));
        } catch (IOException | RuntimeException e) {
            throw new StateFileCorruptException(file, 1, "damaged snapshot: " + e.getMessage());
        }
    }

    private static List<ProfileStatus> statuses(JsonNode array) {
        List<ProfileStatus> out = new ArrayList<>();
        for (JsonNode n : array) {
            out.add(ProfileStatus.after(TransitionJson.read(n.toString())));
        }
        return out;
    }

    private static JsonNode asTransition(ProfileStatus s) {
        Transition t = new Transition(s.since(), s.profile(), null, s.state(), "snapshot", "snapshot", s.policy(),
                s.action(), s.recovery(), s.fingerprint(), List.of());
        try {
            return TransitionJson.MAPPER.readTree(TransitionJson.write(t));
        } catch (IOException e) {
            throw new IllegalStateException("a transition always reads back as JSON", e);
        }
    }
}
