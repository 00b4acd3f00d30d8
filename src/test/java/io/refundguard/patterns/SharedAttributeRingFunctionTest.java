package io.refundguard.patterns;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.alerts.Alert;
import io.refundguard.alerts.Assessment;
import io.refundguard.alerts.Reason;
import io.refundguard.alerts.Severity;
import io.refundguard.alerts.SubjectKind;
import io.refundguard.events.TestEvents;
import io.refundguard.eventtime.StateTtl;
import io.refundguard.identity.PersonEvent;
import java.time.Duration;
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

class SharedAttributeRingFunctionTest {
    private static final SharedAttributeRingRule RULE = SharedAttributeRingRule.defaults();
    private static final long T0 = RingEvents.T0;
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final String DEVICE = "device:" + TestEvents.hash("device:d1");
    /** The ring's keyed states: its members, its alert marks, and the event-time buffer. */
    private static final String MEMBERS = "ring-members-by-request";
    private static final String MARKS = "last-alert-by-pattern";
    private static final String PENDING = "pending-by-event-time";

    private KeyedBroadcastOperatorTestHarness<String, AttributedRequest, RuleSetUpdate, Assessment> harness;

    @BeforeEach
    void open() throws Exception {
        harness = newHarness();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static KeyedBroadcastOperatorTestHarness<String, AttributedRequest, RuleSetUpdate, Assessment> newHarness() throws Exception {
        return RuleHarness.started(new SharedAttributeRingFunction(RingEvents.CONFIG.rules(), StateTtl.PROCESSING_TIME),
                AttributedRequest::attributeKey, Types.STRING);
    }

    @Test
    void aRingGrowingFromFourToSevenPersonsAlertsAsEachPersonJoinsAndTurnsCriticalAtSeven() throws Exception {
        for (int i = 0; i < 4; i++) {
            send(harness, request("p" + i, "R" + i, Duration.ofHours(i)));
        }
        // An existing member again: the ring is no bigger, so the gate suppresses it.
        send(harness, request("p0", "again0", Duration.ofHours(3).plusMinutes(30)));
        for (int i = 4; i < 7; i++) {
            send(harness, request("p" + i, "R" + i, Duration.ofHours(i)));
        }
        send(harness, request("p1", "again1", Duration.ofHours(8)));
        harness.processWatermark(T0 + DAY);

        List<Alert> alerts = alerts(harness);
        // Level is the person count, so every new person is a new, higher alert; repeats are not.
        assertThat(alerts).extracting(a -> a.trigger().requestId()).containsExactly("R3", "R4", "R5", "R6");
        assertThat(alerts).extracting(Alert::severity)
                .containsExactly(Severity.HIGH, Severity.HIGH, Severity.HIGH, Severity.CRITICAL);
        assertThat(alerts).allSatisfy(a -> {
            assertThat(a.subject().kind()).isEqualTo(SubjectKind.ATTRIBUTE);
            assertThat(a.subject().key()).isEqualTo(DEVICE);
        });
        Alert critical = alerts.get(3);
        assertThat(critical.requests()).extracting(r -> r.requestId())
                .containsExactly("R0", "R1", "R2", "R3", "again0", "R4", "R5", "R6");
        assertThat(critical.details()).contains("\"personCount\":7").contains("\"attributeKind\":\"device\"");
        assertThat(critical.recommendedAction().name()).isEqualTo("REJECT_AND_REPORT");

        Map<String, Assessment> byRequest = byRequest(harness);
        assertThat(byRequest.get("R2").reasons()).isEmpty();
        assertThat(byRequest.get("R3").alertIds()).containsExactly(alerts.get(0).alertId());
        assertThat(byRequest.get("again0").alertIds()).containsExactly(alerts.get(0).alertId());
        assertThat(byRequest.get("again0").reasons()).extracting(Reason::pattern)
                .containsExactly(PatternCode.SHARED_ATTRIBUTE_RING);
        assertThat(byRequest.get("again1").alertIds()).containsExactly(critical.alertId());
        assertThat(byRequest.get("again1").reasons()).extracting(Reason::severity).containsExactly(Severity.CRITICAL);
    }

    @Test
    void aHouseholdSharingAnAddressStaysQuietHoweverOftenItRefunds() throws Exception {
        for (int day = 0; day < 20; day++) {
            for (int p = 0; p < 3; p++) {
                send(harness, RingEvents.person(TestEvents.request("tb", "R" + p + "-" + day).person("p" + p)
                        .address("home").after(Duration.ofDays(day).plusHours(p))));
            }
        }
        harness.processWatermark(T0 + 21 * DAY);
        assertThat(alerts(harness)).isEmpty();
        assertThat(harness.extractOutputValues()).hasSize(60).allSatisfy(a -> assertThat(a.reasons()).isEmpty());
    }

    @Test
    void requestsOutsideTheWindowDoNotCount() throws Exception {
        for (int i = 0; i < 3; i++) {
            send(harness, request("p" + i, "R" + i, Duration.ofHours(i)));
        }
        send(harness, request("p3", "R3", Duration.ofDays(30).plusHours(1)));
        send(harness, request("p4", "R4", Duration.ofDays(30).plusHours(2)));
        harness.processWatermark(T0 + 31 * DAY);
        assertThat(alerts(harness)).isEmpty();

        // The window slides: four persons inside it again.
        send(harness, request("p5", "R5", Duration.ofDays(40)));
        send(harness, request("p6", "R6", Duration.ofDays(45)));
        harness.processWatermark(T0 + 46 * DAY);
        assertThat(alerts(harness)).singleElement().satisfies(a -> {
            assertThat(a.trigger().requestId()).isEqualTo("R6");
            assertThat(a.requests()).extracting(r -> r.requestId()).containsExactly("R3", "R4", "R5", "R6");
        });
    }

    @Test
    void returnAndRefundRequestsNeverCount() throws Exception {
        for (int i = 0; i < 3; i++) {
            send(harness, request("p" + i, "R" + i, Duration.ofHours(i)));
        }
        PersonEvent returned = RingEvents.person(TestEvents.request("tb", "X3").person("p3").device("d1")
                .returnAndRefund().after(Duration.ofHours(3)));
        assertThat(fanOut(returned)).isEmpty();
        // Even if one reached the ring, it is assessed but not counted.
        harness.processElement(new AttributedRequest(DEVICE, returned), returned.timestamp());
        harness.processWatermark(T0 + DAY);
        assertThat(alerts(harness)).isEmpty();
        assertThat(byRequest(harness).get("X3").reasons()).isEmpty();

        send(harness, request("p4", "R4", Duration.ofHours(25)));
        harness.processWatermark(T0 + 2 * DAY);
        assertThat(alerts(harness)).singleElement().satisfies(a ->
                assertThat(a.requests()).extracting(r -> r.requestId()).containsExactly("R0", "R1", "R2", "R4"));
    }

    @Test
    void outOfOrderArrivalGivesTheSameAlertsAndAssessments() throws Exception {
        List<PersonEvent> requests = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            requests.add(request("p" + i, "R" + i, Duration.ofMinutes(17L * i)));
        }
        requests.add(request("p2", "again2", Duration.ofMinutes(60)));
        for (PersonEvent e : requests) {
            send(harness, e);
        }
        harness.processWatermark(T0 + DAY);

        var shuffled = newHarness();
        List<PersonEvent> mixed = new ArrayList<>(requests);
        Collections.shuffle(mixed, new Random(7));
        for (PersonEvent e : mixed) {
            send(shuffled, e);
        }
        assertThat(shuffled.extractOutputValues()).isEmpty();
        shuffled.processWatermark(T0 + DAY);

        assertThat(alerts(harness)).hasSize(5);
        assertThat(alerts(shuffled)).extracting(Alert::alertId)
                .containsExactlyElementsOf(alerts(harness).stream().map(Alert::alertId).toList());
        assertThat(byRequest(shuffled)).isEqualTo(byRequest(harness));
        shuffled.close();
    }

