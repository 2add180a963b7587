package io.steerguard.djl;

/**
 * Keeps DJL off the network in every process that loads it: the embedded runtime, the classifier's
 * bundled encoder (its tokenizer is DJL's) and the offline tools. Unless told it is offline, DJL
 * probes the cloud metadata address and a telemetry endpoint the first time an engine starts, and
 * may try to download a libtorch; a gateway must never do either (libtorch comes from the
 * {@code pytorch-native-cpu} jar). Setting the system properties before the first DJL call covers a
 * forgotten {@code DJL_OFFLINE}/{@code OPT_OUT_TRACKING} environment; explicit operator settings,
 * as a property or in the environment, win.
 */
public final class DjlOffline {

    private DjlOffline() {
    }

    /** Idempotent; call before anything touches DJL (its engine, or the tokenizer LangChain4j's encoders load). */
    public static void ensure() {
        setIfAbsent("ai.djl.offline", "DJL_OFFLINE", "true");
        setIfAbsent("OPT_OUT_TRACKING", "OPT_OUT_TRACKING", "true");
    }

    private static void setIfAbsent(String property, String environment, String value) {
        if (System.getProperty(property) == null && System.getenv(environment) == null) {
            System.setProperty(property, value);
        }
    }
}
