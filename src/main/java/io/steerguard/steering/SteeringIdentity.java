package io.steerguard.steering;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

import io.steerguard.runtime.SteeringSpec;

/**
 * What a steering profile serves, as one SHA-256: the runtime, and for every entry its operator,
 * layers, coefficient, target, positions and the <em>values</em> of the directions the runtime
 * applies. Two profiles with the same identity steer the model the same way, whatever the files
 * on disk look like now: a file that breaks after it loaded keeps its last good vectors and its
 * identity; a file rewritten with other bytes but the same values keeps it too.
 *
 * <p>Canonical form of a direction: the layer, the length, then each component as its IEEE-754
 * bits (big-endian), with {@code -0.0} written as {@code 0.0}. Layers are taken in ascending
 * order. Entries a remote server resolves itself (no loaded directions) contribute
 * {@code sourceDigest(source)}: the caller's digest of what the server will load.
 */
public final class SteeringIdentity {

    private SteeringIdentity() {
    }

    /**
     * @param runtime      the runtime the profile steers
     * @param spec         the steering as resolved for serving
     * @param sourceDigest digest of the content behind an entry's {@code source}, for entries without
     *                     loaded directions (remote runtimes)
     * @return 64 hex digits
     */
    public static String of(String runtime, SteeringSpec spec, Function<String, String> sourceDigest) {
        MessageDigest sha = sha256();
        text(sha, "steerguard-identity/1");
        text(sha, runtime);
        for (SteeringSpec.Entry e : spec.entries()) {
            text(sha, "entry");
            text(sha, e.operator().name());
            text(sha, e.positions().mode().name() + ":" + e.positions().k());
            sha.update(longBytes(Double.doubleToLongBits(canonical(e.coefficient()))));
            sha.update(longBytes(Double.doubleToLongBits(canonical(e.target()))));
            text(sha, Boolean.toString(e.normalize()));
            text(sha, e.layers().toString());
            if (e.hasDirections()) {
                List<Integer> layers = new ArrayList<>(e.directions().keySet());
                layers.sort(Integer::compare);
                for (int layer : layers) {
                    float[] v = e.directions().get(layer);
                    ByteBuffer b = ByteBuffer.allocate(8 + 4 * v.length);
                    b.putInt(layer).putInt(v.length);
                    for (float x : v) {
                        b.putInt(Float.floatToIntBits(x == 0.0f ? 0.0f : x));
                    }
                    sha.update(b.array());
                }
            } else {
                text(sha, "source");
                text(sha, sourceDigest.apply(e.source()));
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The first 12 hex digits, for messages. */
    public static String abbreviate(String identity) {
        return identity.length() > 12 ? identity.substring(0, 12) : identity;
    }

    private static double canonical(double d) {
        return d == 0.0 ? 0.0 : d;
    }

    /** Length-prefixed, so no two different sequences of strings hash the same bytes. */
    private static void text(MessageDigest sha, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        sha.update(bytes);
    }

    private static byte[] longBytes(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
