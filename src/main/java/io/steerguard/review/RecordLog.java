package io.steerguard.review;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import io.steerguard.journal.StateRecords;

/**
 * An append-only file of JSON records, each line checksummed as the profile-state records are
 * ({@link StateRecords}). Appends are forced to disk before they return; a failed append is cut back
 * off, so a record is either durable or was never written. Not thread-safe: its owner serialises.
 */
final class RecordLog implements Closeable {

    /** A line that did not decode; {@code line} is 1-based. */
    record Damage(long line, String message) {
        @Override
        public String toString() {
            return "line " + line + ": " + message;
        }
    }

    /** The records read at open, and the first damaged line if any (reading stops there). */
    record Contents(List<String> records, Damage damage) {
    }

    private final Path file;
    private FileChannel channel;
    private long length;

    private RecordLog(Path file) throws IOException {
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.length = channel.size();
    }

    /** Reads every record of {@code file} (missing: none); stops at the first line that does not decode. */
    static Contents read(Path file) throws IOException {
        List<String> records = new ArrayList<>();
        if (!Files.exists(file)) {
            return new Contents(records, null);
        }
        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, StandardCharsets.UTF_8);
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            boolean last = i == lines.length - 1;
            if (last && line.isEmpty()) {
                break;
            }
            if (last) {
                return new Contents(records, new Damage(i + 1, "the last record has no newline (a write torn by a crash)"));
            }
            try {
                records.add(StateRecords.decode(line));
            } catch (IllegalArgumentException e) {
                return new Contents(records, new Damage(i + 1, e.getMessage()));
            }
        }
        return new Contents(records, null);
    }

    /** Opens {@code file} for appending (created when missing). */
    static RecordLog open(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return new RecordLog(file);
    }

    /**
     * Moves a damaged {@code file} aside as {@code <name>.damaged-<epoch millis>} so that nothing is
     * lost and a fresh file can start; returns where it went.
     */
    static Path setAside(Path file) throws IOException {
        Path aside = file.resolveSibling(file.getFileName() + ".damaged-" + System.currentTimeMillis());
        Files.move(file, aside);
        return aside;
    }

    Path file() {
        return file;
    }

    /** Appends {@code jsons} and forces them to disk; on failure nothing of them stays in the file. */
    void append(List<String> jsons) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(encode(jsons));
        try {
            long at = length;
            while (buffer.hasRemaining()) {
                at += channel.write(buffer, at);
            }
            channel.force(true);
            length = at;
        } catch (IOException e) {
            try {
                channel.truncate(length);
            } catch (IOException cut) {
                e.addSuppressed(cut);
            }
            throw e;
        }
    }

    /** Replaces the whole file with {@code jsons}: temp file, force, atomic rename. */
    void rewrite(List<String> jsons) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(encode(jsons));
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
        channel.close();
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        length = channel.size();
    }

    private static byte[] encode(List<String> jsons) {
        StringBuilder sb = new StringBuilder();
        for (String json : jsons) {
            sb.append(new String(StateRecords.encode(json), StandardCharsets.UTF_8));
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