    @Test
    void eachAttributeOfARequestAssessesItOnceAndOnlyConfiguredKindsCount() throws Exception {
        List<PersonEvent> requests = List.of(
                RingEvents.person(TestEvents.request("tb", "all").person("p0").device("d1").payment("c1").address("a1")),
                RingEvents.person(TestEvents.request("tb", "device").person("p1").device("d1").after(Duration.ofMinutes(1))),
                RingEvents.person(TestEvents.request("jd", "phone").person("p2").phone("m1").after(Duration.ofMinutes(2))),
                RingEvents.person(TestEvents.request("jd", "none").person("p3").after(Duration.ofMinutes(3))));
        for (PersonEvent e : requests) {
            send(harness, e);
        }
        harness.processWatermark(T0 + DAY);

        Map<String, Long> counts = harness.extractOutputValues().stream()
                .collect(Collectors.groupingBy(Assessment::requestId, Collectors.counting()));
        // Phone is not a configured ring attribute: assessed (the count must not depend on rules
        // that can change in flight) but with no reason, and not kept.
        assertThat(counts).isEqualTo(Map.of("all", 3L, "device", 1L, "phone", 1L));
        for (PersonEvent e : requests) {
            assertThat((long) SharedAttributeRingRule.allAttributesOf(e.event()).size())
                    .isEqualTo(counts.getOrDefault(e.event().requestId(), 0L));
        }
        assertThat(harness.extractOutputValues()).filteredOn(a -> a.requestId().equals("phone"))
                .singleElement().satisfies(a -> assertThat(a.reasons()).isEmpty());
        Map<String, PersonEvent> byId = requests.stream().collect(Collectors.toMap(e -> e.event().requestId(), e -> e));
        // The ring states the request's total, the same number every pattern operator states.
        assertThat(harness.extractOutputValues()).allSatisfy(a -> assertThat(a.expected())
                .isEqualTo(AssessmentPlan.expectedFor(byId.get(a.requestId()))));
    }

