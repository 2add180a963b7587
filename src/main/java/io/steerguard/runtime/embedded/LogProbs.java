package io.steerguard.runtime.embedded;

/** Log-softmax over a vocabulary, in double for the sums. */
final class LogProbs {

    private LogProbs() {
    }

    /** {@code logits - logsumexp(logits)}, stable against large logits. */
    static float[] of(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (float l : logits) {
            sum += Math.exp(l - max);
        }
        double logZ = max + Math.log(sum);
        float[] out = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = (float) (logits[i] - logZ);
        }
        return out;
    }
}
