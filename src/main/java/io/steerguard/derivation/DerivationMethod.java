package io.steerguard.derivation;

/**
 * How a steering vector is derived from contrastive activations, and where those activations are
 * captured. Mean difference and CAA share the math and differ only in the capture position.
 */
public enum DerivationMethod {
    /** {@code mean(x+) - mean(x-)} at the last prompt token: the JSON-format vector (Stolfo et al.). */
    MEAN_DIFFERENCE("mean-diff", CapturePosition.LAST_PROMPT_TOKEN),
    /** {@code mean(x+) - mean(x-)} at the answer token: Contrastive Activation Addition (Rimsky et al.). */
    CAA("caa", CapturePosition.ANSWER_TOKEN),
    /** First principal component, sign toward the positives: the compliance vector (after CAST). */
    PCA("pca", CapturePosition.ANSWER_TOKEN);

    /** Where the runtime should capture the residual stream for this method. */
    public enum CapturePosition {
        /** The last token of the prompt (after the chat template's assistant header). */
        LAST_PROMPT_TOKEN,
        /** The token that carries the answer: the answer letter for A/B data, else the completion's last token. */
        ANSWER_TOKEN
    }

    private final String configName;
    private final CapturePosition capturePosition;

    DerivationMethod(String configName, CapturePosition capturePosition) {
        this.configName = configName;
        this.capturePosition = capturePosition;
    }

    /** The spelling used on the command line and in reports. */
    public String configName() {
        return configName;
    }

    public CapturePosition capturePosition() {
        return capturePosition;
    }

    public static DerivationMethod fromConfigName(String name) {
        for (DerivationMethod m : values()) {
            if (m.configName.equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown derivation method '" + name + "', expected mean-diff, caa or pca");
    }
}
