package io.steerguard.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.steerguard.policy.Measurement;
import io.steerguard.policy.ProfileStatus;
import io.steerguard.policy.RolloutGate;
import io.steerguard.policy.RolloutKey;
import io.steerguard.policy.RolloutPhase;
import io.steerguard.policy.RolloutRecord;
import io.steerguard.policy.RolloutStore;
import io.steerguard.policy.ServingDecision;
import io.steerguard.shadow.ShadowSampler;
import io.steerguard.telemetry.RolloutMetrics;
import io.steerguard.tenant.Tenant;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Safety-gated rollouts of steering profiles (see docs/rollout.md): routes each request of a
 * tenant's rolled-out profile to the stable profile or the candidate, runs the gate on its own
 * thread every evaluation interval, and persists every decision before it takes effect.
 *
 * <p><b>Routing.</b> While a rollout runs, each request is served with the candidate on an
 * independent Bernoulli draw from a CSPRNG ({@link ShadowSampler}) at the configured share: nothing
 * a client sends (profile field or header, request id, prompt, retries) enters the draw, so no
 * client can steer its requests into or out of the candidate arm, and the candidate's statistics
 * are an unbiased sample of the tenant's traffic for the profile. The candidate arm is not named in
 * the response. A candidate that is not served steered right now (its own policy blocked it) gets no
 * traffic, and neither does any candidate before the decisions have been read (fail safe).
 *
 * <p>Reads on the request path are lock-free; decisions are serialised.
 */
@ApplicationScoped
public class Rollouts {

    private static final Logger LOG = Logger.getLogger(Rollouts.class);

    /**
     * Which profile serves one request.
     *
     * @param profile   the profile to serve
     * @param candidate whether it is a rollout's candidate
     * @param gated     whether the candidate is under the gate (rollout running): mirrored at rate 1
     */
    public record Arm(String profile, boolean candidate, boolean gated) {
        static Arm stable(String profile) {
            return new Arm(profile, false, false);
        }
    }

    /** One configured rollout and where it stands, for the admin API. */
    public record View(RolloutKey key, String model, String candidate, double configuredShare, RolloutPhase phase,
                       Optional<RolloutRecord> decision, Optional<RolloutGate.Verdict> lastVerdict) {
        /** The probability that one request is served with the candidate now. */
        public double candidateShare() {
            return phase.candidateShare(configuredShare);
        }
    }

    private final SafetyGovernor governor;
    private final GatewayStateManager states;
    private final StateBackends backends;
    private final RolloutMetrics metrics;
    private final ShadowSampler draw = ShadowSampler.secure();
    private final Clock clock = Clock.systemUTC();
    private final Map<RolloutKey, RolloutGate.Verdict> verdicts = new ConcurrentHashMap<>();

    /** The newest decision of every rollout, as last read or written; empty until read (then no candidate serves). */
    private volatile Map<RolloutKey, RolloutRecord> decisions;

    public Rollouts(SafetyGovernor governor, GatewayStateManager states, StateBackends backends,
                    RolloutMetrics metrics) {
        this.governor = governor;
        this.states = states;
        this.backends = backends;
        this.metrics = metrics;
    }

    /** Reads the decisions before traffic: until then no candidate is served. */
    void onStart(@Observes StartupEvent event) {
        readDecisions();
    }

    /**
     * Opens the store and reads the persisted decisions, as start-up does; with a shared store that
     * cannot be read yet, the next evaluation tries again. Blocking; writes nothing.
     */
    public void readDecisions() {
        open();
    }

    /** The store, opened once; the decisions are published when it could be read. Blocking. */
    private RolloutStore open() {
        RolloutStore s = backends.rolloutStore();
        if (decisions == null && s.known()) {
            decisions = s.latest();
        }
        return s;
    }

