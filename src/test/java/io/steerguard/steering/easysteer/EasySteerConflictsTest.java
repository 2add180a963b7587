package io.steerguard.steering.easysteer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.steerguard.runtime.SteeringOperator;
import io.steerguard.runtime.SteeringPositions;
import io.steerguard.runtime.SteeringSpec;

class EasySteerConflictsTest {

    private static final SteeringPositions PROMPT = new SteeringPositions(SteeringPositions.Mode.PROMPT, 0);
    private static final SteeringPositions GENERATED = new SteeringPositions(SteeringPositions.Mode.GENERATED, 0);

    private static SteeringSpec.Entry entry(String name, List<Integer> layers, SteeringPositions positions) {
        Map<Integer, float[]> d = new java.util.HashMap<>();
        layers.forEach(l -> d.put(l, new float[]{1f, 2f}));
        return new SteeringSpec.Entry(name, layers, d, 2.0, SteeringOperator.ADD, 0, positions, false);
    }

    private static SteeringSpec resolved(EasySteerSpec.Conflict conflict, SteeringSpec.Entry... entries) {
        EasySteerConflicts.Result r = EasySteerConflicts.resolve(List.of(entries), conflict);
        assertThat(r).isInstanceOf(EasySteerConflicts.Result.Resolved.class);
        return ((EasySteerConflicts.Result.Resolved) r).spec();
    }

    @Test
    void priority_firstVectorWinsOnOverlappingLayers_notStacking() {
        SteeringSpec spec = resolved(EasySteerSpec.Conflict.PRIORITY, entry("a", List.of(1, 2), SteeringPositions.ALL),
                entry("b", List.of(2, 3), SteeringPositions.ALL));
        assertThat(spec.entries()).hasSize(2);
        assertThat(spec.entries().get(0).layers()).containsExactly(1, 2);
        assertThat(spec.entries().get(1).source()).isEqualTo("b");
        assertThat(spec.entries().get(1).layers()).containsExactly(3);
    }

    @Test
    void priority_keepsTheLaterVectorWhereTheEarlierLeavesPositionsFree() {
        SteeringSpec spec = resolved(EasySteerSpec.Conflict.PRIORITY, entry("a", List.of(1), PROMPT),
                entry("b", List.of(1), SteeringPositions.ALL));
        assertThat(spec.entries()).hasSize(2);
        assertThat(spec.entries().get(1).positions()).isEqualTo(GENERATED);
        SteeringSpec k = resolved(EasySteerSpec.Conflict.PRIORITY, entry("a", List.of(1), GENERATED),
                entry("b", List.of(1), SteeringPositions.firstK(4)));
        assertThat(k.entries()).hasSize(1);
    }

    @Test
    void priority_thatCannotBeExpressed_andOverlapsUnderError_are400sOnConflict() {
        EasySteerConflicts.Result r = EasySteerConflicts.resolve(List.of(entry("a", List.of(1), SteeringPositions.firstK(2)),
                entry("b", List.of(1), GENERATED)), EasySteerSpec.Conflict.PRIORITY);
        assertThat(r).isInstanceOfSatisfying(EasySteerConflicts.Result.Rejected.class,
                x -> assertThat(x.param()).isEqualTo("steering.conflict"));
        r = EasySteerConflicts.resolve(List.of(entry("a", List.of(1), PROMPT), entry("b", List.of(1), SteeringPositions.ALL)),
                EasySteerSpec.Conflict.ERROR);
        assertThat(r).isInstanceOf(EasySteerConflicts.Result.Rejected.class);
        assertThat(resolved(EasySteerSpec.Conflict.ERROR, entry("a", List.of(1), PROMPT), entry("b", List.of(1), GENERATED))
                .entries()).hasSize(2);
    }

    @Test
    void sequential_stacksEverything() {
        assertThat(resolved(EasySteerSpec.Conflict.SEQUENTIAL, entry("a", List.of(1), SteeringPositions.ALL),
                entry("b", List.of(1), SteeringPositions.ALL)).entries()).hasSize(2);
    }
}
