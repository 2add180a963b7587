package io.steerguard.shadow;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The shadow path ({@code steerguard.shadow.*}): mirrored unsteered twins of sampled requests. */
@ConfigMapping(prefix = "steerguard.shadow")
public interface ShadowConfig {

    /** Whether sampled steered requests are mirrored through the unsteered model at all. */
    @WithDefault("true")
    boolean enabled();

    /**
     * Share of steered requests mirrored, in [0, 1], when no guardrail policy sets one for the
     * profile. Each request is drawn independently from a CSPRNG, never from anything the client
     * sends, so the share holds per tenant and per profile whatever ids or timing clients choose;
     * every mirrored request id is logged (logger {@code io.steerguard.shadow.ShadowSampler}, INFO).
     */
    @WithDefault("0.1")
    double sampleRate();

    /**
     * Tokens compared per answer. Refusals are decided in the first few output tokens, so the
     * twin is truncated here and the client's answer is compared over the same length.
     */
    @WithDefault("48")
    int maxTokens();

    /**
     * Mirrored generations running at once; more wait in the queue. A freed slot goes to the waiting
     * tenant with the fewest twins running, so a tenant's flood cannot hold every slot while
     * another tenant waits.
     */
    @WithDefault("2")
    int concurrency();

    /** Mirrors waiting for a free slot; when full, new samples are dropped and counted, never queued without bound. */
    @WithDefault("64")
    int queueCapacity();
}
