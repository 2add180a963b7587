package io.steerguard.redis;

import io.steerguard.shadow.PairedSample;
import io.steerguard.shadow.SafetySnapshot;
import io.steerguard.shadow.SafetyStatistics;
import io.steerguard.shadow.WindowCounts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.steerguard.redis.RedisServerProcess;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.redis.client.RedisOptions;

/**
 * Two replicas' statistics sharing their windows through a real {@code redis-server}: each replica
 * has its own Redis client, as two gateway processes would.
 */
class RedisWindowStoreTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final Duration MINUTE = Duration.ofMinutes(1);
    /** 24-minute slices: a cached read's slice range does not move during the test. */
    private static final Duration DAY = Duration.ofHours(24);

    @TempDir
    Path dir;

    private RedisServerProcess server;
    private Vertx vertx;
    private final List<RedisWindowStore> stores = new ArrayList<>();

    @BeforeEach
    void startRedis() throws Exception {
        server = RedisServerProcess.start(dir);
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stopAll() throws Exception {
        vertx.closeAndAwait();
        server.close();
    }

    private Redis client() {
        return Redis.createClient(vertx, new RedisOptions().setConnectionString(server.uri()));
    }

    private SafetyStatistics replica(List<Duration> windows, int buckets, Duration cache) {
        RedisWindowStore store = new RedisWindowStore(client(), "steerguard", TIMEOUT, cache, Duration.ofMillis(200),
                System::currentTimeMillis);
        stores.add(store);
        return new SafetyStatistics(System::currentTimeMillis, windows, buckets, store);
    }

    private static PairedSample pair(boolean steeredRefused, double steeredScore, boolean unsteeredRefused,
                                     double unsteeredScore, PairedSample.Source source) {
        return new PairedSample("p", "acme", Instant.now(), steeredRefused, steeredScore, unsteeredRefused,
                unsteeredScore, source);
    }

    private static WindowCounts counts(SafetyStatistics s, Duration window) {
        SafetySnapshot snap = s.profile("p").snapshot(window, 0.95);
        return snap.counts();
    }

    @Test
    void twoReplicas_recordIntoSharedCounters_andBothSnapshotsShowTheExactSum() {
        SafetyStatistics a = replica(List.of(MINUTE, Duration.ofHours(1)), 60, Duration.ZERO);
        SafetyStatistics b = replica(List.of(MINUTE, Duration.ofHours(1)), 60, Duration.ZERO);
        List<PairedSample> fromA = List.of(pair(false, 0.1, true, 0.9, PairedSample.Source.LIVE),
                pair(true, 0.8, false, 0.2, PairedSample.Source.LIVE),
                pair(true, 0.7, true, 0.75, PairedSample.Source.PROBE));
        List<PairedSample> fromB = List.of(pair(false, 0.05, false, 0.1, PairedSample.Source.LIVE),
                pair(false, 0.3, true, 0.6, PairedSample.Source.PROBE));
        fromA.forEach(a::record);
        fromB.forEach(b::record);
        WindowCounts expected = WindowCounts.EMPTY;
        for (PairedSample s : concat(fromA, fromB)) {
            expected = expected.plus(WindowCounts.of(s.steeredRefused(), s.steeredScore(), s.unsteeredRefused(),
                    s.unsteeredScore(), s.source() == PairedSample.Source.PROBE));
        }

        await().atMost(Duration.ofSeconds(3)).until(() -> counts(a, MINUTE).samples() == 5
                && counts(b, Duration.ofHours(1)).samples() == 5);
        for (SafetyStatistics replica : List.of(a, b)) {
            for (Duration w : List.of(MINUTE, Duration.ofHours(1))) {
                WindowCounts c = counts(replica, w);
                assertThat(c.samples()).isEqualTo(5);
                assertThat(c.probeSamples()).isEqualTo(2);
                assertThat(c.steeredRefused()).isEqualTo(expected.steeredRefused()).isEqualTo(2);
                assertThat(c.unsteeredRefused()).isEqualTo(expected.unsteeredRefused()).isEqualTo(3);
                assertThat(c.externalities()).isEqualTo(expected.externalities()).isEqualTo(2);
                assertThat(c.overRefusals()).isEqualTo(expected.overRefusals()).isEqualTo(1);
                assertThat(c.marginSum()).isCloseTo(expected.marginSum(), within(1e-12));
                assertThat(c.marginSumSquares()).isCloseTo(expected.marginSumSquares(), within(1e-12));
            }
        }
        assertThat(a.profile("p").ensureWindow(MINUTE).counts().samples())
                .as("each replica still keeps its own local window").isEqualTo(3);
        assertThat(stores).allSatisfy(s -> assertThat(s.failures()).isZero());

        a.profile("p").clear();
        assertThat(counts(b, MINUTE)).as("a clear (vectors changed) reaches every replica").isEqualTo(WindowCounts.EMPTY);
    }

    @Test
    void samplesLeaveTheSharedWindow_andTheirHashesExpire() {
        Duration window = Duration.ofSeconds(2);
        SafetyStatistics a = replica(List.of(window), 4, Duration.ZERO);
        SafetyStatistics b = replica(List.of(window), 4, Duration.ZERO);
        a.record(pair(true, 0.9, false, 0.1, PairedSample.Source.LIVE));
        b.record(pair(true, 0.9, false, 0.1, PairedSample.Source.LIVE));
        await().atMost(Duration.ofSeconds(1)).until(() -> counts(b, window).samples() == 2);

        // A slice leaves the window between window − slice (1.5 s) and window (2 s) after it was taken.
        await().pollDelay(Duration.ofMillis(1400)).atMost(Duration.ofSeconds(3))
                .until(() -> counts(a, window).samples() == 0 && counts(b, window).samples() == 0);
        // Hashes expire one window after their slice ended: ≤ 2.5 s after the record.
        Redis admin = client();
        await().atMost(Duration.ofSeconds(3)).until(() ->
                admin.send(Request.cmd(Command.KEYS).arg("steerguard:stats:*")).await().atMost(TIMEOUT).size() == 0);
    }

    @Test
    void redisDown_snapshotsFallBackToTheLocalWindow_andUseTheSharedSumAgainAfterRecovery() throws Exception {
        SafetyStatistics a = replica(List.of(MINUTE), 60, Duration.ZERO);
        SafetyStatistics b = replica(List.of(MINUTE), 60, Duration.ZERO);
        a.record(pair(false, 0.1, true, 0.9, PairedSample.Source.LIVE));
        a.record(pair(false, 0.1, true, 0.9, PairedSample.Source.LIVE));
        b.record(pair(true, 0.9, false, 0.1, PairedSample.Source.LIVE));
        await().atMost(Duration.ofSeconds(2)).until(() -> counts(a, MINUTE).samples() == 3);

        server.kill();
        WindowCounts local = counts(a, MINUTE);
        assertThat(local.samples()).as("A alone while Redis is down").isEqualTo(2);
        assertThat(local.externalities()).isEqualTo(2);
        a.record(pair(false, 0.1, true, 0.9, PairedSample.Source.LIVE));
        assertThat(counts(a, MINUTE).samples()).as("still recorded locally").isEqualTo(3);
        assertThat(counts(b, MINUTE).samples()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(2)).until(() -> stores.get(0).failures() >= 2);
        assertThat(stores.get(0).available()).isFalse();

        server.startAgain(); // the AOF brings the three shared samples back
        await().atMost(Duration.ofSeconds(5)).until(() -> counts(a, MINUTE).samples() == 3
                && counts(b, MINUTE).samples() == 3 && counts(b, MINUTE).overRefusals() == 1);
        assertThat(stores.get(0).available()).isTrue();
        b.record(pair(true, 0.9, false, 0.1, PairedSample.Source.LIVE));
        await().atMost(Duration.ofSeconds(2)).until(() -> counts(a, MINUTE).samples() == 4);
    }

    @Test
    void aCachedRead_isReusedWithinTheCachePeriod() {
        SafetyStatistics a = replica(List.of(DAY), 60, Duration.ofMinutes(10));
        SafetyStatistics b = replica(List.of(DAY), 60, Duration.ZERO);
        assertThat(counts(a, DAY).samples()).isZero();
        b.record(pair(true, 0.9, false, 0.1, PairedSample.Source.LIVE));
        await().atMost(Duration.ofSeconds(2)).until(() -> counts(b, DAY).samples() == 1);
        assertThat(counts(a, DAY).samples()).as("served from the cache").isZero();
    }

    private static List<PairedSample> concat(List<PairedSample> x, List<PairedSample> y) {
        List<PairedSample> all = new ArrayList<>(x);
        all.addAll(y);
        return all;
    }
}
