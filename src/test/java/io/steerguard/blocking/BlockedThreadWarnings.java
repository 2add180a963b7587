package io.steerguard.blocking;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Every warning Vert.x's blocked-thread checker logs in this JVM, from any Vert.x instance (the
 * gateway's and the tests' own). A handler is added to the checker's logger; it only records, so
 * every other handler still prints the warning. A warning is pending until a test claims it as the
 * block it caused on purpose ({@link #claim}); any other makes a test or the build fail
 * ({@link NoBlockedThreadsExtension}, {@link BlockedThreadSession}).
 */
public final class BlockedThreadWarnings {

    /** The category of {@code io.vertx.core.impl.BlockedThreadChecker}'s warnings. */
    public static final String CATEGORY = "io.vertx.core.impl.BlockedThreadChecker";
    /** Written at the end of the test run when a warning was left unclaimed; the build checks it. */
    public static final Path MARKER = Path.of("target", "blocked-thread-warnings.txt");

    private static final List<String> pending = new ArrayList<>();
    private static int seen;
    private static final Handler RECORDER = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                String text = record.getMessage();
                if (record.getParameters() != null && record.getParameters().length > 0 && text != null) {
                    text = text + " " + java.util.Arrays.toString(record.getParameters());
                }
                add(text == null ? "(no message)" : text);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    /** Held so that the logger (and the handler on it) is never collected. */
    private static volatile Logger logger;

    private BlockedThreadWarnings() {
    }

    private static synchronized void add(String warning) {
        seen++;
        pending.add(warning);
    }

    /**
     * Attaches the recorder to the checker's logger unless it is there already; idempotent, and
     * called before every test because Quarkus reconfigures logging when an application starts.
     */
    public static synchronized void install() {
        Logger l = Logger.getLogger(CATEGORY);
        for (Handler h : l.getHandlers()) {
            if (h == RECORDER) {
                logger = l;
                return;
            }
        }
        l.addHandler(RECORDER);
        Level level = l.getLevel();
        if (level != null && level.intValue() > Level.WARNING.intValue()) {
            l.setLevel(Level.WARNING); // a configuration that silenced the checker must not hide a block
        }
        logger = l;
    }

    /** Warnings recorded so far, claimed or not. */
    public static synchronized int seen() {
        return seen;
    }

    /** Warnings no test has claimed, oldest first. */
    public static synchronized List<String> pending() {
        return List.copyOf(pending);
    }

    /** Removes and returns the pending warnings {@code mine} accepts: the blocks a test caused on purpose. */
    public static synchronized List<String> claim(Predicate<String> mine) {
        List<String> claimed = new ArrayList<>();
        pending.removeIf(w -> mine.test(w) && claimed.add(w));
        return claimed;
    }

    /** Writes the pending warnings to {@link #MARKER}, or removes it when there are none. */
    static synchronized void writeMarker() {
        try {
            if (pending.isEmpty()) {
                Files.deleteIfExists(MARKER);
            } else if (Files.isDirectory(MARKER.getParent())) {
                Files.write(MARKER, pending);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + MARKER, e);
        }
    }
}
