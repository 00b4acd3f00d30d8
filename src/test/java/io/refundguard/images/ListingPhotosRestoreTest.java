package io.refundguard.images;

import static io.refundguard.events.TestEvents.hash;
import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.events.CatalogImage;
import io.refundguard.events.LocalFeatures;
import io.refundguard.eventtime.StateTtl;
import io.refundguard.images.compare.FeatureExtractor;
import io.refundguard.images.index.IndexEntry;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The listing photos kept by the previous release (02d8739, before {@link ListedPhoto} gained
 * {@code uri} and {@link CopyFinding} gained {@code listingUri}) restore into this build, on RocksDB
 * (what production runs) and on the heap: the stored photo is still compared, with the copy it
 * finds described exactly as that release described it, and without a link it never stored; a
 * photo listed after the restore carries its link. Flink's POJO serializer treats the added field
 * as "compatible after migration" and fills it with null.
 *
 * <p>The fixtures {@code src/test/resources/savepoint/listing-photos-02d8739-{rocksdb,heap}.snapshot}
 * were written by the code of 02d8739, in a throwaway worktree, with the scenario of
 * {@link #writeTheSnapshots()} (its calls exist in both builds):
 * <pre>
 * git -C /work/main worktree add --detach /work/wt-old 02d8739
 * # in /work/wt-old: a test class with the body of writeTheSnapshots, both backends, then
 * mvn -o -q test -Dtest=OldReleaseSnapshots -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Drefundguard.writeSnapshots=old -Drefundguard.snapshotDir=/tmp/old-snapshots
 * cp /tmp/old-snapshots/listing-photos-02d8739-*.snapshot src/test/resources/savepoint/
 * git -C /work/main worktree remove --force /work/wt-old
 * </pre>
 * That release answered the cropped copy below with exactly {@link #OLD_RELEASE_COPY}.
 */
class ListingPhotosRestoreTest {
    private static final Path FIXTURES = Path.of("src/test/resources/savepoint");
    private static final long T0 = 1_790_000_000_000L;
    private static final String LINK = "https://photos.example/tb/M1/P1/second.png";
    /** What 02d8739 answered, after taking the snapshot, for the cropped copy of the stored photo. */
    private static final CopyFinding OLD_RELEASE_COPY =
            new CopyFinding(600, 400, List.of(), 0.0, List.of("CROPPED"), 0.9991, -5.0E-4, false, 58, 1.0);
    /** The stored photo's PDQ word as that release indexed it. */
    private static final long STORED_W0 = 3703621250069650522L;

    private static LocalFeatures coffee;
    private static LocalFeatures croppedCoffee;

    @TempDir
    Path dir;

    @BeforeAll
    static void features() throws IOException {
        BufferedImage photo = ListingPhotosTest.photo("coffee.png");
        coffee = FeatureExtractor.extract(photo);
        croppedCoffee = FeatureExtractor.extract(ListingPhotosTest.crop(photo, 0.2));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rocksdb", "heap"})
    void theStoredPhotoIsStillComparedAndFindsTheSameCopyWithoutALink(String backend) throws Exception {
        try (var harness = restored(FIXTURES.resolve("listing-photos-02d8739-" + backend + ".snapshot"), backend)) {
            query(harness, "R1", 10);
            harness.processWatermark(T0 + 10);

            assertThat(answers(harness)).singleElement().satisfies(answer -> {
                assertThat(answer.comparedWith()).containsExactly("tb:M1:P1:main");
                assertThat(answer.matches()).singleElement().satisfies(match -> {
                    assertThat(match.matched().imageKey()).isEqualTo("tb:M1:P1:main");
                    assertThat(match.matched().w0()).isEqualTo(STORED_W0);
                    assertThat(match.copy()).isEqualTo(OLD_RELEASE_COPY);
                    assertThat(match.copy().listingUri()).isNull();
                });
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rocksdb", "heap"})
    void aPhotoListedAfterTheRestoreKeepsItsLinkBesideTheRestoredOne(String backend) throws Exception {
        try (var harness = restored(FIXTURES.resolve("listing-photos-02d8739-" + backend + ".snapshot"), backend)) {
            listing(harness, "second", "pdq:second", LINK, 6);
            query(harness, "R2", 10);
            harness.processWatermark(T0 + 10);

            assertTheNewPhotoHasItsLinkAndTheRestoredOneNone(harness);
        }
    }

    @Test
    void aNewVersionOfTheStoredPhotoEndsTheVersionTheRestoredStateFiled() throws Exception {
        try (var harness = restored(FIXTURES.resolve("listing-photos-02d8739-rocksdb.snapshot"), "rocksdb")) {
            listing(harness, "main", "pdq:coffee again", LINK, 5);
            harness.processWatermark(T0 + 5);

            assertThat(harness.extractOutputValues()).extracting(IndexEntry::remove, e -> e.image().w0()).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(true, STORED_W0),
                    org.assertj.core.groups.Tuple.tuple(false, CatalogProbes.indexed(new CatalogImage(
                            "tb", "M1", "P1", "main", hash("pdq:coffee again"), 100, T0, false)).w0()));
        }
    }

    @Test
    void theMigratedStateIsWrittenInThisBuildsFormatAndRestoresAgain() throws Exception {
        Path rewritten = dir.resolve("rewritten.snapshot");
        try (var harness = restored(FIXTURES.resolve("listing-photos-02d8739-rocksdb.snapshot"), "rocksdb")) {
            listing(harness, "second", "pdq:second", LINK, 6);
            harness.processWatermark(T0 + 6);
            OperatorSnapshotUtil.writeStateHandle(harness.snapshot(2L, 2L), rewritten.toString());
        }
        try (var harness = restored(rewritten, "rocksdb")) {
            query(harness, "R3", 10);
            harness.processWatermark(T0 + 10);
            assertTheNewPhotoHasItsLinkAndTheRestoredOneNone(harness);
        }
    }

    /**
     * The scenario of the committed fixtures: one listing photo with local features (and a link in
     * its catalog record, which 02d8739 did not keep), processed, then snapshotted. Run in this
     * build it writes this build's format, NOT the previous release's: the fixtures can only be
     * re-made by running these same calls in a worktree of 02d8739, as the class comment says.
     * {@code mvn -o -q test -Dtest=ListingPhotosRestoreTest -Drefundguard.writeSnapshots=listing-photos
     * -Drefundguard.snapshotDir=DIR}.
     */
    @Test
    @EnabledIfSystemProperty(named = "refundguard.writeSnapshots", matches = "listing-photos")
    void writeTheSnapshots() throws Exception {
        Path out = Path.of(System.getProperty("refundguard.snapshotDir", "target/savepoint-fixtures"));
        Files.createDirectories(out);
        for (String backend : List.of("rocksdb", "heap")) {
            try (var harness = harness(backend)) {
                harness.open();
                CatalogImage listing = new CatalogImage("tb", "M1", null, "P1", "main", null, 0, T0, false,
                        "https://photos.example/tb/M1/P1/main.png", null, null)
                        .fingerprinted(hash("pdq:coffee"), 100, coffee);
                harness.processElement(ListingInput.of(listing), T0);
                harness.processWatermark(T0);
                OperatorSnapshotUtil.writeStateHandle(harness.snapshot(1L, 1L),
                        out.resolve("listing-photos-" + backend + ".snapshot").toString());
            }
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ListingInput, IndexEntry> harness(String backend)
            throws Exception {
        ImageSettings settings = new ImageSettings(31, 50, Duration.ofDays(90), Duration.ofDays(730), Duration.ofDays(2), 20);
        var harness = new KeyedOneInputStreamOperatorTestHarness<String, ListingInput, IndexEntry>(
                new KeyedProcessOperator<>(new ListingPhotos(settings, StateTtl.PROCESSING_TIME)),
                ListingInput::productKey, Types.STRING);
        harness.setStateBackend(backend(backend));
        return harness;
    }

    private static StateBackend backend(String name) {
        // Full (not incremental) snapshots: the canonical format a savepoint is written in.
        return name.equals("rocksdb") ? new EmbeddedRocksDBStateBackend(false) : new HashMapStateBackend();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ListingInput, IndexEntry> restored(Path snapshot,
            String backend) throws Exception {
        OperatorSubtaskState state = OperatorSnapshotUtil.readStateHandle(snapshot.toString());
        var harness = harness(backend);
        harness.initializeState(state);
        harness.open();
        return harness;
    }

    private static void listing(KeyedOneInputStreamOperatorTestHarness<String, ListingInput, IndexEntry> harness,
            String imageId, String pdqSeed, String uri, long at) throws Exception {
        CatalogImage listing = new CatalogImage("tb", "M1", null, "P1", imageId, null, 0, T0 + at, false, uri, null, null)
                .fingerprinted(hash(pdqSeed), 100, coffee);
        harness.processElement(ListingInput.of(listing), T0 + at);
    }

    private static void query(KeyedOneInputStreamOperatorTestHarness<String, ListingInput, IndexEntry> harness,
            String requestId, long at) throws Exception {
        IndexedImage evidence = new IndexedImage(ImageOrigin.EVIDENCE, "tb:" + requestId + ":e0", "person-1", "tb",
                0, 0, 0, 0, 0, T0 + at);
        harness.processElement(ListingInput.of(new ListingQuery("tb:" + requestId, "tb:M1:P1", T0 + at, requestId,
                List.of(new ListingQuery.Photo(evidence, croppedCoffee)))), T0 + at);
    }

    /** The query copied both photos: the one listed after the restore with its link, the restored one without. */
    private static void assertTheNewPhotoHasItsLinkAndTheRestoredOneNone(
            KeyedOneInputStreamOperatorTestHarness<String, ListingInput, IndexEntry> harness) {
        assertThat(answers(harness).get(0).matches())
                .extracting(m -> m.matched().imageKey(), m -> m.copy().listingUri())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("tb:M1:P1:second", LINK),
                        org.assertj.core.groups.Tuple.tuple("tb:M1:P1:main", null));
    }

    private static List<ProbeResult> answers(KeyedOneInputStreamOperatorTestHarness<String, ListingInput, IndexEntry> harness) {
        var side = harness.getSideOutput(ListingPhotos.ANSWERS);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
    }
}
