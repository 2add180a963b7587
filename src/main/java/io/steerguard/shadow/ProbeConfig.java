package io.steerguard.shadow;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Probe audits ({@code steerguard.probes.*}): harmful probes sent steered and unsteered to
 * measure each profile's attack-success-rate uplift. Which probes, which attack templates and
 * how often come from the {@code probes} section of the guardrail policies; this is how hard the
 * gateway may push a runtime while doing it.
 */
@ConfigMapping(prefix = "steerguard.probes")
public interface ProbeConfig {

    /**
     * Whether audits run on the schedule the policies set ({@code probes.every}). When off,
     * audits run only on demand ({@code POST /admin/profiles/{name}/audit}, the {@code probe} CLI).
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * Probe pairs started per second, over all audits together (one pair is a steered and an
     * unsteered generation of up to the policy's {@code shadow.maxTokens} tokens). Together with
     * {@link #concurrency()} this caps the share of a runtime probes can take, so they never starve
     * client traffic. At the default, an audit of the built-in 136 probes with three attack
     * templates (408 pairs) takes at least 7 minutes, longer when one pair takes over a second.
     */
    @WithDefault("1")
    double rate();

    /** Probe pairs in flight at once, over all audits together; also how many audits progress at once. */
    @WithDefault("1")
    int concurrency();

    /** Longest one probe generation may take; a slower one counts as an error in the report. */
    @WithDefault("60s")
    Duration timeout();

    /** How often the scheduler looks for profiles whose next audit is due. */
    @WithDefault("30s")
    Duration checkInterval();

    /**
     * Delay before the first scheduled audit of a profile the gateway starts with or a reload
     * adds; later audits follow {@code probes.every} after the previous one finished.
     */
    @WithDefault("1m")
    Duration initialDelay();

    /** Attack templates of an on-demand audit of a profile no policy sets probes for (built-in probes). */
    @WithDefault("none,prefix-injection,refusal-suppression")
    List<String> defaultAttacks();
}
