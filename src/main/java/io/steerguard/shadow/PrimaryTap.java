package io.steerguard.shadow;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Records the text actually sent to the client, up to the shadow's token budget, so the steered
 * side of a pair is exactly what the client saw. Fed from the request's event loop; costs a string
 * append per token and never blocks or throws into the client's path.
 */
public final class PrimaryTap {

    /** How the primary request ended, from the shadow's point of view. */
    public enum End { COMPLETED, FAILED, CANCELLED }

    /** The client's answer as the shadow compares it. */
    public record Primary(End end, String text) {
    }

    private final int maxTokens;
    private final StringBuilder text = new StringBuilder();
    private final CompletableFuture<Primary> done = new CompletableFuture<>();
    private int tokens;

    PrimaryTap(int maxTokens) {
        this.maxTokens = maxTokens;
    }

    /** One generated token's text as sent to the client. */
    public void token(String delta) {
        if (tokens < maxTokens) {
            text.append(delta);
        }
        tokens++;
    }

    public void completed() {
        done.complete(new Primary(End.COMPLETED, text.toString()));
    }

    public void failed() {
        done.complete(new Primary(End.FAILED, ""));
    }

    public void cancelled() {
        done.complete(new Primary(End.CANCELLED, ""));
    }

    CompletionStage<Primary> primary() {
        return done;
    }
}
