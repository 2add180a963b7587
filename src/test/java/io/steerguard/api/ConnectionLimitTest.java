package io.steerguard.api;

import static io.steerguard.api.GatewayTestResource.ACME_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;

/**
 * {@code quarkus.http.limits.max-connections} (4 here) counts every accepted connection: Quarkus
 * alone counts a cleartext connection only once its first request head is parsed, so connections
 * that never send one took no slot and a flood of them was never refused.
 */
@QuarkusTest
@TestProfile(ConnectionLimitTest.FourConnections.class)
class ConnectionLimitTest {

    public static class FourConnections implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // a long header deadline, so that only the limit closes connections here
            return Map.of("quarkus.http.limits.max-connections", "4", "steerguard.http.header-read-timeout", "60s");
        }
    }

    @Inject
    HttpHygiene hygiene;

    private static Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), RestAssured.port);
        socket.setSoTimeout(3_000);
        return socket;
    }

    /** Sends a complete request and returns the status line, or how the connection ended. */
    private static String ask(Socket socket) throws IOException {
        try {
            socket.getOutputStream().write(("GET /v1/models HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + ACME_KEY + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    return "closed";
                }
                line.append((char) c);
            }
            return line.toString().trim();
        } catch (SocketTimeoutException e) {
            return "no answer";
        } catch (IOException e) {
            return "closed";
        }
    }

    @Test
    void connectionsThatNeverSendAHead_holdSlots_andTheOneBeyondTheLimitIsClosed() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> hygiene.installedPort() == RestAssured.port);
        // RestAssured may keep a pooled connection from the wait above: count from what is open now
        await().atMost(Duration.ofSeconds(5)).until(() -> hygiene.openConnections() == 0);
        List<Socket> silent = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                silent.add(connect());
            }
            // no wait needed: connections are accepted in the order they were made
            try (Socket fifth = connect()) {
                assertThat(ask(fifth)).as("a fifth connection while four silent ones are open").isEqualTo("closed");
            }
            silent.remove(0).close();
            await().atMost(Duration.ofSeconds(5)).until(() -> hygiene.openConnections() == 3);
            try (Socket again = connect()) {
                assertThat(ask(again)).as("a slot freed by a closed connection").isEqualTo("HTTP/1.1 200 OK");
            }
        } finally {
            for (Socket s : silent) {
                s.close();
            }
        }
    }
}
