package io.refundguard.patterns;

import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.alerts.Alert;
import io.refundguard.alerts.Assessment;
import io.refundguard.events.DecodedEvent;
import io.refundguard.events.EventDecoder;
import io.refundguard.events.RawRecord;
import io.refundguard.events.RefundEvent;
import io.refundguard.events.TestEvents;
import io.refundguard.eventtime.StateTtl;
import io.refundguard.identity.PersonEvent;
import io.refundguard.job.config.ConfigLoader;
import io.refundguard.job.config.RefundGuardConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PersonPatternsFunctionTest {
    private static final RefundGuardConfig CONFIG = ConfigLoader.load(List.of());
    private static final EventDecoder DECODER = new EventDecoder(CONFIG.input());
    private static final String PERSON = TestEvents.hash("person:p");
    private static final long DAY = Duration.ofDays(1).toMillis();

    private KeyedBroadcastOperatorTestHarness<String, PersonEvent, RuleSetUpdate, Assessment> harness;

    @BeforeEach
    void open() throws Exception {
        harness = newHarness();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static KeyedBroadcastOperatorTestHarness<String, PersonEvent, RuleSetUpdate, Assessment> newHarness() throws Exception {
        return RuleHarness.started(new PersonPatternsFunction(CONFIG.rules(), CONFIG.state().personHistoryTtl(), CONFIG.images().qualityFloor(), StateTtl.PROCESSING_TIME),
                PersonEvent::personKey, Types.STRING);
    }

    @Test
    void outOfOrderArrivalGivesTheSameAlertAsInOrder() throws Exception {
        List<PersonEvent> requests = new ArrayList<>();
        String[] platforms = {"tb", "jd", "pdd", "tb"};
        for (int i = 0; i < 4; i++) {
            requests.add(person(TestEvents.request(platforms[i], "R" + i).person("p").after(Duration.ofDays(i)).json()));
        }
        for (PersonEvent e : requests) {
            send(harness, e);
        }
        harness.processWatermark(10 * DAY + TestEvents.T0.toInstant().toEpochMilli());
        List<Alert> inOrder = alerts(harness);

        var reversed = newHarness();
        for (int i = requests.size() - 1; i >= 0; i--) {
            send(reversed, requests.get(i));
        }
        // Nothing may be decided before the watermark says the stream is complete up to then.
        assertThat(reversed.extractOutputValues()).isEmpty();
        reversed.processWatermark(10 * DAY + TestEvents.T0.toInstant().toEpochMilli());
        List<Alert> outOfOrder = alerts(reversed);
        reversed.close();

        assertThat(inOrder).hasSize(1);
        assertThat(outOfOrder).extracting(Alert::alertId).isEqualTo(inOrder.stream().map(Alert::alertId).toList());
        assertThat(inOrder.get(0).trigger().requestId()).isEqualTo("R3");
        assertThat(inOrder.get(0).severity()).hasToString("HIGH");
    }

    @Test
    void oneAssessmentPerRequestNamingTheAlertThatCoversIt() throws Exception {
        for (int i = 0; i < 5; i++) {
            send(harness, person(TestEvents.request("tb", "R" + i).person("p").after(Duration.ofHours(i)).json()));
        }
        harness.processWatermark(TestEvents.T0.toInstant().toEpochMilli() + DAY);

        List<Assessment> assessments = harness.extractOutputValues();
        assertThat(assessments).extracting(Assessment::requestId).containsExactly("R0", "R1", "R2", "R3", "R4");
        // The person's patterns, plus the request's merchant and its product (no link attributes here).
        assertThat(assessments).allSatisfy(a -> assertThat(a.expected()).isEqualTo(3));
        assertThat(assessments.get(2).reasons()).isEmpty();
        // R3 fires the alert; R4 is within the cooldown at the same severity: suppressed, same alert.
        assertThat(alerts(harness)).hasSize(1);
        String alertId = alerts(harness).get(0).alertId();
        assertThat(assessments.get(3).alertIds()).containsExactly(alertId);
        assertThat(assessments.get(4).alertIds()).containsExactly(alertId);
        assertThat(assessments.get(4).reasons()).extracting(r -> r.pattern().name()).containsExactly("REPEAT_REFUNDER");
    }

    @Test
    void requestsFurtherApartThanTheWindowDoNotAddUp() throws Exception {
        for (int i = 0; i < 6; i++) {
            send(harness, person(TestEvents.request("tb", "R" + i).person("p").after(Duration.ofDays(11L * i)).json()));
        }
        harness.processWatermark(TestEvents.T0.toInstant().toEpochMilli() + 100 * DAY);
        assertThat(alerts(harness)).isEmpty();
    }

    @Test
    void returnAndRefundAndClearedRequestsDoNotCount() throws Exception {
        send(harness, person(TestEvents.request("tb", "R0").person("p").returnAndRefund().json()));
        send(harness, person(TestEvents.request("tb", "R1").person("p").after(Duration.ofHours(1)).json()));
        send(harness, person(TestEvents.outcome("tb", "R1", "LEGITIMATE", Duration.ofHours(2))));
        for (int i = 2; i < 5; i++) {
            send(harness, person(TestEvents.request("tb", "R" + i).person("p").after(Duration.ofHours(2 + i)).json()));
        }
        harness.processWatermark(TestEvents.T0.toInstant().toEpochMilli() + DAY);
        // Four refund-only requests, but one was cleared by review: three count.
        assertThat(alerts(harness)).isEmpty();

        send(harness, person(TestEvents.request("tb", "R5").person("p").after(Duration.ofDays(2)).json()));
        harness.processWatermark(TestEvents.T0.toInstant().toEpochMilli() + 3 * DAY);
        assertThat(alerts(harness)).singleElement().satisfies(a -> assertThat(a.requests()).hasSize(4));
    }

    @Test
    void confirmedFraudRaisesThePersonsLaterVerdictsButNotEarlierOnes() throws Exception {
        send(harness, person(TestEvents.request("tb", "R0").person("p").json()));
        send(harness, person(TestEvents.outcome("tb", "R0", "FRAUD", Duration.ofDays(1))));
        send(harness, person(TestEvents.request("jd", "R1").person("p").after(Duration.ofDays(2)).json()));
        harness.processWatermark(TestEvents.T0.toInstant().toEpochMilli() + 3 * DAY);

        List<Assessment> assessments = harness.extractOutputValues();
        assertThat(assessments.get(0).reasons()).isEmpty();
        assertThat(assessments.get(1).reasons()).extracting(r -> r.pattern().name())
                .containsExactly("CONFIRMED_FRAUD_HISTORY");
    }

    @Test
    void aPhotoTooFeaturelessToMatchIsAWeakReasonOfItsOwn() throws Exception {
        String pdq = TestEvents.hash("pdq:blurred");
        int floor = CONFIG.images().qualityFloor();
        send(harness, person(TestEvents.request("tb", "R0").person("p").image("blurred", pdq, floor - 1).json()));
        send(harness, person(TestEvents.request("tb", "R1").person("p").image("sharp", pdq, floor)
                .after(Duration.ofMinutes(1)).json()));
        harness.processWatermark(TestEvents.T0.toInstant().toEpochMilli() + DAY);

        List<Assessment> assessments = harness.extractOutputValues();
        assertThat(assessments.get(0).reasons()).extracting(r -> r.pattern().name() + "/" + r.severity())
                .containsExactly("EVIDENCE_LOW_QUALITY/LOW");
        assertThat(assessments.get(1).reasons()).isEmpty();
        assertThat(alerts(harness)).isEmpty();
    }

    @Test
    void aRequestClearedAsLegitimateRaisesNothingLater() throws Exception {
        send(harness, person(TestEvents.request("tb", "R0").person("p").json()));
        send(harness, person(TestEvents.outcome("tb", "R0", "LEGITIMATE", Duration.ofDays(1))));
        send(harness, person(TestEvents.request("jd", "R1").person("p").after(Duration.ofDays(2)).json()));
        harness.processWatermark(TestEvents.T0.toInstant().toEpochMilli() + 3 * DAY);
        assertThat(harness.extractOutputValues()).allSatisfy(a -> assertThat(a.reasons()).isEmpty());
    }

    @Test
    void aLateRequestIsProcessedAtOnceNotDropped() throws Exception {
        for (int i = 0; i < 3; i++) {
            send(harness, person(TestEvents.request("tb", "R" + i).person("p").after(Duration.ofHours(i)).json()));
        }
        harness.processWatermark(TestEvents.T0.toInstant().toEpochMilli() + DAY);
        int before = harness.extractOutputValues().size();
        // Behind the watermark already: late.
        send(harness, person(TestEvents.request("jd", "late").person("p").after(Duration.ofHours(5)).json()));
        assertThat(harness.extractOutputValues()).hasSize(before + 1);
        assertThat(alerts(harness)).singleElement()
                .satisfies(a -> assertThat(a.trigger().requestId()).isEqualTo("late"));
    }

    @Test
    void historyIsDroppedInEventTimeAfterTheLongestWindowLeavingNoStateOrTimers() throws Exception {
        for (int i = 0; i < 4; i++) {
            send(harness, person(TestEvents.request("tb", "R" + i).person("p").after(Duration.ofHours(i)).json()));
        }
        harness.processWatermark(TestEvents.T0.toInstant().toEpochMilli() + DAY);
        assertThat(RuleHarness.numKeyedStateEntries(harness)).isPositive();
        assertThat(harness.numEventTimeTimers()).isPositive();

        long longest = CONFIG.rules().amountTier().window().toMillis();
        harness.processWatermark(TestEvents.T0.toInstant().toEpochMilli() + longest + 2 * DAY);
        assertThat(RuleHarness.numKeyedStateEntries(harness)).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void erasureRemovesEverythingAboutThePerson() throws Exception {
        for (int i = 0; i < 4; i++) {
            send(harness, person(TestEvents.request("tb", "R" + i).person("p").after(Duration.ofHours(i)).json()));
        }
        harness.processWatermark(TestEvents.T0.toInstant().toEpochMilli() + DAY);
        assertThat(alerts(harness)).hasSize(1);

        RefundEvent erasure = decode(TestEvents.erased("tb", PERSON, Duration.ofDays(2)));
        send(harness, new PersonEvent(PERSON, erasure));
        harness.processWatermark(TestEvents.T0.toInstant().toEpochMilli() + 3 * DAY);
        assertThat(RuleHarness.numKeyedStateEntries(harness)).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();

        // History starts over: one new request is not a fourth.
        send(harness, person(TestEvents.request("tb", "R9").person("p").after(Duration.ofDays(4)).json()));
        harness.processWatermark(TestEvents.T0.toInstant().toEpochMilli() + 5 * DAY);
        assertThat(alerts(harness)).hasSize(1);
    }

    @Test
    void aRuleUpdateDecidesEventsFromItsEffectiveTimeOnAndEventsWaitForIt() throws Exception {
        long t0 = TestEvents.T0.toInstant().toEpochMilli();
        RuleSet three = RuleSets.withRepeatRefunder(CONFIG.rules(), "v-three", 3);
        try (var h = RuleHarness.create(new PersonPatternsFunction(CONFIG.rules(), CONFIG.state().personHistoryTtl(), CONFIG.images().qualityFloor(), StateTtl.PROCESSING_TIME),
                PersonEvent::personKey, Types.STRING)) {
            h.open();
            for (int i = 0; i < 3; i++) {
                send(h, person(TestEvents.request("tb", "R" + i).person("p").after(Duration.ofDays(11 + i)).json()));
            }
            // The control input is active and has not passed day 11: the requests wait for it
            // however far the events' own watermark has gone.
            h.processWatermark(t0 + 20 * DAY);
            assertThat(h.extractOutputValues()).isEmpty();
            h.processBroadcastElement(new RuleSetUpdate(three, t0 + 10 * DAY), t0 + 10 * DAY);
            h.processBroadcastWatermark(t0 + 10 * DAY);
            assertThat(h.extractOutputValues()).isEmpty();

            h.processBroadcastWatermark(t0 + 30 * DAY);
            assertThat(alerts(h)).singleElement().satisfies(a -> {
                assertThat(a.trigger().requestId()).isEqualTo("R2");
                assertThat(a.ruleSetVersion()).isEqualTo("v-three");
            });
            assertThat(h.extractOutputValues()).extracting(Assessment::ruleSetVersion).containsOnly("v-three");

            // A late request from before the update is still decided by the rules of its time.
            send(h, person(TestEvents.request("jd", "OLD").person("p").after(Duration.ofDays(9)).json()));
            assertThat(h.extractOutputValues()).filteredOn(a -> a.requestId().equals("OLD"))
                    .extracting(Assessment::ruleSetVersion).containsExactly(CONFIG.rules().version());
        }
    }

    private static void send(KeyedBroadcastOperatorTestHarness<String, PersonEvent, RuleSetUpdate, Assessment> h, PersonEvent e)
            throws Exception {
        h.processElement(e, e.event().occurredAt());
    }

    private static List<Alert> alerts(KeyedBroadcastOperatorTestHarness<String, PersonEvent, RuleSetUpdate, Assessment> h) {
        var side = h.getSideOutput(AssessingFunction.ALERTS);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
    }

    private static PersonEvent person(String json) {
        return new PersonEvent(PERSON, decode(json));
    }

    private static RefundEvent decode(String json) {
        DecodedEvent decoded = DECODER.decode(new RawRecord("t", 0, 0, -1, null, json.getBytes(StandardCharsets.UTF_8)));
        assertThat(decoded.rejected()).isNull();
        return decoded.event();
    }
}
