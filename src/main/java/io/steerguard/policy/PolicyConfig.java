package io.steerguard.policy;

import java.nio.file.Path;
import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Guardrail policy enforcement ({@code steerguard.policy.*}). */
@ConfigMapping(prefix = "steerguard.policy")
public interface PolicyConfig {

    /**
     * Folder of the profile-state file ({@code profile-state.jsonl}: every transition, fsynced
     * before it takes effect; also the audit log). Env {@code STEERGUARD_POLICY_DATA_DIR}.
     */
    @WithDefault("data")
    Path dataDir();

    /** How often every profile's statistics are judged against its policies. */
    @WithDefault("5s")
    Duration evaluationInterval();
}
