package io.steerguard.config;

import java.util.Map;

import io.steerguard.runtime.SteeringSpec;

/**
 * Steering for remote steerable runtimes: the server loads the vector files itself, so entries
 * carry the path as written in the document and no loaded directions.
 */
public final class RemoteProfiles {

    private RemoteProfiles() {
    }

    /** The entry an EasySteer runtime receives for {@code v}. */
    public static SteeringSpec.Entry entry(SteeringProfileDocument.VectorEntry v) {
        return new SteeringSpec.Entry(v.file(), v.layers(), Map.of(), v.coefficient(), v.operator(), v.target(),
                v.positions(), false);
    }

    /** The whole profile for a remote runtime. */
    public static SteeringSpec spec(SteeringProfileDocument profile) {
        return new SteeringSpec(profile.vectors().stream().map(RemoteProfiles::entry).toList());
    }
}
