package io.refundguard.patterns;

import static io.refundguard.events.TestEvents.hash;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.refundguard.alerts.Alert;
import io.refundguard.alerts.Assessment;
import io.refundguard.events.Decode;
import io.refundguard.events.RefundEvent;
import io.refundguard.events.TestEvents;
import io.refundguard.eventtime.StateTtl;
import io.refundguard.identity.PersonEvent;
import io.refundguard.identity.PersonKeys;
import io.refundguard.images.CopyFinding;
import io.refundguard.images.EvidenceMatch;
import io.refundguard.images.ImageFindings;
import io.refundguard.images.ImageOrigin;
import io.refundguard.images.IndexedImage;
import io.refundguard.images.PdqHash;
import io.refundguard.job.config.ConfigLoader;
import io.refundguard.job.config.RefundGuardConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A request waiting in a person's event-time buffer ({@code pending-by-event-time}, a list of
 * {@link PersonEvent}, uid {@code person-patterns}; {@code image-clusters} and
 * {@code cluster-memberships} buffer the same type) when the previous release (02d8739) took its
 * savepoint restores into this build on RocksDB, though the {@link CopyFinding} nested in its
 * findings has gained {@code listingUri} since: released by the watermark, it raises the same
 * CATALOG_IMAGE_MATCH that release raised, with the changed regions and no link.
 *
 * <p>The fixture {@code src/test/resources/savepoint/person-patterns-02d8739-rocksdb.snapshot} was
 * written by the code of 02d8739 with the calls of {@link #writeTheSnapshot()}, in a throwaway
 * worktree (commands in {@code io.refundguard.images.ListingPhotosRestoreTest}'s class comment).
 */
class PersonPatternsRestoreTest {
    private static final Path FIXTURE = Path.of("src/test/resources/savepoint/person-patterns-02d8739-rocksdb.snapshot");
    private static final RefundGuardConfig CONFIG = ConfigLoader.load(List.of());
    private static final CopyFinding COPY = new CopyFinding(800, 600,
            List.of(new CopyFinding.Box(100, 120, 80, 40)), 0.0067, List.of("CONTENT_ADDED"), 1.0, 0.0, false, 40, 0.93);
    /** The alert 02d8739 raised for the buffered request, after taking the snapshot. */
    private static final String OLD_RELEASE_ALERT_ID = "a-92cc68dbfdc781be0942c33570e184a3";
    private static final String OLD_RELEASE_DETAILS = "{\"sameProduct\":true,\"listingMatches\":[{\"imageId\":\"img1\","
            + "\"listingImage\":\"tb:M1:P1:main\",\"distance\":28,\"merchantsOwnProductPhoto\":true,"
            + "\"matchedBy\":\"LOCAL_COMPARISON\",\"listingSize\":{\"width\":800,\"height\":600},"
            + "\"changedRegions\":[{\"x\":100,\"y\":120,\"width\":80,\"height\":40}],\"changedShare\":0.0067,"
            + "\"changes\":[\"CONTENT_ADDED\"],\"placement\":{\"scale\":1.0,\"rotationDegrees\":0.0,\"mirrored\":false},"
            + "\"keypointInliers\":40}]}";

    private final RefundEvent request = Decode.event(TestEvents.request("tb", "r1").person("erin").merchant("M1", "P1")
            .image("img1", hash("pdq:evidence"), 90).json());

    @Test
    void theBufferedRequestRaisesTheSameCatalogMatchWithTheStoredCopy() throws Exception {
        var harness = harness();
        harness.initializeState(OperatorSnapshotUtil.readStateHandle(FIXTURE.toString()));
        try (var h = RuleHarness.start(harness)) {
            assertThat(h.extractOutputValues()).as("still buffered until the watermark").isEmpty();
            h.processWatermark(request.occurredAt() + 1);

            assertThat(h.extractOutputValues()).extracting(Assessment::requestId).containsExactly("r1");
            Alert alert = alerts(h).get(0);
            assertThat(alerts(h)).hasSize(1);
            assertThat(alert.pattern()).isEqualTo(PatternCode.CATALOG_IMAGE_MATCH);
            assertThat(alert.alertId()).isEqualTo(OLD_RELEASE_ALERT_ID);
            // As JSON trees: the order of listingSize's two keys is not fixed (Map.of), not even between runs.
            ObjectMapper json = new ObjectMapper();
            assertThat(json.readTree(alert.details())).isEqualTo(json.readTree(OLD_RELEASE_DETAILS));
        }
    }

    /**
     * The scenario of the committed fixture: one request whose evidence the local comparison found
     * a copy of the product's listing photo, sent without a watermark so that it waits in the
     * buffer. Run in this build it writes this build's format, NOT the previous release's: the
     * fixture can only be re-made by running these calls in a worktree of 02d8739.
     * {@code -Drefundguard.writeSnapshots=person-patterns -Drefundguard.snapshotDir=DIR}.
     */
    @Test
    @EnabledIfSystemProperty(named = "refundguard.writeSnapshots", matches = "person-patterns")
    void writeTheSnapshot() throws Exception {
        Path out = Path.of(System.getProperty("refundguard.snapshotDir", "target/savepoint-fixtures"));
        Files.createDirectories(out);
        try (var h = RuleHarness.start(harness())) {
            h.processElement(element(), request.occurredAt());
            OperatorSnapshotUtil.writeStateHandle(h.snapshot(1L, 1L),
                    out.resolve("person-patterns-rocksdb.snapshot").toString());
        }
    }

    private PersonEvent element() {
        IndexedImage listing = IndexedImage.of(ImageOrigin.CATALOG, "tb:M1:P1:main", "tb:M1:P1", "tb",
                PdqHash.fromHex(hash("pdq:listing")), 100, request.occurredAt() - 86_400_000L);
        return new PersonEvent(PersonKeys.named(request), request)
                .withFindings(new ImageFindings(List.of(new EvidenceMatch("img1", listing, 28, false, COPY))));
    }

    private static KeyedBroadcastOperatorTestHarness<String, PersonEvent, RuleSetUpdate, Assessment> harness()
            throws Exception {
        var harness = RuleHarness.create(new PersonPatternsFunction(CONFIG.rules(), CONFIG.state().personHistoryTtl(),
                CONFIG.images().qualityFloor(), StateTtl.PROCESSING_TIME), PersonEvent::personKey, Types.STRING);
        harness.setStateBackend(new EmbeddedRocksDBStateBackend(false));
        return harness;
    }

    private static List<Alert> alerts(KeyedBroadcastOperatorTestHarness<String, PersonEvent, RuleSetUpdate, Assessment> h) {
        var side = h.getSideOutput(AssessingFunction.ALERTS);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
    }
}
