package io.steerguard.api;

import static io.steerguard.api.GatewayTestResource.ACME_KEY;
import static io.steerguard.api.GatewayTestResource.HEADER_READ_TIMEOUT_SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;

/**
 * The header-read deadline ({@code steerguard.http.header-read-timeout}, 3 s in tests) from a raw
 * socket: a client trickling header lines, or sending nothing, is disconnected once it passes,
 * although bytes keep flowing (the idle timeout never fires); a keep-alive connection may wait
 * longer than the deadline between requests, and a slow body is not a slow head.
 */
@QuarkusTest
class HeaderReadTimeoutTest {

    private static final long BOUND_MS = HEADER_READ_TIMEOUT_SECONDS * 1000L;
    /** Slack for a loaded machine: the deadline is checked on the event loop. */
    private static final long SLACK_MS = 2_500;

    @Inject
    HttpHygiene hygiene;

    @BeforeEach
    void hygieneIsInstalled() {
        // installed from an asynchronous start-up event: connections opened before are not guarded
        await().atMost(Duration.ofSeconds(10)).until(() -> hygiene.installedPort() == RestAssured.port);
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), RestAssured.port);
        socket.setSoTimeout((int) (BOUND_MS + SLACK_MS + 2_000));
        return socket;
    }

    /** Milliseconds from {@code since} until the peer closed, writing one header line every 250 ms meanwhile. */
    private static long trickleUntilClosed(Socket socket, long since, long giveUpMs) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        socket.setSoTimeout(250);
        InputStream in = socket.getInputStream();
        for (int line = 0; System.nanoTime() - since < giveUpMs * 1_000_000; line++) {
            try {
                if (in.read() < 0) {
                    return (System.nanoTime() - since) / 1_000_000;
                }
            } catch (SocketTimeoutException stillOpen) {
                // nothing to read: keep trickling
            } catch (IOException reset) {
                return (System.nanoTime() - since) / 1_000_000;
            }
            try {
                out.write(("X-Pad-" + line + ": a\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException closed) {
                return (System.nanoTime() - since) / 1_000_000;
            }
        }
        return -1;
    }

    private static long silentUntilClosed(Socket socket, long since) throws IOException {
        try {
            int b = socket.getInputStream().read();
            return b < 0 ? (System.nanoTime() - since) / 1_000_000 : -2;
        } catch (SocketTimeoutException stillOpen) {
            return -1;
        } catch (IOException reset) {
            return (System.nanoTime() - since) / 1_000_000;
        }
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + ACME_KEY + "\r\n\r\n";
    }

    /** Reads one response with a Content-Length body and returns its status line. */
    private static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                return "closed after " + head.length() + " bytes";
            }
            head.append((char) c);
        }
        int length = 0;
        for (String h : head.toString().split("\r\n")) {
            if (h.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(h.substring(15).trim());
            }
        }
        in.readNBytes(length);
        return head.substring(0, head.indexOf("\r\n"));
    }

    @Test
    void trickledHead_andSilentConnection_areClosedAtTheDeadline_whileKeepAliveWaitsAndSlowBodiesAreNot() throws Exception {
        try (Socket loris = connect(); Socket silent = connect(); Socket keepAlive = connect();
             Socket slowBody = connect()) {
            long t0 = System.nanoTime();
            OutputStream kaOut = keepAlive.getOutputStream();
            kaOut.write(get("/v1/models").getBytes(StandardCharsets.US_ASCII));
            kaOut.flush();
            assertThat(readResponse(keepAlive.getInputStream())).isEqualTo("HTTP/1.1 200 OK");
            // a head that is complete, then a body that is slower than the deadline
            OutputStream bodyOut = slowBody.getOutputStream();
            byte[] body = "{\"model\":\"no-such-model\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"
                    .getBytes(StandardCharsets.US_ASCII);
            bodyOut.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + ACME_KEY
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            bodyOut.write(body, 0, 4);
            bodyOut.flush();

            CompletableFuture<Long> silence = CompletableFuture.supplyAsync(() -> {
                try {
                    return silentUntilClosed(silent, t0);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            long trickled = trickleUntilClosed(loris, t0, BOUND_MS + SLACK_MS + 2_000);

            assertThat(trickled).as("ms until a trickled head was cut off (-1: still open)")
                    .isBetween(BOUND_MS - 200, BOUND_MS + SLACK_MS);
            assertThat(silence.get()).as("ms until a connection that sent nothing was closed (-1: still open)")
                    .isBetween(BOUND_MS - 200, BOUND_MS + SLACK_MS);

            // past the deadline: the idle keep-alive connection still takes a request
            Thread.sleep(Math.max(0, BOUND_MS + 500 - (System.nanoTime() - t0) / 1_000_000));
            kaOut.write(get("/v1/models").getBytes(StandardCharsets.US_ASCII));
            kaOut.flush();
            assertThat(readResponse(keepAlive.getInputStream())).as("a keep-alive request after a long wait")
                    .isEqualTo("HTTP/1.1 200 OK");
            // and the slow body is still being waited for: finishing it gets an answer, not a closed socket
            bodyOut.write(body, 4, body.length - 4);
            bodyOut.flush();
            assertThat(readResponse(slowBody.getInputStream())).as("a body slower than the deadline")
                    .startsWith("HTTP/1.1 ").doesNotStartWith("closed");
        }
    }
}
