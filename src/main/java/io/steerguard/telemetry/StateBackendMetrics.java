package io.steerguard.telemetry;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/** Health of the profile-state backend and of the shared statistics windows, read at scrape time. */
@ApplicationScoped
public class StateBackendMetrics {

    /** 1 while the state backend can persist transitions, 0 while not; tag {@code backend} (file, redis). */
    public static final String BACKEND_UP = "steerguard.state.backend_up";
    /** Failed Redis calls of the shared statistics windows since start. */
    public static final String SHARED_FAILURES = "steerguard.statistics.shared_failures";

    private final MeterRegistry registry;
    /**
     * Micrometer holds a function meter's state object weakly; a lambda nobody else references
     * would be collected and the meter would read NaN. These keep them reachable.
     */
    private final List<Object> pinned = new CopyOnWriteArrayList<>();

    public StateBackendMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Publishes {@code up} as {@link #BACKEND_UP} for {@code backend}. */
    public void bindBackendUp(String backend, BooleanSupplier up) {
        pinned.add(up);
        Gauge.builder(BACKEND_UP, up, u -> u.getAsBoolean() ? 1 : 0)
                .description("1 while the state backend can persist transitions, 0 while it is unreachable "
                        + "(last known states are kept)")
                .tag("backend", backend).register(registry);
    }

    /** Publishes {@code failures}, a monotonic count, as {@link #SHARED_FAILURES}. */
    public void bindSharedFailures(DoubleSupplier failures) {
        pinned.add(failures);
        FunctionCounter.builder(SHARED_FAILURES, failures, DoubleSupplier::getAsDouble)
                .description("Redis calls of the shared statistics windows that failed (lost writes, "
                        + "snapshots answered from this replica's samples only)")
                .register(registry);
    }
}
