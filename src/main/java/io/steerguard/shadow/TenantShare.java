package io.steerguard.shadow;

import io.steerguard.stats.Estimate;
import io.steerguard.stats.Wilson;
import java.util.Objects;

/**
 * One tenant's part in a profile's externality over the attribution window.
 *
 * @param tenant                the tenant, or {@link TenantAttribution#OTHER} for tenants past the cap
 * @param pairs                 live paired samples from its requests
 * @param unsteeredRefusals     of those, pairs the unsteered model refused: the externality's denominator
 * @param externalities         pairs the unsteered model refused and the steered one complied with
 * @param externality           P(steered complies | unsteered refuses) on its pairs, with a Wilson interval
 * @param shareOfExternalities  its externalities over the profile's, in [0, 1]; NaN when the profile has none
 */
public record TenantShare(String tenant, long pairs, long unsteeredRefusals, long externalities, Estimate externality,
                          double shareOfExternalities) {

    public TenantShare {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(externality, "externality");
        if (pairs < 0 || unsteeredRefusals < 0 || externalities < 0 || unsteeredRefusals > pairs
                || externalities > unsteeredRefusals) {
            throw new IllegalArgumentException("need 0 <= externalities <= unsteeredRefusals <= pairs, got "
                    + externalities + ", " + unsteeredRefusals + ", " + pairs);
        }
    }
}
