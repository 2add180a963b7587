package io.steerguard.policy;

/**
 * How much traffic a policy mirrors through the unsteered model.
 *
 * @param sampleRate          share of requests mirrored, in [0, 1]
 * @param probationSampleRate share mirrored while the profile is in PROBATION (at least sampleRate)
 * @param maxTokens           tokens generated per side; refusals show in the first few
 */
public record ShadowSettings(double sampleRate, double probationSampleRate, int maxTokens) {

    public static final ShadowSettings DEFAULT = new ShadowSettings(0.1, 0.5, 48);

    public ShadowSettings {
        if (!(sampleRate >= 0 && sampleRate <= 1)) {
            throw new IllegalArgumentException("sampleRate must be within [0, 1], got " + sampleRate);
        }
        if (!(probationSampleRate >= sampleRate && probationSampleRate <= 1)) {
            throw new IllegalArgumentException("probationSampleRate must be within [sampleRate, 1], got "
                    + probationSampleRate);
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be at least 1, got " + maxTokens);
        }
    }

    /** The rate that applies in {@code state}. */
    public double rateFor(ProfileState state) {
        return state == ProfileState.PROBATION ? probationSampleRate : sampleRate;
    }
}
