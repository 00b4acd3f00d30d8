package io.refundguard.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.events.Decode;
import io.refundguard.events.DeadLetter;
import io.refundguard.events.RefundEvent;
import io.refundguard.events.TestEvents;
import io.refundguard.eventtime.StateTtl;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * One key flooded with entries must not grow without bound: each entry costs a read of all the
 * others, so n entries cost O(n²). Past the cap, entries are dead-lettered with the reason.
 */
class HotKeyCapsTest {
    private static final int CAP = 5;

    @Test
    void aPersonsRequestBeyondTheCapIsDeadLetteredAndNotPassedOn() throws Exception {
        var ledger = new KeyedOneInputStreamOperatorTestHarness<String, PersonEvent, PersonEvent>(
                new KeyedProcessOperator<>(new ErasureLedger(Duration.ofDays(200), CAP, StateTtl.PROCESSING_TIME)),
                PersonEvent::personKey, Types.STRING);
        ledger.open();
        try {
            for (int i = 0; i <= CAP + 2; i++) {
                RefundEvent request = Decode.event(TestEvents.request("tb", "flood-" + i).person("flooder")
                        .after(Duration.ofMinutes(i)).json());
                ledger.processElement(new PersonEvent(PersonKeys.named(request), request), request.occurredAt());
            }
            // A redelivered request id already on record is not a new entry.
            RefundEvent again = Decode.event(TestEvents.request("tb", "flood-0").person("flooder").json());
            ledger.processElement(new PersonEvent(PersonKeys.named(again), again), again.occurredAt());

            List<DeadLetter> overCap = sideOutput(ledger.getSideOutput(ErasureLedger.OVER_CAP));
            assertThat(ledger.extractOutputValues()).hasSize(CAP + 1)
                    .extracting(e -> e.event().requestId()).doesNotContain("flood-5", "flood-6", "flood-7");
            assertThat(overCap).extracting(d -> new String(Base64.getDecoder().decode(d.key()), StandardCharsets.UTF_8))
                    .containsExactly("tb:flood-5", "tb:flood-6", "tb:flood-7");
            assertThat(overCap.get(0).reason()).isEqualTo("REFUND_REQUESTED tb:flood-5: its person already has 5"
                    + " requests on record (state.maxRequestsPerPerson), far more than any buyer files; a flooded"
                    + " person key would cost every later request of it a read of them all");

            // What the ledger holds shows in an erasure: it retracts every request it kept, and no more.
            RefundEvent erasure = Decode.event(TestEvents.erased("tb", TestEvents.hash("person:flooder"), Duration.ofHours(1)));
            ledger.processElement(new PersonEvent(PersonKeys.named(erasure), erasure), erasure.occurredAt());
            ledger.processWatermark(new Watermark(erasure.occurredAt()));
            assertThat(ledger.extractOutputValues()).filteredOn(PersonEvent::isRetraction)
                    .as("the ledger held the capped requests only").hasSize(CAP);
        } finally {
            ledger.close();
        }
    }

    @Test
    void followUpsBeyondTheCapAreDeadLetteredAtOnceAndDoNotWait() throws Exception {
        Duration orphanTimeout = Duration.ofDays(1);
        var link = new KeyedTwoInputStreamOperatorTestHarness<String, PersonEvent, RefundEvent, PersonEvent>(
                new KeyedCoProcessOperator<>(new LinkRequestToPerson(Duration.ofDays(180), orphanTimeout, CAP,
                        StateTtl.PROCESSING_TIME)),
                LinkRequestToPerson::routingKey, LinkRequestToPerson::routingKey, Types.STRING);
        link.open();
        try {
            long first = 0;
            for (int i = 0; i <= CAP; i++) {
                RefundEvent outcome = Decode.event(TestEvents.outcome("tb", "never-filed", "LEGITIMATE",
                        Duration.ofMinutes(i)).replace("-outcome\"", "-outcome-" + i + "\""));
                first = i == 0 ? outcome.occurredAt() : first;
                link.processElement2(outcome, outcome.occurredAt());
            }

            List<DeadLetter> dead = sideOutput(link.getSideOutput(LinkRequestToPerson.ORPHANS));
            assertThat(dead).as("entry n+1, before any timeout").singleElement().extracting(DeadLetter::reason)
                    .isEqualTo("REFUND_OUTCOME for tb:never-filed: 5 events already wait for this request"
                            + " (state.maxWaitingPerRequest), far more than one request ever gets");
            assertThat(link.numEventTimeTimers()).as("only the capped entries wait").isEqualTo(CAP);

            link.processBothWatermarks(new Watermark(first + orphanTimeout.toMillis() + Duration.ofHours(1).toMillis()));
            assertThat(sideOutput(link.getSideOutput(LinkRequestToPerson.ORPHANS))).hasSize(CAP + 1);
            assertThat(link.numKeyedStateEntries()).isZero();
        } finally {
            link.close();
        }
    }

    private static List<DeadLetter> sideOutput(java.util.Queue<StreamRecord<DeadLetter>> side) {
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
    }
}
