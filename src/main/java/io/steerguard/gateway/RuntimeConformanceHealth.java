package io.steerguard.gateway;

import java.util.List;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.steerguard.config.ConformanceConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Readiness check {@code runtime-conformance}: DOWN while a checked remote runtime fails the
 * conformance check, but only with {@code steerguard.conformance.readiness=true}; otherwise UP, naming
 * the failing runtimes in its data.
 */
@Readiness
@ApplicationScoped
public class RuntimeConformanceHealth implements HealthCheck {

    private final RuntimeConformance conformance;
    private final ConformanceConfig config;

    public RuntimeConformanceHealth(RuntimeConformance conformance, ConformanceConfig config) {
        this.conformance = conformance;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        List<String> failed = conformance.failed();
        return HealthCheckResponse.named("runtime-conformance")
                .status(failed.isEmpty() || !config.readiness())
                .withData("failed", String.join(",", failed))
                .withData("follows_readiness", config.readiness())
                .build();
    }
}
