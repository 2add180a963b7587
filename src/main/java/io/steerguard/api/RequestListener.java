package io.steerguard.api;

import io.steerguard.runtime.GenerationEvent;
import io.steerguard.runtime.RuntimeFault;
import io.steerguard.runtime.Usage;
import io.steerguard.shadow.PrimaryTap;
import io.steerguard.telemetry.GatewayMetrics;
import io.steerguard.telemetry.RequestTags;

/**
 * What one generation tells the rest of the gateway as it is written to the client: its meters,
 * and — when the request is mirrored — the shadow's tap, which sees exactly the text the client got.
 */
final class RequestListener implements GenerationResponder.Listener {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(RequestListener.class);

    private final GatewayMetrics metrics;
    private final RequestTags tags;
    private final long start;
    private final String model;
    private final PrimaryTap tap;

    /** @param tap the shadow's tap, or {@code null} when the request is not mirrored */
    RequestListener(GatewayMetrics metrics, RequestTags tags, long start, String model, PrimaryTap tap) {
        this.metrics = metrics;
        this.tags = tags;
        this.start = start;
        this.model = model;
        this.tap = tap;
    }

    @Override
    public void token(String text) {
        if (tap != null) {
            tap.token(text);
        }
    }

    @Override
    public void toolCall() {
        if (tap != null) {
            tap.toolCall();
        }
    }

    @Override
    public void captured(GenerationEvent.Captured captured) {
        if (tap != null) {
            tap.captured(captured);
        }
    }

    @Override
    public void firstToken() {
        metrics.firstToken(tags, System.nanoTime() - start);
    }

    @Override
    public void usage(Usage usage) {
        metrics.tokenUsage(tags, usage.promptTokens(), usage.completionTokens());
    }

    @Override
    public void fault(RuntimeFault fault) {
        metrics.upstreamError(model, fault.kind().name());
        if (fault.kind() == RuntimeFault.Kind.INTERNAL) {
            // the client gets a fixed message (OpenAiError.fromFault); the details go here only
            LOG.errorf(fault, "model %s: runtime fault", model);
        }
    }

    @Override
    public boolean shadowWantsMore() {
        return tap != null && tap.wantsMore();
    }

    /**
     * The request's meters end here (status 499). A mirrored answer is measured anyway: once the
     * generation that runs on has recorded the budget, or at once when the client already had it.
     */
    @Override
    public void clientGone(boolean runsOn) {
        metrics.requestFinished(tags, 499, System.nanoTime() - start);
        if (tap != null && !runsOn) {
            if (tap.wantsMore()) {
                tap.cancelled();
            } else {
                tap.completedAfterDisconnect();
            }
        }
    }

    @Override
    public void ranOn(boolean completed) {
        if (completed) {
            tap.completedAfterDisconnect();
        } else {
            tap.failed();
        }
    }

    @Override
    public void finished(int status) {
        metrics.requestFinished(tags, status, System.nanoTime() - start);
        if (tap != null) {
            if (status == 200) {
                tap.completed();
            } else if (status == 499) {
                tap.cancelled();
            } else {
                tap.failed();
            }
        }
    }
}
