package io.steerguard.policy;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The policies in force, with the questions the gateway asks of them. Immutable: a reload builds a
 * new set, so a request sees one consistent set.
 */
public record PolicySet(List<GuardrailPolicy> policies) {

    public static final PolicySet EMPTY = new PolicySet(List.of());

    public PolicySet {
        policies = policies.stream().sorted(Comparator.comparing(GuardrailPolicy::name)).toList();
    }

    /** Policies whose limits judge the profile (tenant selectors ignored: statistics are per profile). */
    public List<GuardrailPolicy> matching(String profile, Map<String, String> labels) {
        return policies.stream().filter(p -> p.selector().matchesProfile(profile, labels)).toList();
    }

    /** Policies that act on a request of {@code tenant} for {@code profile}. */
    public List<GuardrailPolicy> matching(String profile, Map<String, String> labels, String tenant) {
        return policies.stream().filter(p -> p.selector().matchesProfile(profile, labels)
                && p.selector().matchesTenant(tenant)).toList();
    }

    /**
     * The share of this tenant's requests for the profile to mirror: the highest rate among the
     * matching policies (the probation rate in PROBATION), 0 when none matches.
     */
    public double sampleRate(String profile, Map<String, String> labels, String tenant, ProfileState state) {
        return matching(profile, labels, tenant).stream().mapToDouble(p -> p.shadow().rateFor(state)).max().orElse(0);
    }

    /** The most tokens any matching policy asks the shadow to generate. */
    public int shadowMaxTokens(String profile, Map<String, String> labels, String tenant) {
        return matching(profile, labels, tenant).stream().mapToInt(p -> p.shadow().maxTokens()).max()
                .orElse(ShadowSettings.DEFAULT.maxTokens());
    }

    /** Every decision window some policy uses, so statistics can keep them. */
    public Set<Duration> windows() {
        Set<Duration> windows = new TreeSet<>();
        policies.forEach(p -> windows.add(p.decision().window()));
        return windows;
    }

    /**
     * What to do with a request of {@code tenant}: the profile's state decides, except that a block
     * set by a policy whose tenant selector leaves this tenant out does not apply to it. Manual blocks
     * (no policy) apply to every tenant.
     */
    public ServingDecision serve(ProfileStatus status, String tenant) {
        if (status.state() == ProfileState.BLOCKED && status.policy() != null) {
            boolean applies = policies.stream().filter(p -> p.name().equals(status.policy()))
                    .findFirst().map(p -> p.selector().matchesTenant(tenant)).orElse(true);
            if (!applies) {
                return new ServingDecision.Steer();
            }
        }
        return ServingDecision.serve(status.state(), status.action());
    }
}
