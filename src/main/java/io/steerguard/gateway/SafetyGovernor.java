package io.steerguard.gateway;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import io.steerguard.config.ConfigSet;
import io.steerguard.config.DocumentsConfig;
import io.steerguard.config.GuardrailPolicyDocument;
import io.steerguard.config.SteeringProfileDocument;
import io.steerguard.policy.PolicyEngine;
import io.steerguard.policy.PolicySet;
import io.steerguard.policy.ProfileState;
import io.steerguard.policy.ProfileStateMachine;
import io.steerguard.policy.ProfileStatus;
import io.steerguard.policy.ServingDecision;
import io.steerguard.policy.StateStore;
import io.steerguard.policy.Transition;
import io.steerguard.policy.TransitionLog;
import io.steerguard.runtime.SteeringSpec;
import io.steerguard.shadow.PairedSample;
import io.steerguard.shadow.ProfileStatistics;
import io.steerguard.shadow.SafetyStatistics;
import io.steerguard.shadow.ShadowConfig;
import io.steerguard.shadow.StatisticsSource;
import io.steerguard.telemetry.SafetyMetrics;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Enforces the guardrail policies: takes in each applied configuration, judges every profile against
 * the policies that select it when {@link PolicyEvaluationLoop} asks (every transition is persisted
 * before it takes effect, so judging blocks), and answers per request whether to steer, fall back or
 * reject, and how often to mirror. The per-request questions are lock-free reads. Where states and
 * statistics live is {@link StateBackends}' concern; what identifies a profile's steering is
 * {@link ProfileFingerprints}'.
 */
@ApplicationScoped
public class SafetyGovernor {

    private static final Logger LOG = Logger.getLogger(SafetyGovernor.class);

    private final SafetyStatistics statistics;
    private final StateBackends backends;
    private final ShadowConfig shadow;
    private final DocumentsConfig documents;
    private final SafetyMetrics metrics;
    /** Set once by {@link #open()}; read without the lock. */
    private volatile TransitionLog store;
    private volatile ProfileStateMachine machine;
    /** Profiles whose registration could not be persisted (shared backend down): retried on every evaluation. */
    private final Map<String, String> pendingRegistrations = new ConcurrentHashMap<>();
    private volatile GovernorView view = GovernorView.EMPTY;

    public SafetyGovernor(StateBackends backends, ShadowConfig shadow, DocumentsConfig documents,
                          SafetyMetrics metrics) {
        this.backends = backends;
        this.statistics = backends.statistics();
        this.shadow = shadow;
        this.documents = documents;
        this.metrics = metrics;
    }

    /** Opens the state store; must run before the first configuration is applied. */
    synchronized void open() {
        if (machine != null) {
            return;
        }
        store = backends.log();
        machine = new ProfileStateMachine(store, Clock.systemUTC());
        ProfileStateMachine m = machine;
        metrics.bindCounts(m::transitionCounts, m::decisionCounts);
    }

    /**
     * Takes in a newly applied configuration: policies, and profiles with the identity of the
     * steering each one serves ({@code served}: the resolved specs, vectors as loaded). New or
     * changed identities enter PROBATION, blocked ones stay blocked, removed profiles become
     * tombstones (see {@link ProfileStateMachine}).
     */
    public synchronized void configure(ConfigSet config, Map<String, SteeringSpec> served) {
        open();
        PolicySet set = new PolicySet(config.policies().values().stream().map(GuardrailPolicyDocument::policy).toList());
        Map<String, Map<String, String>> profileLabels = new HashMap<>();
        pendingRegistrations.keySet().retainAll(config.profiles().keySet());
        for (SteeringProfileDocument p : config.profiles().values()) {
            profileLabels.put(p.name(), p.metadata().labels());
            SteeringSpec spec = served.get(p.name());
            register(p.name(), spec != null ? ProfileFingerprints.identity(p, spec, documents.baseDir())
                    : ProfileFingerprints.fingerprint(p, documents.baseDir()));
            set.windows().forEach(w -> statistics.profile(p.name()).ensureWindow(w));
        }
        machine.retain(config.profiles().keySet());
        statistics.retain(config.profiles().keySet());
        for (String gone : metrics.boundProfiles()) {
            if (!config.profiles().containsKey(gone)) {
                metrics.unbindProfile(gone);
            }
        }
        for (String name : config.profiles().keySet()) {
            ProfileStatistics stats = statistics.profile(name);
            metrics.bindProfile(name, stats.windows(), w -> stats.snapshot(w, 0.95),
                    () -> machine.status(name).map(s -> s.state().name()).orElse(null));
            metrics.bindAttribution(name, stats.attribution());
        }
        view = GovernorView.of(set, profileLabels);
    }

    /**
     * Registers a configured profile. When the shared backend is down the registration cannot be
     * persisted: the profile stays unknown (served like PROBATION) and is retried on every evaluation.
     */
    private void register(String profile, String fingerprint) {
        try {
            machine.register(profile, fingerprint).ifPresent(transition -> {
                log(transition);
                if (transition.to() == ProfileState.PROBATION) {
                    statistics.profile(profile).clear();
                }
            });
            pendingRegistrations.remove(profile);
        } catch (UncheckedIOException e) {
            if (store instanceof StateStore) {
                throw e;
            }
            // Redis unreachable, or the profile was blocked by another replica meanwhile: retry.
            LOG.warnf("profile %s: registration not persisted, retried at the next evaluation (%s)", profile,
                    e.getMessage());
            pendingRegistrations.put(profile, fingerprint);
        }
    }

