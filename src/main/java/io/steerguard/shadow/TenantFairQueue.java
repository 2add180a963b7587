package io.steerguard.shadow;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The shadow path's bounded capacity, shared fairly between tenants: {@code concurrency} jobs run,
 * at most {@code capacity} wait, and no tenant can take another's share of either.
 *
 * <ul>
 *   <li><b>Queue share.</b> With {@code n} tenants active (waiting or running), each may hold
 *       {@code max(1, capacity / n)} waiting jobs; beyond its share its new jobs are dropped. When
 *       the queue is full and a tenant under its share arrives, the newest job of the tenant holding
 *       the most is pushed out (that tenant is over its share, since the queue is full and the
 *       newcomer is under), so a tenant that filled the queue while alone yields at once.</li>
 *   <li><b>Concurrency share.</b> A freed slot goes to the waiting tenant with the fewest jobs
 *       running, ties to the one served longest ago (round robin). Slots are never held idle for a
 *       tenant that is not waiting, so one tenant alone may use them all; as soon as another waits,
 *       it gets the next slot (max-min fairness over running twins).</li>
 * </ul>
 *
 * <p>Plain synchronized methods, each O(active tenants); the mirror calls them from event loops and
 * shadow threads, and starts or drops jobs outside the lock.
 *
 * @param <J> a job; its tenant is read with the function given at construction
 */
final class TenantFairQueue<J> {

    /**
     * What became of an admitted job.
     *
     * @param startNow whether the job took a free slot and must be started by the caller
     * @param dropped  the job dropped to make this decision (the newcomer itself, or another
     *                 tenant's newest waiting job pushed out), or {@code null}
     */
    record Admission<J>(boolean startNow, J dropped) {
    }

    private final int concurrency;
    private final int capacity;
    private final Function<J, String> tenantOf;
    /** Waiting jobs per tenant; only tenants with at least one waiting job are keys. */
    private final Map<String, ArrayDeque<J>> waiting = new LinkedHashMap<>();
    private final Map<String, Integer> runningBy = new HashMap<>();
    /** Dispatch ticket of each tenant's last started job, for round robin among equals. */
    private final Map<String, Long> lastServed = new HashMap<>();
    private long tickets;
    private int running;
    private int waitingTotal;

    TenantFairQueue(int concurrency, int capacity, Function<J, String> tenantOf) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
        }
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative, got " + capacity);
        }
        this.concurrency = concurrency;
        this.capacity = capacity;
        this.tenantOf = tenantOf;
    }

    synchronized Admission<J> admit(J job) {
        String tenant = tenantOf.apply(job);
        if (running < concurrency && waitingTotal == 0) {
            take(tenant);
            return new Admission<>(true, null);
        }
        if (capacity == 0) {
            return new Admission<>(false, job);
        }
        int share = Math.max(1, capacity / activeTenants(tenant));
        ArrayDeque<J> own = waiting.get(tenant);
        if (own != null && own.size() >= share) {
            return new Admission<>(false, job);
        }
        J evicted = null;
        if (waitingTotal >= capacity) {
            String heaviest = null;
            for (Map.Entry<String, ArrayDeque<J>> e : waiting.entrySet()) {
                if (!e.getKey().equals(tenant) && (heaviest == null || e.getValue().size() > waiting.get(heaviest).size())) {
                    heaviest = e.getKey();
                }
            }
            if (heaviest == null || waiting.get(heaviest).size() <= share) {
                return new Admission<>(false, job);
            }
            evicted = poll(heaviest, false);
        }
        waiting.computeIfAbsent(tenant, t -> new ArrayDeque<>()).addLast(job);
        waitingTotal++;
        return new Admission<>(false, evicted);
    }

    /**
     * One running job of {@code tenant} ended; returns the next job to start in the freed slot, or
     * {@code null} when none waits (the slot is then free).
     */
    synchronized J finished(String tenant) {
        running--;
        runningBy.merge(tenant, -1, Integer::sum);
        if (runningBy.get(tenant) <= 0) {
            runningBy.remove(tenant);
        }
        String next = null;
        for (String t : waiting.keySet()) {
            if (next == null || runningOf(t) < runningOf(next)
                    || (runningOf(t) == runningOf(next) && lastServed.getOrDefault(t, -1L) < lastServed.getOrDefault(next, -1L))) {
                next = t;
            }
        }
        if (next == null) {
            return null;
        }
        J job = poll(next, true);
        take(next);
        return job;
    }

    synchronized int waiting() {
        return waitingTotal;
    }

    synchronized int running() {
        return running;
    }

    synchronized int waiting(String tenant) {
        ArrayDeque<J> q = waiting.get(tenant);
        return q == null ? 0 : q.size();
    }

    private void take(String tenant) {
        running++;
        runningBy.merge(tenant, 1, Integer::sum);
        lastServed.put(tenant, ++tickets);
    }

    private J poll(String tenant, boolean oldest) {
        ArrayDeque<J> q = waiting.get(tenant);
        J job = oldest ? q.pollFirst() : q.pollLast();
        if (q.isEmpty()) {
            waiting.remove(tenant);
        }
        waitingTotal--;
        return job;
    }

    private int runningOf(String tenant) {
        return runningBy.getOrDefault(tenant, 0);
    }

    /** Tenants waiting or running, counting {@code newcomer} once. */
    private int activeTenants(String newcomer) {
        int n = runningBy.size();
        for (String t : waiting.keySet()) {
            if (!runningBy.containsKey(t)) {
                n++;
            }
        }
        if (!runningBy.containsKey(newcomer) && !waiting.containsKey(newcomer)) {
            n++;
        }
        return n;
    }
}
