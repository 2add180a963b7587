package io.steerguard.review;

import java.util.Objects;

import io.steerguard.classifier.Assessment;

/**
 * One mirrored request's two answers with the classifiers' assessments, as the shadow path hands
 * them to the review queue.
 *
 * @param requestId the client request's id (the twin's is this plus {@code -shadow})
 * @param tenant    configured tenant id
 * @param profile   configured profile id
 * @param prompt    what the classifiers saw as the prompt
 */
public record MirroredPair(String requestId, String tenant, String profile, String prompt,
                           String steeredAnswer, Assessment steered, String unsteeredAnswer, Assessment unsteered) {

    public MirroredPair {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(steeredAnswer, "steeredAnswer");
        Objects.requireNonNull(steered, "steered");
        Objects.requireNonNull(unsteeredAnswer, "unsteeredAnswer");
        Objects.requireNonNull(unsteered, "unsteered");
    }
}
