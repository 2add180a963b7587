package io.steerguard.runtime;

/**
 * Which token positions a steering entry applies to.
 *
 * @param mode where to steer
 * @param k    for {@link Mode#FIRST_K}: the number of generated tokens to steer (the refusal gate
 *             sits in the first few output tokens); ignored otherwise
 */
public record SteeringPositions(Mode mode, int k) {

    /** Position modes as spelled in configuration ({@code all}, {@code prompt}, {@code generated}, {@code first-k}). */
    public enum Mode {
        ALL("all"), PROMPT("prompt"), GENERATED("generated"), FIRST_K("first-k");

        private final String configName;

        Mode(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }

        public static Mode fromConfigName(String name) {
            for (Mode m : values()) {
                if (m.configName.equals(name)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown positions '" + name
                    + "', expected one of all, prompt, generated, first-k");
        }
    }

    public SteeringPositions {
        if (mode == null) {
            throw new IllegalArgumentException("positions mode must not be null");
        }
        if (mode == Mode.FIRST_K && k < 1) {
            throw new IllegalArgumentException("first-k positions need k >= 1");
        }
        if (mode != Mode.FIRST_K) {
            k = 0;
        }
    }

    public static final SteeringPositions ALL = new SteeringPositions(Mode.ALL, 0);

    public static SteeringPositions firstK(int k) {
        return new SteeringPositions(Mode.FIRST_K, k);
    }

    /**
     * Whether the token at {@code position} is steered.
     *
     * @param position       0-based position in the sequence
     * @param promptLength   number of prompt tokens; positions at or after it are generated
     */
    public boolean applies(int position, int promptLength) {
        return switch (mode) {
            case ALL -> true;
            case PROMPT -> position < promptLength;
            case GENERATED -> position >= promptLength;
            case FIRST_K -> position >= promptLength && position < promptLength + k;
        };
    }
}