    @Test
    void membersAndAlertMarksAreDroppedAfterTheWindowLeavingNoStateOrTimers() throws Exception {
        for (int i = 0; i < 5; i++) {
            send(harness, request("p" + i, "R" + i, Duration.ofDays(i)));
        }
        harness.processWatermark(T0 + 5 * DAY);
        assertThat(alerts(harness)).hasSize(2);
        assertThat(RuleHarness.numKeyedStateEntries(harness)).isPositive();
        assertThat(harness.numEventTimeTimers()).isPositive();

        // The first members leave while the ring still holds: state shrinks but stays.
        harness.processWatermark(T0 + 32 * DAY);
        assertThat(RuleHarness.numKeyedStateEntries(harness)).isPositive();

        harness.processWatermark(T0 + 36 * DAY);
        assertThat(RuleHarness.numKeyedStateEntries(harness)).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();

        // A ring forming again later is a new case: it alerts afresh, at its own size.
        for (int i = 0; i < 4; i++) {
            send(harness, request("q" + i, "Q" + i, Duration.ofDays(40).plusHours(i)));
        }
        harness.processWatermark(T0 + 41 * DAY);
        assertThat(alerts(harness)).hasSize(3);
        assertThat(alerts(harness).get(2).details()).contains("\"personCount\":4");
    }

