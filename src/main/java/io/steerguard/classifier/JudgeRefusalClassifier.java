package io.steerguard.classifier;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The judge tier (optional, off by default): asks a chat model behind any OpenAI-compatible API
 * (for example a guard model served by vLLM) with the documented {@link JudgePrompt}.
 *
 * <p>The judge is slow and remote, so it never decides alone: when the call fails, times out or
 * returns an unparseable answer, the verdict comes from the fallback tier and its method records
 * the path, e.g. {@code "judge->embedding"}. The deadline is enforced twice: by the HTTP client's
 * timeout and by a hard wait on the call, so a server that sends headers and then stalls cannot
 * hold a worker longer than the timeout (plus scheduling slack).
 */
public final class JudgeRefusalClassifier implements RefusalClassifier, AutoCloseable {

    /**
     * Where and how to reach the judge.
     *
     * @param baseUrl OpenAI-compatible base URL, e.g. {@code http://vllm:8000/v1}
     * @param model   the served model name
     * @param apiKey  the API key (any non-empty string for servers that ignore it)
     * @param timeout the deadline for one verdict
     */
    public record Config(String baseUrl, String model, String apiKey, Duration timeout) {
        public Config {
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(model, "model");
            apiKey = apiKey == null || apiKey.isBlank() ? "none" : apiKey;
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
        }
    }

    /** Score of a judge verdict: the judge answers in one word, so its confidence is fixed. */
    static final double REFUSAL_SCORE = 0.9;
    static final double COMPLIANCE_SCORE = 0.1;

    private final ChatModel chat;
    private final Duration timeout;
    private final RefusalClassifier fallback;
    private final ExecutorService calls;
    private final AtomicLong failures;
    private final String method = ClassifierMethod.JUDGE.id();

    public JudgeRefusalClassifier(Config config, RefusalClassifier fallback) {
        this(OpenAiChatModel.builder()
                .baseUrl(config.baseUrl())
                .apiKey(config.apiKey())
                .modelName(config.model())
                .temperature(0.0)
                .maxTokens(8)
                .timeout(config.timeout())
                .maxRetries(0)
                .build(), config.timeout(), fallback);
    }

    /** For any LangChain4j chat model. */
    public JudgeRefusalClassifier(ChatModel chat, Duration timeout, RefusalClassifier fallback) {
        this.chat = Objects.requireNonNull(chat, "chat");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.fallback = Objects.requireNonNull(fallback, "fallback");
        this.failures = new AtomicLong();
        this.calls = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "steerguard-judge");
            t.setDaemon(true);
            return t;
        });
    }

    /** A view sharing the judge's model and threads, with another fallback. */
    private JudgeRefusalClassifier(JudgeRefusalClassifier judge, RefusalClassifier fallback) {
        this.chat = judge.chat;
        this.timeout = judge.timeout;
        this.fallback = fallback;
        this.calls = judge.calls;
        this.failures = judge.failures;
    }

    /** The judge still decides first; the activation verdict reaches the tiers it falls back to. */
    @Override
    public RefusalClassifier withActivation(Verdict activation) {
        RefusalClassifier bound = fallback.withActivation(activation);
        return bound == fallback ? this : new JudgeRefusalClassifier(this, bound);
    }

    @Override
    public Verdict classify(String prompt, String response) {
        Optional<Boolean> refused = ask(prompt, response);
        if (refused.isPresent()) {
            return refused.get() ? Verdict.refusal(REFUSAL_SCORE, method) : Verdict.compliance(COMPLIANCE_SCORE, method);
        }
        failures.incrementAndGet();
        return fallback.classify(prompt, response).viaFallbackFrom(method);
    }

    /** The judge's answer, or empty on any failure (error, timeout, unparseable text). */
    private Optional<Boolean> ask(String prompt, String response) {
        Future<String> call = calls.submit(() -> chat.chat(
                SystemMessage.from(JudgePrompt.SYSTEM), UserMessage.from(JudgePrompt.user(prompt, response)))
                .aiMessage().text());
        try {
            return JudgePrompt.parse(call.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            call.cancel(true);
            return Optional.empty();
        } catch (ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** How many verdicts fell back since start (for a metric). */
    public long failures() {
        return failures.get();
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public void close() {
        calls.shutdownNow();
    }
}
