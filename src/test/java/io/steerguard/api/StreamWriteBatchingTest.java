package io.steerguard.api;

import static io.steerguard.api.GatewayTestResource.ACME_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.steerguard.runtime.remote.FakeUpstream;
import io.steerguard.runtime.remote.FakeUpstream.Chunks;

/**
 * How streamed events are cut into HTTP chunks: the events of one upstream read leave in one
 * write (one chunk, one syscall), and events that arrive apart in time still leave at once.
 */
@QuarkusTest
class StreamWriteBatchingTest {

    private static final String BODY = "{\"model\":\"plain\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    @Test
    void eventsOfOneUpstreamRead_leaveInOneHttpChunk() throws Exception {
        // the whole upstream answer in one write, as a fast server (or the benchmark's nginx) sends it
        String all = "data: " + Chunks.chatRole() + "\n\n" + "data: " + Chunks.chatDelta("one") + "\n\n"
                + "data: " + Chunks.chatDelta("two") + "\n\n" + "data: " + Chunks.chatDelta("three") + "\n\n"
                + "data: " + Chunks.chatFinish("stop") + "\n\n" + "data: " + Chunks.usage(7, 3) + "\n\n"
                + "data: [DONE]\n\n";
        GatewayTestResource.upstream().enqueue(FakeUpstream.Reply.stream().raw(all));

        try (Socket socket = post()) {
            List<String> chunks = readChunks(socket.getInputStream());

            String joined = String.join("", chunks);
            assertThat(joined).contains("\"content\":\"one\"", "\"content\":\"three\"", "\"finish_reason\":\"stop\"")
                    .endsWith("data: [DONE]\n\n");
            assertThat(chunks).as("five events, one HTTP chunk: %s", chunks).hasSize(1);
        }
    }

    @Test
    void eventsArrivingApart_areSentAsTheyArrive() throws Exception {
        int before = GatewayTestResource.upstream().exchanges().size();
        GatewayTestResource.upstream().enqueue(FakeUpstream.Reply.chatStream("first", "second", "third")
                .delay(Duration.ofMillis(400)));

        try (Socket socket = post()) {
            InputStream in = socket.getInputStream();
            readHead(in);
            String firstChunk = readChunk(in);
            FakeUpstream.Exchange exchange = GatewayTestResource.upstream().awaitExchange(before, Duration.ofSeconds(5));

            assertThat(firstChunk).contains("\"content\":\"first\"").doesNotContain("second");
            assertThat(exchange.serverEnded()).as("the first token reached the client while the upstream was still "
                    + "generating").isFalse();
            List<String> rest = readBody(in);
            assertThat(rest).as("the remaining events of separate reads: %s", rest).hasSizeGreaterThanOrEqualTo(3);
        }
    }

    private static Socket post() throws IOException {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + ACME_KEY
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        return socket;
    }

    private static List<String> readChunks(InputStream in) throws IOException {
        String head = readHead(in);
        assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("transfer-encoding: chunked");
        return readBody(in);
    }

    /** The data chunks of a chunked body up to its terminating zero-size chunk. */
    private static List<String> readBody(InputStream in) throws IOException {
        List<String> chunks = new ArrayList<>();
        String chunk;
        while ((chunk = readChunk(in)) != null) {
            chunks.add(chunk);
        }
        return chunks;
    }

    /** One HTTP/1.1 chunk's data, or null for the last (zero-size) chunk. */
    private static String readChunk(InputStream in) throws IOException {
        int size = Integer.parseInt(readLine(in).trim(), 16);
        if (size == 0) {
            readLine(in);
            return null;
        }
        String data = new String(in.readNBytes(size), StandardCharsets.UTF_8);
        readLine(in);
        return data;
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        String line;
        while (!(line = readLine(in)).isEmpty()) {
            head.append(line).append('\n');
        }
        return head.toString();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("connection closed mid-line");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
