package io.steerguard.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording of the gateway under load, as tables the benchmark document quotes:
 * the hottest methods by own CPU samples (top frame of {@code jdk.ExecutionSample}), our own methods
 * most often on the stack (inclusive, each counted once per sample), own samples grouped by
 * library (package prefix), and allocation by class and by allocating method of our own code
 * ({@code jdk.ObjectAllocationSample} weights, i.e. estimated bytes), and where threads sat in
 * native code ({@code jdk.NativeMethodSample}: socket reads and writes, or epoll when idle).
 *
 * ({@code jdk.ThreadAllocationStatistics}) gives the bytes allocated in total, and per request when the
 * request count is given.
 *
 * <p>Run: {@code java -cp target/test-classes io.steerguard.bench.JfrTop recording.jfr [rows] [requests]}.
 */
public final class JfrTop {

    private final Map<String, Long> self = new HashMap<>();
    private final Map<String, Long> inclusive = new HashMap<>();
    private final Map<String, Long> libraries = new HashMap<>();
    private final Map<String, Long> allocatedByClass = new HashMap<>();
    private final Map<String, Long> allocatedBySite = new HashMap<>();
    private final Map<String, Long> nativeSelf = new HashMap<>();
    private final Map<Long, long[]> threadAllocated = new HashMap<>();
    private final Map<String, Long> components = new HashMap<>();
    private long samples;
    private long nativeSamples;
    private long allocatedBytes;

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: JfrTop recording.jfr [rows]");
        }
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        long requests = args.length > 2 ? Long.parseLong(args[2]) : 0;
        JfrTop top = new JfrTop();
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            String type = e.getEventType().getName();
            if (type.equals("jdk.ExecutionSample")) {
                top.cpu(e.getStackTrace());
            } else if (type.equals("jdk.NativeMethodSample") && e.getStackTrace() != null
                    && !e.getStackTrace().getFrames().isEmpty()) {
                top.nativeSamples++;
                top.nativeSelf.merge(name(e.getStackTrace().getFrames().get(0)), 1L, Long::sum);
            } else if (type.equals("jdk.ThreadAllocationStatistics")) {
                top.threadAllocation(e);
            } else if (type.equals("jdk.ObjectAllocationSample")) {
                top.allocation(e);
            }
        }
        top.print(rows, requests);
    }

    private void cpu(RecordedStackTrace stack) {
        if (stack == null || stack.getFrames().isEmpty()) {
            return;
        }
        samples++;
        List<RecordedFrame> frames = stack.getFrames();
        String leaf = name(frames.get(0));
        self.merge(leaf, 1L, Long::sum);
        libraries.merge(library(frames.get(0)), 1L, Long::sum);
        components.merge(component(frames), 1L, Long::sum);
        // inclusive time of our own methods only: framework frames (event loop, pipeline) are on every stack
        Set<String> seen = new HashSet<>();
        for (RecordedFrame f : frames) {
            if (f.getMethod().getType().getName().startsWith("io.steerguard.")) {
                String n = name(f);
                if (seen.add(n)) {
                    inclusive.merge(n, 1L, Long::sum);
                }
            }
        }
        if (seen.isEmpty()) {
            inclusive.merge("(no SteerGuard frame: HTTP server, client and event loop)", 1L, Long::sum);
        }
    }

    private void allocation(RecordedEvent e) {
        long weight = e.getLong("weight");
        allocatedBytes += weight;
        RecordedClass cls = e.getValue("objectClass");
        allocatedByClass.merge(cls == null ? "?" : cls.getName(), weight, Long::sum);
        RecordedStackTrace stack = e.getStackTrace();
        if (stack == null) {
            return;
        }
        // attribute to the first frame in application or framework code, past JDK internals
        for (RecordedFrame f : stack.getFrames()) {
            String owner = f.getMethod().getType().getName();
            if (!owner.startsWith("java.") && !owner.startsWith("jdk.") && !owner.startsWith("sun.")) {
                allocatedBySite.merge(name(f), weight, Long::sum);
                return;
            }
        }
    }

    /** Per-thread allocation counters are cumulative: what a thread allocated is its last value minus its first. */
    private void threadAllocation(RecordedEvent e) {
        if (e.getThread("thread") == null) {
            return;
        }
        long allocated = e.getLong("allocated");
        threadAllocated.merge(e.getThread("thread").getId(), new long[] {allocated, allocated},
                (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
    }

    private void print(int rows, long requests) {
        long allocated = threadAllocated.values().stream().mapToLong(a -> a[1] - a[0]).sum();
        System.out.printf(Locale.ROOT, "allocated by all threads during the recording: %.1f MB%s%n%n", allocated / 1e6,
                requests > 0 ? String.format(Locale.ROOT, " (%d requests: %.1f kB per request)", requests,
                        allocated / 1e3 / requests) : "");
        System.out.printf(Locale.ROOT, "CPU samples: %d%n%n", samples);
        table("own CPU samples by method", self, samples, rows, "%");
        table("CPU by component (innermost marker frame)", components, samples, rows, "%");
        table("own CPU samples by library", libraries, samples, rows, "%");
        table("SteerGuard methods on the stack (inclusive)", inclusive, samples, rows, "%");
        // threads parked in native code (epoll_wait when idle, socket reads and writes when busy)
        System.out.printf(Locale.ROOT, "native-method samples: %d%n%n", nativeSamples);
        table("threads in native code, by method", nativeSelf, nativeSamples, rows, "%");
        System.out.printf(Locale.ROOT, "allocation samples: %.1f MB estimated%n%n", allocatedBytes / 1e6);
        table("allocation by class", allocatedByClass, allocatedBytes, rows, "%");
        table("allocation by first non-JDK frame", allocatedBySite, allocatedBytes, rows, "%");
    }

    private static void table(String title, Map<String, Long> counts, long total, int rows, String unit) {
        System.out.println("| " + title + " | share |");
        System.out.println("|---|---:|");
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(rows)
                .forEach(en -> System.out.printf(Locale.ROOT, "| `%s` | %.1f %s |%n", en.getKey(),
                        total == 0 ? 0.0 : 100.0 * en.getValue() / total, unit));
        System.out.println();
    }

    /** Class-name prefix and the component its frames mark, checked from the leaf up; first match wins. */
    private static final String[][] COMPONENTS = {
            {"io.steerguard.runtime.remote.StreamChunk", "decode upstream SSE chunk JSON (Jackson)"},
            {"io.steerguard.runtime.remote.SseParser", "SSE framing"},
            {"io.steerguard.runtime.remote.UpstreamRequests", "encode upstream request JSON"},
            {"io.steerguard.api.ResponseFormat", "encode client response JSON"},
            {"io.steerguard.api.RequestParser", "parse client request JSON"},
            {"io.steerguard.tenant", "authenticate (API key SHA-256), rate limit, profile choice"},
            {"io.steerguard.telemetry", "metrics"},
            {"io.micrometer", "metrics"},
            {"io.vertx.core.http.impl.Http1xServerResponse", "write client response (Vert.x, Netty)"},
            {"io.vertx.core.http.impl.Http1xClient", "upstream HTTP client (Vert.x, Netty)"},
            {"io.vertx.core.http.impl.HttpClient", "upstream HTTP client (Vert.x, Netty)"},
            {"io.vertx.core.net.impl.pool", "upstream HTTP client (Vert.x, Netty)"},
    };

    private static String component(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String type = f.getMethod().getType().getName();
            for (String[] rule : COMPONENTS) {
                if (type.startsWith(rule[0])) {
                    return rule[1];
                }
            }
            if (type.startsWith("io.steerguard.")) {
                return "in " + name(f) + " (itself or the library code it calls)";
            }
        }
        return "HTTP parsing, writes, event loop (no SteerGuard frame)";
    }

    private static String name(RecordedFrame f) {
        String type = f.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
    }

    /** The first two package segments, or three for io.vertx / io.netty / io.steerguard style names. */
    private static String library(RecordedFrame f) {
        String type = f.getMethod().getType().getName();
        String[] parts = type.split("\\.");
        int keep = Math.min(parts.length - 1, 3);
        return String.join(".", List.of(parts).subList(0, Math.max(1, keep)));
    }
}
