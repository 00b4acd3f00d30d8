package io.refundguard.images;

import static io.refundguard.events.TestEvents.hash;
import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.events.Decode;
import io.refundguard.events.RefundEvent;
import io.refundguard.events.TestEvents;
import io.refundguard.eventtime.StateTtl;
import io.refundguard.identity.PersonEvent;
import io.refundguard.identity.PersonKeys;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GatherImageFindingsTest {
    private static final String PDQ = hash("pdq:evidence");
    private static final String SHA = hash("file:evidence");
    private static final CopyFinding COPY = new CopyFinding(800, 600,
            List.of(new CopyFinding.Box(100, 120, 80, 40)), 0.0067, List.of("CONTENT_ADDED"), 1.0, 0.0, false, 40, 0.93);

    private KeyedBroadcastOperatorTestHarness<String, GatherInput, AllowListUpdate, PersonEvent> harness;
    private RefundEvent request;
    private PersonEvent element;
    private IndexedImage evidence;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new GatherImageFindings(Duration.ofDays(1), PhotoAllowList.NONE, StateTtl.PROCESSING_TIME), GatherInput::requestKey, Types.STRING,
                AllowListBook.UPDATES);
        request = Decode.event(TestEvents.request("tb", "r1").person("erin").after(Duration.ofHours(2))
                .image("img1", PDQ, 90).json());
        element = new PersonEvent(PersonKeys.named(request), request);
        evidence = LookUpEvidence.indexed(element.personKey(), request, request.evidence().get(0));
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void theRequestGoesOnOnceEveryLookupIsCoveredInFull() throws Exception {
        IndexedImage other = listing("M9", "P9", hash("pdq:other"));
        expect(evidence.imageKey() + "@pdq", evidence.imageKey() + "@listing");
        answer(new ProbeResult("tb:r1", evidence.imageKey() + "@pdq", evidence, List.of(new ImageMatch(other, 12)), 64, 128));
        answer(new ProbeResult("tb:r1", evidence.imageKey() + "@listing", evidence, List.of(), List.of(), 1, 1));
        assertThat(harness.extractOutputValues()).as("half the key groups are still out").isEmpty();

        answer(new ProbeResult("tb:r1", evidence.imageKey() + "@pdq", evidence, List.of(), 64, 128));

        assertThat(harness.extractOutputValues()).singleElement().satisfies(out ->
                assertThat(out.findings().matches()).extracting(m -> m.matched().imageKey(), EvidenceMatch::distance)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple(other.imageKey(), 12)));
        // Its state is gone: the same request again waits for answers of its own.
        expect(evidence.imageKey() + "@pdq", evidence.imageKey() + "@listing");
        assertThat(harness.extractOutputValues()).hasSize(1);
    }

    @Test
    void whereTheLocalComparisonLookedItDecidesOverTheHashes() throws Exception {
        IndexedImage ownListing = listing("M1", "P1", hash("pdq:own"));
        IndexedImage copied = listing("M1", "P2", hash("pdq:copied"));
        IndexedImage otherShop = listing("M7", "P7", hash("pdq:other shop"));
        expect(evidence.imageKey() + "@pdq", evidence.imageKey() + "@listing");
        // The hashes put the evidence near all three listing photos ...
        answer(new ProbeResult("tb:r1", evidence.imageKey() + "@pdq", evidence, List.of(
                new ImageMatch(ownListing, 20), new ImageMatch(copied, 28), new ImageMatch(otherShop, 25)), 128, 128));
        // ... the product's own two were compared locally: one is not a copy, the other is.
        answer(new ProbeResult("tb:r1", evidence.imageKey() + "@listing", evidence,
                List.of(new ImageMatch(copied, 28, COPY)), List.of(ownListing.imageKey(), copied.imageKey()), 1, 1));

        List<EvidenceMatch> matches = harness.extractOutputValues().get(0).findings().matches();
        assertThat(matches).extracting(m -> m.matched().imageKey())
                .containsExactlyInAnyOrder(copied.imageKey(), otherShop.imageKey());
        assertThat(matches).filteredOn(m -> m.matched().equals(copied)).singleElement()
                .satisfies(m -> assertThat(m.copy()).isEqualTo(COPY));
        assertThat(matches).filteredOn(m -> m.matched().equals(otherShop)).singleElement()
                .satisfies(m -> assertThat(m.copy()).as("not compared locally: the hash decides").isNull());
    }

    @Test
    void anAllowListedPhotoMatchesNothingFromItsRuleSetsEffectiveTimeOn() throws Exception {
        IndexedImage earlier = new IndexedImage(ImageOrigin.EVIDENCE, EvidenceKeys.imageKey("jd", "j1", "img"), "other",
                "jd", evidence.w0(), evidence.w1(), evidence.w2(), evidence.w3(), 90, request.occurredAt() - 1000);
        PhotoAllowList stock = new PhotoAllowList(31, List.of(new PhotoAllowList.AllowedPhoto("pdq:" + PDQ, "stock photo")));
        // Effective only after this request: it still counts.
        harness.processBroadcastElement(new AllowListUpdate(request.occurredAt() + 1, "later", stock), 0);
        expect(evidence.imageKey() + "@pdq");
        answer(new ProbeResult("tb:r1", evidence.imageKey() + "@pdq", evidence, List.of(new ImageMatch(earlier, 0)), 128, 128));
        assertThat(harness.extractOutputValues().get(0).findings().matches()).hasSize(1);

        // Effective from before the next request's time: the match is gone.
        RefundEvent next = Decode.event(TestEvents.request("tb", "r2").person("erin").after(Duration.ofHours(3))
                .image("img1", PDQ, 90).json());
        PersonEvent nextElement = new PersonEvent(PersonKeys.named(next), next);
        IndexedImage nextImage = LookUpEvidence.indexed(nextElement.personKey(), next, next.evidence().get(0));
        harness.processElement(GatherInput.of(new ImageLookup(nextElement, List.of(nextImage.imageKey() + "@pdq"))), 0);
        harness.processElement(GatherInput.of(new ProbeResult("tb:r2", nextImage.imageKey() + "@pdq", nextImage,
                List.of(new ImageMatch(earlier, 0)), 128, 128)), 0);
        assertThat(harness.extractOutputValues().get(1).findings().matches()).as("stock photo allowed").isEmpty();
    }

    private void expect(String... probes) throws Exception {
        harness.processElement(GatherInput.of(new ImageLookup(element, List.of(probes))), request.occurredAt());
    }

    private void answer(ProbeResult result) throws Exception {
        harness.processElement(GatherInput.of(result), request.occurredAt());
    }

    private IndexedImage listing(String merchant, String product, String pdq) {
        return IndexedImage.of(ImageOrigin.CATALOG, "tb:" + merchant + ":" + product + ":main", "tb:" + merchant + ":" + product,
                "tb", PdqHash.fromHex(pdq), 100, request.occurredAt() - 86_400_000L);
    }
}
