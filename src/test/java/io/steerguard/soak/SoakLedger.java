package io.steerguard.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.steerguard.bench.LatencyHistogram;

/**
 * What the soak run saw, kept as counts so that its memory does not grow with its length: per
 * source, answers by status class; the well-behaved clients' latency; injected fault windows;
 * and every broken promise (bounded) with the evidence. Synchronized: the client event loop and
 * the fault injector both write.
 */
final class SoakLedger {

    /** One interval in which a fault is injected into the upstream, in nanoTime (registered before it starts). */
    record FaultWindow(String fault, long start, long end) {
    }

    private final Map<String, Map<String, Long>> outcomes = new TreeMap<>();
    private final LatencyHistogram wellBehaved = new LatencyHistogram();
    private final List<FaultWindow> faults = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private final long graceNanos;
    private long violationCount;
    private long faultAttributed5xx;
    private long duringFaults;

    /** @param graceNanos how long after a fault window a 5xx is still the fault's (the upstream read timeout) */
    SoakLedger(long graceNanos) {
        this.graceNanos = graceNanos;
    }

    synchronized void count(String source, String outcome) {
        outcomes.computeIfAbsent(source, s -> new TreeMap<>()).merge(outcome, 1L, Long::sum);
    }

    /**
     * A well-behaved request's latency; requests that overlapped an injected upstream fault are
     * counted apart, since the fault (a stall until the read timeout) is their latency.
     */
    synchronized void wellBehavedLatency(long start, long end) {
        if (overlapsFault(start, end) != null) {
            duringFaults++;
        } else {
            wellBehaved.record(end - start);
        }
    }

    synchronized long duringFaults() {
        return duringFaults;
    }

    private FaultWindow overlapsFault(long start, long end) {
        for (FaultWindow w : faults) {
            if (start < w.end() + graceNanos && end > w.start()) {
                return w;
            }
        }
        return null;
    }

    synchronized void fault(String fault, long start, long end) {
        faults.add(new FaultWindow(fault, start, end));
    }

    /**
     * A 5xx answer to a well-formed request: the injected upstream faults explain it when the
     * request overlapped one of their windows (plus the grace period); anything else breaks the
     * "no 5xx except the faults injected" promise.
     */
    synchronized void serverError(String source, int status, long start, long end, String body) {
        FaultWindow w = overlapsFault(start, end);
        if (w != null) {
            faultAttributed5xx++;
            count(source, status + " (injected " + w.fault() + ")");
            return;
        }
        count(source, Integer.toString(status));
        violation("unexplained " + status + " to " + source + ": " + abbreviate(body));
    }

    synchronized void violation(String what) {
        violationCount++;
        if (violations.size() < 50) {
            violations.add(what);
        }
    }

    synchronized long violationCount() {
        return violationCount;
    }

    synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    synchronized LatencyHistogram wellBehaved() {
        LatencyHistogram copy = new LatencyHistogram();
        copy.add(wellBehaved);
        return copy;
    }

    synchronized Map<String, Map<String, Long>> outcomes() {
        Map<String, Map<String, Long>> copy = new TreeMap<>();
        outcomes.forEach((k, v) -> copy.put(k, new TreeMap<>(v)));
        return copy;
    }

    synchronized long faultAttributed5xx() {
        return faultAttributed5xx;
    }

    synchronized List<FaultWindow> faults() {
        return List.copyOf(faults);
    }

    private static String abbreviate(String s) {
        String oneLine = s == null ? "" : s.replaceAll("\\s+", " ");
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
    }
}
