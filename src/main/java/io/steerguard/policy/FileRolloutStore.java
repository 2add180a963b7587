package io.steerguard.policy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.steerguard.journal.StateRecords;

/**
 * Rollout decisions in {@code <data-dir>/rollout-state.jsonl}: one checksummed record per line
 * ({@link StateRecords}), appended and forced to disk before a decision takes effect. Like the
 * profile state it fails closed: a damaged record anywhere but a torn last line stops start-up with
 * file and line (skipping it could undo a rollback). A torn last line (a crash mid-write) is cut off.
 * A failed write is cut back off, so a record is either durable or was never written. Decisions are
 * rare (a few per rollout), so the file is never compacted.
 */
public final class FileRolloutStore implements RolloutStore {

    public static final String FILE_NAME = "rollout-state.jsonl";

    private final Path file;
    private final FileChannel channel;
    private long length;
    private final Map<RolloutKey, RolloutRecord> latest = new ConcurrentHashMap<>();
    private final List<RolloutRecord> all = Collections.synchronizedList(new ArrayList<>());
    private boolean broken;

    private FileRolloutStore(Path file) throws IOException {
        this.file = file;
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            this.length = replay();
            channel.truncate(length); // a torn last line, if any
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /** Opens (or creates) the file in {@code dataDir}. */
    public static FileRolloutStore open(Path dataDir) throws IOException {
        return new FileRolloutStore(dataDir.resolve(FILE_NAME));
    }

    /** Reads every record; returns the length of the intact prefix. */
    private long replay() throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        long offset = 0;
        int lineNo = 0;
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            lineNo++;
            String line = new String(bytes, start, i - start, StandardCharsets.UTF_8);
            try {
                RolloutRecord r = RolloutJson.read(StateRecords.decode(line));
                latest.merge(r.key(), r, (old, now) -> now.version() > old.version() ? now : old);
                all.add(r);
            } catch (IllegalArgumentException e) {
                throw new StateFileCorruptException(file, lineNo, e.getMessage()
                        + "; restore the file from a backup, or move it aside to forget every rollout decision");
            }
            start = i + 1;
            offset = start;
        }
        return offset; // bytes after the last newline are a record torn by a crash: never acknowledged
    }

    @Override
    public Map<RolloutKey, RolloutRecord> latest() {
        return Map.copyOf(latest);
    }

    @Override
    public synchronized void append(RolloutRecord record) throws IOException {
        if (broken) {
            throw new IOException(file + ": an earlier failed write could not be cut back off; restart to re-check");
        }
        RolloutRecord previous = latest.get(record.key());
        long expected = previous == null ? 1 : previous.version() + 1;
        if (record.version() != expected) {
            throw new StaleRolloutException("rollout " + record.key().id() + " is at version "
                    + (expected - 1) + ", the record is version " + record.version());
        }
        ByteBuffer buffer = ByteBuffer.wrap(StateRecords.encode(RolloutJson.write(record)));
        long at = length;
        try {
            while (buffer.hasRemaining()) {
                at += channel.write(buffer, at);
            }
            channel.force(true);
        } catch (IOException e) {
            try {
                channel.truncate(length);
            } catch (IOException cut) {
                broken = true;
                e.addSuppressed(cut);
            }
            throw e;
        }
        length = at;
        latest.put(record.key(), record);
        all.add(record);
    }

    @Override
    public List<RolloutRecord> history(int limit) {
        synchronized (all) {
            List<RolloutRecord> newest = new ArrayList<>(all.subList(Math.max(0, all.size() - limit), all.size()));
            Collections.reverse(newest);
            return newest;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
