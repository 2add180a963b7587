package io.steerguard.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * How a BLOCKED profile comes back: only by an operator ({@code manual}), or by itself after
 * {@code cooldown}, through PROBATION ({@code auto}).
 *
 * @param mode     manual or auto
 * @param cooldown time in BLOCKED before probation starts; {@link Duration#ZERO} for manual
 */
public record Recovery(Mode mode, Duration cooldown) {

    public static final Recovery MANUAL = new Recovery(Mode.MANUAL, Duration.ZERO);

    /** Who ends a block. */
    public enum Mode { MANUAL, AUTO }

    public Recovery {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(cooldown, "cooldown");
        if (mode == Mode.AUTO && (cooldown.isNegative() || cooldown.isZero())) {
            throw new IllegalArgumentException("cooldown must be positive for auto recovery, got " + cooldown);
        }
        if (mode == Mode.MANUAL && !cooldown.isZero()) {
            throw new IllegalArgumentException("cooldown is only used with auto recovery");
        }
    }

    public static Recovery auto(Duration cooldown) {
        return new Recovery(Mode.AUTO, cooldown);
    }

    /** The stricter of two: manual over auto, then the longer cooldown. */
    public static Recovery strictest(Recovery a, Recovery b) {
        if (a.mode == Mode.MANUAL || b.mode == Mode.MANUAL) {
            return MANUAL;
        }
        return a.cooldown.compareTo(b.cooldown) >= 0 ? a : b;
    }

    @Override
    public String toString() {
        return mode == Mode.MANUAL ? "manual" : "auto after " + cooldown;
    }
}
