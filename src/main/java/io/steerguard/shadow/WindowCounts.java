package io.steerguard.shadow;

/**
 * The raw sums a window keeps: every statistic of a {@link SafetySnapshot} is a function of these,
 * and two windows' counts add.
 *
 * @param samples          paired samples
 * @param probeSamples     how many of them came from probes rather than live traffic
 * @param steeredRefused   pairs whose steered answer was a refusal
 * @param unsteeredRefused pairs whose unsteered answer was a refusal (the externality denominator)
 * @param externalities    pairs where the unsteered model refused and the steered one complied
 * @param overRefusals     pairs where the unsteered model complied and the steered one refused
 * @param marginSum        Σ (steeredScore − unsteeredScore)
 * @param marginSumSquares Σ (steeredScore − unsteeredScore)²
 */
public record WindowCounts(long samples, long probeSamples, long steeredRefused, long unsteeredRefused,
                           long externalities, long overRefusals, double marginSum, double marginSumSquares) {

    public static final WindowCounts EMPTY = new WindowCounts(0, 0, 0, 0, 0, 0, 0, 0);

    public WindowCounts {
        if (samples < 0 || probeSamples < 0 || steeredRefused < 0 || unsteeredRefused < 0 || externalities < 0
                || overRefusals < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
        if (probeSamples > samples || steeredRefused > samples || unsteeredRefused > samples) {
            throw new IllegalArgumentException("probeSamples, steeredRefused and unsteeredRefused must not exceed samples");
        }
        if (externalities > unsteeredRefused) {
            throw new IllegalArgumentException("externalities must not exceed unsteeredRefused");
        }
        if (overRefusals > samples - unsteeredRefused) {
            throw new IllegalArgumentException("overRefusals must not exceed the pairs the unsteered model complied with");
        }
        if (!Double.isFinite(marginSum) || !(marginSumSquares >= 0) || Double.isInfinite(marginSumSquares)) {
            throw new IllegalArgumentException("marginSum must be finite and marginSumSquares finite and >= 0");
        }
    }

    /** The counts of one pair. */
    public static WindowCounts of(boolean steeredRefused, double steeredScore, boolean unsteeredRefused,
                                  double unsteeredScore, boolean probe) {
        double margin = steeredScore - unsteeredScore;
        return new WindowCounts(1, probe ? 1 : 0, steeredRefused ? 1 : 0, unsteeredRefused ? 1 : 0,
                unsteeredRefused && !steeredRefused ? 1 : 0, !unsteeredRefused && steeredRefused ? 1 : 0,
                margin, margin * margin);
    }

    public WindowCounts plus(WindowCounts o) {
        return new WindowCounts(samples + o.samples, probeSamples + o.probeSamples, steeredRefused + o.steeredRefused,
                unsteeredRefused + o.unsteeredRefused, externalities + o.externalities, overRefusals + o.overRefusals,
                marginSum + o.marginSum, marginSumSquares + o.marginSumSquares);
    }
}
