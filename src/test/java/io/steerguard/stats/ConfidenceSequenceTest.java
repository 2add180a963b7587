package io.steerguard.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class ConfidenceSequenceTest {

    private static final ConfidenceSequence CS = ConfidenceSequence.DEFAULT;

    @Test
    void logGamma_matchesKnownValues_includingBelowOneHalfAndInTheMillions() {
        assertThat(LogGamma.of(0.5)).isCloseTo(0.5 * Math.log(Math.PI), within(1e-12));
        assertThat(LogGamma.of(1)).isCloseTo(0, within(1e-12));
        assertThat(LogGamma.of(10)).isCloseTo(Math.log(362_880), within(1e-10));
        assertThat(LogGamma.of(0.1)).isCloseTo(2.252712651734206, within(1e-10));
        // Stirling: ln Γ(x) ≈ (x − ½) ln x − x + ½ ln 2π + 1/(12x), exact to 1e-12 relative at 1e6
        double x = 1e6;
        double stirling = (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x);
        assertThat(LogGamma.of(x)).isCloseTo(stirling, within(1e-6));
    }

    @Test
    void theIntervalContainsThePointEstimate_andItsLowerBoundNeverPassesWilsonsFixedSampleOne() {
        // The lower bound is what blocks: paying for validity at every sample size, it sits below the
        // one-look Wilson bound. (The upper bound may sit below Wilson's at k = 0: the prior leans low.)
        for (long[] kn : new long[][] {{0, 30}, {3, 30}, {6, 30}, {30, 30}, {50, 1000}, {999, 1000}}) {
            Estimate cs = CS.estimate(kn[0], kn[1], 0.99);
            Estimate wilson = Wilson.estimate(kn[0], kn[1], 0.99);
            assertThat(cs.interval().lower()).isLessThanOrEqualTo(cs.value());
            assertThat(cs.interval().upper()).isGreaterThanOrEqualTo(cs.value());
            assertThat(cs.interval().lower()).isLessThanOrEqualTo(wilson.interval().lower());
        }
    }

    @Test
    void noObservationsGiveTheWholeRange_andAllOrNothingReachTheEdges() {
        Estimate none = CS.estimate(0, 0, 0.99);
        assertThat(none.value()).isNaN();
        assertThat(none.interval()).isEqualTo(new Interval(0, 1));
        assertThat(CS.estimate(0, 50, 0.99).interval().lower()).isZero();
        assertThat(CS.estimate(50, 50, 0.99).interval().upper()).isEqualTo(1);
    }

    @Test
    void aHigherConfidenceGivesAWiderInterval_andMoreDataANarrowerOne() {
        Estimate c95 = CS.estimate(20, 100, 0.95);
        Estimate c99 = CS.estimate(20, 100, 0.99);
        Estimate more = CS.estimate(200, 1000, 0.99);
        assertThat(c99.interval().lower()).isLessThan(c95.interval().lower());
        assertThat(c99.interval().upper()).isGreaterThan(c95.interval().upper());
        assertThat(more.interval().upper() - more.interval().lower())
                .isLessThan(c99.interval().upper() - c99.interval().lower());
    }

    /**
     * The defining property: over whole streams, checked after every observation, the true rate
     * leaves the sequence in at most 1 − confidence of streams. Wilson's interval, checked the same
     * way on the same streams, does not keep its promise, which shows the check can fail.
     */
    @Test
    void theTrueRateStaysInsideAtEverySampleSize_inAtLeastTheStatedShareOfStreams() {
        double p = 0.05;
        int streams = 400;
        int length = 2000;
        SplittableRandom random = new SplittableRandom(20261203L);
        int sequenceMissed = 0;
        int wilsonMissed = 0;
        for (int s = 0; s < streams; s++) {
            long k = 0;
            boolean sequenceOut = false;
            boolean wilsonOut = false;
            for (int n = 1; n <= length; n++) {
                k += random.nextDouble() < p ? 1 : 0;
                if (!sequenceOut && !covers(CS.estimate(k, n, 0.95), p)) {
                    sequenceOut = true;
                }
                if (!wilsonOut && !covers(Wilson.estimate(k, n, 0.95), p)) {
                    wilsonOut = true;
                }
            }
            sequenceMissed += sequenceOut ? 1 : 0;
            wilsonMissed += wilsonOut ? 1 : 0;
        }
        assertThat((double) sequenceMissed / streams).isLessThanOrEqualTo(0.05);
        assertThat((double) wilsonMissed / streams).isGreaterThan(0.2);
    }

    private static boolean covers(Estimate e, double p) {
        return e.interval().lower() <= p && p <= e.interval().upper();
    }

    @Test
    void impossibleCountsAndPriorsAreRejected() {
        assertThatThrownBy(() -> CS.estimate(5, 4, 0.95)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CS.estimate(1, 4, 1.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConfidenceSequence(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConfidenceSequence(1, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
