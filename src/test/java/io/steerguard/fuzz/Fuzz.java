package io.steerguard.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A small mutation fuzzer on the JUnit platform: it feeds a target its seed corpus
 * ({@code src/test/resources/fuzz/<name>/}) and then {@link #iterations()} mutations of it, and
 * checks the one property every parser here promises: each input ends in a valid result or in a
 * clear error of the target's own fault type with a message, never in another exception, a
 * missing message or a hang.
 *
 * <p>jqwik 1.10 is built on JUnit Platform 1.x and this suite runs on Platform 6 (the Quarkus
 * BOM's), so the generator is ours: deterministic, seeded, and small enough to read. Runs are
 * reproducible from {@code -Dsteerguard.fuzz.seed}; longer campaigns use
 * {@code -Dsteerguard.fuzz.iterations} (the suite default keeps each target under a few seconds).
 * A failing input is written to {@code target/fuzz-failures/} and quoted in base64 in the
 * assertion message, ready to be added to the corpus as a regression seed.
 */
public final class Fuzz {

    /** What an input is allowed to end in. */
    public enum Outcome { VALID, CLEAR_ERROR }

    /** The code under test: returns how the input ended, or throws. */
    @FunctionalInterface
    public interface Target {
        Outcome run(byte[] input) throws Exception;
    }

    /** Counts of one campaign, for the reliability report. */
    public record Report(String name, int inputs, int valid, int clearErrors, List<String> failures) {
        @Override
        public String toString() {
            return "fuzz " + name + ": " + inputs + " inputs, " + valid + " valid, " + clearErrors + " clear errors, "
                    + failures.size() + " failures";
        }
    }

    private static final Duration PER_INPUT_TIMEOUT = Duration.ofSeconds(5);

    private Fuzz() {
    }

    /** Suite default 1500 mutations per target; {@code -Dsteerguard.fuzz.iterations} overrides. */
    public static int iterations() {
        return Integer.getInteger("steerguard.fuzz.iterations", 1500);
    }

    public static long seed() {
        return Long.getLong("steerguard.fuzz.seed", 20261202L);
    }

    /** The seed corpus of {@code name}: every file of its folder, in name order. */
    public static List<byte[]> corpus(String name) {
        Path dir = Path.of("src/test/resources/fuzz", name);
        try (Stream<Path> files = Files.list(dir)) {
            List<byte[]> seeds = new ArrayList<>();
            for (Path file : files.sorted().toList()) {
                seeds.add(Files.readAllBytes(file));
            }
            return seeds;
        } catch (IOException e) {
            throw new UncheckedIOException("fuzz corpus " + dir + " is missing", e);
        }
    }

    /**
     * Runs the corpus and then {@code iterations} mutations through {@code target}, each on a
     * watchdog thread so that a hang fails the campaign instead of the build.
     */
    public static Report run(String name, List<byte[]> seeds, List<String> dictionary, Target target) {
        return run(name, seeds, dictionary, iterations(), target);
    }

    /** As {@link #run(String, List, List, Target)} with an explicit count, for targets that are slow per input. */
    public static Report run(String name, List<byte[]> seeds, List<String> dictionary, int iterations, Target target) {
        return run(name, seeds, dictionary, iterations, PER_INPUT_TIMEOUT, target);
    }

    /** With an explicit per-input limit, for targets behind a network hop on a loaded machine. */
    public static Report run(String name, List<byte[]> seeds, List<String> dictionary, int iterations,
                             Duration perInput, Target target) {
        Mutator mutator = new Mutator(seeds, dictionary, seed());
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-" + name);
            t.setDaemon(true);
            return t;
        });
        int valid = 0;
        int errors = 0;
        List<String> failures = new ArrayList<>();
        int total = seeds.size() + iterations;
        try {
            for (int i = 0; i < total && failures.size() < 5; i++) {
                byte[] input = i < seeds.size() ? seeds.get(i) : mutator.next();
                Future<Outcome> result = worker.submit(() -> target.run(input));
                try {
                    Outcome outcome = result.get(perInput.toMillis(), TimeUnit.MILLISECONDS);
                    if (outcome == Outcome.VALID) {
                        valid++;
                    } else {
                        errors++;
                    }
                } catch (ExecutionException e) {
                    failures.add(failure(name, i, input, e.getCause().toString()));
                } catch (TimeoutException e) {
                    failures.add(failure(name, i, input, "no answer within " + perInput.toMillis() + " ms"));
                    break; // the worker is stuck; nothing after this would run
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        } finally {
            worker.shutdownNow();
        }
        Report report = new Report(name, valid + errors + failures.size(), valid, errors, failures);
        System.out.println(report);
        return report;
    }

    /** A clear error: one of the target's own fault types, with a message a person can act on. */
    public static Outcome clearError(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            throw new AssertionError("an error without a message: " + e.getClass().getName(), e);
        }
        return Outcome.CLEAR_ERROR;
    }

    private static String failure(String name, int index, byte[] input, String what) {
        String base64 = Base64.getEncoder().encodeToString(input);
        try {
            Path dir = Path.of("target/fuzz-failures");
            Files.createDirectories(dir);
            Files.write(dir.resolve(name + "-" + index + ".bin"), input);
        } catch (IOException e) {
            // the message below still carries the input
        }
        return "input #" + index + " (seed " + seed() + "): " + what + "\n  base64: "
                + (base64.length() > 2000 ? base64.substring(0, 2000) + "..." : base64);
    }
}
