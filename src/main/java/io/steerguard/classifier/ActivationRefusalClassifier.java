package io.steerguard.classifier;

/**
 * The activation tier as an ensemble member. Its evidence is not in the text: the shadow path
 * computes a verdict from the runtime's first-token distribution ({@link ActivationRefusalScorer})
 * and binds it with {@link #withActivation}. Without that (text-only callers such as
 * {@code /admin/classify} and the {@code classify} command, remote runtimes, models without refusal
 * token ids) the tier abstains by throwing {@link ClassifierException}, which every
 * {@link EnsembleRule} treats as a member that could not answer.
 */
public final class ActivationRefusalClassifier implements RefusalClassifier {

    @Override
    public Verdict classify(String prompt, String response) {
        throw new ClassifierException("the activation tier needs the runtime's first-token distribution, "
                + "which this exchange does not carry");
    }

    @Override
    public RefusalClassifier withActivation(Verdict activation) {
        return new Bound(activation);
    }

    @Override
    public String method() {
        return ClassifierMethod.ACTIVATION.id();
    }

    /** The tier with one exchange's verdict in hand. */
    private record Bound(Verdict verdict) implements RefusalClassifier {
        @Override
        public Verdict classify(String prompt, String response) {
            return verdict;
        }

        @Override
        public RefusalClassifier withActivation(Verdict activation) {
            return new Bound(activation);
        }

        @Override
        public String method() {
            return ClassifierMethod.ACTIVATION.id();
        }
    }
}
