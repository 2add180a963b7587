package io.steerguard.runtime.embedded;

/** Picks a sequence's next token from its logits; one instance per sequence (it may hold a seeded RNG). */
interface TokenChooser {

    int choose(float[] logits);

    /** {@code log softmax(logits)[tokenId]}. */
    double logProb(float[] logits, int tokenId);

    /** Argmax with ties to the lowest id: deterministic, for greedy decoding and tests. */
    static TokenChooser greedy() {
        return new TokenChooser() {
            @Override
            public int choose(float[] logits) {
                int best = 0;
                for (int i = 1; i < logits.length; i++) {
                    if (logits[i] > logits[best]) {
                        best = i;
                    }
                }
                return best;
            }

            @Override
            public double logProb(float[] logits, int tokenId) {
                return LogProbs.of(logits)[tokenId];
            }
        };
    }
}