    /** Which profile serves a request of {@code tenant} to {@code model} for {@code profile}. Lock-free; never blocks. */
    public Arm route(Tenant tenant, String model, String profile) {
        Tenant.ModelAccess access = tenant.models().get(model);
        Tenant.Rollout rollout = access == null ? null : access.rollouts().get(profile);
        if (rollout == null) {
            return Arm.stable(profile);
        }
        Optional<RolloutPhase> phase = phase(new RolloutKey(tenant.name(), profile), rollout.candidate());
        if (phase.isEmpty()) {
            return Arm.stable(profile);
        }
        return switch (phase.get()) {
            case PROMOTED -> new Arm(rollout.candidate(), true, false);
            case ROLLED_BACK -> Arm.stable(profile);
            case RUNNING -> governor.serve(rollout.candidate(), tenant.name()) instanceof ServingDecision.Steer
                    && draw.sample(rollout.share()) ? new Arm(rollout.candidate(), true, true) : Arm.stable(profile);
        };
    }

    /**
     * The phase of a rollout: its newest decision when that is about this candidate and its current
     * identity, else RUNNING. Empty while the decisions or the candidate's identity are unknown.
     */
    private Optional<RolloutPhase> phase(RolloutKey key, String candidate) {
        Map<RolloutKey, RolloutRecord> d = decisions;
        Optional<String> identity = governor.status(candidate).map(ProfileStatus::fingerprint);
        if (d == null || identity.isEmpty()) {
            return Optional.empty();
        }
        RolloutRecord r = d.get(key);
        return Optional.of(r != null && r.concerns(candidate, identity.get()) ? r.to() : RolloutPhase.RUNNING);
    }

    /** Every configured rollout, sorted by tenant and profile. */
    public List<View> views() {
        Map<RolloutKey, RolloutRecord> d = decisions == null ? Map.of() : decisions;
        return configured().entrySet().stream().map(e -> {
            Configured c = e.getValue();
            RolloutPhase phase = phase(e.getKey(), c.rollout().candidate()).orElse(RolloutPhase.RUNNING);
            return new View(e.getKey(), c.model(), c.rollout().candidate(), c.rollout().share(), phase,
                    Optional.ofNullable(d.get(e.getKey())), Optional.ofNullable(verdicts.get(e.getKey())));
        }).toList();
    }

    /** The newest {@code limit} decisions, newest first. Blocking (Redis round trip). */
    public List<RolloutRecord> history(int limit) throws IOException {
        return open().history(limit);
    }

    private record Configured(String model, Tenant.Rollout rollout) {
    }

    private Map<RolloutKey, Configured> configured() {
        Map<RolloutKey, Configured> all = new java.util.TreeMap<>(java.util.Comparator.comparing(RolloutKey::id));
        List<Tenant> tenants = states.currentIfApplied().map(c -> c.tenants().all()).orElse(List.of());
        for (Tenant t : tenants) {
            t.models().forEach((model, access) -> access.rollouts().forEach((profile, r) ->
                    all.put(new RolloutKey(t.name(), profile), new Configured(model, r))));
        }
        return all;
    }

    /**
     * Runs the gate on every running rollout and keeps the meters in step with the configuration.
     * Blocking: runs on the policy thread ({@link PolicyEvaluationLoop}) right after the judging.
     */
    public synchronized void evaluate() {
        RolloutStore s = open();
        try {
            s.refresh();
            decisions = s.latest();
        } catch (IOException e) {
            LOG.warnf("rollout decisions not re-read (%s); judged on the last ones read", e.getMessage());
        }
        Map<RolloutKey, Configured> configured = configured();
        bindMetrics(configured);
        verdicts.keySet().retainAll(configured.keySet());
        if (decisions == null) {
            return;
        }
        GovernorView view = governor.view();
        configured.forEach((key, c) -> {
            String candidate = c.rollout().candidate();
            if (phase(key, candidate).orElse(null) != RolloutPhase.RUNNING) {
                verdicts.remove(key);
                return;
            }
            RolloutGate.Verdict verdict = RolloutGate.judge(
                    view.policies().matching(candidate, view.labels(candidate), key.tenant()),
                    governor.judgedOn(candidate), governor.status(candidate));
            verdicts.put(key, verdict);
            RolloutPhase to = verdict instanceof RolloutGate.Verdict.Promote ? RolloutPhase.PROMOTED
                    : verdict instanceof RolloutGate.Verdict.RollBack ? RolloutPhase.ROLLED_BACK : null;
            if (to != null) {
                try {
                    decide(key, candidate, to, RolloutRecord.GATE, verdict.reason(),
                            verdict.evaluations().stream().map(Measurement::of).toList());
                } catch (UncheckedIOException e) {
                    LOG.warnf("rollout %s: decision %s not persisted, judged again next interval (%s)", key.id(), to,
                            e.getMessage());
                }
            }
        });
    }

