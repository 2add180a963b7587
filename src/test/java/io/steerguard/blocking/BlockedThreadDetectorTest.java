package io.steerguard.blocking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * The suite-wide blocked-thread check catches a real block: an event loop of a Vert.x of its own
 * (a 137 ms limit, checked every 20 ms) is blocked for 600 ms. The warning is recorded, and
 * another handler on the same logger still gets it (the recorder hides nothing). The test claims
 * the warnings it caused, by their unique time limit, so they fail neither it nor the build.
 */
class BlockedThreadDetectorTest {

    @Test
    void aDeliberatelyBlockedEventLoop_isRecorded_andStillReachesTheOtherHandlers() throws Exception {
        List<String> alsoSeen = new CopyOnWriteArrayList<>();
        Handler other = new Handler() {
            @Override
            public void publish(LogRecord record) {
                alsoSeen.add(String.valueOf(record.getMessage()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger checker = Logger.getLogger(BlockedThreadWarnings.CATEGORY);
        checker.addHandler(other);
        BlockedThreadWarnings.install();
        int before = BlockedThreadWarnings.seen();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1)
                .setBlockedThreadCheckInterval(20).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
                .setMaxEventLoopExecuteTime(137).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
        try {
            CountDownLatch done = new CountDownLatch(1);
            vertx.runOnContext(v -> {
                try {
                    Thread.sleep(600); // the block under test
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                done.countDown();
            });
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(200); // a check already under way when the block ended may still report it
            await().atMost(Duration.ofSeconds(5)).until(() -> BlockedThreadWarnings.seen() > before);
            List<String> mine = BlockedThreadWarnings.claim(w -> w.contains("time limit is 137 ms"));
            assertThat(mine).as("warnings recorded for the 600 ms block").isNotEmpty()
                    .allMatch(w -> w.contains("has been blocked for"));
            assertThat(alsoSeen).as("the same warnings, seen by another handler").anyMatch(w -> w.contains("time limit is 137 ms"));
        } finally {
            checker.removeHandler(other);
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
