package io.steerguard.gateway;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.steerguard.policy.PolicyConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Runs {@link SafetyGovernor#evaluate()} every {@code steerguard.policy.evaluation-interval} on its
 * own thread: a transition is fsynced (or written to Redis) before it takes effect, so judging must
 * never run on an event loop, and one thread keeps evaluations in order.
 */
@ApplicationScoped
public class PolicyEvaluationLoop {

    private static final Logger LOG = Logger.getLogger(PolicyEvaluationLoop.class);

    private final SafetyGovernor governor;
    private final PolicyConfig config;
    /** The rollout gate runs right after the judging, on the same thread: it sees the candidates' new states. */
    @jakarta.inject.Inject
    Rollouts rollouts;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "steerguard-policy");
        t.setDaemon(true);
        return t;
    });

    public PolicyEvaluationLoop(SafetyGovernor governor, PolicyConfig config) {
        this.governor = governor;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        long interval = config.evaluationInterval().toMillis();
        thread.scheduleWithFixedDelay(this::evaluateSafely, interval, interval, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        thread.shutdownNow();
    }

    private void evaluateSafely() {
        try {
            governor.evaluate();
        } catch (RuntimeException e) {
            // a failed round must not cancel the schedule: the next interval judges again
            LOG.error("policy evaluation failed; it runs again at the next interval", e);
        }
        try {
            rollouts.evaluate();
        } catch (RuntimeException e) {
            LOG.error("rollout gate failed; it runs again at the next interval", e);
        }
    }
}
