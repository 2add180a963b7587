package io.steerguard.classifier.training;

import io.steerguard.classifier.Exchange;
import java.util.Objects;

/**
 * One labelled row of the refusal dataset.
 *
 * @param prompt   the request
 * @param response the answer being judged
 * @param refused  the label: true for full or partial refusals
 * @param kind     the family the row belongs to (e.g. {@code full-refusal}, {@code json-compliant})
 * @param split    {@code train} or {@code test}, fixed by a hash of the row's text
 */
public record LabelledExample(String prompt, String response, boolean refused, String kind, String split) {

    public static final String TRAIN = "train";
    public static final String TEST = "test";

    public LabelledExample {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(kind, "kind");
        if (!TRAIN.equals(split) && !TEST.equals(split)) {
            throw new IllegalArgumentException("split must be train or test, was " + split);
        }
    }

    public boolean isTest() {
        return TEST.equals(split);
    }

    public Exchange exchange() {
        return new Exchange(prompt, response);
    }
}
