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
 *
 * <p>When the client hangs up early the caller does not cancel the generation while
 * {@link #wantsMore()}: it keeps feeding the tap (the text the steered model generated, which the
 * client would have seen) and ends it with {@link #completedAfterDisconnect()}, so a client cannot
 * leave the statistics by reading the first chunk and closing the connection.
 */
public final class PrimaryTap {

    /** How the primary request ended, from the shadow's point of view. */
    public enum End {
        /** The client received its whole answer. */
        COMPLETED,
        /**
         * The client hung up, and the steered generation ran on without it until the shadow's token
         * budget was recorded (or the generation ended): measured like a completed answer.
         */
        COMPLETED_AFTER_DISCONNECT,
        FAILED,
        CANCELLED
    }

    /**
     * The client's answer as the shadow compares it.
     *
     * @param captured   the primary's introspection, or {@code null} when none was asked or emitted
     * @param calledTool whether the answer (choice 0) called a tool: a call is compliance
     */
    public record Primary(End end, String text, GenerationEvent.Captured captured, boolean calledTool) {
        public Primary(End end, String text, GenerationEvent.Captured captured) {
            this(end, text, captured, false);
        }
    }

    private final int maxTokens;
    private final ActivationSetup activation;
    private final StringBuilder text = new StringBuilder();
    private final CompletableFuture<Primary> done = new CompletableFuture<>();
    private GenerationEvent.Captured captured;
    private int tokens;
    private boolean calledTool;

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

    /**
     * Choice 0 called a tool ({@link GenerationEvent.ToolCallDelta}). The verdict is settled then
     * (a call is compliance, whatever text came before it), so the tap wants nothing more.
     */
    public void toolCall() {
        calledTool = true;
    }

    /** Whether the shadow's token budget is not recorded yet: a hung-up generation must run on. */
    public boolean wantsMore() {
        return !calledTool && tokens < maxTokens && !done.isDone();
    }

    public void completed() {
        done.complete(new Primary(End.COMPLETED, text.toString(), captured, calledTool));
    }

    /** The client hung up; the generation ran on until the budget was recorded or it ended. */
    public void completedAfterDisconnect() {
        done.complete(new Primary(End.COMPLETED_AFTER_DISCONNECT, text.toString(), captured, calledTool));
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
