package io.steerguard.shadow;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.Introspection;

/**
 * Records the text actually sent to the client, up to the shadow's token budget, so the steered
 * side of a pair is exactly what the client saw, and, when the activation tier applies, the
 * primary's {@link GenerationEvent.Captured} event. Fed from the request's event loop; costs a
 * string append per token and never blocks or throws into the client's path.
 */
public final class PrimaryTap {

    /** How the primary request ended, from the shadow's point of view. */
    public enum End { COMPLETED, FAILED, CANCELLED }

    /**
     * The client's answer as the shadow compares it.
     *
     * @param captured the primary's introspection, or {@code null} when none was asked or emitted
     */
    public record Primary(End end, String text, GenerationEvent.Captured captured) {
    }

    private final int maxTokens;
    private final ActivationSetup activation;
    private final StringBuilder text = new StringBuilder();
    private final CompletableFuture<Primary> done = new CompletableFuture<>();
    private GenerationEvent.Captured captured;
    private int tokens;

    PrimaryTap(int maxTokens, ActivationSetup activation) {
        this.maxTokens = maxTokens;
        this.activation = activation;
    }

    /**
     * What the primary request must carry so its activations can be read: {@link Introspection#none()}
     * unless the activation tier applies to this runtime. Introspection never changes the tokens.
     */
    public Introspection introspection() {
        return activation == null ? Introspection.none() : activation.introspection();
    }

    /** The primary's introspection event; kept only when this tap asked for it. */
    public void captured(GenerationEvent.Captured event) {
        if (activation != null && captured == null) {
            captured = event;
        }
    }

    /** One generated token's text as sent to the client. */
    public void token(String delta) {
        if (tokens < maxTokens) {
            text.append(delta);
        }
        tokens++;
    }

    public void completed() {
        done.complete(new Primary(End.COMPLETED, text.toString(), captured));
    }

    public void failed() {
        done.complete(new Primary(End.FAILED, "", null));
    }

    public void cancelled() {
        done.complete(new Primary(End.CANCELLED, "", null));
    }

    ActivationSetup activation() {
        return activation;
    }

    CompletionStage<Primary> primary() {
        return done;
    }
}
