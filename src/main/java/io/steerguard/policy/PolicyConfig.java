package io.steerguard.policy;

import java.nio.file.Path;
import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Guardrail policy enforcement ({@code steerguard.policy.*}). */
@ConfigMapping(prefix = "steerguard.policy")
public interface PolicyConfig {

    /**
     * Folder of the local profile state ({@code profile-state.jsonl}: every transition, fsynced
     * before it takes effect, compacted into {@code profile-state.snapshot}; with the archived logs
     * also the audit log; see {@link StateStore}). Env {@code STEERGUARD_POLICY_DATA_DIR}.
     */
    @WithDefault("data")
    Path dataDir();

    /** How often every profile's statistics are judged against its policies. */
    @WithDefault("5s")
    Duration evaluationInterval();
}
