package io.steerguard.runtime;

/** How the caller consumes a generation's text, so a runtime can choose the cheaper way to deliver it. */
public enum Delivery {
    /**
     * Token by token as generated: a streaming client, or a caller that counts or cuts tokens
     * (the shadow's token budget, a client hang-up that must stop at a budget).
     */
    INCREMENTAL,
    /**
     * Only the finished answer matters: a runtime may emit the whole text as one token event. A
     * remote runtime then asks its upstream for one JSON body ({@code "stream": false}), which
     * spares both sides the per-token event framing and decoding.
     */
    WHOLE
}
