package io.steerguard.steering;

/**
 * How a profile rescales a vector before the coefficient applies.
 *
 * <ul>
 *   <li>{@link #NONE}: as stored in the file.</li>
 *   <li>{@link #UNIT}: {@code v / |v|} per layer, so the coefficient is an absolute residual-space length.</li>
 *   <li>{@link #MEAN_RESIDUAL_NORM}: {@code v / |v| * n_L} with {@code n_L} the model's mean residual
 *       norm at layer {@code L}, so a coefficient of 0.1 moves the residual by a tenth of its typical size
 *       whatever the layer (residual norms grow with depth, often by an order of magnitude).</li>
 * </ul>
 */
public enum Normalisation {
    NONE("none"), UNIT("unit"), MEAN_RESIDUAL_NORM("mean-residual-norm");

    private final String configName;

    Normalisation(String configName) {
        this.configName = configName;
    }

    /** The spelling used in SteeringProfile documents. */
    public String configName() {
        return configName;
    }

    public static Normalisation fromConfigName(String name) {
        for (Normalisation n : values()) {
            if (n.configName.equals(name)) {
                return n;
            }
        }
        throw new IllegalArgumentException("unknown normalisation '" + name
                + "', expected one of none, unit, mean-residual-norm");
    }
}
