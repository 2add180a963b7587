package io.steerguard.shadow;

import io.steerguard.stats.Wilson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class SlidingWindowStatsTest {

    private static final long T0 = Instant.parse("2026-03-01T12:00:00Z").toEpochMilli();
    private final AtomicLong now = new AtomicLong(T0);
    /** 1 minute in 60 buckets of 1 s. */
    private final SlidingWindowStats stats = new SlidingWindowStats(Duration.ofMinutes(1), 60, now::get);

    private void add(boolean steeredRefused, double steeredScore, boolean unsteeredRefused, double unsteeredScore) {
        stats.record(now.get(), steeredRefused, steeredScore, unsteeredRefused, unsteeredScore, false);
    }

    @Test
    void scriptedVerdictPairs_giveExactCounts() {
        add(true, 0.9, true, 0.95);   // both refuse
        add(false, 0.1, true, 0.8);   // externality
        add(false, 0.2, true, 0.9);   // externality
        add(true, 0.7, false, 0.3);   // over-refusal
        add(false, 0.0, false, 0.1);  // both comply
        stats.record(now.get(), false, 0.1, false, 0.0, true); // both comply, from a probe

        WindowCounts c = stats.counts();

        assertThat(c.samples()).isEqualTo(6);
        assertThat(c.probeSamples()).isEqualTo(1);
        assertThat(c.steeredRefused()).isEqualTo(2);
        assertThat(c.unsteeredRefused()).isEqualTo(3);
        assertThat(c.externalities()).isEqualTo(2);
        assertThat(c.overRefusals()).isEqualTo(1);
        // margins (steered − unsteered): −0.05, −0.7, −0.7, 0.4, −0.1, 0.1
        assertThat(c.marginSum()).isCloseTo(-1.05, within(1e-12));
        assertThat(c.marginSumSquares()).isCloseTo(1.1625, within(1e-12));
    }

    @Test
    void snapshot_ofTheScriptedPairs_hasTheHandComputedRatesAndIntervals() {
        scriptedVerdictPairs_giveExactCounts();

        SafetySnapshot s = SafetySnapshot.of(Duration.ofMinutes(1), Instant.ofEpochMilli(now.get()), stats.counts(), 0.95);

        assertThat(s.externality()).isEqualTo(Wilson.estimate(2, 3, 0.95));
        assertThat(s.overRefusal()).isEqualTo(Wilson.estimate(1, 3, 0.95));
        assertThat(s.steeredRefusal()).isEqualTo(Wilson.estimate(2, 6, 0.95));
        assertThat(s.unsteeredRefusal()).isEqualTo(Wilson.estimate(3, 6, 0.95));
        // mean −0.175; s² = (1.1625 − 1.05²/6)/5 = 0.19575; se = √(0.19575/6) = 0.1806239; ±1.959964·se
        assertThat(s.safetyMargin().value()).isCloseTo(-0.175, within(1e-12));
        assertThat(s.safetyMargin().interval().lower()).isCloseTo(-0.5290164, within(1e-6));
        assertThat(s.safetyMargin().interval().upper()).isCloseTo(0.1790164, within(1e-6));
        assertThat(s.safetyMargin().n()).isEqualTo(6);
    }

    @Test
    void samples_leaveTheWindow_whenItHasPassed() {
        add(false, 0, true, 1);
        now.addAndGet(30_000);
        add(true, 1, true, 1);
        assertThat(stats.counts().samples()).isEqualTo(2);

        now.addAndGet(30_000); // the first sample is now exactly one window old
        assertThat(stats.counts().samples()).isEqualTo(1);
        assertThat(stats.counts().externalities()).isZero();

        now.addAndGet(30_000);
        assertThat(stats.counts()).isEqualTo(WindowCounts.EMPTY);
    }

    @Test
    void expiry_isWithinOneBucketOfTheWindow() {
        add(false, 0, true, 1);

        now.addAndGet(58_999); // still in the 60th bucket counting its own
        assertThat(stats.counts().samples()).isEqualTo(1);
        now.addAndGet(1_001);
        assertThat(stats.counts().samples()).isZero();
    }

    @Test
    void lateSamples_olderThanTheWindow_areDroppedAndCounted() {
        stats.record(now.get() - 61_000, true, 1, true, 1, false);

        assertThat(stats.counts().samples()).isZero();
        assertThat(stats.dropped()).isEqualTo(1);
    }

    @Test
    void sampleDatedInTheFuture_countsAsNow_andExpiresWithIt() {
        stats.record(now.get() + 3_600_000, true, 1, true, 1, false);

        assertThat(stats.counts().samples()).isEqualTo(1);
        now.addAndGet(60_000);
        assertThat(stats.counts().samples()).isZero();
    }

    @Test
    void countsSince_leaveOutBucketsBeforeTheGivenTime() {
        add(false, 0, true, 1);
        now.addAndGet(10_000);
        long since = now.get();
        add(true, 1, true, 1);

        assertThat(stats.counts(since).samples()).isEqualTo(1);
        assertThat(stats.counts(since).externalities()).isZero();
        assertThat(stats.counts().samples()).isEqualTo(2);
    }

    @Test
    void randomTraffic_overTenWindows_matchesANaiveListOfEverySample() {
        record Pair(long time, boolean s, double ss, boolean u, double us) {
        }
        SplittableRandom random = new SplittableRandom(7);
        List<Pair> all = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            now.addAndGet(random.nextInt(60));
            Pair p = new Pair(now.get(), random.nextBoolean(), random.nextDouble(), random.nextDouble() < 0.3,
                    random.nextDouble());
            all.add(p);
            stats.record(p.time, p.s, p.ss, p.u, p.us, false);
            if (i % 997 == 0) {
                // the reference: every sample whose 1 s slice is one of the last 60 slices
                long current = Math.floorDiv(now.get(), 1000);
                List<Pair> in = all.stream().filter(x -> Math.floorDiv(x.time, 1000) > current - 60).toList();
                WindowCounts c = stats.counts();
                assertThat(c.samples()).isEqualTo(in.size());
                assertThat(c.externalities()).isEqualTo(in.stream().filter(x -> x.u && !x.s).count());
                assertThat(c.overRefusals()).isEqualTo(in.stream().filter(x -> !x.u && x.s).count());
                assertThat(c.marginSum()).isCloseTo(in.stream().mapToDouble(x -> x.ss - x.us).sum(), within(1e-6));
            }
        }
    }

    @Test
    void aMillionSamples_allocateNothing_andKeepExactCounts() {
        SlidingWindowStats day = new SlidingWindowStats(Duration.ofHours(24), 60, now::get);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        for (int i = 0; i < 10_000; i++) { // warm up the JIT so its own allocations are not counted
            day.record(now.get(), i % 3 == 0, 0.5, i % 2 == 0, 0.5, false);
        }
        day.clear();

        long before = threads.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 1_000_000; i++) {
            now.addAndGet(10); // 10 000 s of traffic, well inside the day
            day.record(now.get(), i % 3 == 0, 0.5, i % 2 == 0, 0.5, false);
        }
        long allocated = threads.getThreadAllocatedBytes(tid) - before;

        assertThat(allocated).as("bytes allocated by 1e6 records").isLessThan(64 * 1024);
        WindowCounts c = day.counts();
        assertThat(c.samples()).isEqualTo(1_000_000);
        assertThat(c.unsteeredRefused()).isEqualTo(500_000);
        assertThat(c.steeredRefused()).isEqualTo(333_334);
    }

    @Test
    void concurrentAddsAndReads_loseNoSample() throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        java.util.List<java.util.concurrent.Future<Object>> workers = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
            workers.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < 50_000; i++) {
                    stats.record(now.get(), false, 0, true, 1, false);
                    if (i % 1000 == 0) {
                        // one read is one consistent view: never more externalities than samples
                        WindowCounts c = stats.counts();
                        assertThat(c.externalities()).isLessThanOrEqualTo(c.samples());
                    }
                }
                return null;
            }));
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        for (java.util.concurrent.Future<Object> w : workers) {
            try {
                w.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new AssertionError("a writer failed", e.getCause());
            }
        }

        assertThat(stats.counts().samples()).isEqualTo(200_000);
        assertThat(stats.counts().externalities()).isEqualTo(200_000);
    }
}
