package io.steerguard.policy;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The limits a policy sets, any subset of {@link LimitKind}.
 */
public record Limits(Map<LimitKind, Double> values) {

    public static final Limits NONE = new Limits(Map.of());

    public Limits {
        EnumMap<LimitKind, Double> copy = new EnumMap<>(LimitKind.class);
        values.forEach((kind, v) -> {
            if (v == null || !Double.isFinite(v)) {
                throw new IllegalArgumentException(kind.field() + " must be a finite number, got " + v);
            }
            boolean rate = kind != LimitKind.SAFETY_MARGIN && kind != LimitKind.ASR_UPLIFT;
            double min = rate ? 0 : -1;
            if (v < min || v > 1) {
                throw new IllegalArgumentException(kind.field() + " must be within [" + (int) min + ", 1], got " + v);
            }
            copy.put(kind, v);
        });
        values = Collections.unmodifiableMap(copy);
    }

    public OptionalDouble get(LimitKind kind) {
        Double v = values.get(kind);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }
}
