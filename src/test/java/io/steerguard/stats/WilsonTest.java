package io.steerguard.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Normal quantiles, Wilson intervals and Newcombe differences against values computed by hand from
 * the closed forms (z from tables; lower = n/(n+z²) at k = n, upper = z²/(n+z²) at k = 0).
 */
class WilsonTest {

    @ParameterizedTest(name = "quantile({0}) = {1}")
    @CsvSource({"0.5, 0", "0.975, 1.959963985", "0.995, 2.575829304", "0.95, 1.644853627", "0.01, -2.326347874",
            "0.000001, -4.753424309", "0.999999, 4.753424309", "0.03, -1.880793608"})
    void normalQuantile_matchesTables_toEightDecimals(double p, double z) {
        assertThat(Normal.quantile(p)).isCloseTo(z, within(1e-8));
    }

    @Test
    void normalQuantile_rejectsProbabilitiesOutsideTheOpenUnitInterval() {
        assertThatThrownBy(() -> Normal.quantile(1)).hasMessageContaining("p must be within (0, 1)");
        assertThatThrownBy(() -> Normal.twoSidedZ(0)).hasMessageContaining("confidence");
    }

    @Test
    void noSuccesses_haveLowerBoundZero_andUpperBoundZSquaredOverNPlusZSquared() {
        // 1.959964² = 3.841459; 3.841459 / 13.841459 = 0.2775328
        Estimate e = Wilson.estimate(0, 10, 0.95);

        assertThat(e.value()).isZero();
        assertThat(e.interval().lower()).isZero();
        assertThat(e.interval().upper()).isCloseTo(0.2775328, within(1e-6));
    }

    @Test
    void allSuccesses_haveUpperBoundOne_andLowerBoundNOverNPlusZSquared() {
        // 10 / 13.841459 = 0.7224672
        Estimate e = Wilson.estimate(10, 10, 0.95);

        assertThat(e.interval().upper()).isEqualTo(1.0);
        assertThat(e.interval().lower()).isCloseTo(0.7224672, within(1e-6));
    }

    @Test
    void oneOfOne_isFarFromCertain() {
        // 1 / (1 + 3.841459) = 0.2065493: one compliant answer proves little
        assertThat(Wilson.estimate(1, 1, 0.95).interval().lower()).isCloseTo(0.2065493, within(1e-6));
    }

    @ParameterizedTest(name = "{0}/{1} at {2}")
    @CsvSource({
            // centre = (p + z²/2n)/(1 + z²/n), half = z/(1 + z²/n)·√(p(1−p)/n + z²/4n²)
            "5, 10, 0.95, 0.2365931, 0.7634069",
            "3, 30, 0.95, 0.0345999, 0.2562108",
            "81, 263, 0.95, 0.2552885, 0.3662096",
            // 99%: z = 2.5758293; 3/30 gives centre 0.1724435, half 0.1467918
            "3, 30, 0.99, 0.0256517, 0.3192353"})
    void wilsonInterval_matchesTheClosedForm(long k, long n, double confidence, double lower, double upper) {
        Estimate e = Wilson.estimate(k, n, confidence);

        assertThat(e.value()).isEqualTo((double) k / n);
        assertThat(e.n()).isEqualTo(n);
        assertThat(e.interval().lower()).isCloseTo(lower, within(1e-6));
        assertThat(e.interval().upper()).isCloseTo(upper, within(1e-6));
    }

    @Test
    void noTrials_giveTheWholeUnitInterval_andNoEstimate() {
        Estimate e = Wilson.estimate(0, 0, 0.95);

        assertThat(e.hasData()).isFalse();
        assertThat(e.value()).isNaN();
        assertThat(e.interval()).isEqualTo(new Interval(0, 1));
    }

    @Test
    void everyK_fromZeroToN_givesANestedIntervalAroundThePointEstimate() {
        for (int k = 0; k <= 40; k++) {
            Estimate e = Wilson.estimate(k, 40, 0.95);
            assertThat(e.interval().contains(e.value())).as("k=%d", k).isTrue();
            assertThat(e.interval().lower()).isBetween(0.0, 1.0);
            assertThat(e.interval().upper()).isBetween(0.0, 1.0);
            if (k > 0) {
                assertThat(e.interval().lower()).isGreaterThan(Wilson.estimate(k - 1, 40, 0.95).interval().lower());
            }
        }
    }

    @Test
    void impossibleCounts_areRejected_namingTheArguments() {
        assertThatThrownBy(() -> Wilson.estimate(11, 10, 0.95)).hasMessageContaining("k=11, n=10");
    }

    @ParameterizedTest(name = "{0}/{1} - {2}/{3}")
    @CsvSource({
            // the examples Newcombe (1998) tabulates for his method 10
            "56, 70, 48, 80, 0.0524, 0.3339",
            "9, 10, 3, 10, 0.1705, 0.8090",
            "5, 56, 0, 29, -0.0381, 0.1926",
            "0, 10, 0, 20, -0.1611, 0.2775",
            "0, 10, 0, 10, -0.2775, 0.2775",
            "10, 10, 0, 10, 0.6075, 1.0000"})
    void newcombeHybridScore_matchesTheTabulatedExamples(long k1, long n1, long k2, long n2, double lower,
                                                         double upper) {
        Estimate d = Wilson.difference(k1, n1, k2, n2, 0.95);

        assertThat(d.value()).isCloseTo((double) k1 / n1 - (double) k2 / n2, within(1e-12));
        assertThat(d.interval().lower()).isCloseTo(lower, within(5e-5));
        assertThat(d.interval().upper()).isCloseTo(upper, within(5e-5));
    }
}
