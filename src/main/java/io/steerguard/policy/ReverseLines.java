package io.steerguard.policy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Predicate;

/**
 * Reads the complete lines of a file from the end towards the start, a block at a time, so that
 * reading the newest {@code N} records costs about {@code N} records, not the whole file.
 */
final class ReverseLines {

    private static final int BLOCK = 64 * 1024;

    private ReverseLines() {
    }

    /**
     * Hands every complete line before {@code end} (a byte offset just past a newline, or the file
     * size) to {@code line}, newest first, without its newline, until it returns false.
     *
     * @return false when {@code line} asked to stop
     */
    static boolean read(Path file, long end, Predicate<String> line) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long pos = Math.min(end, ch.size());
            ByteArrayOutputStream pending = new ByteArrayOutputStream(); // the current line, reversed
            boolean atLineEnd = false;
            while (pos > 0) {
                int n = (int) Math.min(BLOCK, pos);
                pos -= n;
                ByteBuffer buffer = ByteBuffer.allocate(n);
                while (buffer.hasRemaining()) {
                    if (ch.read(buffer, pos + buffer.position()) < 0) {
                        throw new IOException(file + " shrank while being read");
                    }
                }
                byte[] bytes = buffer.array();
                for (int i = n - 1; i >= 0; i--) {
                    if (bytes[i] == '\n') {
                        if (atLineEnd && !emit(pending, line)) {
                            return false;
                        }
                        atLineEnd = true;
                        pending.reset();
                    } else if (atLineEnd) {
                        pending.write(bytes[i]);
                    }
                }
            }
            return !atLineEnd || emit(pending, line);
        }
    }

    private static boolean emit(ByteArrayOutputStream reversed, Predicate<String> line) {
        byte[] r = reversed.toByteArray();
        if (r.length == 0) {
            return true;
        }
        for (int i = 0, j = r.length - 1; i < j; i++, j--) {
            byte t = r[i];
            r[i] = r[j];
            r[j] = t;
        }
        return line.test(new String(r, StandardCharsets.UTF_8));
    }
}
