package io.steerguard.gateway;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.steerguard.policy.StateConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Readiness check {@code redis-state}: whether the state backend can persist transitions. Always UP
 * for the local file; for Redis, DOWN while it is unreachable (unless
 * {@code steerguard.state.readiness-follows-backend=false}, when it stays UP and says so in its data).
 * Liveness is never affected: the replica keeps serving on its last known states.
 */
@Readiness
@ApplicationScoped
public class StateBackendHealth implements HealthCheck {

    private final SafetyGovernor governor;
    private final StateConfig config;

    public StateBackendHealth(SafetyGovernor governor, StateConfig config) {
        this.governor = governor;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        boolean up = governor.stateBackendUp();
        return HealthCheckResponse.named("redis-state")
                .status(up || !config.readinessFollowsBackend())
                .withData("backend", config.backend().name().toLowerCase(java.util.Locale.ROOT))
                .withData("backend_up", up)
                .withData("fail_safe", up ? "none" : "last known states kept; unknown profiles treated as PROBATION; "
                        + "transitions that cannot be persisted do not take effect")
                .build();
    }
}
