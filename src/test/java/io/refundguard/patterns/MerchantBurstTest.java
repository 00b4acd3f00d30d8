package io.refundguard.patterns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.refundguard.alerts.Severity;
import io.refundguard.events.TestEvents;
import io.refundguard.identity.PersonEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerchantBurstTest {
    private static final MerchantBurstRule RULE = MerchantBurstRule.defaults();
    private static final AmountTierRule AMOUNTS = RingEvents.CONFIG.rules().amountTier();
    private static final long T0 = RingEvents.T0;
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final String MERCHANT = "merchant:tb:M1";

    @Test
    void defaultsAndTheirChecks() {
        assertThat(RULE.bucket()).isEqualTo(Duration.ofHours(1));
        assertThat(RULE.window()).isEqualTo(Duration.ofHours(2));
        assertThat(RULE.bucketsPerWindow()).isEqualTo(2.0);
        assertThat(RULE.alpha()).isEqualTo(2.0 / 73);
        assertThatThrownBy(() -> new MerchantBurstRule(Duration.ofHours(2), Duration.ofHours(1), 72, 5, 20, 2, 3))
                .hasMessageStartingWith("window:");
        assertThatThrownBy(() -> new MerchantBurstRule(Duration.ofHours(1), Duration.ofHours(2), 72, 0.5, 20, 2, 3))
                .hasMessageStartingWith("factor:");
        assertThatThrownBy(() -> new MerchantBurstRule(Duration.ofHours(1), Duration.ofHours(2), 72, 5, 20, 0, 3))
                .hasMessageStartingWith("defaultBaselinePerBucket:");
        assertThatThrownBy(() -> new MerchantBurstRule(Duration.ofHours(1), Duration.ofHours(2), 0, 5, 20, 2, 3))
                .hasMessageStartingWith("baselineBuckets:");
        assertThatThrownBy(() -> new MerchantBurstRule(Duration.ofHours(1), Duration.ofHours(2), 72, 5, 1, 2, 3))
                .hasMessageStartingWith("floor:");
    }

    @Test
    void aRefundOnlyRequestCountsForItsMerchantAndItsProduct() {
        PersonEvent request = RingEvents.person(TestEvents.request("tb", "R1").person("p").merchant("M1", "P7"));
        assertThat(MerchantBurst.keysOf(request.event())).containsExactly(MERCHANT, "product:tb:M1:P7");
        PersonEvent returned = RingEvents.person(TestEvents.request("tb", "R2").person("p").returnAndRefund());
        assertThat(MerchantBurst.keysOf(returned.event())).isEmpty();
        assertThat(MerchantBurst.keysOf(RingEvents.decode(TestEvents.outcome("tb", "R1", "FRAUD", Duration.ofHours(1)))))
                .isEmpty();
    }

    @Test
    void closedBucketsFoldDistinctPersonsIntoTheAverageAndEmptyOnesDecayIt() {
        MerchantBaseline start = MerchantBurst.start(RULE, T0 + 10 * 60_000);
        assertThat(start).isEqualTo(new MerchantBaseline(List.of(2.0), T0, 0));
        List<PersonRequest> members = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            members.add(member("p" + i, "R" + i, T0 + i * 60_000));
        }
        // The same person again in the bucket, and a request of a bucket already folded: neither counts.
        members.add(member("p0", "again", T0 + 30 * 60_000));
        members.add(member("old", "old", T0 - 1));
        double a = RULE.alpha();

        MerchantBaseline stillOpen = MerchantBurst.closeBuckets(RULE, start, members, T0 + HOUR - 1);
        assertThat(stillOpen).isSameAs(start);
        MerchantBaseline one = MerchantBurst.closeBuckets(RULE, start, members, T0 + HOUR);
        assertThat(one.perBucket()).isCloseTo(a * 10 + (1 - a) * 2.0, within(1e-12));
        assertThat(one.closedUntil()).isEqualTo(T0 + HOUR);
        assertThat(one.bucketsClosed()).isEqualTo(1);

        MerchantBaseline later = MerchantBurst.closeBuckets(RULE, one, members, T0 + 4 * HOUR + 5);
        assertThat(later.perBucket()).isCloseTo(one.perBucket() * Math.pow(1 - a, 3), within(1e-12));
        assertThat(later.bucketsClosed()).isEqualTo(4);
        // Folding in one step or bucket by bucket gives the same average.
        MerchantBaseline stepwise = start;
        for (int h = 1; h <= 4; h++) {
            stepwise = MerchantBurst.closeBuckets(RULE, stepwise, members, T0 + h * HOUR);
        }
        assertThat(stepwise.perBucket()).isCloseTo(later.perBucket(), within(1e-12));
    }

    @Test
    void withoutHistoryTheDefaultBaselineSetsTheBar() {
        MerchantBaseline fresh = MerchantBurst.start(RULE, T0);
        List<PersonRequest> members = new ArrayList<>();
        for (int i = 0; i < 19; i++) {
            members.add(member("p" + i, "R" + i, T0 + i * 60_000));
        }
        long at = T0 + 19 * 60_000;
        assertThat(MerchantBurst.evaluate(RULE, AMOUNTS, MERCHANT, fresh, members, at)).isEmpty();
        members.add(member("p19", "R19", at));
        PatternFinding burst = MerchantBurst.evaluate(RULE, AMOUNTS, MERCHANT, fresh, members, at).orElseThrow();
        assertThat(burst.pattern()).isEqualTo(PatternCode.MERCHANT_BURST);
        assertThat(burst.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(burst.requests()).hasSize(20);
        assertThat(burst.details())
                .containsEntry("scope", "MERCHANT")
                .containsEntry("merchantId", "M1")
                .containsEntry("distinctPersons", 20)
                .containsEntry("baselinePerBucket", 2.0)
                .containsEntry("baselineSource", "default")
                .containsEntry("expectedInWindow", 4.0)
                .containsEntry("observedPerBucket", 10.0)
                .containsEntry("threshold", 20.0)
                .containsEntry("window", "2h");

        // A higher default is a higher bar for a merchant never seen before.
        MerchantBurstRule cautious = new MerchantBurstRule(Duration.ofHours(1), Duration.ofHours(2), 72, 5, 20, 5, 3);
        assertThat(MerchantBurst.evaluate(cautious, AMOUNTS, MERCHANT, MerchantBurst.start(cautious, T0), members, at))
                .isEmpty();
    }

    @Test
    void theBarIsTheSubjectsOwnBaselineScaledToTheWindow() {
        List<PersonRequest> members = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            members.add(member("p" + i, "R" + i, T0 + i * 60_000));
        }
        long at = T0 + 59 * 60_000;
        MerchantBaseline busy = new MerchantBaseline(List.of(20.0), T0, 200);
        // 60 persons in two hours against 20 an hour: 1.5 times the usual, no burst.
        assertThat(MerchantBurst.evaluate(RULE, AMOUNTS, MERCHANT, busy, members, at)).isEmpty();
        MerchantBaseline quiet = new MerchantBaseline(List.of(0.1), T0, 200);
        PatternFinding burst = MerchantBurst.evaluate(RULE, AMOUNTS, "product:tb:M1:P1", quiet, members, at).orElseThrow();
        // Sixty against a floor of twenty: three times the bar.
        assertThat(burst.severity()).isEqualTo(Severity.HIGH);
        assertThat(burst.details()).containsEntry("scope", "PRODUCT").containsEntry("productId", "P1")
                .containsEntry("baselineSource", "history");
    }

    @Test
    void aWindowIsMeasuredAgainstTheBaselineFromBeforeItBegan() {
        List<PersonRequest> members = new ArrayList<>();
        // 30 persons in the first hour of a burst, one more a little after the hour.
        for (int i = 0; i < 30; i++) {
            members.add(member("p" + i, "R" + i, T0 + i * 2 * 60_000));
        }
        members.add(member("late", "R30", T0 + HOUR + 60_000));
        MerchantBaseline closed = MerchantBurst.closeBuckets(RULE, MerchantBurst.start(RULE, T0), members, T0 + HOUR);
        // Folding the burst's hour raised the average to 2.77 (a bar of 27.7 in two hours) ...
        assertThat(closed.perBucket()).isCloseTo(RULE.alpha() * 30 + (1 - RULE.alpha()) * 2.0, within(1e-12));
        assertThat(closed.averages()).hasSize(2);
        // ... but the window reaching back into that hour is measured against the average before it.
        PatternFinding burst = MerchantBurst.evaluate(RULE, AMOUNTS, MERCHANT, closed, members,
                T0 + HOUR + 60_000).orElseThrow();
        assertThat(burst.details()).containsEntry("baselinePerBucket", 2.0).containsEntry("threshold", 20.0)
                .containsEntry("baselineSource", "default").containsEntry("distinctPersons", 31);

        // Two hours on, the window starts after that hour: the raised average applies, from history.
        MerchantBaseline later = MerchantBurst.closeBuckets(RULE, closed, members, T0 + 3 * HOUR);
        assertThat(later.averages()).hasSize(4);
        assertThat(MerchantBurst.averageAsOf(RULE, later, T0 + HOUR)).isEqualTo(closed.perBucket());
        assertThat(MerchantBurst.averageAsOf(RULE, later, T0 + HOUR + 59 * 60_000)).isEqualTo(closed.perBucket());
        assertThat(MerchantBurst.averageAsOf(RULE, later, T0 + 3 * HOUR)).isEqualTo(later.perBucket());
    }

    @Test
    void onlyTheAveragesAWindowCanReachBackToAreKept() {
        MerchantBaseline baseline = MerchantBurst.start(RULE, T0);
        for (int h = 1; h <= 10; h++) {
            baseline = MerchantBurst.closeBuckets(RULE, baseline, List.of(), T0 + h * HOUR);
        }
        assertThat(baseline.averages()).hasSize(4);
        assertThat(baseline.bucketsClosed()).isEqualTo(10);
        assertThat(baseline.perBucket()).isCloseTo(2.0 * Math.pow(1 - RULE.alpha(), 10), within(1e-12));
    }

    @Test
    void onePersonFilingManyTimesIsNotABurst() {
        List<PersonRequest> members = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            members.add(member("same", "R" + i, T0 + i * 60_000));
        }
        assertThat(MerchantBurst.evaluate(RULE, AMOUNTS, MERCHANT, MerchantBurst.start(RULE, T0), members,
                T0 + HOUR)).isEmpty();
    }

    @Test
    void requestsOutsideTheWindowDoNotCount() {
        List<PersonRequest> members = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            members.add(member("p" + i, "R" + i, T0 + i * 60_000));
        }
        MerchantBaseline fresh = MerchantBurst.start(RULE, T0);
        assertThat(MerchantBurst.evaluate(RULE, AMOUNTS, MERCHANT, fresh, members, T0 + 2 * HOUR - 1)).isPresent();
        assertThat(MerchantBurst.evaluate(RULE, AMOUNTS, MERCHANT, fresh, members, T0 + 2 * HOUR)).isEmpty();
    }

    @Test
    void aSubjectIsForgottenWhenItsAverageHasDecayedToTheDefault() {
        assertThat(MerchantBurst.forgetAt(RULE, new MerchantBaseline(List.of(1.5), T0, 10))).isEqualTo(T0);
        MerchantBaseline busy = new MerchantBaseline(List.of(20.0), T0, 100);
        long forget = MerchantBurst.forgetAt(RULE, busy);
        long buckets = (forget - T0) / HOUR;
        double a = RULE.alpha();
        assertThat(20 * Math.pow(1 - a, buckets)).isLessThanOrEqualTo(2.0);
        assertThat(20 * Math.pow(1 - a, buckets - 1)).isGreaterThan(2.0);
        MerchantBaseline decayed = MerchantBurst.closeBuckets(RULE, busy, List.of(), forget);
        assertThat(MerchantBurst.forgetAt(RULE, decayed)).isEqualTo(forget);
    }

    private static PersonRequest member(String person, String requestId, long at) {
        PersonEvent e = RingEvents.person(TestEvents.request("tb", requestId).person(person)
                .after(Duration.ofMillis(at - T0)));
        return new PersonRequest(e.personKey(), RequestRecord.of(e.event(), false));
    }
}
