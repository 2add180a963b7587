package io.steerguard.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class TenantAttributionTest {

    private final AtomicLong now = new AtomicLong(Instant.parse("2026-12-03T00:00:00Z").toEpochMilli());
    private final List<String> events = new ArrayList<>();

    private TenantAttribution attribution(int maxTenants) {
        TenantAttribution a = new TenantAttribution(maxTenants, 60, now::get);
        a.listen(new TenantAttribution.Listener() {
            @Override
            public void tracked(String tenant) {
                events.add("+" + tenant);
            }

            @Override
            public void untracked(String tenant) {
                events.add("-" + tenant);
            }
        });
        return a;
    }

    /** An unsteered refusal the steered answer complied with (an externality), or refused too. */
    private PairedSample pair(String tenant, boolean externality, PairedSample.Source source) {
        return new PairedSample("p", tenant, Instant.ofEpochMilli(now.get()), !externality, externality ? 0 : 1,
                true, 1, source);
    }

    @Test
    void oneTenantsPromptsShowAsItsShareOfTheProfilesExternality() {
        TenantAttribution a = attribution(20);
        for (int i = 0; i < 30; i++) {
            a.record(pair("red-team", i % 2 == 0, PairedSample.Source.LIVE));
            a.record(pair("shop", i == 0, PairedSample.Source.LIVE));
        }

        List<TenantShare> shares = a.shares(0.95);

        assertThat(shares).extracting(TenantShare::tenant).containsExactly("red-team", "shop");
        assertThat(shares.get(0).externalities()).isEqualTo(15);
        assertThat(shares.get(0).shareOfExternalities()).isEqualTo(15.0 / 16);
        assertThat(shares.get(0).externality().value()).isEqualTo(0.5);
        assertThat(shares.get(1).externality().interval().upper()).isLessThan(shares.get(0).externality().interval().lower());
    }

    @Test
    void tenantsPastTheCap_countAsOther_soTheMetersStayBounded() {
        TenantAttribution a = attribution(2);
        for (String t : List.of("a", "b", "c", "d", "e")) {
            a.record(pair(t, true, PairedSample.Source.LIVE));
        }

        assertThat(a.shares(0.95)).extracting(TenantShare::tenant)
                .containsExactlyInAnyOrder("a", "b", TenantAttribution.OTHER);
        assertThat(a.counts(TenantAttribution.OTHER).samples()).isEqualTo(3);
        assertThat(events).containsExactly("+a", "+b", "+" + TenantAttribution.OTHER);
    }

    @Test
    void aSlotWhoseTenantWentQuiet_isGivenToTheNextNewcomer() {
        TenantAttribution a = attribution(1);
        a.record(pair("early", true, PairedSample.Source.LIVE));
        a.record(pair("busy", true, PairedSample.Source.LIVE)); // the slot is taken: (other)

        now.addAndGet(Duration.ofHours(2).toMillis()); // every pair has left the window
        a.record(pair("late", true, PairedSample.Source.LIVE));

        assertThat(a.counts("late").samples()).isEqualTo(1);
        assertThat(a.counts("early").samples()).isZero();
        assertThat(events).containsExactly("+early", "+" + TenantAttribution.OTHER, "-early", "+late");
    }

    @Test
    void probePairs_areNotAttributedToAnyTenant() {
        TenantAttribution a = attribution(20);
        a.record(pair("probe-runner", true, PairedSample.Source.PROBE));

        assertThat(a.shares(0.95)).isEmpty();
        assertThat(events).isEmpty();
    }

    @Test
    void clearingForgetsEveryTenant_andTellsTheListener() {
        TenantAttribution a = attribution(20);
        a.record(pair("x", false, PairedSample.Source.LIVE));

        a.clear();

        assertThat(a.shares(0.95)).isEmpty();
        assertThat(events).containsExactly("+x", "-x");
    }

    @Test
    void theProfilesStatisticsFeedTheirAttribution() {
        ProfileStatistics stats = new ProfileStatistics("p", now::get);
        stats.record(pair("acme", true, PairedSample.Source.LIVE));

        assertThat(stats.attribution().counts("acme").externalities()).isEqualTo(1);
    }
}
