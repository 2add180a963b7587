package io.steerguard.runtime.remote;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SseParserTest {

    /** CRLF and LF line ends, a comment, an ignored field, a two-line event, multi-byte UTF-8 (2, 3 and 4 bytes). */
    private static final String FIXTURE = ": ping\r\n"
            + "data: {\"c\":\"caf\u00e9\"}\r\n\r\n"
            + "event: message\n"
            + "id: 7\n"
            + "data: {\"c\":\"\u65e5\u672c\"}\n\n"
            + "data:{\"c\":\"\uD83D\uDE42\"}\n\n"
            + "data: first line\n"
            + "data: second line\n\n"
            + ":\n"
            + "data: [DONE]\n\n";

    private static final List<String> EXPECTED = List.of(
            "{\"c\":\"caf\u00e9\"}", "{\"c\":\"\u65e5\u672c\"}", "{\"c\":\"\uD83D\uDE42\"}",
            "first line\nsecond line", "[DONE]");

    @Test
    void wholeFixture_yieldsEveryEventInOrder() {
        byte[] bytes = FIXTURE.getBytes(StandardCharsets.UTF_8);
        assertThat(parse(List.of(bytes))).containsExactlyElementsOf(EXPECTED);
    }

    @Test
    void splittingAtEveryByteOffset_yieldsTheSameEvents_evenInsideUtf8Characters() {
        byte[] bytes = FIXTURE.getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= bytes.length; cut++) {
            byte[] a = java.util.Arrays.copyOfRange(bytes, 0, cut);
            byte[] b = java.util.Arrays.copyOfRange(bytes, cut, bytes.length);
            assertThat(parse(List.of(a, b))).as("split at byte %d", cut).containsExactlyElementsOf(EXPECTED);
        }
    }

    @Test
    void feedingOneByteAtATime_yieldsTheSameEvents() {
        byte[] bytes = FIXTURE.getBytes(StandardCharsets.UTF_8);
        List<byte[]> pieces = new ArrayList<>();
        for (byte x : bytes) {
            pieces.add(new byte[]{x});
        }
        assertThat(parse(pieces)).containsExactlyElementsOf(EXPECTED);
    }

    @Test
    void crlfSplitBetweenChunks_endsTheLineOnce() {
        List<byte[]> pieces = List.of(utf8("data: a\r"), utf8("\n\r"), utf8("\ndata: b\r\n\r\n"));
        assertThat(parse(pieces)).containsExactly("a", "b");
    }

    @Test
    void bareCarriageReturns_endLinesToo() {
        assertThat(parse(List.of(utf8("data: a\r\rdata: b\r\r")))).containsExactly("a", "b");
    }

    @Test
    void aBlankLineWithoutData_dispatchesNothing() {
        assertThat(parse(List.of(utf8("\n\n: keep-alive\n\nretry: 10\n\n")))).isEmpty();
    }

    @Test
    void onlyOneSpaceAfterTheColon_isStripped() {
        assertThat(parse(List.of(utf8("data:  two\n\ndata\n\n")))).containsExactly(" two", "");
    }

    @Test
    void nextDispatchesOneEventPerCall_andWaitsForTheBlankLine() {
        SseParser parser = new SseParser(1024);
        List<String> out = new ArrayList<>();
        SseParser.Sink sink = (d, o, l) -> out.add(new String(d, o, l, StandardCharsets.UTF_8));
        byte[] b = utf8("data: 1\n\ndata: 2\n\ndata: 3\n");
        parser.append(b, 0, b.length);
        assertThat(parser.next(sink)).isTrue();
        assertThat(out).containsExactly("1");
        assertThat(parser.next(sink)).isTrue();
        assertThat(parser.next(sink)).isFalse();
        assertThat(out).containsExactly("1", "2");
        assertThat(parser.hasBufferedBytes()).isTrue();
        assertThat(parser.finish(sink)).isTrue();
        assertThat(out).containsExactly("1", "2", "3");
    }

    @Test
    void finish_dispatchesAnUnterminatedLastLine() {
        SseParser parser = new SseParser(1024);
        List<String> out = new ArrayList<>();
        byte[] b = utf8("data: [DONE]");
        parser.append(b, 0, b.length);
        assertThat(parser.next((d, o, l) -> out.add("early"))).isFalse();
        assertThat(parser.finish((d, o, l) -> out.add(new String(d, o, l, StandardCharsets.UTF_8)))).isTrue();
        assertThat(out).containsExactly("[DONE]");
    }

    @Test
    void anEventLargerThanTheLimit_isAFault_notUnboundedGrowth() {
        SseParser parser = new SseParser(64);
        byte[] longLine = utf8("data: " + "x".repeat(100));
        parser.append(longLine, 0, longLine.length);
        assertThatThrownBy(() -> parser.next((d, o, l) -> { }))
                .isInstanceOf(SseParser.EventTooLargeException.class);

        SseParser multi = new SseParser(64);
        byte[] manyLines = utf8(("data: " + "y".repeat(30) + "\n").repeat(3));
        multi.append(manyLines, 0, manyLines.length);
        assertThatThrownBy(() -> multi.next((d, o, l) -> { }))
                .isInstanceOf(SseParser.EventTooLargeException.class);
    }

    @Test
    void aLongStreamOfEvents_isParsedCompletely_withNothingLeftBuffered() {
        SseParser parser = new SseParser(1024);
        byte[] event = utf8("data: " + "z".repeat(500) + "\n\n");
        List<Integer> lengths = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            parser.append(event, 0, event.length);
            while (parser.next((d, o, l) -> lengths.add(l))) {
                // drain
            }
        }
        assertThat(lengths).hasSize(10_000).allMatch(l -> l == 500);
        assertThat(parser.hasBufferedBytes()).isFalse();
    }

    @Test
    void parsersReusingReleasedBuffers_yieldTheSameEvents_atEverySplitOffset() {
        byte[] bytes = FIXTURE.getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= bytes.length; cut++) {
            // leave the thread's spare buffers dirty: a parser that stopped mid-event, full of other bytes
            SseParser dirty = new SseParser(1 << 20);
            byte[] junk = utf8("data: " + "x".repeat(700) + "\ndata: half an ev");
            dirty.append(junk, 0, junk.length);
            dirty.next((d, o, l) -> { });
            dirty.release();
            assertThat(dirty.hasBufferedBytes()).isFalse();

            byte[] a = java.util.Arrays.copyOfRange(bytes, 0, cut);
            byte[] b = java.util.Arrays.copyOfRange(bytes, cut, bytes.length);
            assertThat(parse(List.of(a, b))).as("split at byte %d", cut).containsExactlyElementsOf(EXPECTED);
        }
    }

    @Test
    void aReleasedParser_startsFromNothing_andAFreshOneReusesItsBuffers() {
        SseParser first = new SseParser(1 << 20);
        byte[] partial = utf8("data: {\"a\":1}\n\ndata: unfinished");
        first.append(partial, 0, partial.length);
        assertThat(first.next((d, o, l) -> { })).isTrue();
        first.release();
        assertThat(first.hasBufferedBytes()).isFalse();
        assertThat(first.finish((d, o, l) -> { throw new AssertionError("nothing may be left to dispatch"); })).isFalse();

        long before = allocated();
        SseParser second = new SseParser(1 << 20);
        byte[] event = utf8("data: {\"b\":2}\n\n");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            second.append(event, 0, event.length);
            second.next((d, o, l) -> out.add(l == 7 ? "ok" : "bad"));
            second.release();
            second = new SseParser(1 << 20);
        }
        long perParser = (allocated() - before) / 1000;

        assertThat(out).hasSize(1000).containsOnly("ok");
        assertThat(perParser).as("bytes allocated per parser").isLessThan(256); // the parser object, not its 512-byte buffers
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    private static List<String> parse(List<byte[]> pieces) {
        SseParser parser = new SseParser(1 << 20);
        List<String> out = new ArrayList<>();
        SseParser.Sink sink = (d, o, l) -> out.add(new String(d, o, l, StandardCharsets.UTF_8));
        for (byte[] p : pieces) {
            parser.append(p, 0, p.length);
            while (parser.next(sink)) {
                // drain every complete event
            }
        }
        parser.finish(sink);
        parser.release(); // the next parse on this thread reuses these buffers
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
