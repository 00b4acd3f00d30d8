package io.refundguard.images;

import static io.refundguard.events.TestEvents.hash;
import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.events.Decode;
import io.refundguard.events.RefundEvent;
import io.refundguard.events.TestEvents;
import io.refundguard.eventtime.StateTtl;
import io.refundguard.identity.PersonEvent;
import io.refundguard.identity.PersonKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A request half-gathered when the previous release (02d8739) took its savepoint restores into this
 * build on RocksDB: its stored match holds a {@link CopyFinding} of the shape before
 * {@code listingUri} was added (state {@code matches-by-pair}, uid {@code gather-image-findings}),
 * and the request waiting ({@code request-awaiting-images}) holds a {@link PersonEvent}, whose type
 * nests the findings. The last answer after the restore completes the request, with the copy as
 * stored and no link.
 *
 * <p>The fixture {@code src/test/resources/savepoint/gather-image-findings-02d8739-rocksdb.snapshot}
 * was written by the code of 02d8739 with the calls of {@link #writeTheSnapshot()}, in a throwaway
 * worktree (commands in {@code ListingPhotosRestoreTest}'s class comment; this one's file name
 * instead).
 */
class GatherImageFindingsRestoreTest {
    private static final Path FIXTURE = Path.of("src/test/resources/savepoint/gather-image-findings-02d8739-rocksdb.snapshot");
    private static final CopyFinding COPY = new CopyFinding(800, 600,
            List.of(new CopyFinding.Box(100, 120, 80, 40)), 0.0067, List.of("CONTENT_ADDED"), 1.0, 0.0, false, 40, 0.93);

    private final RefundEvent request = Decode.event(TestEvents.request("tb", "r1").person("erin")
            .after(Duration.ofHours(2)).image("img1", hash("pdq:evidence"), 90).json());
    private final PersonEvent element = new PersonEvent(PersonKeys.named(request), request);
    private final IndexedImage evidence = LookUpEvidence.indexed(element.personKey(), request, request.evidence().get(0));
    private final IndexedImage copied = listing("M1", "P2", "pdq:copied");

    @Test
    void theLastAnswerCompletesTheRestoredRequestWithTheStoredCopy() throws Exception {
        IndexedImage otherShop = listing("M7", "P7", "pdq:other shop");
        try (var harness = harness()) {
            harness.initializeState(OperatorSnapshotUtil.readStateHandle(FIXTURE.toString()));
            harness.open();
            assertThat(harness.extractOutputValues()).isEmpty();

            harness.processElement(GatherInput.of(new ProbeResult("tb:r1", evidence.imageKey() + "@pdq", evidence,
                    List.of(new ImageMatch(copied, 30), new ImageMatch(otherShop, 25)), 128, 128)), request.occurredAt());

            assertThat(harness.extractOutputValues()).singleElement().satisfies(out -> {
                assertThat(out.event()).isEqualTo(request);
                assertThat(out.findings().matches())
                        .extracting(m -> m.matched().imageKey(), EvidenceMatch::distance, EvidenceMatch::copy)
                        .containsExactlyInAnyOrder(
                                org.assertj.core.groups.Tuple.tuple(copied.imageKey(), 28, COPY),
                                org.assertj.core.groups.Tuple.tuple(otherShop.imageKey(), 25, null));
            });
            assertThat(COPY.listingUri()).isNull();
        }
    }

    /**
     * The scenario of the committed fixture: the request waits for two lookups; the local
     * comparison's answer (a copy) has come, the hash lookup's has not. Run in this build it
     * writes this build's format, NOT the previous release's: the fixture can only be re-made by
     * running these calls in a worktree of 02d8739. {@code -Drefundguard.writeSnapshots=gather
     * -Drefundguard.snapshotDir=DIR}.
     */
    @Test
    @EnabledIfSystemProperty(named = "refundguard.writeSnapshots", matches = "gather")
    void writeTheSnapshot() throws Exception {
        Path out = Path.of(System.getProperty("refundguard.snapshotDir", "target/savepoint-fixtures"));
        Files.createDirectories(out);
        try (var harness = harness()) {
            harness.open();
            harness.processElement(GatherInput.of(new ImageLookup(element,
                    List.of(evidence.imageKey() + "@pdq", evidence.imageKey() + "@listing"))), request.occurredAt());
            harness.processElement(GatherInput.of(new ProbeResult("tb:r1", evidence.imageKey() + "@listing", evidence,
                    List.of(new ImageMatch(copied, 28, COPY)), List.of(copied.imageKey()), 1, 1)), request.occurredAt());
            OperatorSnapshotUtil.writeStateHandle(harness.snapshot(1L, 1L),
                    out.resolve("gather-image-findings-rocksdb.snapshot").toString());
        }
    }

    private static KeyedBroadcastOperatorTestHarness<String, GatherInput, AllowListUpdate, PersonEvent> harness()
            throws Exception {
        var harness = new KeyedBroadcastOperatorTestHarness<String, GatherInput, AllowListUpdate, PersonEvent>(
                new CoBroadcastWithKeyedOperator<>(new GatherImageFindings(Duration.ofDays(1), PhotoAllowList.NONE,
                        StateTtl.PROCESSING_TIME), List.of(AllowListBook.UPDATES)),
                GatherInput::requestKey, Types.STRING, 1, 1, 0);
        harness.setStateBackend(new EmbeddedRocksDBStateBackend(false));
        return harness;
    }

    private IndexedImage listing(String merchant, String product, String pdqSeed) {
        return IndexedImage.of(ImageOrigin.CATALOG, "tb:" + merchant + ":" + product + ":main", "tb:" + merchant + ":" + product,
                "tb", PdqHash.fromHex(hash(pdqSeed)), 100, request.occurredAt() - 86_400_000L);
    }
}
