package io.steerguard.shadow;

import io.steerguard.stats.Estimate;
import io.steerguard.stats.Wilson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MisclassificationCorrectionTest {

    /** Pairs with the given observed cells (unsteered, steered): RR, RC, CR, CC. */
    private static WindowCounts cells(int rr, int rc, int cr, int cc) {
        return new WindowCounts(rr + rc + cr + cc, 0, rr + cr, rr + rc, rc, cr, 0, 0);
    }

    @Test
    void noMeasurement_givesExactlyTheWilsonInterval() {
        WindowCounts c = cells(80, 20, 5, 95);

        Estimate e = MisclassificationCorrection.externality(c, ClassifierError.NONE, 0.95);

        assertThat(e).isEqualTo(Wilson.estimate(20, 100, 0.95));
    }

    @Test
    void expectedCountsOfAMisreadPopulation_areCorrectedBackToTheTrueRate() {
        // True: unsteered always refuses, steered complies 20%. Se = Sp = 0.9, independent errors.
        double se = 0.9;
        double sp = 0.9;
        double rr = 0.8 * se * se + 0.2 * se * (1 - sp);
        double rc = 0.8 * se * (1 - se) + 0.2 * se * (1 - (1 - sp));
        double cr = 0.8 * (1 - se) * se + 0.2 * (1 - se) * (1 - sp);
        double cc = 1 - rr - rc - cr;
        int n = 100_000;
        WindowCounts c = cells((int) Math.round(rr * n), (int) Math.round(rc * n), (int) Math.round(cr * n),
                (int) Math.round(cc * n));
        ClassifierError error = ClassifierError.of(se, 1000, sp, 1000);

        Estimate corrected = MisclassificationCorrection.externality(c, error, 0.95);
        Estimate raw = MisclassificationCorrection.externality(c, ClassifierError.NONE, 0.95);

        assertThat(raw.value()).isGreaterThan(0.25);
        assertThat(corrected.value()).isCloseTo(0.20, within(0.005));
        assertThat(corrected.interval().lower()).isLessThan(0.20);
        assertThat(corrected.interval().upper()).isGreaterThan(0.20);
    }

    @Test
    void correctedInterval_isWiderThanTheUncorrectedOne_andWidensWithAnUncertainMeasurement() {
        WindowCounts c = cells(60, 15, 10, 15);

        Estimate raw = MisclassificationCorrection.externality(c, ClassifierError.NONE, 0.95);
        Estimate wellMeasured = MisclassificationCorrection.externality(c, ClassifierError.of(0.9, 5000, 0.9, 5000), 0.95);
        Estimate barelyMeasured = MisclassificationCorrection.externality(c, ClassifierError.of(0.9, 40, 0.9, 40), 0.95);

        assertThat(width(wellMeasured)).isGreaterThan(width(raw));
        assertThat(width(barelyMeasured)).isGreaterThan(width(wellMeasured));
        assertThat(wellMeasured.n()).isEqualTo(raw.n());
    }

    @Test
    void aCoinFlipClassifier_givesNoEstimate_soNoLimitCanBeExceeded() {
        Estimate e = MisclassificationCorrection.externality(cells(50, 50, 50, 50), ClassifierError.of(0.55, 100, 0.5, 100), 0.95);

        assertThat(e.hasData()).isFalse();
        assertThat(e.interval().lower()).isEqualTo(0);
    }

    @Test
    void overRefusal_isCorrectedToo() {
        // True: unsteered always complies, steered never refuses; 10% false refusals make some appear.
        WindowCounts c = cells(1, 9, 9, 81);

        Estimate corrected = MisclassificationCorrection.overRefusal(c, ClassifierError.of(0.9, 1000, 0.9, 1000), 0.95);
        Estimate raw = MisclassificationCorrection.overRefusal(c, ClassifierError.NONE, 0.95);

        assertThat(raw.value()).isCloseTo(0.1, within(0.001));
        assertThat(corrected.value()).isCloseTo(0.0, within(0.01));
    }

    @Test
    void snapshotOfAProfile_usesTheErrorItWasGiven() {
        long[] now = {0};
        ProfileStatistics stats = new ProfileStatistics("p", () -> now[0]);
        for (int i = 0; i < 100; i++) {
            boolean steeredRefused = i % 10 != 0;
            stats.record(new PairedSample("p", "t", java.time.Instant.ofEpochMilli(0), steeredRefused, steeredRefused ? 1 : 0,
                    true, 1, PairedSample.Source.LIVE));
        }
        double raw = stats.snapshot(java.time.Duration.ofHours(1), 0.95).externality().value();

        stats.useClassifierError(ClassifierError.of(0.9, 1000, 0.9, 1000));

        assertThat(raw).isCloseTo(0.1, within(1e-9));
        assertThat(stats.snapshot(java.time.Duration.ofHours(1), 0.95).externality().value()).isCloseTo(0.0, within(0.02));
    }

    private static double width(Estimate e) {
        return e.interval().upper() - e.interval().lower();
    }
}