    @Test
    void anErasedPersonLeavesTheRingAndLaterAlertsNeitherListNorCountThem() throws Exception {
        String erinHome = "address:" + TestEvents.hash("address:erin-home");
        PersonEvent e1 = RingEvents.person(TestEvents.request("tb", "E1").person("erin").account("acct-erin")
                .device("d1").address("erin-home").after(Duration.ofHours(1)));
        PersonEvent e2 = RingEvents.person(TestEvents.request("tb", "E2").person("erin").account("acct-erin")
                .device("d1").after(Duration.ofHours(2)));
        send(harness, request("p0", "R0", Duration.ZERO));
        send(harness, e1);
        send(harness, e2);
        send(harness, request("p1", "R1", Duration.ofHours(3)));
        send(harness, request("p2", "R2", Duration.ofHours(4)));
        harness.processWatermark(T0 + DAY);
        // The ring held with erin in it: she is listed, and counted.
        assertThat(alerts(harness)).singleElement().satisfies(a -> {
            assertThat(a.requests()).extracting(r -> r.requestId()).containsExactly("R0", "E1", "E2", "R1", "R2");
            assertThat(a.details()).contains("\"personCount\":4");
        });
        assertThat(RuleHarness.<String>keysHoldingState(harness, MEMBERS)).containsExactlyInAnyOrder(DEVICE, erinHome);
        int assessed = harness.extractOutputValues().size();

        long erasedAt = T0 + DAY + Duration.ofHours(1).toMillis();
        send(harness, PersonEvent.retracting(e1.personKey(), e1.event(), erasedAt));
        send(harness, PersonEvent.retracting(e2.personKey(), e2.event(), erasedAt));
        harness.processWatermark(T0 + 2 * DAY);
        // Retractions are not assessed and raise nothing.
        assertThat(harness.extractOutputValues()).hasSize(assessed);
        assertThat(alerts(harness)).hasSize(1);
        // Her own address's ring is gone altogether; the device's ring keeps the others.
        assertThat(RuleHarness.<String>keysHoldingState(harness, MEMBERS, MARKS, PENDING)).containsExactly(DEVICE);

        // Three persons are left: a fourth brings the ring back to the size it alerted at, which
        // the gate holds back (with erin still counted it would be five, and fire).
        send(harness, request("q1", "Q1", Duration.ofDays(2)));
        harness.processWatermark(T0 + 3 * DAY);
        assertThat(alerts(harness)).hasSize(1);
        assertThat(harness.extractOutputValues()).filteredOn(a -> a.requestId().equals("Q1")).singleElement()
                .satisfies(a -> assertThat(a.reasons()).extracting(Reason::pattern)
                        .containsExactly(PatternCode.SHARED_ATTRIBUTE_RING));

        send(harness, request("q2", "Q2", Duration.ofDays(3)));
        harness.processWatermark(T0 + 4 * DAY);
        assertThat(alerts(harness)).hasSize(2);
        Alert after = alerts(harness).get(1);
        assertThat(after.trigger().requestId()).isEqualTo("Q2");
        assertThat(after.requests()).extracting(r -> r.requestId()).containsExactly("R0", "R1", "R2", "Q1", "Q2");
        assertThat(after.requests()).extracting(r -> r.accountId()).doesNotContain("acct-erin");
        assertThat(after.details()).contains("\"personCount\":5").contains("\"requestCount\":5")
                .doesNotContain(e1.personKey());
        assertThat(harness.extractOutputValues()).filteredOn(a -> a.requestId().equals("Q2")).singleElement()
                .satisfies(a -> assertThat(a.alertIds()).containsExactly(after.alertId()));
    }

    @Test
    void aRingWhoseMembersAreAllErasedIsForgottenAndARingFormingThereLaterAlertsAfresh() throws Exception {
        String card = "payment:" + TestEvents.hash("payment:c1");
        List<PersonEvent> farm = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            farm.add(RingEvents.person(TestEvents.request("tb", "F" + i).person("f" + i).payment("c1")
                    .after(Duration.ofHours(i))));
        }
        // Another ring, through a device, that nobody erases.
        for (int i = 0; i < 4; i++) {
            send(harness, request("p" + i, "R" + i, Duration.ofHours(i)));
        }
        farm.forEach(e -> sendUnchecked(harness, e));
        harness.processWatermark(T0 + DAY);
        assertThat(alerts(harness)).extracting(a -> a.subject().key()).containsExactlyInAnyOrder(DEVICE, card);
        int assessed = harness.extractOutputValues().size();

        for (PersonEvent e : farm) {
            send(harness, PersonEvent.retracting(e.personKey(), e.event(), T0 + DAY + 1));
        }
        harness.processWatermark(T0 + 2 * DAY);
        assertThat(harness.extractOutputValues()).hasSize(assessed);
        // No members, no alert mark, nothing pending: the card's key holds nothing.
        assertThat(RuleHarness.<String>keysHoldingState(harness, MEMBERS, MARKS, PENDING)).containsExactly(DEVICE);
        int deviceOnly = RuleHarness.numKeyedStateEntries(harness);
        var reference = newHarness();
        for (int i = 0; i < 4; i++) {
            send(reference, request("p" + i, "R" + i, Duration.ofHours(i)));
        }
        reference.processWatermark(T0 + 2 * DAY);
        assertThat(deviceOnly).isEqualTo(RuleHarness.numKeyedStateEntries(reference));
        reference.close();

