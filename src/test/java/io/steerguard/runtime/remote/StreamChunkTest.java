package io.steerguard.runtime.remote;

import com.fasterxml.jackson.core.JsonFactory;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamChunkTest {

    private static final JsonFactory JSON = new JsonFactory();

    @Test
    void chatDelta_givesContent_andNoFinishReason() throws IOException {
        StreamChunk c = decode(FakeUpstream.Chunks.chatDelta("Hi \"there\"\n"));
        assertThat(c.content).isEqualTo("Hi \"there\"\n");
        assertThat(c.finishReason).isNull();
        assertThat(c.hasUsage()).isFalse();
        assertThat(c.logprob()).isNaN();
        assertThat(c.error).isNull();
    }

    @Test
    void finishChunk_givesFinishReason_andUsageChunk_givesCounts() throws IOException {
        StreamChunk finish = decode(FakeUpstream.Chunks.chatFinish("length"));
        assertThat(finish.finishReason).isEqualTo("length");
        assertThat(finish.content).isNull();
        StreamChunk usage = decode(FakeUpstream.Chunks.usage(12, 34));
        assertThat(usage.promptTokens).isEqualTo(12);
        assertThat(usage.completionTokens).isEqualTo(34);
    }

    @Test
    void completionsText_isReadFromChoiceText() throws IOException {
        assertThat(decode(FakeUpstream.Chunks.textDelta("abc")).content).isEqualTo("abc");
        assertThat(decode(FakeUpstream.Chunks.textFinish("stop")).finishReason).isEqualTo("stop");
    }

    @Test
    void chatLogprobs_ofSeveralTokensInOneChunk_areSummed() throws IOException {
        StreamChunk c = decode("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ab\"},\"logprobs\":{\"content\":["
                + "{\"token\":\"a\",\"logprob\":-0.5,\"bytes\":[97],\"top_logprobs\":[{\"token\":\"a\",\"logprob\":-0.5}]},"
                + "{\"token\":\"b\",\"logprob\":-1.25,\"bytes\":[98],\"top_logprobs\":[]}]},\"finish_reason\":null}]}");
        assertThat(c.content).isEqualTo("ab");
        assertThat(c.logprob()).isEqualTo(-1.75);
    }

    @Test
    void completionsLogprobs_areReadFromTokenLogprobs() throws IOException {
        StreamChunk c = decode("{\"choices\":[{\"index\":0,\"text\":\"x\",\"logprobs\":{\"tokens\":[\"x\"],"
                + "\"token_logprobs\":[-0.25],\"top_logprobs\":[{\"x\":-0.25}],\"text_offset\":[0]}}]}");
        assertThat(c.logprob()).isEqualTo(-0.25);
    }

    @Test
    void unknownFieldsAndExtraChoices_areSkipped() throws IOException {
        StreamChunk c = decode("{\"system_fingerprint\":{\"a\":[1,2,{\"b\":null}]},\"choices\":["
                + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"reasoning_content\":\"hmm\",\"content\":\"yes\","
                + "\"tool_calls\":[]},\"stop_reason\":null},"
                + "{\"index\":1,\"delta\":{\"content\":\"ignored\"}}],\"usage\":null}");
        assertThat(c.content).isEqualTo("yes");
        assertThat(c.hasUsage()).isFalse();
    }

    @Test
    void errorObject_midStream_givesItsMessage() throws IOException {
        assertThat(decode(FakeUpstream.Chunks.error("CUDA out of memory")).error).isEqualTo("CUDA out of memory");
        assertThat(decode("{\"error\":\"plain\"}").error).isEqualTo("plain");
        assertThat(decode("{\"object\":\"error\",\"message\":\"old vllm\",\"code\":400}").error).isEqualTo("old vllm");
        assertThat(decode("{\"error\":{\"code\":1}}").error).isEqualTo("upstream reported an error");
    }

    @Test
    void aDecoderIsReusable_andForgetsThePreviousChunk() throws IOException {
        StreamChunk c = new StreamChunk();
        byte[] first = FakeUpstream.Chunks.chatDelta("a").getBytes(StandardCharsets.UTF_8);
        c.decode(JSON, first, 0, first.length);
        byte[] second = FakeUpstream.Chunks.usage(1, 2).getBytes(StandardCharsets.UTF_8);
        c.decode(JSON, second, 0, second.length);
        assertThat(c.content).isNull();
        assertThat(c.promptTokens).isEqualTo(1);
    }

    @Test
    void malformedJson_isAnIoException() {
        assertThatThrownBy(() -> decode("{\"choices\":[{\"delta\":")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> decode("[1,2]")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> decode("not json")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> decode("{\"a\":1} {\"b\":2}")).isInstanceOf(IOException.class);
    }

    @Test
    void errorBodies_giveTheUpstreamMessage_inEveryCommonShape() {
        assertThat(message("{\"error\":{\"message\":\"bad model\",\"type\":\"invalid_request_error\"}}")).isEqualTo("bad model");
        assertThat(message("{\"object\":\"error\",\"message\":\"vllm says no\",\"code\":400}")).isEqualTo("vllm says no");
        assertThat(message("{\"error\":\"flat\"}")).isEqualTo("flat");
        assertThat(message("{\"detail\":\"Not Found\"}")).isEqualTo("Not Found");
        assertThat(message("{\"detail\":[{\"loc\":[\"body\",\"max_tokens\"],\"msg\":\"must be positive\",\"type\":\"x\"}]}"))
                .isEqualTo("must be positive");
        assertThat(message("<html><body>Bad Gateway</body></html>")).isNull();
    }

    @Test
    void cleanedMessages_areBoundedAndFreeOfControlCharacters() {
        String cleaned = UpstreamFaults.clean("line1\nline2\u0000" + "x".repeat(1000));
        assertThat(cleaned).doesNotContain("\n", "\u0000").hasSizeLessThanOrEqualTo(UpstreamFaults.MAX_MESSAGE_CHARS + 1);
    }

    @Test
    void connectFailures_mapToTheirKinds_withoutDnsOrNetworkInTheTest() {
        assertThat(UpstreamFaults.connectFailure("r", new io.netty.channel.ConnectTimeoutException("t")).kind())
                .isEqualTo(io.steerguard.runtime.RuntimeFault.Kind.TIMEOUT);
        assertThat(UpstreamFaults.connectFailure("r", new java.net.ConnectException("refused")).kind())
                .isEqualTo(io.steerguard.runtime.RuntimeFault.Kind.UNAVAILABLE);
        assertThat(UpstreamFaults.connectFailure("r", new java.net.UnknownHostException("nowhere")).getMessage())
                .contains("does not resolve");
        assertThat(UpstreamFaults.connectFailure("r", new javax.net.ssl.SSLHandshakeException("bad cert")).kind())
                .isEqualTo(io.steerguard.runtime.RuntimeFault.Kind.UNAVAILABLE);
        assertThat(UpstreamFaults.connectFailure("r", new io.vertx.core.http.ConnectionPoolTooBusyException("busy")).kind())
                .isEqualTo(io.steerguard.runtime.RuntimeFault.Kind.OVERLOADED);
    }

    private static String message(String body) {
        return UpstreamFaults.messageFromBody(JSON, Buffer.buffer(body));
    }

    private static StreamChunk decode(String json) throws IOException {
        StreamChunk c = new StreamChunk();
        byte[] bytes = ("xx" + json + "yy").getBytes(StandardCharsets.UTF_8);
        c.decode(JSON, bytes, 2, bytes.length - 4);
        return c;
    }
}
