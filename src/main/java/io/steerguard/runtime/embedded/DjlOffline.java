package io.steerguard.runtime.embedded;

/**
 * Keeps DJL off the network. Unless told it is offline, DJL probes the cloud metadata address
 * and a telemetry endpoint the first time an engine starts, and may try to download a libtorch;
 * a gateway must never do either (libtorch comes from the {@code pytorch-native-cpu} jar).
 * Setting the system properties before the first DJL call covers a forgotten
 * {@code DJL_OFFLINE}/{@code OPT_OUT_TRACKING} environment; explicit operator settings win.
 */
public final class DjlOffline {

    private DjlOffline() {
    }

    /** Idempotent; call before anything touches DJL. */
    public static void ensure() {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("OPT_OUT_TRACKING", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null && System.getenv(key) == null) {
            System.setProperty(key, value);
        }
    }
}
