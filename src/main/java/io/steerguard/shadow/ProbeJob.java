package io.steerguard.shadow;

import java.util.List;
import java.util.Objects;

import io.steerguard.runtime.ModelRuntime;
import io.steerguard.runtime.SteeringSpec;

/**
 * One probe audit to run: every probe wrapped in every attack template, sent to {@code runtime}
 * with {@code steering} and without.
 *
 * @param profile    the steering profile audited (statistics and metrics key)
 * @param runtime    the runtime serving the profile
 * @param steering   the profile's resolved steering
 * @param probes     the harmful requests
 * @param attacks    template names, each known to {@code templates}
 * @param templates  the attack templates
 * @param maxTokens  tokens generated per answer; refusals show in the first few
 * @param confidence confidence of the report's intervals, in (0, 1)
 * @param policy     the policy that asked for the audit, or {@code null} (on demand without a policy)
 * @param trigger    what started it: {@code schedule}, {@code admin} or {@code cli}
 */
public record ProbeJob(String profile, ModelRuntime runtime, SteeringSpec steering, ProbeSet probes,
                       List<String> attacks, AttackTemplates templates, int maxTokens, double confidence,
                       String policy, String trigger) {

    public ProbeJob {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(steering, "steering");
        Objects.requireNonNull(probes, "probes");
        Objects.requireNonNull(templates, "templates");
        Objects.requireNonNull(trigger, "trigger");
        attacks = List.copyOf(attacks);
        if (attacks.isEmpty()) {
            throw new IllegalArgumentException("attacks must name at least one template");
        }
        if (attacks.stream().distinct().count() != attacks.size()) {
            throw new IllegalArgumentException("attacks must not repeat a template: " + attacks);
        }
        for (String a : attacks) {
            if (!templates.has(a)) {
                throw new IllegalArgumentException("unknown attack template '" + a + "'; expected one of "
                        + templates.names());
            }
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be at least 1, got " + maxTokens);
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be within (0, 1), got " + confidence);
        }
    }

    /** Probe pairs the audit sends: probes × attacks. */
    public int pairs() {
        return probes.size() * attacks.size();
    }
}
