package io.steerguard.blocking;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Watches the whole test run: the recorder is attached before the first test class loads, and
 * at the end every warning no test claimed is written to {@link BlockedThreadWarnings#MARKER},
 * which the build's enforcer rule refuses (see pom.xml), so a block between tests fails it too.
 */
public class BlockedThreadSession implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        BlockedThreadWarnings.install();
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        BlockedThreadWarnings.writeMarker();
    }
}
