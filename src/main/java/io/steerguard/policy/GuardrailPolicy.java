package io.steerguard.policy;

import java.util.Objects;
import java.util.Optional;

/**
 * A {@code GuardrailPolicy} document's content: which profiles it governs, how they are observed,
 * the limits their statistics must respect, how a limit is judged, and what happens when one is
 * exceeded.
 *
 * @param name     the document's {@code metadata.name}, quoted in explanations and the audit log
 * @param selector which profiles (and tenants) the policy governs
 * @param shadow   mirroring of live traffic through the unsteered model
 * @param probes   scheduled probe runs, or empty for none
 * @param limits   the limits, any subset
 * @param decision window, minimum samples and confidence of the interval rule
 * @param action   what a limit that is exceeded does
 * @param recovery how a block ends
 */
public record GuardrailPolicy(String name, Selector selector, ShadowSettings shadow, Optional<ProbeSettings> probes,
                              Limits limits, DecisionRule decision, PolicyAction action, Recovery recovery) {

    public GuardrailPolicy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(shadow, "shadow");
        Objects.requireNonNull(probes, "probes");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(recovery, "recovery");
    }
}
