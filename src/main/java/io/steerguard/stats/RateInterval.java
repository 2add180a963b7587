package io.steerguard.stats;

/**
 * How the interval of a rate is built, which decides what a rule that looks after every sample
 * can promise.
 */
public enum RateInterval {

    /**
     * Wilson's score interval: exact coverage for one look at a fixed sample size. Re-checked after
     * every sample, its false-block rate grows with the number of looks.
     */
    FIXED_SAMPLE("interval"),

    /**
     * A time-uniform confidence sequence ({@link ConfidenceSequence}): its coverage holds at every
     * sample size at once, so continuous monitoring keeps the stated false-block bound.
     */
    CONFIDENCE_SEQUENCE("confidence-sequence");

    private final String configName;

    RateInterval(String configName) {
        this.configName = configName;
    }

    /** The name policy YAML uses ({@code decision.method}). */
    public String configName() {
        return configName;
    }

    /** The interval of k successes in n trials at two-sided level {@code confidence}. */
    public Estimate estimate(long k, long n, double confidence) {
        return switch (this) {
            case FIXED_SAMPLE -> Wilson.estimate(k, n, confidence);
            case CONFIDENCE_SEQUENCE -> ConfidenceSequence.DEFAULT.estimate(k, n, confidence);
        };
    }

    /** The method named {@code name} in policy YAML. */
    public static RateInterval fromConfigName(String name) {
        for (RateInterval r : values()) {
            if (r.configName.equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown interval method '" + name + "'");
    }
}
