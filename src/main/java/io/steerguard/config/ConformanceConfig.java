package io.steerguard.config;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The start-up and reload conformance check of remote runtimes ({@code steerguard.conformance.*}):
 * one tiny unsteered request and one steered request per distinct vector configuration, at
 * background priority, so an upstream that rejects what the gateway sends is reported at deploy
 * time (in {@code /admin/config}, the metric {@code steerguard.runtime.conformance} and optionally
 * readiness) instead of as an empty dashboard.
 */
@ConfigMapping(prefix = "steerguard.conformance")
public interface ConformanceConfig {

    /** Run the check at all. */
    @WithDefault("true")
    boolean enabled();

    /** The bound on each check request; a slower upstream fails the check with "no answer within". */
    @WithDefault("10s")
    Duration timeout();

    /** How often the applied configuration is looked at for runtimes or vector configurations not yet checked. */
    @WithDefault("1s")
    Duration pollInterval();

    /**
     * The remote runtimes to check, by name; {@code *} (the default) checks every {@code openai} and
     * {@code easysteer} runtime.
     */
    @WithDefault("*")
    List<String> runtimes();

    /**
     * Whether readiness ({@code /q/health/ready}, check {@code runtime-conformance}) is DOWN while a
     * checked runtime fails. Off by default: the gateway still serves, and the failure is in
     * {@code /admin/config} and the metric.
     */
    @WithDefault("false")
    boolean readiness();
}
