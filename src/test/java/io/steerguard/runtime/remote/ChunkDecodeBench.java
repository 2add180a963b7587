package io.steerguard.runtime.remote;

import com.fasterxml.jackson.core.JsonFactory;
import io.steerguard.runtime.remote.FakeUpstream.Chunks;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Rerunnable micro-benchmark of the per-request client-side decoding work, without any network:
 * one exchange's {@link SseParser} and {@link StreamChunk} (created per request, as
 * {@link UpstreamExchange} does) parse a vLLM-shaped chat stream (role chunk, {@code tokens}
 * content chunks, finish, usage, {@code [DONE]}), or decode the same answer as one
 * {@code chat.completion} JSON body. Prints CPU time and bytes allocated per request (median of
 * the measured rounds; allocation from {@code ThreadMXBean.getThreadAllocatedBytes}). Each parser
 * releases its buffers at the end, as the exchange does, so the next request on the thread reuses them;
 * {@code no-reuse} skips that, which is what every request cost before the buffers were reused. Not a test.
 *
 * <p>Run: {@code java -cp target/test-classes:target/classes:$(cat target/bench-classpath.txt)
 * io.steerguard.runtime.remote.ChunkDecodeBench [tokens] [rounds] [no-reuse]} (classpath from
 * {@code src/test/bench/runtime-bench.sh} or {@code ./mvnw dependency:build-classpath}).
 */
public final class ChunkDecodeBench {

    private static final JsonFactory JSON = new JsonFactory();

    /** Keeps the JIT from discarding the work. */
    private static long sink;
    /** Whether parsers hand their buffers on when done, as {@link UpstreamExchange} does. */
    private static boolean reuse = true;

    public static void main(String[] args) {
        int tokens = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        reuse = !(args.length > 2 && args[2].equals("no-reuse"));
        StringBuilder sse = new StringBuilder("data: ").append(Chunks.chatRole()).append("\n\n");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < tokens; i++) {
            String piece = " tok" + (i % 10);
            text.append(piece);
            sse.append("data: ").append(Chunks.chatDelta(piece)).append("\n\n");
        }
        sse.append("data: ").append(Chunks.chatFinish("stop")).append("\n\n");
        sse.append("data: ").append(Chunks.usage(12, tokens)).append("\n\n").append("data: [DONE]\n\n");
        byte[] stream = sse.toString().getBytes(StandardCharsets.UTF_8);
        byte[] whole = Chunks.chatCompletion(text.toString(), "stop", 12, tokens).getBytes(StandardCharsets.UTF_8);
        System.out.printf("%d content tokens: event stream %d bytes, JSON answer %d bytes%n", tokens, stream.length, whole.length);
        measure("event stream", rounds, () -> decodeStream(stream));
        measure("JSON answer", rounds, () -> decodeWhole(whole));
    }

    private static long decodeStream(byte[] body) {
        SseParser parser = new SseParser(4 * 1024 * 1024);
        StreamChunk chunk = new StreamChunk();
        long[] chars = {0};
        parser.append(body, 0, body.length);
        SseParser.Sink sink = (data, offset, length) -> {
            if (length == 6 && data[offset] == '[') {
                return;
            }
            try {
                chunk.decode(JSON, data, offset, length);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            if (chunk.content != null) {
                chars[0] += chunk.content.length();
            }
        };
        while (parser.next(sink)) {
            // one event per call
        }
        if (reuse) {
            parser.release();
        }
        return chars[0];
    }

    private static long decodeWhole(byte[] body) {
        StreamChunk chunk = new StreamChunk();
        try {
            chunk.decode(JSON, body, 0, body.length);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return chunk.content.length();
    }

    private static void measure(String label, int rounds, java.util.function.LongSupplier work) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        int perRound = 200_000;
        double[] nanos = new double[rounds];
        double[] bytes = new double[rounds];
        for (int r = -3; r < rounds; r++) { // three unmeasured warm-up rounds
            long a0 = mx.getThreadAllocatedBytes(thread);
            long c0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < perRound; i++) {
                sink += work.getAsLong();
            }
            long c1 = mx.getCurrentThreadCpuTime();
            long a1 = mx.getThreadAllocatedBytes(thread);
            if (r >= 0) {
                nanos[r] = (c1 - c0) / (double) perRound;
                bytes[r] = (a1 - a0) / (double) perRound;
            }
        }
        Arrays.sort(nanos);
        Arrays.sort(bytes);
        System.out.printf("%-13s CPU %.0f ns/request (rounds %.0f-%.0f), allocated %.0f bytes/request%n", label,
                nanos[rounds / 2], nanos[0], nanos[rounds - 1], bytes[rounds / 2]);
    }
}
