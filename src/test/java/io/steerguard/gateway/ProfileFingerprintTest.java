package io.steerguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.steerguard.config.ConfigLoader;
import io.steerguard.config.SteeringProfileDocument;

/** A routed profile's identity includes the runtime that serves it: re-routing it is a new profile. */
class ProfileFingerprintTest {

    private static SteeringProfileDocument compliance() {
        return ((ConfigLoader.Outcome.Loaded) new ConfigLoader()
                .load(List.of(Path.of("src/test/resources/testdata/config/routed/llama-cpp.yaml"))))
                .config().profiles().get("compliance");
    }

    private static SteeringProfileDocument servedBy(SteeringProfileDocument p, String servedBy) {
        return new SteeringProfileDocument(p.metadata(), p.location(), p.runtime(), p.runtimeLocation(), servedBy,
                p.servedByLocation(), p.description(), p.vectors());
    }

    @Test
    void routedProfile_identityIncludesItsServer() {
        Path base = Path.of("target");
        SteeringProfileDocument routed = compliance();

        assertThat(ProfileFingerprints.fingerprint(routed, base)).isEqualTo(ProfileFingerprints.fingerprint(compliance(), base));
        assertThat(ProfileFingerprints.fingerprint(servedBy(routed, "llama-other"), base))
                .isNotEqualTo(ProfileFingerprints.fingerprint(routed, base));
        assertThat(ProfileFingerprints.fingerprint(servedBy(routed, ""), base))
                .as("the same vectors applied per request are another identity too")
                .isNotEqualTo(ProfileFingerprints.fingerprint(routed, base));
    }

    @Test
    void routedProfile_servedIdentity_namesItsServer() {
        SteeringProfileDocument routed = compliance();
        assertThat(ProfileFingerprints.servingIdentity(routed)).isEqualTo(routed.runtime() + "|servedBy=" + routed.servedBy());
        assertThat(ProfileFingerprints.servingIdentity(servedBy(routed, "llama-other")))
                .isNotEqualTo(ProfileFingerprints.servingIdentity(routed));
        assertThat(ProfileFingerprints.servingIdentity(servedBy(routed, ""))).isEqualTo(routed.runtime());
    }
}
