package io.steerguard.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import io.steerguard.config.TenantDocument;
import io.steerguard.gateway.GatewayState;
import io.steerguard.gateway.GatewayStateManager;
import io.steerguard.telemetry.GatewayMetrics;
import io.steerguard.telemetry.RequestTags;
import io.steerguard.tenant.ApiKeys;
import io.steerguard.tenant.Tenant;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The first handler of the generation routes, run on the request headers before any body byte is
 * read: the API key is checked (a wrong key with a 1 MiB {@code Content-Length} is answered at
 * once, and the connection closed instead of reading the body), the tenant's concurrent-request
 * cap is enforced, and a watchdog is set that cuts off a client that stops reading its stream.
 * {@link GenerationHandler} finds the tenant under {@link #TENANT}.
 */
@ApplicationScoped
public class RequestAdmission {

    private static final Logger LOG = Logger.getLogger(RequestAdmission.class);

    /** Routing-context key of the authenticated {@link Tenant}. */
    public static final String TENANT = "steerguard.tenant";

    private final GatewayStateManager states;
    private final GatewayMetrics metrics;
    private final ApiConfig api;
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    public RequestAdmission(GatewayStateManager states, GatewayMetrics metrics, ApiConfig api) {
        this.states = states;
        this.metrics = metrics;
        this.api = api;
    }

    public void admit(RoutingContext rc, Operation operation) {
        GatewayState state = states.current();
        Tenant tenant = state.tenants().authenticate(ApiKeys.bearerToken(rc.request().getHeader("Authorization")))
                .orElse(null);
        if (tenant == null) {
            refuse(rc, operation, RequestTags.unknown(operation.tagValue()), OpenAiError.invalidApiKey());
            return;
        }
        int limit = limitFor(state, tenant.name());
        AtomicInteger count = inFlight.computeIfAbsent(tenant.name(), name -> new AtomicInteger());
        if (count.incrementAndGet() > limit) {
            count.decrementAndGet();
            refuse(rc, operation, RequestTags.unknown(operation.tagValue()).withTenant(tenant.name()),
                    OpenAiError.concurrencyLimited(tenant.name(), limit));
            return;
        }
        AtomicBoolean released = new AtomicBoolean();
        long timer = watchForStalls(rc);
        rc.addEndHandler(done -> {
            if (released.compareAndSet(false, true)) {
                count.decrementAndGet();
                rc.vertx().cancelTimer(timer);
            }
        });
        rc.put(TENANT, tenant);
        rc.next();
    }

    /** Requests of {@code tenant} now holding a slot (for tests and diagnostics). */
    int inFlight(String tenant) {
        AtomicInteger n = inFlight.get(tenant);
        return n == null ? 0 : n.get();
    }

    private int limitFor(GatewayState state, String tenant) {
        TenantDocument doc = state.config().tenants().get(tenant);
        return doc != null && doc.maxConcurrentRequests() != null ? doc.maxConcurrentRequests()
                : api.maxConcurrentRequestsPerTenant();
    }

    private long watchForStalls(RoutingContext rc) {
        long allowed = api.streamStallTimeout().toNanos();
        long period = Math.max(50, api.streamStallTimeout().toMillis() / 4);
        StallWatchdog watchdog = new StallWatchdog(() -> !rc.response().ended() && rc.response().writeQueueFull(),
                System::nanoTime, allowed, () -> {
                    LOG.debugf("client stopped reading for %s; closing its connection", api.streamStallTimeout());
                    cut(rc.request());
                });
        return rc.vertx().setPeriodic(period, id -> {
            if (watchdog.tick() || rc.response().ended() || rc.response().closed()) {
                rc.vertx().cancelTimer(id);
            }
        });
    }

    private void refuse(RoutingContext rc, Operation operation, RequestTags tags, OpenAiError error) {
        long start = System.nanoTime();
        metrics.requestStarted();
        HttpServerRequest request = rc.request();
        // The body has not been read. On HTTP/1 the only way to not read it is to close the
        // connection after the answer; HTTP/2 resets just this stream when the response ends first.
        boolean unreadBody = !request.isEnded() && request.version() != HttpVersion.HTTP_2;
        if (unreadBody) {
            rc.response().putHeader("Connection", "close");
        }
        rc.response().setStatusCode(error.status()).putHeader("Content-Type", "application/json")
                .end(error.toJson()).onComplete(done -> {
                    if (unreadBody) {
                        request.connection().close();
                    }
                });
        metrics.requestFinished(tags.withProfile(tags.profile(), "rejected"), error.status(),
                System.nanoTime() - start);
    }

    private static void cut(HttpServerRequest request) {
        if (request.version() == HttpVersion.HTTP_2) {
            request.response().reset();
        } else {
            request.connection().close();
        }
    }
}