        // Within the cooldown, a new ring of the same size through the card is a new case.
        for (int i = 0; i < 4; i++) {
            send(harness, RingEvents.person(TestEvents.request("tb", "G" + i).person("g" + i).payment("c1")
                    .after(Duration.ofDays(2).plusHours(i))));
        }
        harness.processWatermark(T0 + 3 * DAY);
        assertThat(alerts(harness)).hasSize(3);
        Alert fresh = alerts(harness).get(2);
        assertThat(fresh.subject().key()).isEqualTo(card);
        assertThat(fresh.requests()).extracting(r -> r.requestId()).containsExactly("G0", "G1", "G2", "G3");
        assertThat(fresh.details()).contains("\"personCount\":4");
    }

    @Test
    void aRequestFiledInTheMillisecondOfTheErasureIsRetractedWhateverItsEventId() throws Exception {
        // The erasure ledger retracts requests filed up to and including the erasure's millisecond,
        // so a retraction and its request can share a timestamp; the request must come first.
        // Event ids are any non-control text. One address per request, so each has its own ring.
        List<String> eventIds = List.of("tb-E1", "\u9000\u6b3e-E2", "~z-E3");
        Map<String, String> addressOf = new java.util.LinkedHashMap<>();
        for (int i = 0; i < eventIds.size(); i++) {
            String eventId = eventIds.get(i);
            PersonEvent e = RingEvents.person(TestEvents.request("tb", "E" + i).eventId(eventId).person("erin")
                    .address("home-" + i).after(Duration.ofHours(1)));
            addressOf.put("address:" + TestEvents.hash("address:home-" + i), eventId);
            send(harness, e);
            send(harness, PersonEvent.retracting(e.personKey(), e.event(), e.timestamp()));
        }
        harness.processWatermark(T0 + DAY);
        assertThat(harness.extractOutputValues()).hasSize(eventIds.size());
        assertThat(RuleHarness.<String>keysHoldingState(harness, MEMBERS, MARKS, PENDING))
                .extracting(addressOf::get).as("event ids of requests left in a ring").isEmpty();
    }

    @Test
    void theRingsTypesAreFlinkPojos() {
        assertSerializedAsPojoWithoutKryo(AttributedRequest.class);
        assertSerializedAsPojoWithoutKryo(PersonRequest.class);
    }

    private static PersonEvent request(String person, String requestId, Duration after) {
        return RingEvents.person(TestEvents.request("tb", requestId).person(person).device("d1").after(after));
    }

    private static List<AttributedRequest> fanOut(PersonEvent e) throws Exception {
        List<AttributedRequest> out = new ArrayList<>();
        new FanOut<>(Assessor.ATTRIBUTE_RING, AttributedRequest::new).flatMap(e, new ListCollector<>(out));
        return out;
    }

    private static void send(KeyedBroadcastOperatorTestHarness<String, AttributedRequest, RuleSetUpdate, Assessment> h,
            PersonEvent e) throws Exception {
        for (AttributedRequest element : fanOut(e)) {
            h.processElement(element, e.timestamp());
        }
    }

    private static void sendUnchecked(
            KeyedBroadcastOperatorTestHarness<String, AttributedRequest, RuleSetUpdate, Assessment> h, PersonEvent e) {
        try {
            send(h, e);
        } catch (Exception ex) {
            throw new AssertionError(ex);
        }
    }

    private static Map<String, Assessment> byRequest(
            KeyedBroadcastOperatorTestHarness<String, AttributedRequest, RuleSetUpdate, Assessment> h) {
        return h.extractOutputValues().stream().collect(Collectors.toMap(Assessment::requestId, a -> a));
    }

    private static List<Alert> alerts(KeyedBroadcastOperatorTestHarness<String, AttributedRequest, RuleSetUpdate, Assessment> h) {
        var side = h.getSideOutput(AssessingFunction.ALERTS);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
    }
}
