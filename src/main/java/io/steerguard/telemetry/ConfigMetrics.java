package io.steerguard.telemetry;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/** Configuration reload meters: outcomes, and whether the files on disk are what is being served. */
@ApplicationScoped
public class ConfigMetrics {

    /** Reload attempts by {@code result}: {@code applied} or {@code rejected}. */
    public static final String RELOADS = "steerguard.config.reloads";
    /** 1 while the files on disk are the configuration in force, 0 while an invalid change is being ignored. */
    public static final String IN_SYNC = "steerguard.config.in_sync";
    /** Unix time in seconds of the last applied configuration. */
    public static final String LAST_APPLIED = "steerguard.config.last_applied_timestamp";

    private final Counter applied;
    private final Counter rejected;
    private final AtomicInteger inSync = new AtomicInteger(1);
    private final AtomicLong lastApplied = new AtomicLong();

    public ConfigMetrics(MeterRegistry registry) {
        applied = Counter.builder(RELOADS).tag("result", "applied")
                .description("Configuration reload attempts by result").register(registry);
        rejected = Counter.builder(RELOADS).tag("result", "rejected")
                .description("Configuration reload attempts by result").register(registry);
        Gauge.builder(IN_SYNC, inSync, AtomicInteger::get)
                .description("1 when the configuration files on disk are the one in force").register(registry);
        Gauge.builder(LAST_APPLIED, lastApplied, AtomicLong::get).baseUnit("seconds")
                .description("Unix time of the last applied configuration").register(registry);
    }

    public void applied(long epochSeconds) {
        applied.increment();
        inSync.set(1);
        lastApplied.set(epochSeconds);
    }

    public void rejected() {
        rejected.increment();
        inSync.set(0);
    }
}
