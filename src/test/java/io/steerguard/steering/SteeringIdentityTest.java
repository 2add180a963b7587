package io.steerguard.steering;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.steerguard.runtime.SteeringOperator;
import io.steerguard.runtime.SteeringPositions;
import io.steerguard.runtime.SteeringSpec;

class SteeringIdentityTest {

    private static SteeringSpec spec(float[] layer1, double coefficient, SteeringOperator op, SteeringPositions pos) {
        return SteeringSpec.of(new SteeringSpec.Entry("/some/file.gguf", List.of(1), Map.of(1, layer1), coefficient, op,
                0, pos, false));
    }

    private static String id(SteeringSpec spec) {
        return SteeringIdentity.of("tiny", spec, source -> {
            throw new AssertionError("loaded vectors are hashed by value, not by file");
        });
    }

    private static final float[] V = {0.5f, -1.25f, 3f};

    @Test
    void identity_dependsOnTheVectorValues_notOnTheFileTheyCameFrom() {
        SteeringSpec a = spec(V, 4, SteeringOperator.ADD, SteeringPositions.ALL);
        SteeringSpec sameValuesOtherFile = SteeringSpec.of(new SteeringSpec.Entry("/elsewhere/v.safetensors",
                List.of(1), Map.of(1, V.clone()), 4, SteeringOperator.ADD, 0, SteeringPositions.ALL, false));

        assertThat(id(a)).isEqualTo(id(sameValuesOtherFile)).hasSize(64);
        assertThat(id(spec(new float[] {0.5f, -1.25f, 3.0001f}, 4, SteeringOperator.ADD, SteeringPositions.ALL)))
                .isNotEqualTo(id(a));
    }

    @Test
    void identity_changesWithRuntimeOperatorCoefficientLayersAndPositions() {
        SteeringSpec a = spec(V, 4, SteeringOperator.ADD, SteeringPositions.ALL);
        assertThat(id(spec(V, 4.5, SteeringOperator.ADD, SteeringPositions.ALL))).isNotEqualTo(id(a));
        assertThat(id(spec(V, 4, SteeringOperator.ABLATE, SteeringPositions.ALL))).isNotEqualTo(id(a));
        assertThat(id(spec(V, 4, SteeringOperator.ADD, new SteeringPositions(SteeringPositions.Mode.FIRST_K, 4))))
                .isNotEqualTo(id(a));
        assertThat(id(SteeringSpec.of(new SteeringSpec.Entry("/some/file.gguf", List.of(2), Map.of(2, V), 4,
                SteeringOperator.ADD, 0, SteeringPositions.ALL, false)))).isNotEqualTo(id(a));
        assertThat(SteeringIdentity.of("other-runtime", a, s -> "")).isNotEqualTo(id(a));
    }

    @Test
    void negativeZero_isTheSameValueAsZero() {
        assertThat(id(spec(new float[] {-0.0f, 1f}, 4, SteeringOperator.ADD, SteeringPositions.ALL)))
                .isEqualTo(id(spec(new float[] {0.0f, 1f}, 4, SteeringOperator.ADD, SteeringPositions.ALL)));
    }

    @Test
    void remoteEntries_areIdentifiedByTheDigestOfWhatTheServerLoads() {
        SteeringSpec remote = SteeringSpec.of(new SteeringSpec.Entry("vectors/a.gguf", List.of(1), Map.of(), 4,
                SteeringOperator.ADD, 0, SteeringPositions.ALL, false));
        assertThat(SteeringIdentity.of("steer", remote, s -> "sha256:aa"))
                .isEqualTo(SteeringIdentity.of("steer", remote, s -> "sha256:aa"))
                .isNotEqualTo(SteeringIdentity.of("steer", remote, s -> "sha256:bb"));
    }
}
