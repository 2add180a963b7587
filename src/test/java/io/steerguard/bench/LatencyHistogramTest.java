package io.steerguard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void smallValues_areRecordedExactly() {
        LatencyHistogram h = new LatencyHistogram();
        for (long v = 0; v < 128; v++) {
            h.record(v);
        }
        assertThat(h.percentile(50)).isEqualTo(63);
        assertThat(h.percentile(100)).isEqualTo(127);
        assertThat(h.min()).isZero();
    }

    @Test
    void bucketIndexes_areContiguous_andEveryValueLiesInItsBucket() {
        int previous = -1;
        for (long v = 0; v < 1 << 20; v++) {
            int index = LatencyHistogram.index(v);
            assertThat(index).isBetween(previous, previous + 1);
            assertThat(LatencyHistogram.highestInBucket(index)).isGreaterThanOrEqualTo(v);
            previous = index;
        }
    }

    @Test
    void percentiles_ofRandomLatencies_matchTheSortedValues_within1Point6Percent() {
        SplittableRandom random = new SplittableRandom(7);
        long[] values = new long[200_000];
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < values.length; i++) {
            // log-uniform from 10 µs to 10 s, in nanoseconds, like real latency spreads
            values[i] = (long) Math.exp(Math.log(10_000) + random.nextDouble() * Math.log(1_000_000));
            h.record(values[i]);
        }
        Arrays.sort(values);
        for (double p : new double[] {1, 50, 90, 99, 99.9, 99.99}) {
            long exact = values[(int) Math.ceil(p / 100 * values.length) - 1];
            assertThat((double) h.percentile(p)).as("p%s", p)
                    .isGreaterThanOrEqualTo(exact).isCloseTo(exact, within(exact / 64.0));
        }
        assertThat(h.percentile(100)).isEqualTo(values[values.length - 1]);
        assertThat(h.count()).isEqualTo(values.length);
    }

    @Test
    void add_mergesCountsAndExtremes() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        a.record(1_000);
        b.record(5_000_000_000L);
        a.add(b);
        assertThat(a.count()).isEqualTo(2);
        assertThat(a.max()).isEqualTo(5_000_000_000L);
        assertThat(a.percentile(50)).isBetween(1_000L, 1_015L);
        assertThat(a.mean()).isCloseTo(2_500_000_500.0, within(1.0));
    }

    @Test
    void negativeValues_andPercentilesOutOfRange_areRejected() {
        LatencyHistogram h = new LatencyHistogram();
        assertThatThrownBy(() -> h.record(-1)).hasMessageContaining("value");
        assertThatThrownBy(() -> h.percentile(101)).hasMessageContaining("percentile");
        assertThat(h.percentile(99)).isZero();
    }
}
