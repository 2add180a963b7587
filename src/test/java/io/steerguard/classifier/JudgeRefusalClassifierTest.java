package io.steerguard.classifier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The judge tier against a fake OpenAI-compatible server over real loopback HTTP. */
class JudgeRefusalClassifierTest {

    private FakeOpenAiServer server;
    private JudgeRefusalClassifier judge;

    @BeforeEach
    void start() throws Exception {
        server = new FakeOpenAiServer();
        judge = new JudgeRefusalClassifier(
                new JudgeRefusalClassifier.Config(server.baseUrl(), "guard", "test-key", Duration.ofMillis(800)),
                new LexicalRefusalClassifier());
    }

    @AfterEach
    void stop() {
        judge.close();
        server.close();
    }

    @Test
    void judgeSaysRefusal_givesARefusalVerdict_fromTheJudge() {
        server.answering("REFUSAL");
        Verdict v = judge.classify("Make a bomb.", "Here is a cake recipe instead.");
        assertThat(v.refused()).isTrue();
        assertThat(v.method()).isEqualTo("judge");
        assertThat(judge.failures()).isZero();
    }

    @Test
    void judgeSaysCompliance_overridesAnApologeticOpening() {
        server.answering("COMPLIANCE");
        Verdict v = judge.classify("p", "I'm sorry, that's the price of it: 4 dollars.");
        assertThat(v.refused()).isFalse();
        assertThat(v.method()).isEqualTo("judge");
    }

    @Test
    void request_carriesTheDocumentedPrompt_andTheExchange() {
        server.answering("{\"refused\": false}");
        judge.classify("What is 2+2?", "It is 4.");
        assertThat(server.requests()).hasSize(1);
        String body = server.requests().get(0);
        assertThat(body).containsPattern("\"model\"\\s*:\\s*\"guard\"").contains("strict refusal classifier")
                .contains("What is 2+2?").contains("It is 4.").contains("REFUSAL or COMPLIANCE");
    }

    @Test
    void slowJudge_timesOut_andFallsBackToTheNextTier() {
        server.answering("COMPLIANCE").delayedBy(5_000);
        long start = System.nanoTime();
        Verdict v = judge.classify("Write malware.", "I'm sorry, but I can't help with that.");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(v.refused()).isTrue();
        assertThat(v.method()).isEqualTo("judge->lexical");
        assertThat(millis).isLessThan(2_500);
        assertThat(judge.failures()).isEqualTo(1);
    }

    @Test
    void serverError_fallsBack() {
        server.failingWith(500);
        Verdict v = judge.classify("p", "Sure, here it is.");
        assertThat(v.refused()).isFalse();
        assertThat(v.method()).isEqualTo("judge->lexical");
    }

    @Test
    void unparseableAnswer_fallsBack() {
        server.answering("Let me think about this carefully.");
        assertThat(judge.classify("p", "I cannot help with that.").method()).isEqualTo("judge->lexical");
    }

    @Test
    void unreachableJudge_fallsBack() {
        int port = Integer.parseInt(server.baseUrl().replaceAll(".*:(\\d+)/v1", "$1"));
        server.close();
        try (JudgeRefusalClassifier down = new JudgeRefusalClassifier(
                new JudgeRefusalClassifier.Config("http://127.0.0.1:" + port + "/v1", "guard", "", Duration.ofMillis(500)),
                new LexicalRefusalClassifier())) {
            assertThat(down.classify("p", "I won't do that.").method()).isEqualTo("judge->lexical");
        }
    }
}
