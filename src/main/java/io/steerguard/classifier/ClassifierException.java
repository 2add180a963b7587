package io.steerguard.classifier;

/** A classifier could not reach a verdict: its model failed, timed out or answered nonsense. */
public class ClassifierException extends RuntimeException {
    public ClassifierException(String message) {
        super(message);
    }

    public ClassifierException(String message, Throwable cause) {
        super(message, cause);
    }
}
