package io.steerguard.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class StallWatchdogTest {

    private final AtomicBoolean full = new AtomicBoolean();
    private final AtomicLong now = new AtomicLong();
    private final AtomicInteger cuts = new AtomicInteger();
    private final StallWatchdog watchdog = new StallWatchdog(full::get, now::get, 1_000, cuts::incrementAndGet);

    @Test
    void aClientThatStopsReading_isCutOnce_afterTheAllowedStall() {
        full.set(true);
        assertThat(watchdog.tick()).isFalse();
        now.set(999);
        assertThat(watchdog.tick()).isFalse();
        now.set(1_000);
        assertThat(watchdog.tick()).isTrue();
        now.set(5_000);
        assertThat(watchdog.tick()).isTrue();
        assertThat(cuts).hasValue(1);
    }

    @Test
    void aSlowClientThatStillReads_resetsTheClock() {
        for (int i = 0; i < 10; i++) {
            full.set(true);
            now.addAndGet(900);
            assertThat(watchdog.tick()).isFalse();
            full.set(false); // the client took some bytes
            assertThat(watchdog.tick()).isFalse();
        }
        assertThat(cuts).hasValue(0);
    }
}
