package io.refundguard.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refundguard.events.Decode;
import io.refundguard.events.TestEvents;
import io.refundguard.eventtime.StateTtl;
import io.refundguard.identity.PersonEvent;
import io.refundguard.job.config.RefundGuardConfig;
import io.refundguard.patterns.PatternCode;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReportAutomaticApprovalsTest {
    private static final RefundGuardConfig CONFIG = Decode.CONFIG;
    private static final String PERSON = TestEvents.hash("person:p");

    private KeyedTwoInputStreamOperatorTestHarness<String, Verdict, PersonEvent, Alert> harness;

    @BeforeEach
    void open() throws Exception {
        harness = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new ReportAutomaticApprovals(CONFIG.rules().amountTier(),
                        CONFIG.state().verdictTtl(), CONFIG.state().heldVerdictTtl(), StateTtl.PROCESSING_TIME)),
                ReportAutomaticApprovals::requestKeyOf, ReportAutomaticApprovals::requestKeyOf, Types.STRING);
        harness.setStateTtlProcessingTime(0);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void anAutomaticApprovalAfterARejectVerdictIsReportedOnceAndLeavesNoState() throws Exception {
        harness.processElement2(request("R1"), 0);
        harness.processElement1(verdict("R1", 80, RecommendedAction.REJECT_AND_REPORT), 0);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

        harness.processElement2(decision("R1", "APPROVED", true, "d1", 2, "100.00"), 0);

        List<Alert> alerts = alerts();
        assertThat(alerts).hasSize(1);
        Alert alert = alerts.get(0);
        assertThat(alert.pattern()).isEqualTo(PatternCode.AUTOMATIC_APPROVAL_AFTER_HOLD);
        assertThat(alert.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(alert.recommendedAction()).isEqualTo(RecommendedAction.HOLD_FOR_MANUAL_REVIEW);
        assertThat(alert.subject()).isEqualTo(new Subject(SubjectKind.IDENTITY, PERSON));
        assertThat(alert.trigger()).isEqualTo(new Trigger("tb", "R1", "d1"));
        assertThat(alert.platforms()).containsExactly("tb");
        assertThat(alert.requests()).containsExactly(new AlertRequest("tb", "R1", "acct-R1", "100.00", "CNY",
                "2026-11-01T10:00:00.000+08:00"));
        assertThat(alert.amountTotal()).isEqualTo("100.00");
        assertThat(alert.legalTier()).isEqualTo(LegalTier.ADMINISTRATIVE);
        assertThat(alert.ruleSetVersion()).isEqualTo(CONFIG.rules().version());
        assertThat(alert.eventTime()).isEqualTo("2026-11-01T12:00:00.000+08:00");
        JsonNode details = OutputJson.mapper().readTree(alert.details());
        assertThat(details.get("riskScore").asInt()).isEqualTo(80);
        assertThat(details.get("verdictAction").asText()).isEqualTo("REJECT_AND_REPORT");
        assertThat(details.get("reasons")).extracting(JsonNode::asText).containsExactly("AI_GENERATED_EVIDENCE");
        assertThat(details.get("alertIds")).extracting(JsonNode::asText).containsExactly("a-1");
        assertThat(details.get("decidedAt").asText()).isEqualTo("2026-11-01T12:00:00.000+08:00");
        assertThat(details.get("paidAmount").asText()).isEqualTo("100.00");
        assertThat(details.get("requestedAmount").asText()).isEqualTo("129.00");
        assertThat(harness.numKeyedStateEntries()).isZero();

        // Another automatic approval of the same request: already reported.
        harness.processElement2(decision("R1", "APPROVED", true, "d2", 3, null), 0);
        assertThat(alerts()).hasSize(1);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void anApprovalThatOvertookItsVerdictIsReportedWhenTheVerdictArrives() throws Exception {
        harness.processElement2(request("R1"), 0);
        harness.processElement2(decision("R1", "APPROVED", true, "d2", 2, null), 0);
        harness.processElement2(decision("R1", "APPROVED", true, "d1", 1, null), 0);
        assertThat(alerts()).isEmpty();

        harness.processElement1(verdict("R1", 60, RecommendedAction.HOLD_FOR_MANUAL_REVIEW), 0);

        List<Alert> alerts = alerts();
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).severity()).isEqualTo(Severity.HIGH);
        // The earlier of the two approvals, whichever came first.
        assertThat(alerts.get(0).trigger().eventId()).isEqualTo("d1");
        // Nothing said what was paid: the requested amount.
        assertThat(alerts.get(0).requests().get(0).amount()).isEqualTo("129.00");
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void theIdDependsOnTheRequestNotOnWhichApprovalTriggered() throws Exception {
        harness.processElement2(request("R1"), 0);
        harness.processElement2(decision("R1", "APPROVED", true, "d1", 1, null), 0);
        harness.processElement1(verdict("R1", 60, RecommendedAction.HOLD_FOR_MANUAL_REVIEW), 0);
        harness.processElement2(request("R2"), 0);
        harness.processElement1(verdict("R2", 60, RecommendedAction.HOLD_FOR_MANUAL_REVIEW), 0);
        harness.processElement2(decision("R2", "APPROVED", true, "d9", 1, null), 0);
        Alert first = alerts().get(0);

        Alert again = ReportAutomaticApprovals.alert(
                new ReportAutomaticApprovals.RequestFacts(PERSON, "acct-R1", new java.math.BigDecimal("129.00"), "CNY", 0, 0),
                verdict("R1", 60, RecommendedAction.HOLD_FOR_MANUAL_REVIEW),
                new ReportAutomaticApprovals.Approval("other", 5, 0, null, null), CONFIG.rules().amountTier(), 0);
        assertThat(again.alertId()).isEqualTo(first.alertId());
        assertThat(alerts().get(1).alertId()).isNotEqualTo(first.alertId());
    }

    @Test
    void aVerdictThatOvertookItsRequestStillGetsTheRequestListed() throws Exception {
        harness.processElement1(verdict("R1", 100, RecommendedAction.REJECT_AND_REPORT), 0);
        harness.processElement2(request("R1"), 0);
        harness.processElement2(decision("R1", "APPROVED", true, "d1", 1, null), 0);

        assertThat(alerts()).singleElement().satisfies(a -> assertThat(a.requests().get(0).accountId()).isEqualTo("acct-R1"));
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void milderVerdictsLeaveNothingAndAreNeverReported() throws Exception {
        for (RecommendedAction action : List.of(RecommendedAction.ALLOW, RecommendedAction.REQUIRE_RETURN)) {
            String id = "R-" + action;
            harness.processElement2(request(id), 0);
            harness.processElement1(verdict(id, 0, action), 0);
            assertThat(harness.numKeyedStateEntries()).isZero();
            harness.processElement2(decision(id, "APPROVED", true, "d-" + action, 1, null), 0);
        }
        // An automatic approval before a mild verdict waits, then goes with it.
        harness.processElement2(request("R9"), 0);
        harness.processElement2(decision("R9", "APPROVED", true, "d9", 1, null), 0);
        harness.processElement1(verdict("R9", 30, RecommendedAction.REQUIRE_RETURN), 0);

        assertThat(alerts()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void manualApprovalsAndRejectionsAreNotReported() throws Exception {
        harness.processElement2(request("R1"), 0);
        harness.processElement1(verdict("R1", 80, RecommendedAction.REJECT_AND_REPORT), 0);
        harness.processElement2(decision("R1", "APPROVED", false, "d1", 1, null), 0);
        harness.processElement2(decision("R1", "REJECTED", true, "d2", 2, null), 0);
        harness.processElement2(decision("R1", "REJECTED", false, "d3", 3, null), 0);

        assertThat(alerts()).isEmpty();
        // The hold still waits: a later automatic approval would be reported.
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
    }

    @Test
    void onlyRequestsAndAutomaticApprovalsAreRoutedHere() {
        assertThat(ReportAutomaticApprovals.concerns(request("R1"))).isTrue();
        assertThat(ReportAutomaticApprovals.concerns(decision("R1", "APPROVED", true, "d1", 1, null))).isTrue();
        assertThat(ReportAutomaticApprovals.concerns(decision("R1", "APPROVED", false, "d2", 1, null))).isFalse();
        assertThat(ReportAutomaticApprovals.concerns(decision("R1", "REJECTED", true, "d3", 1, null))).isFalse();
        assertThat(ReportAutomaticApprovals.concerns(person(TestEvents.outcome("tb", "R1", "FRAUD", Duration.ofDays(1)))))
                .isFalse();
    }

    @Test
    void aHoldVerdictIsForgottenAfterHeldVerdictTtl() throws Exception {
        harness.processElement2(request("R1"), 0);
        harness.processElement1(verdict("R1", 80, RecommendedAction.REJECT_AND_REPORT), 0);

        harness.setStateTtlProcessingTime(CONFIG.state().heldVerdictTtl().toMillis() + 1);
        harness.processElement2(decision("R1", "APPROVED", true, "d1", 40, null), 0);

        assertThat(alerts()).isEmpty();
    }

    @Test
    void aRetractionAfterAHoldVerdictForgetsItSoALaterAutomaticApprovalIsNotReported() throws Exception {
        PersonEvent request = request("R1");
        harness.processElement2(request, 0);
        harness.processElement1(verdict("R1", 60, RecommendedAction.HOLD_FOR_MANUAL_REVIEW), 0);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

        harness.processElement2(retraction(request), 0);
        assertThat(harness.numKeyedStateEntries()).isZero();

        harness.processElement2(decision("R1", "APPROVED", true, "d1", 2, "100.00"), 0);
        assertThat(alerts()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void aVerdictArrivingAfterTheRetractionIsDroppedAndLeavesNothing() throws Exception {
        PersonEvent request = request("R1");
        harness.processElement2(request, 0);
        harness.processElement2(retraction(request), 0);
        // Only the bare marker that the verdict is to be dropped.
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

        harness.processElement1(verdict("R1", 60, RecommendedAction.HOLD_FOR_MANUAL_REVIEW), 0);
        assertThat(harness.numKeyedStateEntries()).isZero();

        harness.processElement2(decision("R1", "APPROVED", true, "d1", 2, null), 0);
        assertThat(alerts()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void aRetractionDropsAnApprovalWaitingForItsVerdict() throws Exception {
        PersonEvent request = request("R1");
        harness.processElement2(request, 0);
        harness.processElement2(decision("R1", "APPROVED", true, "d1", 1, null), 0);
        harness.processElement2(retraction(request), 0);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

        harness.processElement1(verdict("R1", 100, RecommendedAction.REJECT_AND_REPORT), 0);
        assertThat(alerts()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void aRetractionTouchesOnlyItsOwnRequest() throws Exception {
        PersonEvent r1 = request("R1");
        harness.processElement2(r1, 0);
        harness.processElement1(verdict("R1", 60, RecommendedAction.HOLD_FOR_MANUAL_REVIEW), 0);
        harness.processElement2(request("R2"), 0);
        harness.processElement1(verdict("R2", 60, RecommendedAction.HOLD_FOR_MANUAL_REVIEW), 0);

        harness.processElement2(retraction(r1), 0);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        harness.processElement2(decision("R1", "APPROVED", true, "d1", 2, null), 0);
        harness.processElement2(decision("R2", "APPROVED", true, "d2", 2, null), 0);
        assertThat(alerts()).singleElement().satisfies(a -> assertThat(a.trigger().requestId()).isEqualTo("R2"));
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void aRetractionIsRoutedHereByItsRequest() {
        PersonEvent retraction = retraction(request("R1"));
        assertThat(ReportAutomaticApprovals.concerns(retraction)).isTrue();
        assertThat(ReportAutomaticApprovals.requestKeyOf(retraction)).isEqualTo("tb:R1");
    }

    private List<Alert> alerts() {
        return harness.extractOutputValues();
    }

    /** The erasure ledger's retraction of a request, a day after it. */
    private static PersonEvent retraction(PersonEvent request) {
        return PersonEvent.retracting(PERSON, request.event(), request.event().occurredAt() + Duration.ofDays(1).toMillis());
    }

    private static PersonEvent request(String requestId) {
        return person(TestEvents.request("tb", requestId).person("p").json());
    }

    /** @param paid the amount paid out, or null when the decision does not say */
    private static PersonEvent decision(String requestId, String decision, boolean automatic, String eventId, int hours,
            String paid) {
        ObjectNode json = TestEvents.base(eventId, "REFUND_DECIDED", "tb", requestId, TestEvents.at(Duration.ofHours(hours)));
        json.put("decision", decision);
        json.put("automatic", automatic);
        if (paid != null) {
            json.put("amount", paid);
            json.put("currency", "CNY");
        }
        return person(json.toString());
    }

    private static PersonEvent person(String json) {
        return new PersonEvent(PERSON, Decode.event(json));
    }

    private static Verdict verdict(String requestId, int score, RecommendedAction action) {
        List<Reason> reasons = score == 0 ? List.of() : List.of(new Reason(PatternCode.AI_GENERATED_EVIDENCE, Severity.CRITICAL, score));
        return new Verdict("tb", requestId, score, action, reasons, score == 0 ? List.of() : List.of("a-1"),
                CONFIG.rules().version(), "2026-11-01T10:00:00.000+08:00", "2026-11-01T02:00:01.000Z");
    }
}