    /** Whether the state backend can persist transitions now (always, for the local file). */
    public boolean stateBackendUp() {
        TransitionLog s = store;
        return s == null || s.available();
    }

    /** Whether this replica holds the deployment's profile states (see {@link TransitionLog#statesKnown()}). */
    public boolean statesKnown() {
        TransitionLog s = store;
        return s == null || s.statesKnown();
    }

    /**
     * What to do with a request of {@code tenant} for {@code profile}. Lock-free. Fails closed for
     * steering while the shared states have never been read (a replica started during a Redis
     * outage cannot know which profiles are BLOCKED): such requests are served unsteered.
     */
    public ServingDecision serve(String profile, String tenant) {
        if (!statesKnown()) {
            return new ServingDecision.FallbackUnsteered();
        }
        PolicySet set = view.policies();
        return status(profile).map(s -> set.serve(s, tenant)).orElse(new ServingDecision.Steer());
    }

    /** The share of {@code tenant}'s requests for {@code profile} to mirror; the shadow default when no policy selects it. */
    public double sampleRate(String profile, String tenant) {
        GovernorView v = view;
        Map<String, String> l = v.labels(profile);
        PolicySet set = v.policies();
        if (set.matching(profile, l, tenant).isEmpty()) {
            return shadow.sampleRate();
        }
        ProfileState state = status(profile).map(ProfileStatus::state).orElse(ProfileState.PROBATION);
        return set.sampleRate(profile, l, tenant, state);
    }

    /** Tokens the shadow compares for {@code profile}: the policies' budget, or the shadow default. */
    public int shadowMaxTokens(String profile, String tenant) {
        GovernorView v = view;
        Map<String, String> l = v.labels(profile);
        PolicySet set = v.policies();
        return set.matching(profile, l, tenant).isEmpty() ? shadow.maxTokens() : set.shadowMaxTokens(profile, l, tenant);
    }

    /** Records one paired sample (called from shadow threads). */
    public void record(PairedSample sample) {
        statistics.record(sample);
    }

    public SafetyStatistics statistics() {
        return statistics;
    }

    public PolicySet policies() {
        return view.policies();
    }

    public Map<String, String> labels(String profile) {
        return view.labels(profile);
    }

    /** The configuration last applied: policies, labels and profiles as one value, read without a lock. */
    public GovernorView view() {
        return view;
    }

    /**
     * The state of {@code profile}, without a lock (a status is an immutable record; the machine
     * publishes each one after its transition is persisted). Empty before start-up or for a
     * profile the machine does not know.
     */
    public Optional<ProfileStatus> status(String profile) {
        ProfileStateMachine m = machine;
        return m == null ? Optional.empty() : m.status(profile);
    }

    /** The statistics {@code profile} is judged on now (see {@link ProfileStateMachine#judgedOn}), without a lock. */
    public StatisticsSource judgedOn(String profile) {
        ProfileStatistics stats = statistics.profile(profile);
        ProfileStateMachine m = machine;
        return m == null ? stats : m.judgedOn(profile, stats);
    }

    /** The state machine; opens the state store first if start-up has not (the lock only then). */
    public ProfileStateMachine machine() {
        ProfileStateMachine m = machine;
        if (m != null) {
            return m;
        }
        open();
        return machine;
    }

    /** The state store; opens it first if start-up has not (the lock only then). */
    public TransitionLog store() {
        TransitionLog s = store;
        if (s != null) {
            return s;
        }
        open();
        return store;
    }

    /** Judges every profile now. Blocking (a transition fsyncs); runs on the policy thread or a worker. */
    public synchronized void evaluate() {
        if (machine == null) {
            return;
        }
        Map.copyOf(pendingRegistrations).forEach(this::register);
        GovernorView v = view;
        for (String profile : v.profiles()) {
            var matching = v.policies().matching(profile, v.labels(profile));
            try {
                // judged and applied in one step: a decision made on a BLOCKED profile's full window
                // must not land after an unblock
                machine.judge(profile, statistics.profile(profile), stats -> PolicyEngine.evaluate(matching, stats))
                        .ifPresent(this::log);
            } catch (UncheckedIOException e) {
                // Not persisted, so not taken: the other profiles are still judged this round.
                LOG.warnf("profile %s: transition not persisted, judged again next interval (%s)", profile,
                        e.getMessage());
            }
        }
        machine.recoverDue().forEach(t -> {
            statistics.profile(t.profile()).clear();
            log(t);
        });
    }

    /**
     * An operator lifts a block: the profile goes to PROBATION with its statistics reset, so it is
     * judged on what it does from now on. (Probation counts samples by bucket; without the reset the
     * samples that caused the block, in the same bucket, would block it again at the next evaluation.)
     * Serialised with {@link #evaluate}.
     *
     * @throws java.io.UncheckedIOException when the unblock could not be persisted: nothing changed
     */
    public synchronized Optional<Transition> unblock(String profile, String actor, String reason) {
        Optional<Transition> t = machine().unblock(profile, actor, reason);
        t.ifPresent(transition -> {
            statistics.profile(profile).clear();
            log(transition);
        });
        return t;
    }

    private void log(Transition t) {
        LOG.infof("profile %s: %s -> %s by %s (%s)%s", t.profile(), t.from(), t.to(), t.actor(), t.reason(),
                t.policy() == null ? "" : ", policy " + t.policy());
    }

    /** Profiles the governor knows, for listings. */
    public List<String> profiles() {
        return view.profiles();
    }
}
