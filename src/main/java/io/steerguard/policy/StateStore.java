package io.steerguard.policy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Profile states on local disk: an append-only JSON-lines file of {@link Transition}s, one per
 * line, that is also the audit log.
 *
 * <ul>
 *   <li>{@link #append} writes one line and forces it to disk (data and metadata) before it
 *       returns, so a transition is durable before it takes effect.</li>
 *   <li>{@link #open} replays the file; the last transition of each profile gives its state.</li>
 *   <li>A last line without its newline is a write torn by a crash: it never took effect, so it is
 *       ignored with a problem report and cut off before the next append. A corrupt line in the
 *       middle is reported and skipped; the lines after it still count.</li>
 *   <li>Nothing before the end of the last complete line is ever rewritten.</li>
 * </ul>
 * One process owns the file at a time (an OS file lock); a second opener fails.
 */
public final class StateStore implements TransitionLog {

    public static final String FILE_NAME = "profile-state.jsonl";

    /** Something wrong with one line of the file; replay went on without it. */
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

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final Recovered recovered;
    /** End of the last complete line; bytes past it are a torn write. */
    private long validLength;

    private StateStore(Path file, FileChannel channel, FileLock lock, Recovered recovered, long validLength) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.recovered = recovered;
        this.validLength = validLength;
    }

    /** Opens (creating if needed) {@code dataDir/profile-state.jsonl} and replays it. */
    public static StateStore open(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve(FILE_NAME);
        boolean created = !Files.exists(file);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IOException(file + " is in use by another SteerGuard process or store");
        }
        if (created) {
            forceDirectory(dataDir);
        }
        byte[] bytes = Files.readAllBytes(file);
        Replay replay = replay(bytes, Integer.MAX_VALUE, Optional.empty());
        Map<String, ProfileStatus> statuses = new LinkedHashMap<>();
        for (Transition t : replay.transitions) {
            statuses.put(t.profile(), ProfileStatus.after(t));
        }
        Recovered recovered = new Recovered(statuses, replay.count, replay.problems);
        return new StateStore(file, channel, lock, recovered, replay.validLength);
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

    /** Appends one transition and forces it to disk; returns only once it is durable. */
    @Override
    public synchronized void append(Transition t) throws IOException {
        byte[] line = (TransitionJson.write(t) + "\n").getBytes(StandardCharsets.UTF_8);
        if (channel.size() > validLength) {
            channel.truncate(validLength);
        }
        ByteBuffer buffer = ByteBuffer.wrap(line);
        long position = validLength;
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
        channel.force(true);
        validLength = position;
    }

    /**
     * The last {@code limit} transitions, oldest first, optionally of one profile only. Reads the
     * file, so it includes everything appended so far.
     */
    @Override
    public synchronized List<Transition> readAudit(int limit, Optional<String> profile) throws IOException {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, got " + limit);
        }
        return replay(Files.readAllBytes(file), limit, profile).transitions;
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }

    private record Replay(List<Transition> transitions, long count, List<Problem> problems, long validLength) {
    }

    private static Replay replay(byte[] bytes, int limit, Optional<String> profile) {
        Deque<Transition> kept = new ArrayDeque<>();
        List<Problem> problems = new ArrayList<>();
        long count = 0;
        int start = 0;
        long lineNo = 0;
        while (start < bytes.length) {
            lineNo++;
            int end = indexOf(bytes, (byte) '\n', start);
            if (end < 0) {
                problems.add(new Problem(lineNo, "incomplete last line (" + (bytes.length - start)
                        + " bytes, torn write) ignored; it is removed before the next append"));
                break;
            }
            String line = new String(bytes, start, end - start, StandardCharsets.UTF_8);
            start = end + 1;
            if (line.isBlank()) {
                continue;
            }
            try {
                Transition t = TransitionJson.read(line);
                count++;
                if (profile.isEmpty() || profile.get().equals(t.profile())) {
                    kept.addLast(t);
                    if (kept.size() > limit) {
                        kept.removeFirst();
                    }
                }
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(lineNo, e.getMessage()));
            }
        }
        return new Replay(List.copyOf(kept), count, problems, lastNewline(bytes) + 1);
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Makes the new file's directory entry durable too (a no-op where directories cannot be opened). */
    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not every platform can fsync a directory; the file's own fsync still holds its data.
        }
    }
}
