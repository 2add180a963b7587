package io.steerguard.review;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The answers waiting for labels, at most {@code capacity}, shared fairly between tenants. When it is
 * full, a new item displaces one item of the tenant that holds the most (the new item's own tenant
 * counts with the new item), the least informative of that tenant's, the oldest among equals; when
 * the new item is itself that one, it is rejected. So one tenant's flood cannot push out another
 * tenant's items while it holds more than they do.
 *
 * <p>{@link #offer} never waits: when another thread holds the queue it returns
 * {@link Offer#BUSY} and the item is dropped, so the shadow path is never slowed by a reader.
 */
public final class ReviewQueue {

    /** What became of an offered item. */
    public enum Offer {
        QUEUED, QUEUED_EVICTING, REJECTED, BUSY;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** One page of items in arrival order, and the cursor after its last one (or -1 at the end). */
    public record Page(List<ReviewItem> items, long next) {
        public Page {
            items = List.copyOf(items);
        }
    }

    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    /** Insertion order is arrival order. */
    private final LinkedHashMap<String, ReviewItem> items = new LinkedHashMap<>();
    private final Map<String, Integer> perTenant = new HashMap<>();

    public ReviewQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    public int capacity() {
        return capacity;
    }

    /** Adds {@code item} unless the queue is busy or the item is the one a full queue would give up. */
    public Offer offer(ReviewItem item) {
        if (!lock.tryLock()) {
            return Offer.BUSY;
        }
        try {
            if (items.size() < capacity) {
                add(item);
                return Offer.QUEUED;
            }
            ReviewItem victim = victim(item);
            if (victim == item) {
                return Offer.REJECTED;
            }
            remove(victim.id());
            add(item);
            return Offer.QUEUED_EVICTING;
        } finally {
            lock.unlock();
        }
    }

    private ReviewItem victim(ReviewItem incoming) {
        String largest = incoming.tenant();
        int most = perTenant.getOrDefault(largest, 0) + 1;
        for (Map.Entry<String, Integer> e : perTenant.entrySet()) {
            if (e.getValue() > most) {
                largest = e.getKey();
                most = e.getValue();
            }
        }
        ReviewItem victim = incoming.tenant().equals(largest) ? incoming : null;
        for (ReviewItem i : items.values()) { // arrival order: on equal informativeness the oldest stays chosen
            if (i.tenant().equals(largest) && (victim == null || i.informativeness() < victim.informativeness()
                    || (victim == incoming && i.informativeness() <= incoming.informativeness()))) {
                victim = i;
            }
        }
        return victim;
    }

    private void add(ReviewItem item) {
        items.put(item.id(), item);
        perTenant.merge(item.tenant(), 1, Integer::sum);
    }

    /** Takes the item out (it was labelled); empty when it is not queued. */
    public Optional<ReviewItem> remove(String id) {
        lock.lock();
        try {
            ReviewItem item = items.remove(id);
            if (item != null) {
                perTenant.computeIfPresent(item.tenant(), (t, n) -> n == 1 ? null : n - 1);
            }
            return Optional.ofNullable(item);
        } finally {
            lock.unlock();
        }
    }

    public Optional<ReviewItem> get(String id) {
        lock.lock();
        try {
            return Optional.ofNullable(items.get(id));
        } finally {
            lock.unlock();
        }
    }

    /** Up to {@code limit} items with {@code seq > after} that match {@code filter}, in arrival order. */
    public Page page(long after, int limit, Predicate<ReviewItem> filter) {
        lock.lock();
        try {
            List<ReviewItem> out = new ArrayList<>();
            boolean more = false;
            for (ReviewItem i : items.values()) {
                if (i.seq() <= after || !filter.test(i)) {
                    continue;
                }
                if (out.size() == limit) {
                    more = true;
                    break;
                }
                out.add(i);
            }
            return new Page(out, more ? out.get(out.size() - 1).seq() : -1);
        } finally {
            lock.unlock();
        }
    }

    public int size() {
        lock.lock();
        try {
            return items.size();
        } finally {
            lock.unlock();
        }
    }

    /** Items of {@code tenant} waiting. */
    public int size(String tenant) {
        lock.lock();
        try {
            return perTenant.getOrDefault(tenant, 0);
        } finally {
            lock.unlock();
        }
    }
}
