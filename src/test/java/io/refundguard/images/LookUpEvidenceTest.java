package io.refundguard.images;

import static io.refundguard.events.TestEvents.hash;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refundguard.events.Decode;
import io.refundguard.events.RefundEvent;
import io.refundguard.events.TestEvents;
import io.refundguard.identity.PersonEvent;
import io.refundguard.identity.PersonKeys;
import io.refundguard.images.index.PhotoIds;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LookUpEvidenceTest {
    static final ImageSettings SETTINGS =
            new ImageSettings(31, 50, Duration.ofDays(90), Duration.ofDays(730), Duration.ofDays(2));
    static final String PDQ = hash("pdq:photo-1");
    static final String SHA = hash("file:photo-2");
    private static final String ERIN = hash("person:erin");

    private OneInputStreamOperatorTestHarness<PersonEvent, PersonEvent> harness;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forProcessFunction(new LookUpEvidence(SETTINGS));
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    /** Erin's request with one PDQ-hashed photo (img1) and one photo known only by its SHA-256 (img2). */
    static RefundEvent twoPhotoRequest(String requestId, String person, Duration after) {
        ObjectNode json = TestEvents.request("tb", requestId).person(person).after(after)
                .image("img1", PDQ, 90).node();
        ObjectNode byDigest = ((ArrayNode) json.get("evidence")).addObject();
        byDigest.put("imageId", "img2");
        byDigest.put("sha256", SHA);
        return Decode.event(json.toString());
    }

    static <T> List<T> side(OneInputStreamOperatorTestHarness<?, ?> harness, OutputTag<T> tag) {
        Queue<StreamRecord<T>> records = harness.getSideOutput(tag);
        return records == null ? List.of() : records.stream().map(StreamRecord::getValue).toList();
    }

    private static long at(Duration afterT0) {
        return TestEvents.T0.plus(afterT0).toInstant().toEpochMilli();
    }

    @Test
    void aRetractionUnfilesEachPhotoFromBothIndexesAndPassesOn() throws Exception {
        RefundEvent request = twoPhotoRequest("r1", "erin", Duration.ofHours(1));
        long erasedAt = at(Duration.ofDays(1));
        PersonEvent retraction = PersonEvent.retracting(ERIN, request, erasedAt);

        harness.processElement(retraction, erasedAt);

        String img1 = EvidenceKeys.imageKey("tb", "r1", "img1");
        assertThat(side(harness, LookUpEvidence.INDEX_ENTRIES)).singleElement().satisfies(entry -> {
            assertThat(entry.remove()).isTrue();
            assertThat(entry.at()).as("removed from the erasure on").isEqualTo(erasedAt);
            assertThat(entry.photoId()).isEqualTo(PhotoIds.of(img1));
            assertThat(entry.image().imageKey()).isEqualTo(img1);
            assertThat(entry.image().ownerKey()).isEqualTo(ERIN);
            assertThat(entry.image().hash()).isEqualTo(PdqHash.fromHex(PDQ));
            assertThat(entry.image().occurredAt()).as("the version filed at the request's time")
                    .isEqualTo(request.occurredAt());
        });
        assertThat(side(harness, LookUpEvidence.INDEX_LOOKUPS)).as("nobody looks up an erased photo").isEmpty();

        List<ExactProbe> exact = side(harness, LookUpEvidence.EXACT_PROBES);
        assertThat(exact).singleElement().satisfies(probe -> {
            assertThat(probe.erase()).isTrue();
            assertThat(probe.sha256()).isEqualTo(SHA);
            assertThat(probe.requestKey()).isNull();
            assertThat(probe.image().imageKey()).isEqualTo(EvidenceKeys.imageKey("tb", "r1", "img2"));
            assertThat(probe.image().occurredAt()).isEqualTo(erasedAt);
        });

        assertThat(side(harness, LookUpEvidence.LOOKUPS)).as("no gather waits for a retraction").isEmpty();
        assertThat(harness.extractOutputValues()).containsExactly(retraction);
    }

    @Test
    void aRetractionDeletesEvenAPhotoUnderTheQualityFloor() throws Exception {
        RefundEvent request = Decode.event(TestEvents.request("tb", "r1").person("erin")
                .image("img1", PDQ, SETTINGS.qualityFloor() - 1).json());
        PersonEvent retraction = PersonEvent.retracting(ERIN, request, at(Duration.ofDays(1)));
        harness.processElement(retraction, retraction.timestamp());

        assertThat(side(harness, LookUpEvidence.INDEX_ENTRIES)).singleElement()
                .satisfies(entry -> assertThat(entry.remove()).isTrue());
        assertThat(side(harness, LookUpEvidence.EXACT_PROBES)).isEmpty();
        assertThat(harness.extractOutputValues()).containsExactly(retraction);
    }

    @Test
    void aRequestIsSentToBothIndexesAndAwaitsEveryResult() throws Exception {
        RefundEvent request = twoPhotoRequest("r1", "erin", Duration.ofHours(1));
        PersonEvent element = new PersonEvent(PersonKeys.named(request), request);
        harness.processElement(element, request.occurredAt());

        String img1 = EvidenceKeys.imageKey("tb", "r1", "img1");
        assertThat(side(harness, LookUpEvidence.INDEX_ENTRIES)).singleElement().satisfies(entry -> {
            assertThat(entry.remove()).isFalse();
            assertThat(entry.photoId()).isEqualTo(PhotoIds.of(img1));
            assertThat(entry.at()).isEqualTo(request.occurredAt());
            assertThat(entry.image().hash()).isEqualTo(PdqHash.fromHex(PDQ));
        });
        assertThat(side(harness, LookUpEvidence.INDEX_LOOKUPS)).as("one lookup per photo, whatever the radius")
                .singleElement().satisfies(lookup -> {
                    assertThat(lookup.requestKey()).isEqualTo("tb:r1");
                    assertThat(lookup.image().imageKey()).isEqualTo(img1);
                    assertThat(lookup.image().occurredAt()).isEqualTo(request.occurredAt());
                });

        assertThat(side(harness, LookUpEvidence.EXACT_PROBES)).singleElement().satisfies(probe -> {
            assertThat(probe.erase()).isFalse();
            assertThat(probe.sha256()).isEqualTo(SHA);
            assertThat(probe.requestKey()).isEqualTo("tb:r1");
            assertThat(probe.image().imageKey()).isEqualTo(EvidenceKeys.imageKey("tb", "r1", "img2"));
        });
        assertThat(side(harness, LookUpEvidence.LOOKUPS)).containsExactly(new ImageLookup(element,
                List.of(img1 + "@pdq", EvidenceKeys.imageKey("tb", "r1", "img2") + "@sha256")));
        assertThat(harness.extractOutputValues()).as("it goes on through the gather only").isEmpty();
    }

    @Test
    void anErasureAndARequestWithoutPhotosPassStraightOn() throws Exception {
        RefundEvent erasure = Decode.event(TestEvents.erased("tb", ERIN, Duration.ofDays(1)));
        RefundEvent noPhotos = Decode.event(TestEvents.request("tb", "r2").person("erin").json());
        PersonEvent erased = new PersonEvent(ERIN, erasure);
        PersonEvent plain = new PersonEvent(ERIN, noPhotos);
        harness.processElement(erased, erasure.occurredAt());
        harness.processElement(plain, noPhotos.occurredAt());

        assertThat(harness.extractOutputValues()).containsExactly(erased, plain);
        assertThat(side(harness, LookUpEvidence.INDEX_ENTRIES)).isEmpty();
        assertThat(side(harness, LookUpEvidence.INDEX_LOOKUPS)).isEmpty();
        assertThat(side(harness, LookUpEvidence.EXACT_PROBES)).isEmpty();
        assertThat(side(harness, LookUpEvidence.LOOKUPS)).isEmpty();
    }
}
