package io.steerguard.tenant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Hashing and comparison of API keys; configuration holds only SHA-256 digests. */
public final class ApiKeys {

    private ApiKeys() {
    }

    /** Lowercase hex SHA-256 of the key's UTF-8 bytes, as {@code printf %s "$KEY" | sha256sum} prints it. */
    public static String sha256Hex(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * Whether {@code presentedKey} hashes to {@code expectedSha256Hex}, for a single configured key
     * (the admin key). The two digests are compared with {@link MessageDigest#isEqual}, whose time
     * does not depend on where they differ; since the digest of the presented key is compared, not
     * the key, even a leaky comparison would only reveal the configured digest, not the key.
     */
    public static boolean matches(String presentedKey, String expectedSha256Hex) {
        if (presentedKey == null || expectedSha256Hex == null || expectedSha256Hex.length() != 64) {
            return false;
        }
        byte[] expected;
        try {
            expected = HexFormat.of().parseHex(expectedSha256Hex);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(sha256(presentedKey), expected);
    }

    /** The token of an {@code Authorization: Bearer <token>} header, or {@code null}. */
    public static String bearerToken(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.length() < 8
                || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorizationHeader.substring(7).trim();
        return token.isEmpty() ? null : token;
    }
}
