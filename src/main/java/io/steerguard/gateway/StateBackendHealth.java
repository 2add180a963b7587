package io.steerguard.gateway;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.steerguard.policy.StateConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Readiness check {@code redis-state}. It separates what a Redis outage means for a replica:
 * <ul>
 *   <li><b>states unknown</b> (started while Redis was unreachable, never read the states): any
 *       profile might be BLOCKED, so steering fails closed (steered profiles are served unsteered)
 *       and the check is DOWN, so the orchestrator keeps traffic on replicas that know;</li>
 *   <li><b>backend down after the states were read</b>: no transition can be written anywhere, so
 *       the last states read are still the states; the replica keeps serving (UP), statistics fall
 *       back to its own samples, and the check's data and {@code steerguard_state_backend_up} say so.
 *       A Redis restart therefore no longer takes every gateway out of its Service at once.</li>
 * </ul>
 * With {@code steerguard.state.readiness-follows-backend=false} the check stays UP even with states
 * unknown (steering still fails closed). Liveness is never affected. Always UP for the local file.
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
        boolean known = governor.statesKnown();
        return HealthCheckResponse.named("redis-state")
                .status(known || !config.readinessFollowsBackend())
                .withData("backend", config.backend().name().toLowerCase(java.util.Locale.ROOT))
                .withData("backend_up", up)
                .withData("states", !known ? "unknown: not yet read from the backend; steered profiles are served unsteered"
                        : up ? "shared" : "last known (the backend is unreachable; no transition can be written)")
                .withData("statistics", up ? "shared" : "this replica's own samples until the backend is back")
                .build();
    }
}
