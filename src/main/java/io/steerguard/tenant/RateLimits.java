package io.steerguard.tenant;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

import io.steerguard.config.ConfigSet;
import io.steerguard.config.TenantDocument;

/**
 * Per-tenant request rate limits. Buckets survive configuration reloads unless the tenant's limit
 * changed, so a reload cannot be used to reset a bucket.
 */
public final class RateLimits {

    private record Limited(TenantDocument.RateLimit limit, TokenBucket bucket) {
    }

    private final Map<String, Limited> buckets = new ConcurrentHashMap<>();

    /** Applies the limits of a new configuration. */
    public void update(ConfigSet config, long nowNanos) {
        buckets.keySet().retainAll(config.tenants().keySet());
        for (TenantDocument t : config.tenants().values()) {
            if (t.rateLimit() == null) {
                buckets.remove(t.name());
            } else {
                buckets.compute(t.name(), (name, old) -> old != null && old.limit().equals(t.rateLimit()) ? old
                        : new Limited(t.rateLimit(), new TokenBucket(t.rateLimit().requestsPerSecond(),
                        t.rateLimit().burst(), nowNanos)));
            }
        }
    }

    /** Empty when the request may proceed, else the seconds to wait. */
    public OptionalLong tryAcquire(String tenant, long nowNanos) {
        Limited limited = buckets.get(tenant);
        if (limited == null || limited.bucket().tryAcquire(nowNanos)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(1, limited.bucket().secondsUntilNextToken()));
    }
}
