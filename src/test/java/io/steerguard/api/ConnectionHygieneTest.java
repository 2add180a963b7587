package io.steerguard.api;

import static io.steerguard.api.GatewayTestResource.LIMITED_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/** What a client learns, and holds, before it has sent a body. */
@QuarkusTest
class ConnectionHygieneTest {

    /** Opens a loopback connection and sends only the headers of a chat request (plus a few body bytes). */
    private static Socket headersOnly(String key, int contentLength) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), RestAssured.port);
        socket.setSoTimeout(3_000);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key
                + "\r\nContent-Type: application/json\r\nContent-Length: " + contentLength + "\r\n\r\n{\"mo")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    private static String readStatusLine(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            line.append((char) c);
        }
        return line.toString().trim();
    }

    @Test
    void wrongKey_withAMegabyteContentLengthAndNoBody_isAnsweredAtOnce() throws IOException {
        long t0 = System.nanoTime();
        try (Socket socket = headersOnly("sk-wrong-key", 1_000_000)) {
            String status;
            try {
                status = readStatusLine(socket);
            } catch (SocketTimeoutException e) {
                status = "no answer within 3 s";
            }
            assertThat(status).isEqualTo("HTTP/1.1 401 Unauthorized");
        }
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2_000);
    }

    @Test
    void tenantBeyondItsConcurrencyCap_gets429_andSlotsFreeWhenRequestsEnd() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            held.add(headersOnly(LIMITED_KEY, 200));
            held.add(headersOnly(LIMITED_KEY, 200));
            Response third = null;
            for (int attempt = 0; attempt < 50; attempt++) {
                third = GatewayApiTest.chat(LIMITED_KEY, GatewayApiTest.userMessage("plain", "x"));
                if (third.statusCode() == 429) {
                    break;
                }
                Thread.sleep(20); // the two held requests may not have been admitted yet
            }
            assertThat(third.statusCode()).isEqualTo(429);
            assertThat(third.jsonPath().getString("error.code")).isEqualTo("concurrency_limit_exceeded");
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        String code = "concurrency_limit_exceeded";
        for (int attempt = 0; attempt < 100 && "concurrency_limit_exceeded".equals(code); attempt++) {
            Thread.sleep(20);
            code = GatewayApiTest.chat(LIMITED_KEY, "{}").jsonPath().getString("error.code");
        }
        assertThat(code).as("a closed connection gives its slot back").isNotEqualTo("concurrency_limit_exceeded");
    }
}
