package io.steerguard.api;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.steerguard.gateway.SafetyGovernor;
import io.steerguard.policy.ServingDecision;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The steered answers in progress, so a block reaches them and not only the requests that start
 * after it: every {@value #CHECK_INTERVAL_MS} ms a Vert.x timer asks the governor how each
 * (profile, tenant) in flight is served now, and ends every answer whose profile no longer steers
 * with the OpenAI error {@code steering_profile_blocked} — whether the policy's action is
 * {@code block} or {@code fallback-unsteered} (new requests then get the fallback; a stream cannot
 * switch models mid-answer). A block recorded by another replica reaches this one through the state
 * store's change feed into the same governor state, so the one check covers both.
 *
 * <p>Polling rather than a state-change callback keeps the governor free of references to HTTP
 * responses, and bounds the delay by the interval however the state changed. A check costs one
 * lock-free {@link SafetyGovernor#serve} per distinct (profile, tenant) in flight and never blocks
 * the event loop it runs on; each answer is ended on its own request context.
 */
@ApplicationScoped
public class SteeredStreams {

    private static final Logger LOG = Logger.getLogger(SteeredStreams.class);

    /** How often running steered answers are checked; a block reaches them within this plus one event-loop turn. */
    static final long CHECK_INTERVAL_MS = 250;

    private record Tracked(String profile, String tenant, GenerationResponder responder) {
    }

    private final Set<Tracked> streams = ConcurrentHashMap.newKeySet();
    private final SafetyGovernor governor;
    private final Vertx vertx;
    private long timer = -1;

    public SteeredStreams(SafetyGovernor governor, Vertx vertx) {
        this.governor = governor;
        this.vertx = vertx;
    }

    void onStart(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(CHECK_INTERVAL_MS, id -> check());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /**
     * Tracks a steered answer until it is over; returns what untracks it (the responder runs it once
     * when its answer ends).
     */
    Runnable track(String profile, String tenant, GenerationResponder responder) {
        Tracked t = new Tracked(profile, tenant, responder);
        streams.add(t);
        return () -> streams.remove(t);
    }

    /** Steered answers in progress. */
    int inFlight() {
        return streams.size();
    }

    /** Ends every tracked answer whose profile is no longer served steered to its tenant. */
    void check() {
        if (streams.isEmpty()) {
            return;
        }
        Map<List<String>, ServingDecision> now = new HashMap<>();
        for (Tracked t : streams) {
            ServingDecision decision = now.computeIfAbsent(List.of(t.profile(), t.tenant()),
                    k -> governor.serve(t.profile(), t.tenant()));
            if (!(decision instanceof ServingDecision.Steer) && streams.remove(t)) {
                LOG.infof("profile %s is no longer served steered to tenant %s: ending a steered answer in progress",
                        t.profile(), t.tenant());
                t.responder().end(OpenAiError.profileBlocked(t.profile(), ServingDecision.BLOCKED_CODE));
            }
        }
    }
}
