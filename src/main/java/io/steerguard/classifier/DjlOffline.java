package io.steerguard.classifier;

/**
 * The in-process encoder tokenises with DJL's Hugging Face tokenizer. Unless told it is offline,
 * DJL probes the cloud metadata address (169.254.169.254) and a telemetry endpoint on first use,
 * which a gateway must never do. Setting the system properties before the first DJL call stops
 * that even when the environment variables DJL_OFFLINE / OPT_OUT_TRACKING were forgotten;
 * explicit settings by the operator win.
 */
final class DjlOffline {

    private DjlOffline() {
    }

    static void ensure() {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("OPT_OUT_TRACKING", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null && System.getenv(key) == null) {
            System.setProperty(key, value);
        }
    }
}
