package io.steerguard.classifier;

/**
 * A tier declined to judge an answer it cannot read (an unsupported language). It is a
 * {@link ClassifierException}, so an ensemble falls through to its next member and the shadow path
 * counts the pair as unclassified instead of guessing; {@link LearnedRefusalClassifier#abstentions()}
 * counts them.
 */
public final class ClassifierAbstention extends ClassifierException {

    public ClassifierAbstention(String message) {
        super(message);
    }
}
