package io.refundguard.images;

import static io.refundguard.events.TestEvents.hash;
import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.events.Decode;
import io.refundguard.events.RefundEvent;
import io.refundguard.events.TestEvents;
import io.refundguard.identity.PersonEvent;
import io.refundguard.identity.PersonKeys;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A retraction's DELETE probes, from {@link LookUpEvidence} through the {@link NearDuplicateIndexFunction}. */
class NearDuplicateErasureTest {
    private static final PdqHash PHOTO = PdqHash.fromHex(hash("pdq:reused-photo"));
    /** Five bits off, one in each of five slots: well within the radius. */
    private static final PdqHash NEAR_COPY = PHOTO.flip(0).flip(20).flip(40).flip(60).flip(80);

    private KeyedOneInputStreamOperatorTestHarness<Integer, ImageProbe, ProbeResult> harness;

    @BeforeEach
    void open() throws Exception {
        ImageSettings s = LookUpEvidenceTest.SETTINGS;
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new NearDuplicateIndexFunction(
                        s.radius(), s.qualityFloor(), s.retention(), s.catalogRetention(), s.catalogLookback())),
                ImageProbe::slotKey, Types.INT);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static long at(Duration afterT0) {
        return TestEvents.T0.plus(afterT0).toInstant().toEpochMilli();
    }

    private static PersonEvent request(String requestId, String person, PdqHash photo, Duration after) {
        RefundEvent event = Decode.event(TestEvents.request("tb", requestId).person(person).after(after)
                .image("img1", photo.toHex(), 90).json());
        return new PersonEvent(PersonKeys.named(event), event);
    }

    private void send(PersonEvent element) throws Exception {
        for (ImageProbe probe : ErasureProbes.lookUp(element).probes()) {
            harness.processElement(probe, probe.image().occurredAt());
        }
    }

    private int erase(PersonEvent request, Duration after) throws Exception {
        PersonEvent retraction = PersonEvent.retracting(request.personKey(), request.event(), at(after));
        List<ImageProbe> deletes = ErasureProbes.lookUp(retraction).probes();
        for (ImageProbe probe : deletes) {
            harness.processElement(probe, probe.image().occurredAt());
        }
        return deletes.size();
    }

    private Set<String> matchedImageKeys(String requestKey) {
        return harness.extractOutputValues().stream()
                .filter(result -> requestKey.equals(result.requestKey()))
                .flatMap(result -> result.matches().stream())
                .map(match -> match.matched().imageKey())
                .collect(Collectors.toSet());
    }

    private long resultsFor(String requestKey) {
        return harness.extractOutputValues().stream().filter(r -> requestKey.equals(r.requestKey())).count();
    }

    @Test
    void controlWithoutTheErasureTheNearCopyMatches() throws Exception {
        send(request("r1", "erin", PHOTO, Duration.ofHours(1)));
        send(request("r2", "frank", NEAR_COPY, Duration.ofDays(2)));
        harness.processWatermark(at(Duration.ofDays(2)));

        assertThat(matchedImageKeys("tb:r2")).containsExactly(EvidenceKeys.imageKey("tb", "r1", "img1"));
    }

    @Test
    void afterTheErasureTheNearCopyNoLongerMatchesTheErasedPhoto() throws Exception {
        PersonEvent r1 = request("r1", "erin", PHOTO, Duration.ofHours(1));
        send(r1);
        assertThat(erase(r1, Duration.ofDays(1))).isEqualTo(16);
        send(request("r2", "frank", NEAR_COPY, Duration.ofDays(2)));
        harness.processWatermark(at(Duration.ofDays(2)));

        assertThat(resultsFor("tb:r2")).as("still one result per probe, for the gather").isEqualTo(272);
        assertThat(matchedImageKeys("tb:r2")).isEmpty();
        assertThat(harness.extractOutputValues()).as("a delete answers nobody")
                .allSatisfy(result -> assertThat(result.requestKey()).isNotNull());
    }

    @Test
    void aRequestBeforeTheErasureInEventTimeStillMatchesEvenIfItsProbesArriveAfterTheDeletes() throws Exception {
        PersonEvent r1 = request("r1", "erin", PHOTO, Duration.ofHours(1));
        send(r1);
        erase(r1, Duration.ofDays(1));
        send(request("r2", "frank", NEAR_COPY, Duration.ofHours(12)));
        send(request("r3", "gina", NEAR_COPY.flip(100), Duration.ofDays(2)));
        harness.processWatermark(at(Duration.ofDays(2)));

        String img1 = EvidenceKeys.imageKey("tb", "r1", "img1");
        assertThat(matchedImageKeys("tb:r2")).as("filed before the erasure").containsExactly(img1);
        assertThat(matchedImageKeys("tb:r3")).as("only frank's photo is left")
                .containsExactly(EvidenceKeys.imageKey("tb", "r2", "img1"));
    }

    @Test
    void theErasedPhotoLeavesNoStateInTheIndex() throws Exception {
        PersonEvent r1 = request("r1", "erin", PHOTO, Duration.ofHours(1));
        send(r1);
        harness.processWatermark(at(Duration.ofHours(1)));
        assertThat(harness.numKeyedStateEntries()).as("filed under its 16 own slot keys").isEqualTo(16);

        erase(r1, Duration.ofDays(1));
        harness.processWatermark(at(Duration.ofDays(1)));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }
}
