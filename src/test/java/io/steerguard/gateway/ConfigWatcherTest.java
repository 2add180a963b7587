package io.steerguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class ConfigWatcherTest {

    private final AtomicReference<String> files = new AtomicReference<>("v1");
    private final List<String> reloads = new ArrayList<>();

    @Test
    void aFileCaughtMidWrite_isNeverApplied_onlyTheSettledOne() {
        ConfigWatcher watcher = new ConfigWatcher(files::get, () -> reloads.add(files.get()), "v1");
        files.set("v2 cut off after ---"); // a writer is half-way through
        assertThat(watcher.poll()).isFalse();
        files.set("v2 complete");
        assertThat(watcher.poll()).isFalse();
        assertThat(watcher.poll()).isTrue();
        assertThat(watcher.poll()).isFalse();
        assertThat(reloads).containsExactly("v2 complete");
    }

    @Test
    void theWatcherSurvives_anErrorThrownByAReload_andKeepsWatching() {
        List<String> seen = new ArrayList<>();
        ConfigWatcher watcher = new ConfigWatcher(files::get, () -> {
            seen.add(files.get());
            if (files.get().equals("v2")) {
                throw new StackOverflowError("template recursion");
            }
        }, "v1");
        files.set("v2");
        watcher.poll();
        assertThat(watcher.poll()).as("the Error is contained").isFalse();
        files.set("v3");
        watcher.poll();
        assertThat(watcher.poll()).isTrue();
        assertThat(seen).containsExactly("v2", "v3");
    }

    @Test
    void aSnapshotThatThrows_isContainedToo() {
        ConfigWatcher watcher = new ConfigWatcher(() -> {
            throw new OutOfMemoryError("simulated");
        }, () -> reloads.add("x"), "v1");
        assertThat(watcher.poll()).isFalse();
        assertThat(reloads).isEmpty();
    }
}
