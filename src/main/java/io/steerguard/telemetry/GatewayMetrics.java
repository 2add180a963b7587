package io.steerguard.telemetry;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The gateway's request meters: the one place their names and tags are defined. Generic LLM
 * meters use the OpenTelemetry GenAI names; SteerGuard's own are {@code steerguard.*}.
 * Meters are cached per tag combination so the request path does not rebuild meter ids.
 */
@ApplicationScoped
public class GatewayMetrics {

    /** Whole request, by tenant, model, profile, decision and HTTP status; its count is the request count. */
    public static final String REQUEST_DURATION = "gen_ai.server.request.duration";
    /** From request arrival to the first generated token sent. */
    public static final String TIME_TO_FIRST_TOKEN = "gen_ai.server.time_to_first_token";
    /** Tokens per request, {@code token_type} input or output. */
    public static final String TOKEN_USAGE = "gen_ai.client.token.usage";
    /** Runtime faults by runtime and fault kind. */
    public static final String UPSTREAM_ERRORS = "steerguard.upstream.errors";
    /** Requests being served right now. */
    public static final String IN_FLIGHT = "steerguard.requests.inflight";

    private final MeterRegistry registry;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ConcurrentHashMap<Object, Timer> timers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Object, DistributionSummary> summaries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Object, Counter> counters = new ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder(IN_FLIGHT, inFlight, AtomicInteger::get)
                .description("Requests being served right now").register(registry);
    }

    public void requestStarted() {
        inFlight.incrementAndGet();
    }

    private record StatusKey(RequestTags tags, int status) {
    }

    /** Records a finished request (success or error) and releases its in-flight slot. */
    public void requestFinished(RequestTags tags, int status, long durationNanos) {
        inFlight.decrementAndGet();
        timers.computeIfAbsent(new StatusKey(tags, status), k -> Timer.builder(REQUEST_DURATION)
                .description("Gateway request duration, by tenant, model, steering profile, decision and status")
                .tags(common(tags)).tag("status", Integer.toString(status))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry)).record(durationNanos, TimeUnit.NANOSECONDS);
    }

    public void firstToken(RequestTags tags, long sinceStartNanos) {
        timers.computeIfAbsent(tags, k -> Timer.builder(TIME_TO_FIRST_TOKEN)
                .description("Time from request arrival to the first generated token")
                .tags(common(tags)).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(2))
                .register(registry)).record(sinceStartNanos, TimeUnit.NANOSECONDS);
    }

    private record UsageKey(RequestTags tags, String type) {
    }

    public void tokenUsage(RequestTags tags, int inputTokens, int outputTokens) {
        usage(tags, "input").record(inputTokens);
        usage(tags, "output").record(outputTokens);
    }

    private DistributionSummary usage(RequestTags tags, String type) {
        return summaries.computeIfAbsent(new UsageKey(tags, type), k -> DistributionSummary.builder(TOKEN_USAGE)
                .description("Tokens per request by type (input = prompt, output = completion)")
                .baseUnit("tokens").tags(common(tags)).tag("token_type", type).register(registry));
    }

    private record FaultKey(String runtime, String kind) {
    }

    /** Counts a runtime fault; {@code kind} is a {@code RuntimeFault.Kind} name. */
    public void upstreamError(String runtime, String kind) {
        counters.computeIfAbsent(new FaultKey(runtime, kind), k -> Counter.builder(UPSTREAM_ERRORS)
                .description("Runtime faults by runtime and kind").tag("model", runtime).tag("kind", kind)
                .register(registry)).increment();
    }

    private static String[] common(RequestTags t) {
        return new String[] {"operation", t.operation(), "tenant", t.tenant(), "model", t.model(),
                "profile", t.profile(), "decision", t.decision()};
    }
}
