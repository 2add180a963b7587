package io.steerguard.policy;

import io.steerguard.redis.RedisStateStore;
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
 * <p>A block belongs to a profile <em>identity</em> (its fingerprint: runtime + the content of the
 * vectors served + operator, layers, coefficient, positions), not to its name or its files:
 * <ul>
 *   <li>a new profile, or one whose identity changed, starts in PROBATION; when the identity it
 *       replaces was BLOCKED the audit log names it, and that block stays recorded
 *       ({@link BlockedIdentities});</li>
 *   <li>an identity that was blocked comes back BLOCKED, whenever it comes back and under whatever
 *       profile name (a renamed or copied profile serving blocked vectors starts BLOCKED; lifting it
 *       there lifts only that profile's block);</li>
 *   <li>a profile removed from the configuration keeps its state as a tombstone: brought back with
 *       the same identity it gets that state again (a BLOCKED one with an audit entry saying why);</li>
 *   <li>all of this survives restarts, and on a shared log holds across replicas.</li>
 * </ul>
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
    /** Guarded by {@code this}. */
    private final BlockedIdentities blocks;
    /** Profiles known here but not in the configuration now: their status is a tombstone. */
    private final java.util.Set<String> removed = ConcurrentHashMap.newKeySet();

    /** Starts from the states the store recovered, and follows what other writers of the store persist. */
    public ProfileStateMachine(TransitionLog store, Clock clock) {
        this.store = store;
        this.clock = clock;
        statuses.putAll(store.recoveredStatuses());
        blocks = new BlockedIdentities(store.recoveredBlocks());
        store.onRemoteBlocks(this::adoptBlock);
        store.onRemote(this::adopt);
    }

    /**
     * Takes over a transition another replica persisted (already durable, so nothing is written).
     * Serialised with {@link #commit}: a local transition waiting for its write holds the lock, so
     * transitions arriving meanwhile are applied after it, in the order the log persisted them.
     */
    synchronized void adopt(Transition t) {
        if (!store.stillNewest(t)) {
            return; // delivered late: this replica has appended a newer transition of the profile since
        }
        blocks.apply(statuses.put(t.profile(), ProfileStatus.after(t)), t);
    }

    /** Takes over a blocked identity a shared log reloaded (this replica missed its transitions). */
    synchronized void adoptBlock(ProfileStatus block) {
        blocks.put(block);
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
     * Makes the machine know a configured profile with the identity it serves now (see the class
     * comment): new → PROBATION; same identity → unchanged (a BLOCKED tombstone coming back is
     * recorded); an identity that was blocked → BLOCKED again; another identity → PROBATION, naming
     * the blocked identity it replaces, if any.
     */
    public synchronized Optional<Transition> register(String profile, String fingerprint) {
        Optional<Transition> t = register(profile, fingerprint, removed.contains(profile));
        removed.remove(profile); // only once persisted: a failed write leaves it a tombstone to retry
        return t;
    }

    private Optional<Transition> register(String profile, String fingerprint, boolean returning) {
        ProfileStatus s = statuses.get(profile);
        // A block follows the identity under any name: re-adding blocked vectors as another profile
        // (or copying a blocked profile) serves the same steering, so it starts BLOCKED too.
        Optional<ProfileStatus> blockOfIdentity = blocks.find(profile, fingerprint)
                .or(() -> blocks.findAnyProfile(fingerprint));
        if (s == null) {
            if (blockOfIdentity.isPresent()) {
                return Optional.of(commit(blockedAgain(null, profile, fingerprint, blockOfIdentity.get(), null)));
            }
            return Optional.of(commit(new Transition(now(), profile, null, ProfileState.PROBATION, LIFECYCLE,
                    "new profile, identity " + abbreviate(fingerprint), null, null, null, fingerprint, List.of())));
        }
        if (s.fingerprint().equals(fingerprint)) {
            if (returning && s.state() == ProfileState.BLOCKED) {
                return Optional.of(commit(new Transition(now(), profile, s.state(), ProfileState.BLOCKED, LIFECYCLE,
                        "profile back in the configuration with identity " + abbreviate(fingerprint) + ", which is "
                                + blockedSince(s) + "; the block stays until it is lifted",
                        s.policy(), s.action(), s.recovery(), fingerprint, List.of())));
            }
            return Optional.empty();
        }
        if (s.state() == ProfileState.BLOCKED && BlockedIdentities.ANY.equals(s.fingerprint())) {
            return Optional.of(commit(new Transition(now(), profile, s.state(), ProfileState.BLOCKED, LIFECYCLE,
                    "the block set by state recovery applies to the configured identity " + abbreviate(fingerprint),
                    s.policy(), s.action(), s.recovery(), fingerprint, List.of())));
        }
        if (blockOfIdentity.isPresent()) {
            return Optional.of(commit(blockedAgain(s, profile, fingerprint, blockOfIdentity.get(), s.fingerprint())));
        }
        String replaced = s.state() == ProfileState.BLOCKED
                ? "replaces blocked identity " + abbreviate(s.fingerprint()) + " (" + blockedSince(s)
                        + "; that block stays with it and returns if it comes back)"
                : "replaces identity " + abbreviate(s.fingerprint()) + " (" + s.state() + ")";
        return Optional.of(commit(new Transition(now(), profile, s.state(), ProfileState.PROBATION, LIFECYCLE,
                "profile changed: identity " + abbreviate(fingerprint) + " " + replaced, null, null, null, fingerprint,
                List.of())));
    }

    private Transition blockedAgain(ProfileStatus s, String profile, String fingerprint, ProfileStatus block,
                                    String replaced) {
        return new Transition(now(), profile, s == null ? null : s.state(), ProfileState.BLOCKED, LIFECYCLE,
                "identity " + abbreviate(fingerprint) + " is back and was " + blockedSince(block)
                        + (block.profile().equals(profile) ? "" : " as profile '" + block.profile() + "'")
                        + "; the block stays until it is lifted"
                        + (replaced == null ? "" : " (replaces identity " + abbreviate(replaced) + ")"),
                block.policy(), block.action(), block.recovery(), fingerprint, List.of());
    }

    private static String blockedSince(ProfileStatus block) {
        return "BLOCKED since " + block.since() + (block.policy() == null ? "" : " by policy " + block.policy());
    }

    private static String abbreviate(String fingerprint) {
        return fingerprint.length() > 12 ? fingerprint.substring(0, 12) : fingerprint;
    }

    /**
     * Chooses the statistics by the profile's state ({@link #judgedOn}), has {@code engine} decide on
     * them and applies the decision, as one step: no other transition (an operator's unblock) can
     * come between reading the state and applying a decision made for it.
     */
    public synchronized Optional<Transition> judge(String profile, ProfileStatistics stats,
                                                   java.util.function.Function<StatisticsSource, Decision> engine) {
        return apply(profile, engine.apply(judgedOn(profile, stats)));
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

    /**
     * Marks the profiles not in {@code profiles} as removed. Their status stays as a tombstone (and in
     * the log): a removed profile brought back with the same identity gets it again.
     */
    public synchronized void retain(java.util.Set<String> profiles) {
        statuses.keySet().stream().filter(p -> !profiles.contains(p)).forEach(removed::add);
        removed.retainAll(statuses.keySet());
        removed.removeAll(profiles);
    }

    /** Whether {@code profile} is known but not configured now (its status is a tombstone). */
    public boolean isTombstone(String profile) {
        return removed.contains(profile);
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
        blocks.apply(statuses.put(t.profile(), ProfileStatus.after(t)), t);
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
