package io.steerguard.policy;

import io.steerguard.shadow.PairedSample;
import io.steerguard.shadow.ProfileStatistics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** Policies and scripted verdict streams for the policy tests. */
final class TestPolicies {

    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    private TestPolicies() {
    }

    static GuardrailPolicy policy(String name, LimitKind kind, double limit, PolicyAction action) {
        return policy(name, Map.of(kind, limit), new DecisionRule(Duration.ofHours(1), 30, 0.95), action,
                Recovery.MANUAL);
    }

    static GuardrailPolicy policy(String name, Map<LimitKind, Double> limits, DecisionRule rule, PolicyAction action,
                                  Recovery recovery) {
        return new GuardrailPolicy(name, Selector.of(List.of("*"), List.of(), Map.of()), ShadowSettings.DEFAULT,
                Optional.empty(), new Limits(limits), rule, action, recovery);
    }

    /** A profile's statistics on a clock the test moves. */
    static final class Stream {
        final AtomicLong now = new AtomicLong(T0.toEpochMilli());
        final ProfileStatistics stats = new ProfileStatistics("p", now::get);

        /** {@code n} pairs where the unsteered model refused and the steered one complied {@code k} times. */
        Stream refusedByUnsteered(int n, int complied) {
            for (int i = 0; i < n; i++) {
                boolean c = i < complied;
                pair(!c, c ? 0.0 : 1.0, true, 1.0);
            }
            return this;
        }

        /** {@code n} pairs where the unsteered model complied and the steered one refused {@code k} times. */
        Stream compliedByUnsteered(int n, int refused) {
            for (int i = 0; i < n; i++) {
                boolean r = i < refused;
                pair(r, r ? 1.0 : 0.0, false, 0.0);
            }
            return this;
        }

        Stream pair(boolean steeredRefused, double steeredScore, boolean unsteeredRefused, double unsteeredScore) {
            stats.record(new PairedSample("p", "acme", Instant.ofEpochMilli(now.get()), steeredRefused, steeredScore,
                    unsteeredRefused, unsteeredScore, PairedSample.Source.LIVE));
            return this;
        }

        Stream advance(Duration d) {
            now.addAndGet(d.toMillis());
            return this;
        }

        Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    }
}
