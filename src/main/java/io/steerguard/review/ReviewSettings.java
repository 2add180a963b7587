package io.steerguard.review;

/**
 * What the review service is set to (from {@link ReviewConfig}).
 *
 * @param band         an answer is near the threshold when its deciding score is within this of it
 * @param maxTextChars prompts and answers are kept cut to this many characters
 * @param minLabels    labelled answers with a learned score a recalibration needs
 * @param minPerClass  of those, labelled refusals and labelled compliant answers each
 */
public record ReviewSettings(double band, int maxTextChars, int minLabels, int minPerClass) {

    public ReviewSettings {
        if (!(band >= 0 && band <= 0.5)) {
            throw new IllegalArgumentException("band must be within [0, 0.5], was " + band);
        }
        if (maxTextChars < 16) {
            throw new IllegalArgumentException("maxTextChars must be at least 16, was " + maxTextChars);
        }
        if (minPerClass < 1 || minLabels < 2 * minPerClass) {
            throw new IllegalArgumentException("minPerClass must be at least 1 and minLabels at least twice it");
        }
    }
}
