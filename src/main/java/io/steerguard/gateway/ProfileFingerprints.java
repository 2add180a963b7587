package io.steerguard.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import io.steerguard.config.SteeringProfileDocument;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.steering.SteeringIdentity;

/**
 * The identity a profile's state is bound to. A new identity is new steering: the state machine
 * sends it to PROBATION and a block on the old identity follows it nowhere else. It changes when
 * the vectors' values, the runtime that serves them or the server that steers them change.
 */
final class ProfileFingerprints {

    private ProfileFingerprints() {
    }

    /**
     * The identity of what a profile serves: vectors by their loaded values; for remote runtimes,
     * which load the file themselves, the bytes of the file they will load (or its path when this
     * process cannot read it).
     */
    static String identity(SteeringProfileDocument profile, SteeringSpec spec, Path baseDir) {
        return SteeringIdentity.of(servingIdentity(profile), spec, source -> {
            Path file = baseDir.resolve(source);
            try {
                return Files.isRegularFile(file) ? "sha256:" + sha256Hex(Files.readAllBytes(file)) : "path:" + source;
            } catch (IOException e) {
                return "path:" + source;
            }
        });
    }

    /**
     * The runtime part of a profile's identity: its runtime, and for a profile-routed one the server
     * that steers it too (another server is another steered model: re-routing sends it to PROBATION).
     */
    static String servingIdentity(SteeringProfileDocument p) {
        return p.routed() ? p.runtime() + "|servedBy=" + p.servedBy() : p.runtime();
    }

    /**
     * Identity of a profile without a resolved spec (not expected once a configuration applies):
     * its serving runtimes, its vector entries and the content of local vector files.
     */
    static String fingerprint(SteeringProfileDocument p, Path baseDir) {
        StringBuilder sb = new StringBuilder(servingIdentity(p));
        for (SteeringProfileDocument.VectorEntry v : p.vectors()) {
            sb.append('|').append(v.file()).append(v.layers()).append(v.coefficient()).append(v.operator())
                    .append(v.target()).append(v.positions()).append(v.normalization());
            Path file = baseDir.resolve(v.file());
            if (Files.isRegularFile(file)) {
                try {
                    sb.append(sha256Hex(Files.readAllBytes(file)));
                } catch (IOException e) {
                    sb.append("unreadable");
                }
            }
        }
        return sha256Hex(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
