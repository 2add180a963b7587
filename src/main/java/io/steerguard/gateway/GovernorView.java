package io.steerguard.gateway;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.steerguard.policy.PolicySet;

/**
 * What the governor was last configured with, published whole after every configuration (one
 * volatile read gives policies and labels that belong together). Requests and admin reads use it
 * instead of anything the governor's lock guards: evaluation holds that lock across fsyncs and
 * Redis round trips.
 *
 * @param policies the guardrail policies in force
 * @param labels   each configured profile's labels
 * @param profiles the configured profiles, sorted
 */
public record GovernorView(PolicySet policies, Map<String, Map<String, String>> labels, List<String> profiles) {

    static final GovernorView EMPTY = new GovernorView(PolicySet.EMPTY, Map.of(), List.of());

    public GovernorView {
        Objects.requireNonNull(policies, "policies");
        labels = Map.copyOf(Objects.requireNonNull(labels, "labels"));
        profiles = List.copyOf(Objects.requireNonNull(profiles, "profiles"));
    }

    static GovernorView of(PolicySet policies, Map<String, Map<String, String>> labels) {
        return new GovernorView(policies, labels, labels.keySet().stream().sorted().toList());
    }

    /** The labels of {@code profile}; empty for a profile not configured. */
    public Map<String, String> labels(String profile) {
        return labels.getOrDefault(profile, Map.of());
    }
}
