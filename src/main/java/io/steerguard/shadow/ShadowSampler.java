package io.steerguard.shadow;

import java.nio.charset.StandardCharsets;

/**
 * Deterministic sampling by request id: the same id is always in or out at a given rate, and the
 * ids in are a uniform share of all ids, so tests and incident reviews can predict which requests
 * were mirrored.
 */
public final class ShadowSampler {

    private ShadowSampler() {
    }

    /** Whether {@code requestId} is mirrored at {@code rate} (0 = never, 1 = always). */
    public static boolean sampled(String requestId, double rate) {
        if (rate <= 0) {
            return false;
        }
        return rate >= 1 || unitInterval(requestId) < rate;
    }

    /**
     * Maps an id to [0, 1): FNV-1a 64 over its UTF-8 bytes, then a 64-bit finaliser (murmur3's
     * fmix64) so that ids differing in one character land far apart, then the top 53 bits as a double.
     */
    static double unitInterval(String requestId) {
        long h = 0xcbf29ce484222325L;
        for (byte b : requestId.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (h >>> 11) * 0x1.0p-53;
    }
}
