package io.steerguard.telemetry;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/** The remote-runtime conformance check's outcome per runtime (a configured name). */
@ApplicationScoped
public class ConformanceMetrics {

    /** 1 when the runtime's last conformance check passed, 0 when it failed; tag {@code runtime}. */
    public static final String CONFORMANCE = "steerguard.runtime.conformance";

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> byRuntime = new HashMap<>();

    public ConformanceMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Records the latest outcome of {@code runtime}. */
    public synchronized void set(String runtime, boolean ok) {
        byRuntime.computeIfAbsent(runtime, r -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder(CONFORMANCE, value, AtomicInteger::get)
                    .description("1 when the remote runtime accepted the conformance check's requests, 0 when not")
                    .tag("runtime", r).register(registry);
            return value;
        }).set(ok ? 1 : 0);
    }
}
