package io.steerguard.runtime.remote;

import io.vertx.core.buffer.Buffer;

/**
 * Incremental parser for {@code text/event-stream} bodies that hands out one event's {@code data}
 * at a time, only when asked: the caller pulls events as downstream demand allows, so unparsed
 * bytes wait here instead of becoming a queue of events.
 *
 * <p>It works on bytes, never on decoded text: a UTF-8 character split across network chunks is
 * only decoded after its event is complete. Lines end with {@code \n}, {@code \r\n} or {@code \r}
 * (a {@code \r\n} split between chunks counts once). Comment lines ({@code : ping}), fields other
 * than {@code data} and a single space after the colon are skipped, as the SSE specification says;
 * several {@code data} lines of one event are joined with {@code \n}.
 *
 * <p>Memory is bounded: one event (or one line) larger than {@code maxEventBytes} is a protocol
 * fault, not a reason to grow without end. Buffers are allocated on first use at the size of what
 * arrived (an exchange answered with one JSON body never allocates them, and a typical 2 kB stream
 * gets 2 kB, not a fixed 9 kB zeroed per request), then doubled when needed. When its exchange ends,
 * {@link #release} hands them to the next parser on the same thread (an exchange lives on one event
 * loop), so a busy loop allocates no parse buffers at all. Not thread-safe; one exchange owns one parser.
 */
final class SseParser {

    /** Receives the data of one complete event; the array is reused after the call returns. */
    interface Sink {
        void onEventData(byte[] data, int offset, int length);
    }

    /** An event or line exceeded the size limit. */
    static final class EventTooLargeException extends RuntimeException {
        EventTooLargeException(String message) {
            super(message, null, false, false);
        }
    }

    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private final int maxEventBytes;
    private static final byte[] EMPTY = new byte[0];
    /** Smallest buffer allocated: a few vLLM chunks. */
    private static final int MIN_BUFFER = 512;

    /**
     * Per thread, the buffers of parsers that finished ({@code [0]} received bytes, {@code [1]} event
     * data), at most one of each and none above {@link #MAX_SPARE} bytes, so what a thread keeps is bounded.
     */
    private static final ThreadLocal<byte[][]> SPARE = ThreadLocal.withInitial(() -> new byte[2][]);
    static final int MAX_SPARE = 64 * 1024;

    /** Received, not yet consumed bytes live in {@code [start, end)}. */
    private byte[] buf = EMPTY;
    private int start;
    private int end;
    /** The data of the event being assembled. */
    private byte[] data = EMPTY;
    private int dataLength;
    private boolean hasData;
    /** The previous line ended with {@code \r}: a {@code \n} right after it belongs to that line end. */
    private boolean skipLf;

    SseParser(int maxEventBytes) {
        if (maxEventBytes < 16) {
            throw new IllegalArgumentException("maxEventBytes must be at least 16");
        }
        this.maxEventBytes = maxEventBytes;
    }

    /** Appends received bytes. */
    void append(Buffer chunk) {
        int n = chunk.length();
        ensureRoom(n);
        chunk.getBytes(0, n, buf, end);
        end += n;
    }

    /** Appends received bytes (tests, and callers without a Vert.x buffer). */
    void append(byte[] bytes, int offset, int length) {
        ensureRoom(length);
        System.arraycopy(bytes, offset, buf, end, length);
        end += length;
    }

    /**
     * Parses until one event has been handed to {@code sink}.
     *
     * @return whether an event was dispatched; {@code false} means more bytes are needed
     * @throws EventTooLargeException when an event outgrows the limit
     */
    boolean next(Sink sink) {
        while (true) {
            if (skipLf && start < end) {
                if (buf[start] == LF) {
                    start++;
                }
                skipLf = false;
            }
            int lineEnd = -1;
            for (int i = start; i < end; i++) {
                byte b = buf[i];
                if (b == LF || b == CR) {
                    lineEnd = i;
                    break;
                }
            }
            if (lineEnd < 0) {
                if (end - start > maxEventBytes) {
                    throw new EventTooLargeException("an event-stream line exceeds " + maxEventBytes + " bytes");
                }
                return false;
            }
            skipLf = buf[lineEnd] == CR;
            int lineStart = start;
            start = lineEnd + 1;
            if (processLine(lineStart, lineEnd, sink)) {
                return true;
            }
        }
    }

