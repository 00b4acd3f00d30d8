package io.refundguard.images;

import static io.refundguard.events.TestEvents.hash;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refundguard.events.Decode;
import io.refundguard.events.RefundEvent;
import io.refundguard.events.TestEvents;
import io.refundguard.eventtime.StateTtl;
import io.refundguard.identity.PersonEvent;
import io.refundguard.identity.PersonKeys;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExactDuplicateIndexFunctionTest {
    private static final Duration RETENTION = Duration.ofDays(90);
    private static final String SHA = hash("file:reused-photo");

    private KeyedOneInputStreamOperatorTestHarness<String, ExactProbe, ProbeResult> harness;

    @BeforeEach
    void open() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ExactDuplicateIndexFunction(RETENTION, StateTtl.PROCESSING_TIME)), ExactProbe::sha256, Types.STRING);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static long at(Duration afterT0) {
        return TestEvents.T0.plus(afterT0).toInstant().toEpochMilli();
    }

    private static PersonEvent request(String requestId, String person, Duration after) {
        ObjectNode json = TestEvents.request("tb", requestId).person(person).after(after).node();
        ObjectNode photo = ((ArrayNode) json.get("evidence")).addObject();
        photo.put("imageId", "img");
        photo.put("sha256", SHA);
        RefundEvent event = Decode.event(json.toString());
        return new PersonEvent(PersonKeys.named(event), event);
    }

    private static String imageKey(String requestId) {
        return EvidenceKeys.imageKey("tb", requestId, "img");
    }

    /** Sends what LookUpEvidence sends this index for the element. */
    private void send(PersonEvent element) throws Exception {
        for (ExactProbe probe : ErasureProbes.lookUp(element).exact()) {
            harness.processElement(probe, probe.image().occurredAt());
        }
    }

    private void erase(PersonEvent request, Duration after) throws Exception {
        send(PersonEvent.retracting(request.personKey(), request.event(), at(after)));
    }

    private List<ProbeResult> results() {
        return harness.extractOutputValues();
    }

    private ProbeResult resultFor(String requestKey) {
        List<ProbeResult> found = results().stream().filter(r -> requestKey.equals(r.requestKey())).toList();
        assertThat(found).as("one result for " + requestKey).hasSize(1);
        return found.get(0);
    }

    private List<String> matchedKeys(String requestKey) {
        return resultFor(requestKey).matches().stream().map(m -> m.matched().imageKey()).toList();
    }

    @Test
    void twoRequestsWithTheSameDigestMatchAtDistanceZero() throws Exception {
        PersonEvent r1 = request("r1", "erin", Duration.ofHours(1));
        send(r1);
        send(request("r2", "frank", Duration.ofHours(2)));
        assertThat(results()).as("event-time ordered: waits for the watermark").isEmpty();
        harness.processWatermark(at(Duration.ofHours(2)));

        assertThat(resultFor("tb:r1").matches()).isEmpty();
        assertThat(resultFor("tb:r2").matches()).singleElement().satisfies(match -> {
            assertThat(match.distance()).isZero();
            assertThat(match.matched().imageKey()).isEqualTo(imageKey("r1"));
            assertThat(match.matched().ownerKey()).isEqualTo(r1.personKey());
        });
    }

    @Test
    void afterTheFirstIsErasedALaterRequestMatchesOnlyTheSecond() throws Exception {
        PersonEvent r1 = request("r1", "erin", Duration.ofHours(1));
        send(r1);
        send(request("r2", "frank", Duration.ofHours(2)));
        erase(r1, Duration.ofDays(1));
        send(request("r3", "gina", Duration.ofDays(2)));
        harness.processWatermark(at(Duration.ofDays(2)));

        assertThat(results()).as("an erasing probe gets no result").hasSize(3);
        assertThat(matchedKeys("tb:r2")).containsExactly(imageKey("r1"));
        assertThat(matchedKeys("tb:r3")).containsExactly(imageKey("r2"));
    }

    @Test
    void anErasureDeliveredFirstStillLetsRequestsBeforeItInEventTimeSeeThePhoto() throws Exception {
        PersonEvent r1 = request("r1", "erin", Duration.ofHours(1));
        erase(r1, Duration.ofDays(1));
        send(request("r3", "gina", Duration.ofDays(2)));
        send(request("r2", "frank", Duration.ofHours(2)));
        send(r1);
        harness.processWatermark(at(Duration.ofDays(2)));

        assertThat(matchedKeys("tb:r2")).as("r2 came before the erasure").containsExactly(imageKey("r1"));
        assertThat(matchedKeys("tb:r3")).as("r3 came after it").containsExactly(imageKey("r2"));
    }

    @Test
    void whenEveryoneIsErasedTheDigestHoldsNoState() throws Exception {
        PersonEvent r1 = request("r1", "erin", Duration.ofHours(1));
        PersonEvent r2 = request("r2", "frank", Duration.ofHours(2));
        send(r1);
        send(r2);
        harness.processWatermark(at(Duration.ofHours(2)));
        assertThat(harness.numKeyedStateEntries()).isPositive();

        erase(r1, Duration.ofDays(1));
        erase(r2, Duration.ofDays(1).plusMinutes(5));
        harness.processWatermark(at(Duration.ofDays(2)));

        assertThat(results()).hasSize(2);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }
}
