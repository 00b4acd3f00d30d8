package io.refundguard.images.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.eventtime.StateTtl;
import io.refundguard.images.EvidenceKeys;
import io.refundguard.images.ImageMatch;
import io.refundguard.images.ImageOrigin;
import io.refundguard.images.IndexedImage;
import io.refundguard.images.ProbeResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PhotoIndexOperatorTest {
    private static final int RADIUS = 31;
    private static final Duration RETENTION = Duration.ofDays(30);
    private static final Duration LOOKBACK = Duration.ofDays(2);
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final long T0 = 1_790_000_000_000L;
    private static final int MAX_PARALLELISM = 128;

    private final List<KeyedTwoInputStreamOperatorTestHarness<Long, IndexEntry, IndexLookup, ProbeResult>> opened =
            new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (var harness : opened) {
            harness.close();
        }
    }

    @Test
    void aLookupSeesThePhotosFiledBeforeItOnceTheWatermarkPassesIt() throws Exception {
        var index = open(1, 0, null);
        long[] listing = hash(1);
        IndexedImage earlier = evidence("tb", "r1", "img", "alice", listing, T0);
        IndexedImage probe = evidence("jd", "r2", "img", "bob", flipped(listing, 20), T0 + 10);
        file(index, earlier);
        index.processElement2(new IndexLookup("jd:r2", probe), probe.occurredAt());
        assertThat(index.extractOutputValues()).as("waits for the watermark").isEmpty();

        index.processBothWatermarks(new Watermark(T0 + 10));

        ProbeResult answer = single(index);
        assertThat(answer.requestKey()).isEqualTo("jd:r2");
        assertThat(answer.probeId()).isEqualTo(probe.imageKey() + "@pdq");
        assertThat(answer.covered()).as("one subtask answers for every key group").isEqualTo(MAX_PARALLELISM);
        assertThat(answer.total()).isEqualTo(MAX_PARALLELISM);
        assertThat(answer.matches()).containsExactly(new ImageMatch(earlier, 20));
    }

    @Test
    void aPhotoFiledAfterTheLookupsTimeIsNotSeenEvenIfItArrivedFirst() throws Exception {
        var index = open(1, 0, null);
        long[] photo = hash(2);
        IndexedImage later = evidence("tb", "r9", "img", "carol", photo, T0 + 500);
        IndexedImage probe = evidence("tb", "r1", "img", "alice", photo, T0 + 100);
        file(index, later);
        index.processElement2(new IndexLookup("tb:r1", probe), probe.occurredAt());
        index.processBothWatermarks(new Watermark(T0 + 1000));
        assertThat(single(index).matches()).isEmpty();
    }

    @Test
    void ofTwoPhotosAtTheSameTimeTheOneWithTheLargerKeySeesTheOther() throws Exception {
        var index = open(1, 0, null);
        long[] photo = hash(3);
        IndexedImage a = evidence("tb", "a", "img", "alice", photo, T0);
        IndexedImage b = evidence("tb", "b", "img", "bob", photo, T0);
        file(index, b);
        file(index, a);
        index.processElement2(new IndexLookup("tb:a", a), T0);
        index.processElement2(new IndexLookup("tb:b", b), T0);
        index.processBothWatermarks(new Watermark(T0));
        Map<String, List<ImageMatch>> answers = answersByRequest(index);
        assertThat(answers.get("tb:a")).isEmpty();
        assertThat(answers.get("tb:b")).containsExactly(new ImageMatch(a, 0));
    }

    @Test
    void aRemovedPhotoStopsMatchingAtItsRemovalTimeAndLeavesStateOnceTheWatermarkPassesIt() throws Exception {
        var index = open(1, 0, null);
        long[] photo = hash(4);
        IndexedImage filed = evidence("tb", "r1", "img", "alice", photo, T0);
        file(index, filed);
        index.processElement1(IndexEntry.removing(filed, T0 + DAY), T0 + DAY);
        IndexedImage before = evidence("jd", "r2", "img", "bob", photo, T0 + DAY - 1);
        IndexedImage after = evidence("jd", "r3", "img", "bob", photo, T0 + DAY + 1);
        index.processElement2(new IndexLookup("jd:r2", before), before.occurredAt());
        index.processElement2(new IndexLookup("jd:r3", after), after.occurredAt());
        assertThat(index.numKeyedStateEntries()).isEqualTo(1);

        index.processBothWatermarks(new Watermark(T0 + 2 * DAY));

        Map<String, List<ImageMatch>> answers = answersByRequest(index);
        assertThat(answers.get("jd:r2")).as("still valid then").extracting(m -> m.matched().imageKey())
                .containsExactly(filed.imageKey());
        assertThat(answers.get("jd:r3")).isEmpty();
        assertThat(index.numKeyedStateEntries()).as("erased from state").isZero();
    }

    @Test
    void evidencePastRetentionIsNeitherMatchedNorKept() throws Exception {
        var index = open(1, 0, null);
        long[] photo = hash(5);
        IndexedImage old = evidence("tb", "r1", "img", "alice", photo, T0);
        file(index, old);
        long later = T0 + RETENTION.toMillis() + DAY;
        IndexedImage probe = evidence("tb", "r2", "img", "bob", photo, later);
        index.processElement2(new IndexLookup("tb:r2", probe), later);
        index.processBothWatermarks(new Watermark(later));
        assertThat(single(index).matches()).isEmpty();
        assertThat(index.numKeyedStateEntries()).as("the daily sweep removed it").isZero();
    }

    @Test
    void aListingPhotoLooksBackOnlyAtRecentEvidenceAndAnswersOnlyWhenSomethingMatched() throws Exception {
        var index = open(1, 0, null);
        long[] photo = hash(6);
        IndexedImage recent = evidence("tb", "r1", "img", "alice", flipped(photo, 5), T0 + 3 * DAY);
        IndexedImage tooOld = evidence("tb", "r0", "img", "bob", flipped(photo, 6), T0);
        IndexedImage otherListing = catalog("tb", "M1", "P2", "main", photo, T0 + DAY);
        file(index, recent);
        file(index, tooOld);
        file(index, otherListing);
        IndexedImage listing = catalog("tb", "M1", "P1", "main", photo, T0 + 4 * DAY);
        IndexedImage unrelated = catalog("tb", "M1", "P3", "main", hash(99), T0 + 4 * DAY);
        index.processElement2(new IndexLookup(null, listing), listing.occurredAt());
        index.processElement2(new IndexLookup(null, unrelated), unrelated.occurredAt());
        index.processBothWatermarks(new Watermark(T0 + 5 * DAY));

        ProbeResult answer = single(index);
        assertThat(answer.requestKey()).isNull();
        assertThat(answer.probe()).isEqualTo(listing);
        assertThat(answer.matches()).extracting(m -> m.matched().imageKey()).containsExactly(recent.imageKey());
    }

    @Test
    void evidenceIsComparedWithListingPhotos() throws Exception {
        var index = open(1, 0, null);
        long[] photo = hash(7);
        IndexedImage listing = catalog("tb", "M1", "P1", "main", photo, T0);
        file(index, listing);
        IndexedImage probe = evidence("tb", "r1", "img", "alice", flipped(photo, 31), T0 + 1);
        IndexedImage farther = evidence("tb", "r2", "img", "alice", flipped(photo, 32), T0 + 2);
        index.processElement2(new IndexLookup("tb:r1", probe), T0 + 1);
        index.processElement2(new IndexLookup("tb:r2", farther), T0 + 2);
        index.processBothWatermarks(new Watermark(T0 + 10));
        Map<String, List<ImageMatch>> answers = answersByRequest(index);
        assertThat(answers.get("tb:r1")).containsExactly(new ImageMatch(listing, 31));
        assertThat(answers.get("tb:r2")).as("one bit past the radius").isEmpty();
    }

    @Test
    void aRepublishedListingEndsTheOldVersionAtTheNewOnesTime() throws Exception {
        var index = open(1, 0, null);
        long[] v1Hash = hash(8);
        long[] v2Hash = flipped(v1Hash, 40);
        IndexedImage v1 = catalog("tb", "M1", "P1", "main", v1Hash, T0);
        IndexedImage v2 = catalog("tb", "M1", "P1", "main", v2Hash, T0 + DAY);
        file(index, v1);
        index.processElement1(IndexEntry.removing(v1, T0 + DAY), T0 + DAY);
        file(index, v2);
        IndexedImage between = evidence("tb", "r1", "img", "alice", v1Hash, T0 + DAY / 2);
        IndexedImage after = evidence("tb", "r2", "img", "alice", v1Hash, T0 + 2 * DAY);
        IndexedImage afterNew = evidence("tb", "r3", "img", "alice", v2Hash, T0 + 2 * DAY);
        for (IndexedImage probe : List.of(between, after, afterNew)) {
            index.processElement2(new IndexLookup(EvidenceKeys.requestKeyOf(probe.imageKey()), probe), probe.occurredAt());
        }
        index.processBothWatermarks(new Watermark(T0 + 3 * DAY));
        Map<String, List<ImageMatch>> answers = answersByRequest(index);
        assertThat(answers.get("tb:r1")).containsExactly(new ImageMatch(v1, 0));
        assertThat(answers.get("tb:r2")).isEmpty();
        assertThat(answers.get("tb:r3")).containsExactly(new ImageMatch(v2, 0));
    }

    @Test
    void aLateLookupIsAnsweredOnArrival() throws Exception {
        var index = open(1, 0, null);
        long[] photo = hash(9);
        IndexedImage filed = evidence("tb", "r1", "img", "alice", photo, T0);
        file(index, filed);
        index.processBothWatermarks(new Watermark(T0 + DAY));
        IndexedImage late = evidence("tb", "r2", "img", "bob", photo, T0 + 5);
        index.processElement2(new IndexLookup("tb:r2", late), late.occurredAt());
        assertThat(single(index).matches()).containsExactly(new ImageMatch(filed, 0));
    }

    @Test
    void afterARestoreTheIndexIsRebuiltFromStateAndWaitingLookupsAreAnswered() throws Exception {
        var index = open(1, 0, null);
        long[] photo = hash(10);
        IndexedImage filed = evidence("tb", "r1", "img", "alice", photo, T0);
        file(index, filed);
        IndexedImage waiting = evidence("tb", "r2", "img", "bob", flipped(photo, 3), T0 + 100);
        index.processElement2(new IndexLookup("tb:r2", waiting), waiting.occurredAt());
        OperatorSubtaskState snapshot = index.snapshot(1, 1);

        var restored = open(1, 0, snapshot);
        restored.processBothWatermarks(new Watermark(T0 + 100));
        IndexedImage next = evidence("tb", "r3", "img", "carol", flipped(photo, 4), T0 + 200);
        restored.processElement2(new IndexLookup("tb:r3", next), next.occurredAt());
        restored.processBothWatermarks(new Watermark(T0 + 200));

        Map<String, List<ImageMatch>> answers = answersByRequest(restored);
        assertThat(answers.get("tb:r2")).containsExactly(new ImageMatch(filed, 3));
        assertThat(answers.get("tb:r3")).containsExactly(new ImageMatch(filed, 4));
    }

    /**
     * Three subtasks stop with lookups waiting; two take over. Each waiting lookup must still be
     * answered for every key group exactly once, and find what one subtask alone would have found.
     */
    @Test
    void aRescaleKeepsEveryWaitingLookupsCoverageExactlyWhole() throws Exception {
        Random random = new Random(11);
        List<IndexedImage> photos = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            photos.add(evidence("tb", "r" + i, "img", "p" + i, hash(1000 + i), T0 + i));
        }
        List<IndexedImage> probes = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            IndexedImage near = photos.get(random.nextInt(photos.size()));
            probes.add(evidence("jd", "q" + i, "img", "q" + i, flipped(words(near), random.nextInt(40)), T0 + 1000 + i));
        }
        List<KeyedTwoInputStreamOperatorTestHarness<Long, IndexEntry, IndexLookup, ProbeResult>> three = new ArrayList<>();
        List<OperatorSubtaskState> snapshots = new ArrayList<>();
        for (int subtask = 0; subtask < 3; subtask++) {
            var harness = open(3, subtask, null);
            three.add(harness);
        }
        for (IndexedImage photo : photos) {
            IndexEntry entry = IndexEntry.filing(photo);
            three.get(owner(entry.photoId(), 3)).processElement1(entry, photo.occurredAt());
        }
        for (IndexedImage probe : probes) {
            for (var harness : three) {
                harness.processElement2(new IndexLookup(EvidenceKeys.requestKeyOf(probe.imageKey()), probe), probe.occurredAt());
            }
        }
        // Subtask 0 got further than the others before the stop: it answered the first half.
        three.get(0).processBothWatermarks(new Watermark(T0 + 1019));
        List<ProbeResult> answers = new ArrayList<>(three.get(0).extractOutputValues());
        for (var harness : three) {
            snapshots.add(harness.snapshot(1, 1));
        }
        OperatorSubtaskState merged = AbstractStreamOperatorTestHarness.repackageState(snapshots.toArray(new OperatorSubtaskState[0]));
        for (int subtask = 0; subtask < 2; subtask++) {
            OperatorSubtaskState part = AbstractStreamOperatorTestHarness.repartitionOperatorState(
                    merged, MAX_PARALLELISM, 3, 2, subtask);
            var harness = open(2, subtask, part);
            harness.processBothWatermarks(new Watermark(T0 + 2000));
            answers.addAll(harness.extractOutputValues());
        }

        Map<String, Integer> coverage = new TreeMap<>();
        Map<String, List<String>> found = new TreeMap<>();
        for (ProbeResult answer : answers) {
            coverage.merge(answer.requestKey(), answer.covered(), Integer::sum);
            answer.matches().forEach(m -> found.computeIfAbsent(answer.requestKey(), k -> new ArrayList<>())
                    .add(m.matched().imageKey()));
        }
        assertThat(coverage).hasSize(probes.size()).allSatisfy((request, covered) -> assertThat(covered)
                .as("key groups answered for %s", request).isEqualTo(MAX_PARALLELISM));
        for (IndexedImage probe : probes) {
            List<String> expected = photos.stream().filter(p -> distance(words(p), words(probe)) <= RADIUS)
                    .map(IndexedImage::imageKey).sorted().toList();
            List<String> actual = found.getOrDefault(EvidenceKeys.requestKeyOf(probe.imageKey()), List.of()).stream()
                    .sorted().toList();
            assertThat(actual).as("matches of %s", probe.imageKey()).isEqualTo(expected);
        }
    }

    /**
     * Photos and lookups interleaved in time, spread over 1 or 4 subtasks as keyBy and broadcast
     * would: the union of the answers is exactly the brute-force set, each photo found by one
     * subtask, at every distance up to the radius and never beyond.
     */
    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 4})
    void answersEqualBruteForceAtAnyParallelism(int parallelism) throws Exception {
        Random random = new Random(31 + parallelism);
        List<IndexedImage> photos = new ArrayList<>();
        List<IndexedImage> probes = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            photos.add(evidence("tb", "r" + i, "img", "p" + (i % 500), hash(5000 + i), T0 + 10L * i));
        }
        for (int i = 0; i < 240; i++) {
            IndexedImage near = photos.get(random.nextInt(photos.size()));
            long at = near.occurredAt() + random.nextInt(20000) - 5000;
            probes.add(evidence("jd", "q" + i, "img", "q" + i, flipped(words(near), i % (RADIUS + 6)), at));
        }
        List<KeyedTwoInputStreamOperatorTestHarness<Long, IndexEntry, IndexLookup, ProbeResult>> subtasks = new ArrayList<>();
        for (int subtask = 0; subtask < parallelism; subtask++) {
            subtasks.add(open(parallelism, subtask, null));
        }
        for (IndexedImage photo : photos) {
            IndexEntry entry = IndexEntry.filing(photo);
            subtasks.get(owner(entry.photoId(), parallelism)).processElement1(entry, photo.occurredAt());
        }
        for (IndexedImage probe : probes) {
            for (var subtask : subtasks) {
                subtask.processElement2(new IndexLookup(EvidenceKeys.requestKeyOf(probe.imageKey()), probe), probe.occurredAt());
            }
        }
        Map<String, List<String>> found = new TreeMap<>();
        for (var subtask : subtasks) {
            subtask.processBothWatermarks(new Watermark(Long.MAX_VALUE));
            for (ProbeResult answer : subtask.extractOutputValues()) {
                List<String> keys = found.computeIfAbsent(answer.requestKey(), k -> new ArrayList<>());
                answer.matches().forEach(m -> keys.add(m.matched().imageKey()));
            }
        }
        assertThat(found).hasSize(probes.size());
        int nonEmpty = 0;
        for (IndexedImage probe : probes) {
            List<String> expected = photos.stream()
                    .filter(p -> p.occurredAt() < probe.occurredAt() && distance(words(p), words(probe)) <= RADIUS)
                    .map(IndexedImage::imageKey).sorted().toList();
            List<String> actual = found.get(EvidenceKeys.requestKeyOf(probe.imageKey())).stream().sorted().toList();
            assertThat(actual).as("matches of %s", probe.imageKey()).isEqualTo(expected);
            nonEmpty += expected.isEmpty() ? 0 : 1;
        }
        assertThat(nonEmpty).as("the test plants real matches").isGreaterThan(probes.size() / 2);
    }

    private KeyedTwoInputStreamOperatorTestHarness<Long, IndexEntry, IndexLookup, ProbeResult> open(
            int parallelism, int subtask, OperatorSubtaskState state) throws Exception {
        // In the job the broadcast input has no key; the harness wants one, so give it one this subtask owns.
        long ownKey = 0;
        while (owner(ownKey, parallelism) != subtask) {
            ownKey++;
        }
        long lookupKey = ownKey;
        var harness = new KeyedTwoInputStreamOperatorTestHarness<>(
                new PhotoIndexOperator(RADIUS, RETENTION, Duration.ofDays(365), LOOKBACK, StateTtl.PROCESSING_TIME),
                IndexEntry::photoId, lookup -> lookupKey, Types.LONG, MAX_PARALLELISM, parallelism, subtask);
        opened.add(harness);
        harness.setup();
        if (state != null) {
            harness.initializeState(state);
        }
        harness.open();
        return harness;
    }

    private static int owner(long photoId, int parallelism) {
        return org.apache.flink.runtime.state.KeyGroupRangeAssignment.assignKeyToParallelOperator(
                photoId, MAX_PARALLELISM, parallelism);
    }

    private static void file(KeyedTwoInputStreamOperatorTestHarness<Long, IndexEntry, IndexLookup, ProbeResult> index,
            IndexedImage image) throws Exception {
        index.processElement1(IndexEntry.filing(image), image.occurredAt());
    }

    private static ProbeResult single(KeyedTwoInputStreamOperatorTestHarness<Long, IndexEntry, IndexLookup, ProbeResult> index) {
        assertThat(index.extractOutputValues()).hasSize(1);
        return index.extractOutputValues().get(0);
    }

    private static Map<String, List<ImageMatch>> answersByRequest(
            KeyedTwoInputStreamOperatorTestHarness<Long, IndexEntry, IndexLookup, ProbeResult> index) {
        Map<String, List<ImageMatch>> answers = new TreeMap<>();
        for (ProbeResult result : index.extractOutputValues()) {
            assertThat(answers.put(result.requestKey(), result.matches())).as("one answer per lookup").isNull();
        }
        return answers;
    }

    static IndexedImage evidence(String platform, String requestId, String imageId, String person, long[] hash, long at) {
        return new IndexedImage(ImageOrigin.EVIDENCE, EvidenceKeys.imageKey(platform, requestId, imageId), person, platform,
                hash[0], hash[1], hash[2], hash[3], 90, at);
    }

    static IndexedImage catalog(String platform, String merchant, String product, String imageId, long[] hash, long at) {
        return new IndexedImage(ImageOrigin.CATALOG, platform + ":" + merchant + ":" + product + ":" + imageId,
                platform + ":" + merchant + ":" + product, platform, hash[0], hash[1], hash[2], hash[3], 100, at);
    }

    static long[] hash(long seed) {
        Random random = new Random(seed);
        return new long[] {random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong()};
    }

    static long[] words(IndexedImage image) {
        return new long[] {image.w0(), image.w1(), image.w2(), image.w3()};
    }

    /** {@code bits} distinct bits flipped, spread over the hash. */
    static long[] flipped(long[] hash, int bits) {
        long[] copy = hash.clone();
        for (int i = 0; i < bits; i++) {
            int bit = (i * 97) % 256;
            copy[3 - (bit >>> 6)] ^= 1L << (bit & 63);
        }
        return copy;
    }

    static int distance(long[] a, long[] b) {
        return HammingIndexTest.distance(a, b);
    }
}
