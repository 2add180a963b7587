package io.steerguard.policy;

import io.steerguard.shadow.ProfileStatistics;
import io.steerguard.shadow.StatisticsSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The state of every steering profile, {@code PROBATION → ACTIVE ⇄ WARN → BLOCKED}, driven by
 * decisions, operators and time. Every transition is appended to the {@link TransitionLog} (the
 * fsynced {@link StateStore}, or the shared {@link RedisStateStore}) before the in-memory state
 * changes; if the write fails the state does not change and the {@link UncheckedIOException} reaches
 * the caller. Transitions other replicas persisted in a shared log are adopted as they arrive.
 *
 * <p>Transitions on a decision:
 * <pre>
 *   PROBATION  Exceeded(block|fallback) → BLOCKED   Exceeded(alert) → WARN
 *              otherwise, once every matching policy has minSamples paired samples → ACTIVE
 *   ACTIVE     Exceeded(block|fallback) → BLOCKED   Exceeded(alert) or Warn → WARN
 *   WARN       Exceeded(block|fallback) → BLOCKED   Healthy → ACTIVE
 *   BLOCKED    decisions are ignored: only an operator's unblock or auto recovery end a block,
 *              and both lead to PROBATION, never straight back to ACTIVE
 * </pre>
 * A new profile, or one whose fingerprint changed (new vectors), starts in PROBATION; a BLOCKED
 * profile stays BLOCKED through a change and a restart.
 *
 * <p>Reads ({@link #status}, {@link #serve}) are lock-free for the request path; changes are
 * serialised.
 */
public final class ProfileStateMachine {

    /** Actor of transitions decided by the policy engine. */
    public static final String ENGINE = "policy-engine";
    /** Actor of automatic recovery. */
    public static final String RECOVERY = "recovery";
    /** Actor of transitions caused by configuration changes (new or changed profiles). */
    public static final String LIFECYCLE = "lifecycle";

    private final TransitionLog store;
    private final Clock clock;
    private final Map<String, ProfileStatus> statuses = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> transitions = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> decisions = new ConcurrentHashMap<>();

    /** Starts from the states the store recovered, and follows what other writers of the store persist. */
    public ProfileStateMachine(TransitionLog store, Clock clock) {
        this.store = store;
        this.clock = clock;
        statuses.putAll(store.recoveredStatuses());
        store.onRemote(this::adopt);
    }

    /**
     * Takes over a transition another replica persisted (already durable, so nothing is written).
     * Serialised with {@link #commit}: a local transition waiting for its write holds the lock, so
     * transitions arriving meanwhile are applied after it, in the order the log persisted them.
     */
    synchronized void adopt(Transition t) {
        statuses.put(t.profile(), ProfileStatus.after(t));
    }

    public Optional<ProfileStatus> status(String profile) {
        return Optional.ofNullable(statuses.get(profile));
    }

    public Map<String, ProfileStatus> statuses() {
        return Map.copyOf(statuses);
    }

    /**
     * What to do with a request for {@code profile}. A profile the machine does not know (not
     * registered yet) is steered: registration happens on configuration load, before traffic.
     */
    public ServingDecision serve(String profile) {
        ProfileStatus s = statuses.get(profile);
        return s == null ? new ServingDecision.Steer() : ServingDecision.serve(s.state(), s.action());
    }

    /**
     * The statistics a profile is judged on: everything in the window, or for a profile in
     * PROBATION only what happened since it got there.
     */
    public StatisticsSource judgedOn(String profile, ProfileStatistics stats) {
        ProfileStatus s = statuses.get(profile);
        return s != null && s.state() == ProfileState.PROBATION ? stats.since(s.since()) : stats;
    }

    /**
     * Makes the machine know a configured profile: a new one, or one whose fingerprint changed
     * while not BLOCKED, enters PROBATION. A BLOCKED profile keeps its block and records the new
     * fingerprint.
     */
    public synchronized Optional<Transition> register(String profile, String fingerprint) {
        ProfileStatus s = statuses.get(profile);
        if (s == null) {
            return Optional.of(commit(new Transition(now(), profile, null, ProfileState.PROBATION, LIFECYCLE,
                    "new profile", null, null, null, fingerprint, List.of())));
        }
        if (s.fingerprint().equals(fingerprint)) {
            return Optional.empty();
        }
        if (s.state() == ProfileState.BLOCKED) {
            return Optional.of(commit(new Transition(now(), profile, s.state(), ProfileState.BLOCKED, LIFECYCLE,
                    "profile changed while blocked; the block stays until it is lifted", s.policy(), s.action(),
                    s.recovery(), fingerprint, List.of())));
        }
        return Optional.of(commit(new Transition(now(), profile, s.state(), ProfileState.PROBATION, LIFECYCLE,
                "profile changed", null, null, null, fingerprint, List.of())));
    }

    /** Applies a decision of the policy engine; returns the transition if the state changed. */
    public synchronized Optional<Transition> apply(String profile, Decision decision) {
        count(decisions, decisionKey(decision));
        ProfileStatus s = statuses.get(profile);
        if (s == null || s.state() == ProfileState.BLOCKED) {
            return Optional.empty();
        }
        List<Measurement> numbers = decision.evaluations().stream().map(Measurement::of).toList();
        if (decision instanceof Decision.Exceeded x) {
            String reason = "exceeded: " + x.reasons().stream().map(Explanation::describe)
                    .collect(Collectors.joining("; "));
            if (x.action().stopsSteering()) {
                return Optional.of(commit(new Transition(now(), profile, s.state(), ProfileState.BLOCKED, ENGINE,
                        reason, x.policy(), x.action(), x.recovery(), s.fingerprint(), numbers)));
            }
            return s.state() == ProfileState.WARN ? Optional.empty() : Optional.of(commit(new Transition(now(),
                    profile, s.state(), ProfileState.WARN, ENGINE, reason, x.policy(), null, null, s.fingerprint(),
                    numbers)));
        }
        if (s.state() == ProfileState.PROBATION) {
            if (!decision.enoughSamples()) {
                return Optional.empty();
            }
            return Optional.of(commit(new Transition(now(), profile, s.state(), ProfileState.ACTIVE, ENGINE,
                    "probation passed: every matching policy has its minimum samples and no limit is exceeded",
                    null, null, null, s.fingerprint(), numbers)));
        }
        if (decision instanceof Decision.Warn w && s.state() == ProfileState.ACTIVE) {
            return Optional.of(commit(new Transition(now(), profile, s.state(), ProfileState.WARN, ENGINE,
                    "warning: " + w.reasons().stream().map(Explanation::describe).collect(Collectors.joining("; ")),
                    w.reasons().get(0).policy(), null, null, s.fingerprint(), numbers)));
        }
        if (decision instanceof Decision.Healthy && s.state() == ProfileState.WARN) {
            return Optional.of(commit(new Transition(now(), profile, s.state(), ProfileState.ACTIVE, ENGINE,
                    "every limit back within bounds", null, null, null, s.fingerprint(), numbers)));
        }
        return Optional.empty();
    }

    /** An operator takes the profile out of service; only a manual unblock ends it. */
    public synchronized Transition block(String profile, PolicyAction action, String actor, String reason) {
        if (!action.stopsSteering()) {
            throw new IllegalArgumentException("a block needs action block or fallback-unsteered, got " + action);
        }
        ProfileStatus s = known(profile);
        return commit(new Transition(now(), profile, s.state(), ProfileState.BLOCKED, actor, reason, null, action,
                Recovery.MANUAL, s.fingerprint(), List.of()));
    }

    /** An operator lifts a block: the profile goes to PROBATION. Empty when it was not blocked. */
    public synchronized Optional<Transition> unblock(String profile, String actor, String reason) {
        ProfileStatus s = known(profile);
        if (s.state() != ProfileState.BLOCKED) {
            return Optional.empty();
        }
        return Optional.of(commit(new Transition(now(), profile, s.state(), ProfileState.PROBATION, actor, reason,
                null, null, null, s.fingerprint(), List.of())));
    }

    /** Moves every BLOCKED profile with auto recovery whose cooldown has passed to PROBATION. */
    public synchronized List<Transition> recoverDue() {
        Instant now = now();
        return statuses.values().stream()
                .filter(s -> s.state() == ProfileState.BLOCKED && s.recovery().mode() == Recovery.Mode.AUTO
                        && !now.isBefore(s.since().plus(s.recovery().cooldown())))
                .sorted(java.util.Comparator.comparing(ProfileStatus::profile))
                .toList().stream()
                .map(s -> commit(new Transition(now, s.profile(), ProfileState.BLOCKED, ProfileState.PROBATION,
                        RECOVERY, "cooldown of " + s.recovery().cooldown() + " elapsed", s.policy(), null, null,
                        s.fingerprint(), List.of())))
                .toList();
    }

    /** Forgets profiles no longer configured (their history stays in the audit log). */
    public synchronized void retain(java.util.Set<String> profiles) {
        statuses.keySet().retainAll(profiles);
    }

    /** Transitions since start, by {@code FROM->TO} ({@code new->PROBATION} for new profiles). */
    public Map<String, Long> transitionCounts() {
        return snapshot(transitions);
    }

    /** Decisions applied since start, by outcome: healthy, warn, alert, fallback-unsteered, block. */
    public Map<String, Long> decisionCounts() {
        return snapshot(decisions);
    }

    private Transition commit(Transition t) {
        try {
            store.append(t);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot persist transition of profile " + t.profile(), e);
        }
        statuses.put(t.profile(), ProfileStatus.after(t));
        count(transitions, (t.from() == null ? "new" : t.from().name()) + "->" + t.to().name());
        return t;
    }

    private ProfileStatus known(String profile) {
        ProfileStatus s = statuses.get(profile);
        if (s == null) {
            throw new IllegalArgumentException("unknown profile '" + profile + "'");
        }
        return s;
    }

    private static String decisionKey(Decision d) {
        if (d instanceof Decision.Exceeded x) {
            return x.action().configName();
        }
        return d instanceof Decision.Warn ? "warn" : "healthy";
    }

    private static void count(Map<String, AtomicLong> counters, String key) {
        counters.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
    }

    private static Map<String, Long> snapshot(Map<String, AtomicLong> counters) {
        return counters.entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey,
                e -> e.getValue().get()));
    }

    private Instant now() {
        return clock.instant();
    }
}