    /**
     * At the end of the body: treats unterminated bytes as a last line and dispatches a pending
     * event even without its closing blank line (servers that end with {@code data: [DONE]\n}).
     *
     * @return whether an event was dispatched
     */
    boolean finish(Sink sink) {
        if (start < end) {
            int lineStart = start;
            int lineEnd = end;
            start = end;
            if (processLine(lineStart, lineEnd, sink)) {
                return true;
            }
        }
        return dispatch(sink);
    }

    /** Whether received bytes are still unconsumed (an event may be incomplete). */
    boolean hasBufferedBytes() {
        return start < end || hasData;
    }

    private boolean processLine(int from, int to, Sink sink) {
        if (from == to) {
            return dispatch(sink);
        }
        if (buf[from] == ':') {
            return false; // comment, e.g. a keep-alive ": ping"
        }
        int colon = -1;
        for (int i = from; i < to; i++) {
            if (buf[i] == ':') {
                colon = i;
                break;
            }
        }
        int nameEnd = colon < 0 ? to : colon;
        if (!isData(from, nameEnd)) {
            return false; // event, id, retry and unknown fields do not matter for OpenAI streams
        }
        int valueStart = colon < 0 ? to : colon + 1;
        if (valueStart < to && buf[valueStart] == ' ') {
            valueStart++;
        }
        int valueLength = to - valueStart;
        int needed = dataLength + (hasData ? 1 : 0) + valueLength;
        if (needed > maxEventBytes) {
            throw new EventTooLargeException("an event-stream event exceeds " + maxEventBytes + " bytes");
        }
        if (needed > data.length) {
            byte[] bigger = spare(1, needed);
            if (bigger == null) {
                bigger = new byte[Math.min(maxEventBytes, Math.max(Math.max(needed, MIN_BUFFER / 2), data.length * 2))];
            }
            System.arraycopy(data, 0, bigger, 0, dataLength);
            data = bigger;
        }
        if (hasData) {
            data[dataLength++] = LF;
        }
        System.arraycopy(buf, valueStart, data, dataLength, valueLength);
        dataLength += valueLength;
        hasData = true;
        return false;
    }

    private boolean dispatch(Sink sink) {
        if (!hasData) {
            return false;
        }
        int length = dataLength;
        hasData = false;
        dataLength = 0;
        sink.onEventData(data, 0, length);
        return true;
    }

    private boolean isData(int from, int to) {
        return to - from == 4 && buf[from] == 'd' && buf[from + 1] == 'a' && buf[from + 2] == 't' && buf[from + 3] == 'a';
    }

    private void ensureRoom(int extra) {
        if (start == end) {
            start = 0;
            end = 0;
        }
        if (end + extra <= buf.length) {
            return;
        }
        int live = end - start;
        if (live + extra <= buf.length && start > 0) {
            System.arraycopy(buf, start, buf, 0, live);
        } else {
            byte[] bigger = spare(0, live + extra);
            if (bigger == null) {
                bigger = new byte[Math.max(Math.max(buf.length * 2, MIN_BUFFER), live + extra)];
            }
            System.arraycopy(buf, start, bigger, 0, live);
            buf = bigger;
        }
        start = 0;
        end = live;
    }

    /**
     * Gives this parser's buffers to the next parser on this thread and forgets everything buffered.
     * Call once the exchange is over and no call into this parser is on the stack; using the parser
     * afterwards is allowed and starts from nothing.
     */
    void release() {
        byte[][] spare = SPARE.get();
        keep(spare, 0, buf);
        keep(spare, 1, data);
        buf = EMPTY;
        data = EMPTY;
        start = 0;
        end = 0;
        dataLength = 0;
        hasData = false;
        skipLf = false;
    }

    private static void keep(byte[][] spare, int slot, byte[] array) {
        if (array.length > 0 && array.length <= MAX_SPARE && (spare[slot] == null || spare[slot].length < array.length)) {
            spare[slot] = array;
        }
    }

    /** A released buffer of at least {@code min} bytes from this thread, taken out of the spare slot; or null. */
    private static byte[] spare(int slot, int min) {
        byte[][] spare = SPARE.get();
        byte[] b = spare[slot];
        if (b == null || b.length < min) {
            return null;
        }
        spare[slot] = null;
        return b;
    }
}
