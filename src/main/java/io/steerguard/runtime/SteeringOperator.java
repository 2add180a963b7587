package io.steerguard.runtime;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a steering vector changes the residual stream {@code h} at a steered position.
 * With {@code u = v / |v|}:
 * <ul>
 *   <li>{@link #ADD}: {@code h <- h + c*v} (contrastive activation addition);</li>
 *   <li>{@link #PROJECT_TO}: {@code h <- h + (z - <h,u>) * u}, moving the projection on {@code u}
 *       to the target {@code z} (adaptive JSON steering, arXiv 2602.04896);</li>
 *   <li>{@link #ABLATE}: {@code h <- h - <h,u> * u} (directional ablation, Arditi et al. 2024).</li>
 * </ul>
 */
public enum SteeringOperator {
    ADD("add"),
    PROJECT_TO("project-to"),
    ABLATE("ablate");

    private final String configName;

    SteeringOperator(String configName) {
        this.configName = configName;
    }

    /** The spelling used in configuration documents. */
    public String configName() {
        return configName;
    }

    public static SteeringOperator fromConfigName(String name) {
        for (SteeringOperator op : values()) {
            if (op.configName.equals(name.toLowerCase(Locale.ROOT))) {
                return op;
            }
        }
        throw new IllegalArgumentException("unknown operator '" + name + "', expected one of "
                + Arrays.stream(values()).map(SteeringOperator::configName).collect(Collectors.joining(", ")));
    }
}