    /** The outcome of an operator's promote, rollback or reset. */
    public sealed interface Manual {
        /** No rollout of that profile is configured for that tenant. */
        record NotConfigured() implements Manual {
        }

        /** The candidate is not registered yet (its identity is unknown): nothing can be decided about it. */
        record CandidateUnknown(String candidate) implements Manual {
        }

        /** Persisted, or already in that phase ({@code changed} false). */
        record Done(View view, boolean changed) implements Manual {
        }
    }

    /**
     * An operator moves a rollout to {@code to} (PROMOTED, ROLLED_BACK, or RUNNING for a reset).
     * Blocking; persisted before it takes effect.
     *
     * @throws UncheckedIOException when it could not be persisted: nothing changed
     */
    public synchronized Manual manual(RolloutKey key, RolloutPhase to, String actor, String reason) {
        open();
        Configured c = configured().get(key);
        if (c == null) {
            return new Manual.NotConfigured();
        }
        Optional<RolloutPhase> phase = phase(key, c.rollout().candidate());
        if (phase.isEmpty()) {
            return new Manual.CandidateUnknown(c.rollout().candidate());
        }
        boolean changed = phase.get() != to;
        if (changed) {
            decide(key, c.rollout().candidate(), to, actor, reason, List.of());
        }
        return new Manual.Done(views().stream().filter(v -> v.key().equals(key)).findFirst().orElseThrow(), changed);
    }

    private void decide(RolloutKey key, String candidate, RolloutPhase to, String actor, String reason,
                        List<Measurement> numbers) {
        String identity = governor.status(candidate).map(ProfileStatus::fingerprint).orElseThrow();
        RolloutPhase from = phase(key, candidate).orElseThrow();
        RolloutRecord previous = decisions.get(key);
        RolloutRecord record = new RolloutRecord(clock.instant(), key, candidate, identity,
                previous == null ? 1 : previous.version() + 1, from, to, actor, reason, numbers);
        RolloutStore store = open();
        try {
            store.append(record);
        } catch (IOException e) {
            decisions = store.latest(); // a stale writer has re-read what the store holds
            throw new UncheckedIOException("cannot persist the rollout decision of " + key.id(), e);
        }
        decisions = store.latest();
        verdicts.remove(key);
        if (to == RolloutPhase.PROMOTED) {
            metrics.promoted(key.tenant(), key.profile());
        } else if (to == RolloutPhase.ROLLED_BACK) {
            metrics.rolledBack(key.tenant(), key.profile());
        }
        LOG.infof("rollout %s: candidate %s %s -> %s by %s (%s)", key.id(), candidate, from, to, actor, reason);
    }

    private void bindMetrics(Map<RolloutKey, Configured> configured) {
        Set<List<String>> keep = new HashSet<>();
        configured.forEach((key, c) -> {
            keep.add(List.of(key.tenant(), key.profile()));
            String candidate = c.rollout().candidate();
            metrics.bind(key.tenant(), key.profile(), candidate, () -> candidateShareNow(key, candidate));
        });
        metrics.bound().stream().filter(k -> !keep.contains(k)).forEach(k -> metrics.unbind(k.get(0), k.get(1)));
    }

    /** The share the meter shows: read at scrape time from the configuration in force. */
    private double candidateShareNow(RolloutKey key, String candidate) {
        Configured c = configured().get(key);
        if (c == null || !c.rollout().candidate().equals(candidate)) {
            return Double.NaN;
        }
        return phase(key, candidate).orElse(RolloutPhase.RUNNING).candidateShare(c.rollout().share());
    }

}
