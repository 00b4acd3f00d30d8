package io.refundguard.patterns;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.refundguard.alerts.Alert;
import io.refundguard.alerts.AlertViews;
import io.refundguard.alerts.Assessment;
import io.refundguard.alerts.PlatformSummary;
import io.refundguard.alerts.Reason;
import io.refundguard.alerts.Severity;
import io.refundguard.alerts.SubjectKind;
import io.refundguard.events.TestEvents;
import io.refundguard.eventtime.StateTtl;
import io.refundguard.identity.PersonEvent;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MerchantBurstFunctionTest {
    private static final MerchantBurstRule RULE = MerchantBurstRule.defaults();
    private static final long T0 = RingEvents.T0;
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final String MERCHANT = "merchant:tb:M1";
    private static final String PRODUCT = "product:tb:M1:P1";
    private static final String WINDOW = "window-requests-by-request";

    private KeyedBroadcastOperatorTestHarness<String, MerchantRequest, RuleSetUpdate, Assessment> harness;

    @BeforeEach
    void open() throws Exception {
        harness = newHarness(RULE);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static KeyedBroadcastOperatorTestHarness<String, MerchantRequest, RuleSetUpdate, Assessment> newHarness(
            MerchantBurstRule rule) throws Exception {
        return RuleHarness.started(new MerchantBurstFunction(RingEvents.withMerchantBurst(rule), StateTtl.PROCESSING_TIME),
                MerchantRequest::merchantKey, Types.STRING);
    }

    @Test
    void fortyRequestsInNinetyMinutesAgainstAQuietMerchantFireOncePerSubject() throws Exception {
        List<PersonEvent> quietDays = quietHistory(3);
        quietDays.forEach(e -> send(harness, e));
        List<PersonEvent> burst = burst("b", 40, Duration.ofDays(3).plusMinutes(10), Duration.ofMinutes(90));
        burst.forEach(e -> send(harness, e));
        harness.processWatermark(T0 + 4 * DAY);

        List<Alert> alerts = alerts(harness);
        assertThat(alerts).extracting(a -> a.subject().key()).containsExactlyInAnyOrder(MERCHANT, PRODUCT);
        assertThat(alerts).allSatisfy(a -> {
            assertThat(a.subject().kind()).isEqualTo(SubjectKind.MERCHANT);
            assertThat(a.severity()).isEqualTo(Severity.MEDIUM);
            // The bar is the floor of 20 distinct persons: the quiet history expects far fewer.
            assertThat(a.trigger().requestId()).isEqualTo("b19");
            assertThat(a.requests()).hasSize(20);
            assertThat(a.details()).contains("\"baselineSource\":\"history\"").contains("\"distinctPersons\":20")
                    .contains("\"threshold\":20.0");
        });
        Map<String, List<Assessment>> byRequest = byRequest(harness);
        assertThat(byRequest.get("b18")).allSatisfy(a -> assertThat(a.reasons()).isEmpty());
        for (int i = 19; i < 40; i++) {
            assertThat(byRequest.get("b" + i)).hasSize(2).allSatisfy(a -> {
                assertThat(a.reasons()).extracting(Reason::pattern).containsExactly(PatternCode.MERCHANT_BURST);
                assertThat(a.alertIds()).hasSize(1);
            });
        }
        assertThat(quietDays).allSatisfy(e -> assertThat(byRequest.get(e.event().requestId()))
                .allSatisfy(a -> assertThat(a.reasons()).isEmpty()));
    }

    @Test
    void aMerchantWithoutHistoryIsMeasuredAgainstTheDefaultBaseline() throws Exception {
        List<PersonEvent> burst = burst("b", 40, Duration.ofMinutes(10), Duration.ofMinutes(90));
        burst.forEach(e -> send(harness, e));
        harness.processWatermark(T0 + DAY);
        assertThat(alerts(harness)).hasSize(2).allSatisfy(a -> assertThat(a.details())
                .contains("\"baselineSource\":\"default\"").contains("\"baselinePerBucket\":2.0")
                .contains("\"expectedInWindow\":4.0"));

        // The same burst against a default of 5 an hour expects 10 in the window; 40 is not 5 times that.
        var cautious = newHarness(new MerchantBurstRule(Duration.ofHours(1), Duration.ofHours(2), 72, 5, 20, 5, 3));
        burst.forEach(e -> send(cautious, e));
        cautious.processWatermark(T0 + DAY);
        assertThat(alerts(cautious)).isEmpty();
        cautious.close();
    }

    @Test
    void aBusyMerchantWithASteadyRateStaysQuietOnceItHasABaselineButNotAgainstARealBurst() throws Exception {
        // 20 distinct persons an hour, around the clock, for 8 days.
        int hours = 8 * 24;
        for (int h = 0; h < hours; h++) {
            for (int i = 0; i < 20; i++) {
                send(harness, request("s" + h + "-" + i, Duration.ofHours(h).plusMinutes(3L * i)));
            }
        }
        harness.processWatermark(T0 + 8 * DAY);
        // Without history it looks like a burst, until the average from before the window
        // reaches 40 / (5 x 2) = 4 an hour: 20 - 18 (1 - 2/73)^k >= 4 after k = 5 closed hours,
        // and the window starting after them is the one ending in hour 7.
        long coldStartEnds = T0 + Duration.ofHours(7).toMillis();
        List<Alert> coldStart = alerts(harness);
        // One alert per subject (the merchant, its one product), the gate holding back the rest.
        assertThat(coldStart).extracting(a -> a.subject().key()).containsExactlyInAnyOrder(MERCHANT, PRODUCT);
        assertThat(coldStart).allSatisfy(a ->
                assertThat(OffsetDateTime.parse(a.eventTime()).toInstant().toEpochMilli()).isLessThan(coldStartEnds));
        for (Assessment a : harness.extractOutputValues()) {
            if (a.eventTime() >= coldStartEnds) {
                assertThat(a.reasons()).as("request %s", a.requestId()).isEmpty();
            }
        }

        // A real burst on top of the steady traffic, after the cold-start alert's cooldown.
        for (int i = 0; i < 250; i++) {
            send(harness, request("x" + i, Duration.ofHours(hours).plusSeconds(14L * i)));
        }
        harness.processWatermark(T0 + 9 * DAY);
        List<Alert> later = alerts(harness).subList(coldStart.size(), alerts(harness).size());
        assertThat(later).hasSize(2).allSatisfy(a -> assertThat(a.details()).contains("\"baselineSource\":\"history\""));
        assertThat(later.get(0).details()).contains("\"baselinePerBucket\":19.");
    }

    @Test
    void onePersonFilingFortyTimesIsNoBurst() throws Exception {
        for (int i = 0; i < 40; i++) {
            send(harness, RingEvents.person(TestEvents.request("tb", "R" + i).person("same")
                    .after(Duration.ofMinutes(2L * i))));
        }
        harness.processWatermark(T0 + DAY);
        assertThat(alerts(harness)).isEmpty();
    }

    @Test
    void returnAndRefundRequestsNeverCount() throws Exception {
        burst("b", 19, Duration.ZERO, Duration.ofMinutes(30)).forEach(e -> send(harness, e));
        List<PersonEvent> returned = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            returned.add(RingEvents.person(TestEvents.request("tb", "X" + i).person("x" + i).returnAndRefund()
                    .after(Duration.ofMinutes(31 + i))));
        }
        for (PersonEvent e : returned) {
            assertThat(fanOut(e)).isEmpty();
            // Even if one reached the operator, it is assessed but not counted.
            harness.processElement(new MerchantRequest(MERCHANT, e), e.timestamp());
        }
        harness.processWatermark(T0 + Duration.ofHours(1).toMillis());
        assertThat(alerts(harness)).isEmpty();
        assertThat(byRequest(harness).get("X4")).singleElement().satisfies(a -> assertThat(a.reasons()).isEmpty());

        send(harness, request("last", Duration.ofMinutes(50)));
        harness.processWatermark(T0 + DAY);
        assertThat(alerts(harness)).hasSize(2).allSatisfy(a -> assertThat(a.requests()).hasSize(20)
                .noneMatch(r -> r.requestId().startsWith("X")));
    }

    @Test
    void outOfOrderArrivalGivesTheSameAlertsAndAssessments() throws Exception {
        List<PersonEvent> all = new ArrayList<>(quietHistory(2));
        all.addAll(burst("b", 70, Duration.ofDays(2).plusMinutes(7), Duration.ofMinutes(80)));
        all.forEach(e -> send(harness, e));
        harness.processWatermark(T0 + 3 * DAY);

        var shuffled = newHarness(RULE);
        List<PersonEvent> mixed = new ArrayList<>(all);
        Collections.shuffle(mixed, new Random(11));
        mixed.forEach(e -> send(shuffled, e));
        assertThat(shuffled.extractOutputValues()).isEmpty();
        shuffled.processWatermark(T0 + 3 * DAY);

        // MEDIUM at the floor, HIGH at three times it, for the merchant and the product.
        assertThat(alerts(harness)).extracting(Alert::severity).containsExactlyInAnyOrder(
                Severity.MEDIUM, Severity.MEDIUM, Severity.HIGH, Severity.HIGH);
        assertThat(alerts(shuffled)).extracting(Alert::alertId).containsExactlyInAnyOrderElementsOf(
                alerts(harness).stream().map(Alert::alertId).toList());
        assertThat(sorted(shuffled)).isEqualTo(sorted(harness));
        shuffled.close();
    }

    @Test
    void aRefundOnlyRequestIsAssessedOnceForItsMerchantAndOnceForItsProduct() throws Exception {
        List<PersonEvent> requests = List.of(
                RingEvents.person(TestEvents.request("tb", "a").person("p0").merchant("M1", "P1")),
                RingEvents.person(TestEvents.request("tb", "b").person("p1").merchant("M1", "P2").after(Duration.ofMinutes(1))),
                RingEvents.person(TestEvents.request("jd", "c").person("p2").merchant("M1", "P1").after(Duration.ofMinutes(2))),
                RingEvents.person(TestEvents.request("tb", "d").person("p3").returnAndRefund().after(Duration.ofMinutes(3))));
        requests.forEach(e -> send(harness, e));
        harness.processWatermark(T0 + DAY);
        Map<String, List<Assessment>> byRequest = byRequest(harness);
        assertThat(byRequest.keySet()).containsExactlyInAnyOrder("a", "b", "c");
        for (PersonEvent e : requests) {
            List<Assessment> got = byRequest.getOrDefault(e.event().requestId(), List.of());
            assertThat(got).hasSize(MerchantBurst.keysOf(e.event()).size())
                    .allSatisfy(a -> assertThat(a.expected()).isEqualTo(AssessmentPlan.expectedFor(e)));
        }
        assertThat(MerchantBurst.keysOf(requests.get(2).event())).containsExactly("merchant:jd:M1", "product:jd:M1:P1");
    }

    @Test
    void aQuietMerchantIsForgottenAfterTheCooldownLeavingNoStateOrTimers() throws Exception {
        burst("b", 40, Duration.ofMinutes(10), Duration.ofMinutes(90)).forEach(e -> send(harness, e));
        harness.processWatermark(T0 + DAY);
        assertThat(alerts(harness)).hasSize(2);
        // The window's requests are gone, the alert mark waits out its cooldown.
        harness.processWatermark(T0 + 6 * DAY);
        assertThat(RuleHarness.numKeyedStateEntries(harness)).isPositive();
        assertThat(harness.numEventTimeTimers()).isPositive();
        harness.processWatermark(T0 + 8 * DAY);
        assertThat(RuleHarness.numKeyedStateEntries(harness)).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aBusyMerchantThatFallsSilentIsForgottenOnceItsBaselineHasDecayedToTheDefault() throws Exception {
        // A default of 5 an hour expects 10 in the window: steady traffic of 20 an hour is no
        // burst even before history exists, so no alert cooldown holds the state.
        var h = newHarness(new MerchantBurstRule(Duration.ofHours(1), Duration.ofHours(2), 72, 5, 20, 5, 3));
        for (int hour = 0; hour < 48; hour++) {
            for (int i = 0; i < 20; i++) {
                send(h, request("s" + hour + "-" + i, Duration.ofHours(hour).plusMinutes(3L * i)));
            }
        }
        h.processWatermark(T0 + 2 * DAY);
        assertThat(alerts(h)).isEmpty();
        // Silent for half a day: the window is empty, but the average (about 16 an hour) is
        // still worth more than the default.
        h.processWatermark(T0 + Duration.ofHours(60).toMillis());
        assertThat(RuleHarness.numKeyedStateEntries(h)).isPositive();
        assertThat(h.numEventTimeTimers()).isPositive();
        // About 42 empty hours later it has decayed to the default and is forgotten.
        h.processWatermark(T0 + Duration.ofHours(100).toMillis());
        assertThat(RuleHarness.numKeyedStateEntries(h)).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    @Test
    void anErasedPersonsRequestLeavesTheWindowAndTheBurstNeitherListsNorCountsThem() throws Exception {
        PersonEvent erin = RingEvents.person(TestEvents.request("tb", "E1").person("erin").account("acct-erin")
                .merchant("M1", "P1").after(Duration.ofMinutes(5)));
        // Her other request, the only one against its product.
        PersonEvent alone = RingEvents.person(TestEvents.request("tb", "E2").person("erin").account("acct-erin")
                .merchant("M1", "P9").after(Duration.ofMinutes(6)));
        String lonelyProduct = "product:tb:M1:P9";
        send(harness, erin);
        send(harness, alone);
        burst("b", 18, Duration.ofMinutes(10), Duration.ofMinutes(18)).forEach(e -> send(harness, e));
        harness.processWatermark(T0 + Duration.ofMinutes(30).toMillis());
        assertThat(alerts(harness)).isEmpty();
        assertThat(RuleHarness.<String>keysHoldingState(harness, WINDOW)).contains(MERCHANT, PRODUCT, lonelyProduct);
        int assessed = harness.extractOutputValues().size();

        long erasedAt = T0 + Duration.ofMinutes(40).toMillis();
        send(harness, PersonEvent.retracting(erin.personKey(), erin.event(), erasedAt));
        send(harness, PersonEvent.retracting(alone.personKey(), alone.event(), erasedAt));
        harness.processWatermark(erasedAt);
        assertThat(harness.extractOutputValues()).hasSize(assessed);
        assertThat(alerts(harness)).isEmpty();
        // The product she alone filed against keeps no request (its baseline, counts only, may stay).
        assertThat(RuleHarness.<String>keysHoldingState(harness, WINDOW)).containsExactlyInAnyOrder(MERCHANT, PRODUCT);

        // With erin still counted, the 19th other person would make 20 and fire.
        send(harness, request("b18", Duration.ofMinutes(45)));
        harness.processWatermark(T0 + Duration.ofMinutes(46).toMillis());
        assertThat(alerts(harness)).isEmpty();
        assertThat(byRequest(harness).get("b18")).hasSize(2).allSatisfy(a -> assertThat(a.reasons()).isEmpty());

        send(harness, request("b19", Duration.ofMinutes(50)));
        harness.processWatermark(T0 + DAY);
        List<Alert> alerts = alerts(harness);
        assertThat(alerts).extracting(a -> a.subject().key()).containsExactlyInAnyOrder(MERCHANT, PRODUCT);
        assertThat(alerts).allSatisfy(a -> {
            assertThat(a.trigger().requestId()).isEqualTo("b19");
            assertThat(a.requests()).hasSize(20).extracting(r -> r.requestId()).doesNotContain("E1", "E2");
            assertThat(a.requests()).extracting(r -> r.accountId()).doesNotContain("acct-erin");
            assertThat(a.details()).contains("\"distinctPersons\":20").contains("\"requestCount\":20");
        });
        // Erasure reached nobody else: each request's two assessments, none for the retractions.
        assertThat(harness.extractOutputValues()).hasSize(assessed + 4);
        assertThat(byRequest(harness).get("E1")).hasSize(2);
    }

    /**
     * A ring spreads 36 refund-only claims over one seller's shops on four platforms in 90 minutes,
     * nine a shop: each shop stays under the floor, the seller does not.
     */
    @Test
    void oneSellersShopsOnFourPlatformsBurstAsOneMerchantKeyedByItsIdentity() throws Exception {
        List<PersonEvent> ring = acrossPlatforms("r", "acme", 36);
        ring.forEach(e -> send(harness, e));
        harness.processWatermark(T0 + Duration.ofHours(2).toMillis());

        String seller = TestEvents.sellerHash("acme");
        assertThat(RuleHarness.<String>keysHoldingState(harness, WINDOW)).contains(seller)
                .noneMatch(key -> key.startsWith("merchant:"));
        assertThat(alerts(harness)).singleElement().satisfies(a -> {
            assertThat(a.subject().kind()).isEqualTo(SubjectKind.MERCHANT);
            assertThat(a.subject().key()).isEqualTo(seller);
            assertThat(a.platforms()).containsExactly("dy", "jd", "pdd", "tb");
            assertThat(a.requests()).hasSize(20);
            assertThat(a.details()).contains("\"merchantIdentityHash\":\"" + seller + "\"")
                    .contains("\"requestsByPlatform\":{\"dy\":5,\"jd\":5,\"pdd\":5,\"tb\":5}")
                    .contains("\"distinctPersons\":20").contains("\"baselineSource\":\"default\"")
                    .doesNotContain("\"merchantId\"");
            // Each platform's view: its own five requests in full, the other platforms as counts.
            Alert jdView = AlertViews.forPlatform(a, "jd");
            assertThat(jdView.requests()).hasSize(5).allSatisfy(r -> assertThat(r.platform()).isEqualTo("jd"));
            assertThat(jdView.otherPlatforms()).extracting(PlatformSummary::platform, PlatformSummary::requestCount)
                    .containsExactly(tuple("dy", 5), tuple("pdd", 5), tuple("tb", 5));
        });
        // Every claim from the twentieth on carries the burst; no shop's product reached the floor.
        Map<String, List<Assessment>> byRequest = byRequest(harness);
        for (PersonEvent e : ring.subList(19, 36)) {
            assertThat(byRequest.get(e.event().requestId())).hasSize(2)
                    .filteredOn(x -> !x.reasons().isEmpty()).singleElement()
                    .satisfies(x -> assertThat(x.reasons()).extracting(Reason::pattern).containsExactly(PatternCode.MERCHANT_BURST));
        }
    }

    @Test
    void withoutTheSellersIdentityTheSameRingStaysUnderEveryShopsFloor() throws Exception {
        List<PersonEvent> ring = acrossPlatforms("r", null, 36);
        ring.forEach(e -> send(harness, e));
        harness.processWatermark(T0 + Duration.ofHours(2).toMillis());

        assertThat(alerts(harness)).isEmpty();
        assertThat(byRequest(harness)).hasSize(36).allSatisfy((id, got) -> assertThat(got).hasSize(2)
                .allSatisfy(a -> assertThat(a.reasons()).isEmpty()));
        assertThat(MerchantBurst.keysOf(ring.get(0).event())).containsExactly("merchant:tb:S-tb", "product:tb:S-tb:P1");
        assertThat(RuleHarness.<String>keysHoldingState(harness, WINDOW)).containsExactlyInAnyOrder(
                "merchant:tb:S-tb", "merchant:jd:S-jd", "merchant:pdd:S-pdd", "merchant:dy:S-dy",
                "product:tb:S-tb:P1", "product:jd:S-jd:P1", "product:pdd:S-pdd:P1", "product:dy:S-dy:P1");
    }

    @Test
    void aSellersBaselineIsItsOwnAcrossPlatforms() throws Exception {
        // Twelve persons an hour for three days, all at the seller's tb shop: the seller's
        // baseline is 12 an hour, so 120 in two hours is its bar.
        for (int h = 0; h < 72; h++) {
            for (int i = 0; i < 12; i++) {
                String id = "s" + h + "-" + i;
                send(harness, RingEvents.person(TestEvents.request("tb", id).person(id).seller("acme")
                        .merchant("S-tb", "P" + i).after(Duration.ofHours(h).plusMinutes(5L * i))));
            }
        }
        harness.processWatermark(T0 + 3 * DAY);
        int before = alerts(harness).size();
        // Then 60 claims in 90 minutes at its other three shops, 20 each, each product once: a
        // shop of its own with no history would burst at 20 (the floor), the seller does not.
        String[] others = {"jd", "pdd", "dy"};
        for (int i = 0; i < 60; i++) {
            String platform = others[i % 3];
            send(harness, RingEvents.person(TestEvents.request(platform, "r" + i).person("r" + i).seller("acme")
                    .merchant("S-" + platform, "R" + i).after(Duration.ofDays(3).plusSeconds(30L * 60 + 90L * i))));
        }
        harness.processWatermark(T0 + 4 * DAY);

        assertThat(alerts(harness).subList(before, alerts(harness).size())).isEmpty();
        assertThat(byRequest(harness).get("r59")).hasSize(2).allSatisfy(a -> assertThat(a.reasons()).isEmpty());
    }

    @Test
    void theBurstTypesAreFlinkPojos() {
        assertSerializedAsPojoWithoutKryo(MerchantRequest.class);
        assertSerializedAsPojoWithoutKryo(MerchantBaseline.class);
    }

    /**
     * One refund-only request every 90 minutes, each by another person: a window is never empty,
     * so the merchant keeps its history (about 0.67 an hour).
     */
    private static List<PersonEvent> quietHistory(int days) {
        List<PersonEvent> history = new ArrayList<>();
        for (int m = 0; m < days * 24 * 60; m += 90) {
            history.add(request("q" + m, Duration.ofMinutes(m)));
        }
        return history;
    }

    /** {@code count} requests by distinct persons, evenly spread over {@code span}. */
    private static List<PersonEvent> burst(String prefix, int count, Duration start, Duration span) {
        List<PersonEvent> requests = new ArrayList<>();
        long step = span.toMillis() / count;
        for (int i = 0; i < count; i++) {
            requests.add(request(prefix + i, start.plusMillis(step * i)));
        }
        return requests;
    }

    private static final String[] PLATFORMS = {"tb", "jd", "pdd", "dy"};

    /**
     * {@code count} refund-only requests by distinct persons within 90 minutes, in turn against the
     * shops {@code S-<platform>} of one seller on four platforms; {@code seller} null sends no identity.
     */
    private static List<PersonEvent> acrossPlatforms(String prefix, String seller, int count) {
        List<PersonEvent> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String platform = PLATFORMS[i % PLATFORMS.length];
            TestEvents.Request r = TestEvents.request(platform, prefix + i).person(prefix + i)
                    .merchant("S-" + platform, "P1").after(Duration.ofSeconds(150L * i));
            requests.add(RingEvents.person(seller == null ? r : r.seller(seller)));
        }
        return requests;
    }

    /** A refund-only request for merchant M1, product P1, whose id is also its person's name. */
    private static PersonEvent request(String id, Duration after) {
        return RingEvents.person(TestEvents.request("tb", id).person(id).merchant("M1", "P1").after(after));
    }

    private static List<MerchantRequest> fanOut(PersonEvent e) {
        List<MerchantRequest> out = new ArrayList<>();
        new FanOut<>(Assessor.MERCHANT_BURST, MerchantRequest::new).flatMap(e, new ListCollector<>(out));
        return out;
    }

    private static void send(KeyedBroadcastOperatorTestHarness<String, MerchantRequest, RuleSetUpdate, Assessment> h, PersonEvent e) {
        try {
            for (MerchantRequest element : fanOut(e)) {
                h.processElement(element, e.timestamp());
            }
        } catch (Exception ex) {
            throw new AssertionError(ex);
        }
    }

    private static Map<String, List<Assessment>> byRequest(
            KeyedBroadcastOperatorTestHarness<String, MerchantRequest, RuleSetUpdate, Assessment> h) {
        return h.extractOutputValues().stream().collect(Collectors.groupingBy(Assessment::requestId));
    }

    private static List<String> sorted(KeyedBroadcastOperatorTestHarness<String, MerchantRequest, RuleSetUpdate, Assessment> h) {
        return h.extractOutputValues().stream().map(Assessment::toString).sorted().toList();
    }

    private static List<Alert> alerts(KeyedBroadcastOperatorTestHarness<String, MerchantRequest, RuleSetUpdate, Assessment> h) {
        var side = h.getSideOutput(AssessingFunction.ALERTS);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
    }
}
