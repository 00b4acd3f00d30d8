package io.refundguard.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.eventtime.StateTtl;
import io.refundguard.job.config.ConfigLoader;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeduplicateEventsTest {
    private static final Duration TTL = Duration.ofMinutes(10);

    private final RefundEvent a = Decode.event(TestEvents.request("tb", "r1").json());
    private final RefundEvent b = Decode.event(TestEvents.request("jd", "r2").json());
    private final RefundEvent c = Decode.event(TestEvents.decided("tb", "r1", "APPROVED", true, Duration.ofHours(1)));

    private KeyedOneInputStreamOperatorTestHarness<String, RefundEvent, RefundEvent> harness;

    @BeforeEach
    void open() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DeduplicateEvents(TTL, StateTtl.PROCESSING_TIME)), RefundEvent::eventId, Types.STRING);
        harness.setStateTtlProcessingTime(0);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void send(RefundEvent event) throws Exception {
        harness.processElement(event, event.occurredAt());
    }

    @Test
    void firstCopyPassesAndRedeliveriesAreDroppedEvenInterleaved() throws Exception {
        send(a);
        send(b);
        send(a);
        send(c);
        send(b);
        send(a);
        send(c);

        assertThat(harness.extractOutputValues()).containsExactly(a, b, c);
        assertThat(harness.numKeyedStateEntries()).as("one entry per event id").isEqualTo(3);
    }

    @Test
    void aRedeliveryWithOtherContentButTheSameIdIsStillADuplicate() throws Exception {
        RefundEvent resent = Decode.event(TestEvents.request("tb", "r1").amount("999.00").json());
        assertThat(resent.eventId()).isEqualTo(a.eventId());

        send(a);
        send(resent);

        assertThat(harness.extractOutputValues()).containsExactly(a);
    }

    @Test
    void afterTheTtlACopyPassesAgain() throws Exception {
        send(a);

        harness.setStateTtlProcessingTime(TTL.toMillis() - 1);
        send(a);
        assertThat(harness.extractOutputValues()).as("still within the TTL").containsExactly(a);

        // The duplicate above only read the state: it must not have extended the TTL.
        harness.setStateTtlProcessingTime(TTL.toMillis());
        send(a);
        assertThat(harness.extractOutputValues()).containsExactly(a, a);

        // The copy that passed starts a new TTL.
        harness.setStateTtlProcessingTime(TTL.toMillis() + 1);
        send(a);
        assertThat(harness.extractOutputValues()).containsExactly(a, a);
    }

    @Test
    void asAReplayIsConfiguredTheSeenIdsHaveNoTtl() throws Exception {
        StateTtl replay = ConfigLoader.load(List.of()).replay().stateTtl();
        try (var replayHarness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DeduplicateEvents(TTL, replay)), RefundEvent::eventId, Types.STRING)) {
            replayHarness.setStateTtlProcessingTime(0);
            replayHarness.open();
            replayHarness.processElement(a, a.occurredAt());

            // Far past the TTL that drops the id in production (afterTheTtlACopyPassesAgain).
            replayHarness.setStateTtlProcessingTime(TTL.multipliedBy(100).toMillis());
            replayHarness.processElement(a, a.occurredAt());

            assertThat(replayHarness.extractOutputValues()).containsExactly(a);
            assertThat(replayHarness.numKeyedStateEntries()).isEqualTo(1);
        }
    }

    @Test
    void expiredEntriesAreRemovedFromStateWithoutBeingReadAgain() throws Exception {
        send(a);
        send(b);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);

        // a and b are never seen again; heap state drops expired entries incrementally as other
        // keys are accessed, so they must not stay for ever.
        harness.setStateTtlProcessingTime(TTL.toMillis());
        for (int i = 0; i < 10; i++) {
            send(Decode.event(TestEvents.request("pdd", "later-" + i).json()));
        }

        assertThat(harness.extractOutputValues()).hasSize(12);
        assertThat(harness.numKeyedStateEntries()).as("only the ten live event ids").isEqualTo(10);
    }
}
