package io.steerguard.config;

import java.util.List;
import java.util.Map;

import io.steerguard.policy.GuardrailPolicy;
import io.steerguard.policy.PolicySet;

/**
 * Cross-checks a tenant's {@code rollouts}: the rolled-out profile is one the grant serves, the
 * candidate is a configured steering profile of the same runtime that clients of this tenant cannot
 * select themselves (else the share would be theirs to choose, not the server's), and some guardrail
 * policy limits the candidate for this tenant (else the gate would have nothing to judge).
 */
final class RolloutChecks {

    private RolloutChecks() {
    }

    static void check(TenantDocument t, Map<String, SteeringProfileDocument> profiles,
                      Map<String, GuardrailPolicyDocument> policyDocuments, List<ConfigProblem> problems) {
        PolicySet policies = new PolicySet(policyDocuments.values().stream().map(GuardrailPolicyDocument::policy).toList());
        t.models().forEach((model, grant) -> grant.rollouts().forEach((profile, rollout) -> {
            String field = "spec.models." + model + ".rollouts." + profile;
            if (!profile.equals(grant.defaultProfile()) && !grant.allowedProfiles().contains(profile)) {
                problems.add(ConfigProblem.error(rollout.location(), field, "profile '" + profile + "' is neither the "
                        + "defaultProfile nor in allowedProfiles of this model; a rollout replaces a profile the tenant "
                        + "is served"));
            }
            checkCandidate(t, model, grant, profile, rollout, profiles, policies, field + ".candidate", problems);
        }));
    }

    private static void checkCandidate(TenantDocument t, String model, TenantDocument.ModelGrant grant, String profile,
                                       TenantDocument.Rollout rollout, Map<String, SteeringProfileDocument> profiles,
                                       PolicySet policies, String field, List<ConfigProblem> problems) {
        String candidate = rollout.candidate();
        SourceLocation at = rollout.candidateLocation();
        if (SteeringProfileDocument.UNSTEERED.equals(candidate)) {
            problems.add(ConfigProblem.error(at, field, "the candidate must be a steering profile: unsteered has no "
                    + "paired statistics for the gate to judge"));
            return;
        }
        if (candidate.equals(profile)) {
            problems.add(ConfigProblem.error(at, field, "the candidate is the profile it would replace"));
            return;
        }
        SteeringProfileDocument p = profiles.get(candidate);
        if (p == null) {
            problems.add(ConfigProblem.error(at, field, "unknown steering profile '" + candidate
                    + "'; the candidate must be a configured SteeringProfile"));
            return;
        }
        if (!p.runtime().equals(model)) {
            problems.add(ConfigProblem.error(at, field, "steering profile '" + candidate + "' is for runtime '"
                    + p.runtime() + "', not '" + model + "'"));
            return;
        }
        if (candidate.equals(grant.defaultProfile()) || grant.allowedProfiles().contains(candidate)) {
            problems.add(ConfigProblem.error(at, field, "'" + candidate + "' is also the defaultProfile or in "
                    + "allowedProfiles of this model: clients could choose it themselves and skew the share the gate "
                    + "judges; remove it there"));
        }
        if (grant.rollouts().containsKey(candidate)) {
            problems.add(ConfigProblem.error(at, field, "'" + candidate + "' is itself rolled out in this model; "
                    + "chained rollouts are not supported"));
        }
        List<GuardrailPolicy> judging = policies.matching(candidate, p.metadata().labels(), t.name()).stream()
                .filter(g -> !g.limits().isEmpty()).toList();
        if (judging.isEmpty()) {
            problems.add(ConfigProblem.error(at, field, "no GuardrailPolicy with limits selects '" + candidate
                    + "' for tenant '" + t.name() + "': the rollout gate would have nothing to judge it by"));
        }
    }
}
