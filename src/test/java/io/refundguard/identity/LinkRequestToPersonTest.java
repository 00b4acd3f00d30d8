package io.refundguard.identity;

import static io.refundguard.events.TestEvents.hash;
import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.events.Decode;
import io.refundguard.events.DeadLetter;
import io.refundguard.events.EventType;
import io.refundguard.events.RefundEvent;
import io.refundguard.events.TestEvents;
import io.refundguard.eventtime.StateTtl;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LinkRequestToPersonTest {
    private static final Duration LINK_TTL = Duration.ofDays(180);
    private static final Duration ORPHAN_TIMEOUT = Duration.ofDays(1);
    private static final String ALICE = hash("person:alice");

    private KeyedTwoInputStreamOperatorTestHarness<String, PersonEvent, RefundEvent, PersonEvent> harness;

    private KeyedTwoInputStreamOperatorTestHarness<String, PersonEvent, RefundEvent, PersonEvent> open(Duration orphanTimeout)
            throws Exception {
        harness = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new LinkRequestToPerson(LINK_TTL, orphanTimeout, StateTtl.PROCESSING_TIME)),
                LinkRequestToPerson::routingKey, LinkRequestToPerson::routingKey, Types.STRING);
        harness.open();
        return harness;
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    /** As the job routes it: what names its person comes from the ledger, decisions and outcomes directly. */
    private void send(RefundEvent event) throws Exception {
        if (LinkRequestToPerson.namesItsPerson(event)) {
            harness.processElement1(new PersonEvent(PersonKeys.named(event), event), event.occurredAt());
        } else {
            harness.processElement2(event, event.occurredAt());
        }
    }

    private void watermark(long time) throws Exception {
        harness.processBothWatermarks(new Watermark(time));
    }

    private List<DeadLetter> orphans() {
        var side = harness.getSideOutput(LinkRequestToPerson.ORPHANS);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
    }

    private static long at(Duration afterT0) {
        return TestEvents.T0.plus(afterT0).toInstant().toEpochMilli();
    }

    @Test
    void requestAndItsFollowUpsGoToTheIdentityHash() throws Exception {
        open(ORPHAN_TIMEOUT);
        RefundEvent request = Decode.event(TestEvents.request("tb", "r1").person("alice").json());
        RefundEvent decided = Decode.event(TestEvents.decided("tb", "r1", "APPROVED", true, Duration.ofHours(1)));
        RefundEvent outcome = Decode.event(TestEvents.outcome("tb", "r1", "FRAUD", Duration.ofDays(3)));

        send(request);
        send(decided);
        send(outcome);

        assertThat(harness.extractOutputValues()).containsExactly(
                new PersonEvent(ALICE, request), new PersonEvent(ALICE, decided), new PersonEvent(ALICE, outcome));
        assertThat(harness.numKeyedStateEntries()).as("only the request's link").isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void withoutIdentityHashThePersonIsThePlatformAccount() throws Exception {
        open(ORPHAN_TIMEOUT);
        RefundEvent request = Decode.event(TestEvents.request("jd", "r2").account("buyer-7").json());
        RefundEvent decided = Decode.event(TestEvents.decided("jd", "r2", "REJECTED", false, Duration.ofHours(1)));

        send(request);
        send(decided);

        assertThat(harness.extractOutputValues()).extracting(PersonEvent::personKey)
                .containsExactly("jd:buyer-7", "jd:buyer-7");
    }

    @Test
    void theSameRequestIdOnTwoPlatformsIsTwoRequests() throws Exception {
        open(ORPHAN_TIMEOUT);
        send(Decode.event(TestEvents.request("tb", "r1").person("alice").json()));
        send(Decode.event(TestEvents.request("jd", "r1").person("bob").json()));
        RefundEvent jdDecided = Decode.event(TestEvents.decided("jd", "r1", "APPROVED", true, Duration.ofHours(1)));
        send(jdDecided);

        assertThat(harness.extractOutputValues()).last().isEqualTo(new PersonEvent(hash("person:bob"), jdDecided));
    }

    @Test
    void followUpsThatOvertakeTheirRequestWaitAndAreReleasedInArrivalOrder() throws Exception {
        open(ORPHAN_TIMEOUT);
        RefundEvent outcome = Decode.event(TestEvents.outcome("tb", "r1", "FRAUD", Duration.ofHours(2)));
        RefundEvent decided = Decode.event(TestEvents.decided("tb", "r1", "APPROVED", true, Duration.ofHours(1)));
        RefundEvent request = Decode.event(TestEvents.request("tb", "r1").person("alice").json());

        send(outcome);
        send(decided);
        assertThat(harness.extractOutputValues()).isEmpty();

        send(request);
        assertThat(harness.extractOutputValues()).containsExactly(
                new PersonEvent(ALICE, request), new PersonEvent(ALICE, outcome), new PersonEvent(ALICE, decided));

        // Their orphan deadlines pass: released events are never dead-lettered afterwards.
        watermark(at(Duration.ofDays(5)));
        assertThat(orphans()).isEmpty();
        assertThat(harness.extractOutputValues()).hasSize(3);
        assertThat(harness.numKeyedStateEntries()).as("only the request's link").isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aLateDecisionWaitsTheTimeoutFromTheWatermarkNotFromItsOwnOldTime() throws Exception {
        open(ORPHAN_TIMEOUT);
        // Event time already ran far ahead (a backlog published into an idle live detector).
        watermark(at(Duration.ofDays(30)));
        RefundEvent decided = Decode.event(TestEvents.decided("tb", "r7", "APPROVED", true, Duration.ofHours(1)));
        send(decided);
        watermark(at(Duration.ofDays(30)) + 1);
        assertThat(orphans()).as("its own time plus a day is long past, but it just arrived").isEmpty();

        RefundEvent request = Decode.event(TestEvents.request("tb", "r7").person("alice").json());
        send(request);
        assertThat(harness.extractOutputValues()).containsExactly(
                new PersonEvent(ALICE, request), new PersonEvent(ALICE, decided));
        watermark(at(Duration.ofDays(32)));
        assertThat(orphans()).isEmpty();
    }

    @Test
    void aLateOrphanIsDeadLetteredOneTimeoutAfterTheWatermarkItArrivedAt() throws Exception {
        open(ORPHAN_TIMEOUT);
        watermark(at(Duration.ofDays(30)));
        send(Decode.event(TestEvents.decided("tb", "r8", "APPROVED", true, Duration.ofHours(1))));
        watermark(at(Duration.ofDays(31)) - 1);
        assertThat(orphans()).isEmpty();
        watermark(at(Duration.ofDays(31)));
        assertThat(orphans()).hasSize(1);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void anOrphanIsDeadLetteredAtOccurredAtPlusTheTimeoutAndLeavesNoState() throws Exception {
        open(ORPHAN_TIMEOUT);
        RefundEvent decided = Decode.event(TestEvents.decided("tb", "r9", "APPROVED", true, Duration.ofHours(1)));
        send(decided);
        long deadline = decided.occurredAt() + ORPHAN_TIMEOUT.toMillis();

        watermark(deadline - 1);
        assertThat(orphans()).isEmpty();

        watermark(deadline);
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(orphans()).hasSize(1);
        DeadLetter orphan = orphans().get(0);
        assertThat(orphan.reason())
                .contains("REFUND_DECIDED", "tb:r9", "no REFUND_REQUESTED", "1d");
        assertThat(orphan.timestamp()).isEqualTo(decided.occurredAt());
        assertThat(new String(Base64.getDecoder().decode(orphan.key()), StandardCharsets.UTF_8)).isEqualTo("tb:r9");
        String json = new String(Base64.getDecoder().decode(orphan.value()), StandardCharsets.UTF_8);
        assertThat(Decode.event(json)).as("the dead letter holds the event itself").isEqualTo(decided);

        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void orphansOfOneRequestAreDeadLetteredEachAtItsOwnDeadline() throws Exception {
        open(ORPHAN_TIMEOUT);
        RefundEvent decided = Decode.event(TestEvents.decided("tb", "r9", "APPROVED", true, Duration.ofHours(1)));
        RefundEvent outcome = Decode.event(TestEvents.outcome("tb", "r9", "FRAUD", Duration.ofHours(10)));
        send(outcome);
        send(decided);

        watermark(decided.occurredAt() + ORPHAN_TIMEOUT.toMillis());
        assertThat(orphans()).extracting(DeadLetter::reason).singleElement().asString().startsWith("REFUND_DECIDED");
        assertThat(harness.numKeyedStateEntries()).as("the outcome still waits").isEqualTo(1);

        watermark(outcome.occurredAt() + ORPHAN_TIMEOUT.toMillis());
        assertThat(orphans()).extracting(o -> o.reason().substring(0, o.reason().indexOf(' ')))
                .containsExactly("REFUND_DECIDED", "REFUND_OUTCOME");
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aRequestArrivingBeforeTheDeadlineSavesTheLaterOrphanOnly() throws Exception {
        open(ORPHAN_TIMEOUT);
        RefundEvent decided = Decode.event(TestEvents.decided("tb", "r9", "APPROVED", true, Duration.ofHours(1)));
        send(decided);
        watermark(decided.occurredAt() + ORPHAN_TIMEOUT.toMillis());
        assertThat(orphans()).hasSize(1);

        // The request shows up after its decision was dead-lettered: it is routed, nothing is repeated.
        RefundEvent request = Decode.event(TestEvents.request("tb", "r9").person("alice").json());
        send(request);
        assertThat(harness.extractOutputValues()).containsExactly(new PersonEvent(ALICE, request));
        assertThat(orphans()).hasSize(1);
    }

    @Test
    void theReasonStatesATimeoutShorterThanAnHour() throws Exception {
        open(Duration.ofMinutes(30));
        RefundEvent decided = Decode.event(TestEvents.decided("tb", "r9", "APPROVED", true, Duration.ofHours(1)));
        send(decided);
        watermark(decided.occurredAt() + Duration.ofMinutes(30).toMillis());

        assertThat(orphans()).singleElement().extracting(DeadLetter::reason).asString().contains("30m");
    }

    @Test
    void anErasureGoesToThePersonItNames() throws Exception {
        open(ORPHAN_TIMEOUT);
        RefundEvent byIdentity = Decode.event(TestEvents.erased("tb", ALICE, Duration.ofDays(2)));
        var byAccountJson = TestEvents.base("erase-acct", "IDENTITY_ERASED", "jd", null, TestEvents.at(Duration.ofDays(2)));
        byAccountJson.put("accountId", "buyer-7");
        RefundEvent byAccount = Decode.event(byAccountJson.toString());
        assertThat(byIdentity.type()).isEqualTo(EventType.IDENTITY_ERASED);

        assertThat(LinkRequestToPerson.routingKey(new PersonEvent(PersonKeys.named(byIdentity), byIdentity)))
                .isEqualTo("person:" + ALICE);
        assertThat(LinkRequestToPerson.routingKey(new PersonEvent(PersonKeys.named(byAccount), byAccount)))
                .isEqualTo("person:jd:buyer-7");

        send(byIdentity);
        send(byAccount);

        assertThat(harness.extractOutputValues()).containsExactly(
                new PersonEvent(ALICE, byIdentity), new PersonEvent("jd:buyer-7", byAccount));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aRetractionDropsTheLinkSoLaterDecisionsFindNobody() throws Exception {
        open(ORPHAN_TIMEOUT);
        RefundEvent request = Decode.event(TestEvents.request("tb", "r1").person("alice").json());
        send(request);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

        PersonEvent retraction = PersonEvent.retracting(ALICE, request, at(Duration.ofDays(2)));
        harness.processElement1(retraction, at(Duration.ofDays(2)));
        assertThat(harness.numKeyedStateEntries()).as("the link is gone").isZero();
        assertThat(harness.extractOutputValues()).as("passed on to the operators after this one")
                .containsExactly(new PersonEvent(ALICE, request), retraction);

        RefundEvent outcome = Decode.event(TestEvents.outcome("tb", "r1", "FRAUD", Duration.ofDays(3)));
        send(outcome);
        watermark(outcome.occurredAt() + ORPHAN_TIMEOUT.toMillis());
        assertThat(harness.extractOutputValues()).as("not routed to the erased person").hasSize(2);
        assertThat(orphans()).singleElement().extracting(DeadLetter::reason).asString().contains("REFUND_OUTCOME");
        assertThat(harness.numKeyedStateEntries()).isZero();
    }
}
