package io.steerguard.policy;

import io.steerguard.journal.StateRecords;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Profile states on local disk, failing closed. In {@code dataDir}:
 * <ul>
 *   <li>{@code profile-state.jsonl}: the log, one {@link Transition} per line with a CRC-32
 *       ({@link StateRecords}), after a header line naming its generation. {@link #append} writes a
 *       line and forces it to disk before it returns, so a transition is durable before it takes
 *       effect. When the write or the force fails the file is cut back to where it was: the
 *       transition is not applied, now or after a crash, and the caller is told.</li>
 *   <li>{@code profile-state.snapshot}: the state of every profile and every blocked identity at the
 *       start of the current generation. Once the log holds {@link Options#compactAfter} transitions
 *       it is compacted: a new snapshot is written (temp file, force, atomic rename), the log becomes
 *       the archive {@code profile-state.<generation>.jsonl}, and a new, empty log starts. Start-up
 *       reads the snapshot and the current log only, so it costs the number of profiles plus at most
 *       {@code compactAfter} records, whatever the history.</li>
 *   <li>{@code profile-state.<generation>.jsonl}: the archived logs, the older audit history;
 *       {@link #readAudit} reads backwards from the newest record and stops after {@code limit}.</li>
 * </ul>
 * A last line without its newline is a write torn by a crash: it never took effect, so it is
 * ignored (reported in {@link Recovered#problems}) and cut off before the next append. Any other
 * damaged record — a bad checksum, not JSON, not a transition — stops {@link #open} with file and
 * line, because skipping it could silently undo a block. An operator who has looked at the damage
 * can start anyway with {@link Options#recoverBlocked}: the profiles named there start BLOCKED
 * (manual recovery, any identity), the damaged log is set aside as an archive, and the audit log
 * records why. One process owns the directory at a time (an OS lock on {@code profile-state.lock}).
 */
public final class StateStore implements TransitionLog {

    public static final String FILE_NAME = "profile-state.jsonl";
    public static final String SNAPSHOT_NAME = "profile-state.snapshot";
    static final String LOCK_NAME = "profile-state.lock";
    /** Actor of the transitions written when an operator starts past a damaged log. */
    public static final String RECOVERY_ACTOR = "state-recovery";

    /** Something wrong with one line of the log that did not stop start-up (a torn last line). */
    public record Problem(long line, String message) {
        @Override
        public String toString() {
            return "line " + line + ": " + message;
        }
    }

    /** What replay found: the state of each profile, and the lines it had to skip. */
    public record Recovered(Map<String, ProfileStatus> statuses, long transitions, List<Problem> problems) {
        public Recovered {
            statuses = Map.copyOf(statuses);
            problems = List.copyOf(problems);
        }
    }

    /** Makes written bytes durable; tests put a failing one in its place. */
    @FunctionalInterface
    public interface Durability {
        Durability FSYNC = channel -> channel.force(true);

        void force(FileChannel channel) throws IOException;
    }

    /**
     * @param compactAfter   transitions in the log that trigger a compaction (at least 1)
     * @param recoverBlocked profiles to start BLOCKED when the log is damaged; empty: a damaged log stops start-up
     * @param durability     how writes are forced to disk
     */
    public record Options(int compactAfter, Set<String> recoverBlocked, Durability durability) {
        public static final Options DEFAULT = new Options(1000, Set.of(), Durability.FSYNC);

        public Options {
            if (compactAfter < 1) {
                throw new IllegalArgumentException("compactAfter must be at least 1, got " + compactAfter);
            }
            recoverBlocked = Set.copyOf(recoverBlocked);
        }

        public Options withDurability(Durability d) {
            return new Options(compactAfter, recoverBlocked, d);
        }
    }

    private final Path dir;
    private final Path file;
    private final Options options;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private Recovered recovered;
    private List<ProfileStatus> recoveredBlocks;
    private final List<Problem> problems;
    /** The state at the end of the log, kept for the next snapshot. */
    private final Map<String, ProfileStatus> current;
    private final BlockedIdentities blocks;
    private FileChannel channel;
    private long generation;
    /** End of the last complete record; bytes past it are a torn write. */
    private long validLength;
    private long recordsInLog;
    private long total;
    /** Set when a failed write could not be cut back: nothing more is written until a restart. */
    private IOException broken;

    private StateStore(Path dir, Options options, FileChannel lockChannel, FileLock lock, Replay replay)
            throws IOException {
        this.dir = dir;
        this.file = dir.resolve(FILE_NAME);
        this.options = options;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.current = new LinkedHashMap<>(replay.statuses);
        this.blocks = replay.blocks;
        this.generation = replay.generation;
        this.validLength = replay.validLength;
        this.recordsInLog = replay.recordsInLog;
        this.total = replay.total;
        if (replay.createLog()) {
            newLog(generation);
        }
        this.channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.problems = replay.problems();
        takeRecovered();
    }

    /** Opens {@code dataDir} with the default options. */
    public static StateStore open(Path dataDir) throws IOException {
        return open(dataDir, Options.DEFAULT);
    }

    /**
     * Opens (creating if needed) the state in {@code dataDir} and replays it.
     *
     * @throws StateFileCorruptException when a record other than a torn last line is damaged and
     *                                   {@code options} does not name every profile it may belong to
     */
    public static StateStore open(Path dataDir, Options options) throws IOException {
        Files.createDirectories(dataDir);
        FileChannel lockChannel = FileChannel.open(dataDir.resolve(LOCK_NAME), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IOException(dataDir.resolve(FILE_NAME) + " is in use by another SteerGuard process or store");
        }
        try {
            Replay replay = StateReplay.load(dataDir, options);
            StateStore store = new StateStore(dataDir, options, lockChannel, lock, replay);
            if (!replay.damage().isEmpty()) {
                store.recover(replay.damage());
                store.takeRecovered();
            }
            return store;
        } catch (IOException | RuntimeException e) {
            lock.release();
            lockChannel.close();
            throw e;
        }
    }

    private void takeRecovered() {
        recovered = new Recovered(current, total, problems);
        recoveredBlocks = blocks.all();
    }

    public Path file() {
        return file;
    }

    /** What replay found when the store was opened. */
    public Recovered recovered() {
        return recovered;
    }

    @Override
    public Map<String, ProfileStatus> recoveredStatuses() {
        return recovered.statuses();
    }

    @Override
    public List<ProfileStatus> recoveredBlocks() {
        return recoveredBlocks;
    }

    /** The generation of the current log (how many compactions so far). */
    public synchronized long generation() {
        return generation;
    }

    /**
     * Appends one transition and forces it to disk; returns only once it is durable. On failure
     * nothing is applied: the bytes written are cut off again before the exception reaches the caller.
     */
    @Override
    public synchronized void append(Transition t) throws IOException {
        if (broken != null) {
            throw new IOException("the state file " + file + " is in an unknown state after an earlier failed "
                    + "write; restart SteerGuard so it is checked again", broken);
        }
        byte[] line = StateRecords.encode(TransitionJson.write(t));
        try {
            if (channel.size() > validLength) {
                channel.truncate(validLength);
            }
            write(channel, line, validLength);
            options.durability().force(channel);
        } catch (IOException | RuntimeException e) {
            undo(e);
            throw new IOException("transition of profile " + t.profile() + " to " + t.to()
                    + " was not persisted and does not take effect: " + e.getMessage(), e);
        }
        validLength += line.length;
        recordsInLog++;
        total++;
        blocks.apply(current.put(t.profile(), ProfileStatus.after(t)), t);
        if (recordsInLog >= options.compactAfter()) {
            try {
                compact();
            } catch (IOException e) {
                // The transition is durable in the log; compaction is tried again after the next append.
                System.getLogger(StateStore.class.getName()).log(System.Logger.Level.WARNING,
                        "compaction of " + file + " failed; retried after the next transition: " + e);
            }
        }
    }

    /** Cuts a failed write back off; if even that fails, refuses every later write. */
    private void undo(Exception cause) {
        try {
            channel.truncate(validLength);
            options.durability().force(channel);
        } catch (IOException | RuntimeException e) {
            broken = new IOException("cannot cut a failed write back off " + file + ": " + e.getMessage(), cause);
        }
    }

    /**
     * Writes a snapshot of the state at the end of the log, archives the log, and starts a new one.
     * Crash-safe at every step: {@link StateReplay#load} finishes a compaction a crash interrupted.
     */
    public synchronized void compact() throws IOException {
        startGeneration();
    }

    private void startGeneration() throws IOException {
        long next = generation + 1;
        StateSnapshot.write(dir, options.durability(), next, total, current.values(), blocks.all());
        channel.close();
        Files.move(file, StateReplay.archive(dir, generation), StandardCopyOption.ATOMIC_MOVE);
        newLog(next);
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        generation = next;
        recordsInLog = 0;
    }

    /** Creates the log of {@code gen}: its header, forced, renamed into place. */
    private void newLog(long gen) throws IOException {
        Path tmp = dir.resolve(FILE_NAME + ".tmp");
        byte[] header = StateRecords.encode(StateReplay.header(gen));
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            write(c, header, 0);
            options.durability().force(c);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(dir);
        validLength = header.length;
    }

    /**
     * Starts past a damaged log as the operator asked: the profiles named in
     * {@link Options#recoverBlocked} are BLOCKED in the new snapshot before anything else is written
     * (so a crash in between cannot start them unblocked), the damaged log becomes an archive, and
     * the audit log records why.
     */
    private void recover(List<StateReplay.Damage> damage) throws IOException {
        String where = damage.stream().map(StateReplay.Damage::where).reduce((a, b) -> a + ", " + b).orElse("");
        String kept = StateReplay.archive(dir, generation).getFileName().toString();
        List<Transition> blocking = new ArrayList<>();
        for (String profile : options.recoverBlocked().stream().sorted().toList()) {
            ProfileStatus s = current.get(profile);
            Transition t = new Transition(Instant.now(), profile, s == null ? null : s.state(), ProfileState.BLOCKED,
                    RECOVERY_ACTOR, "started BLOCKED by steerguard.state.recover-blocked after damaged state records at "
                    + where + " (the damaged log is kept as " + kept + "); lift with an unblock once reviewed",
                    null, PolicyAction.BLOCK, Recovery.MANUAL, BlockedIdentities.ANY, List.of());
            blocks.apply(current.put(profile, ProfileStatus.after(t)), t);
            blocking.add(t);
        }
        startGeneration();
        for (Transition t : blocking) {
            append(t);
        }
    }

    /**
     * The last {@code limit} transitions, oldest first, optionally of one profile only: read backwards
     * from the end of the log, then through the archives, stopping as soon as {@code limit} are found.
     */
    @Override
    public synchronized List<Transition> readAudit(int limit, Optional<String> profile) throws IOException {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, got " + limit);
        }
        Deque<Transition> newestFirst = new ArrayDeque<>();
        if (limit == 0) {
            return List.of();
        }
        java.util.function.Predicate<String> take = line -> {
            Optional<Transition> t = StateReplay.auditRecord(line);
            if (t.isPresent() && (profile.isEmpty() || profile.get().equals(t.get().profile()))) {
                newestFirst.addLast(t.get());
            }
            return newestFirst.size() < limit;
        };
        boolean more = ReverseLines.read(file, validLength, take);
        for (long g = generation - 1; more && g >= 0; g--) {
            Path archive = StateReplay.archive(dir, g);
            if (Files.exists(archive)) {
                more = ReverseLines.read(archive, Long.MAX_VALUE, take);
            }
        }
        List<Transition> oldestFirst = new ArrayList<>(newestFirst);
        java.util.Collections.reverse(oldestFirst);
        return List.copyOf(oldestFirst);
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            channel.close();
        } finally {
            try {
                lock.release();
            } finally {
                lockChannel.close();
            }
        }
    }

    static void write(FileChannel c, byte[] bytes, long at) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long position = at;
        while (buffer.hasRemaining()) {
            position += c.write(buffer, position);
        }
    }

    /** Makes renames and new files in {@code dir} durable (a no-op where directories cannot be opened). */
    static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not every platform can fsync a directory; the files' own fsyncs still hold their data.
        }
    }

    /** What {@link StateReplay#load} hands the store. */
    record Replay(Map<String, ProfileStatus> statuses, BlockedIdentities blocks, long generation, long validLength,
                  long recordsInLog, long total, List<Problem> problems, List<StateReplay.Damage> damage,
                  boolean createLog) {
    }

    static String utf8(byte[] bytes, int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.UTF_8);
    }
}
