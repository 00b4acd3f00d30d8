package io.refundguard.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NearDuplicateIndexFunctionTest {
    private static final int RADIUS = 31;
    private static final int FLOOR = 50;
    private static final Duration RETENTION = Duration.ofDays(30);
    private static final Duration LOOKBACK = Duration.ofDays(2);
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final long T0 = 1_700_000_000_000L;

    private final Random random = new Random(7);
    private KeyedOneInputStreamOperatorTestHarness<Integer, ImageProbe, ProbeResult> harness;

    @BeforeEach
    void openHarness() throws Exception {
        harness = newHarness();
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    private static KeyedOneInputStreamOperatorTestHarness<Integer, ImageProbe, ProbeResult> newHarness()
            throws Exception {
        NearDuplicateIndexFunction function = new NearDuplicateIndexFunction(RADIUS, FLOOR, RETENTION, LOOKBACK);
        KeyedOneInputStreamOperatorTestHarness<Integer, ImageProbe, ProbeResult> opened =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(function), ImageProbe::slotKey, Types.INT);
        opened.open();
        return opened;
    }

    // ---- store and match -------------------------------------------------------------------

    @Test
    void evidenceFindsEarlierEvidenceUpToExactlyTheRadius() throws Exception {
        PdqHash original = randomHash();
        IndexedImage first = submitEvidence("r1", original, 90, T0);
        // The worst case for the pigeonhole: 15 slots differ in 2 bits, only one slot in 1.
        submitEvidence("r2", spreadFlips(original, 31, 0), 90, T0 + 1_000);
        submitEvidence("r3", spreadFlips(original, 32, 4), 90, T0 + 2_000);
        harness.processWatermark(T0 + 2_000);

        assertThat(matchedImageKeys("shop:r1")).isEmpty();
        assertThat(matchedImageKeys("shop:r2")).containsExactly(first.imageKey());
        assertThat(matchesOf("shop:r2")).allSatisfy(match -> assertThat(match.distance()).isEqualTo(31));
        assertThat(matchedImageKeys("shop:r3")).as("32 bits from r1, 63 from r2").isEmpty();
    }

    @Test
    void evidenceFindsTheSamePhotoAcrossPersonsAndPlatformsThroughEveryAgreeingSlot() throws Exception {
        PdqHash photo = randomHash();
        IndexedImage first = evidence("shop", "r1", "person-a", photo, 90, T0);
        submit(first, "shop:r1");
        IndexedImage reused = evidence("bazaar", "r9", "person-b", photo.flip(3), 90, T0 + 5);
        submit(reused, "bazaar:r9");
        harness.processWatermark(T0 + 5);

        List<ImageMatch> matches = matchesOf("bazaar:r9");
        // 15 own slot keys agree exactly and the flipped slot is a 1-bit neighbour: 16 reports of one pair.
        assertThat(matches).hasSize(16).allSatisfy(match -> {
            assertThat(match.matched()).isEqualTo(first);
            assertThat(match.distance()).isEqualTo(1);
        });
    }

    @Test
    void everyEvidenceProbeGetsExactlyOneResultEvenWithoutMatches() throws Exception {
        IndexedImage lonely = submitEvidence("r1", randomHash(), 90, T0);
        IndexedImage unusable = submitEvidence("r2", randomHash(), 10, T0 + 1);
        harness.processWatermark(T0 + 1);

        for (IndexedImage image : List.of(lonely, unusable)) {
            String requestKey = "shop:" + image.imageKey().split(":")[1];
            List<String> expectedProbeIds = ImageProbe.fanOut(image, requestKey, RADIUS).stream()
                    .map(ImageProbe::probeId).toList();
            assertThat(resultsFor(requestKey)).extracting(ProbeResult::probeId)
                    .hasSize(272)
                    .containsExactlyInAnyOrderElementsOf(expectedProbeIds);
            assertThat(resultsFor(requestKey)).allSatisfy(result -> assertThat(result.matches()).isEmpty());
        }
    }

    @Test
    void resendingAnImageReplacesItAndNeverMatchesItself() throws Exception {
        PdqHash photo = randomHash();
        submitEvidence("r1", photo, 90, T0);
        IndexedImage resent = submitEvidence("r1", photo, 95, T0 + 10);
        submitEvidence("r2", photo.flip(100), 90, T0 + 20);
        harness.processWatermark(T0 + 20);

        assertThat(matchesOf("shop:r1")).isEmpty();
        assertThat(matchesOf("shop:r2")).extracting(ImageMatch::matched).containsOnly(resent);
    }

    // ---- quality floor ---------------------------------------------------------------------

    @Test
    void imagesUnderTheQualityFloorNeitherMatchNorAreFiled() throws Exception {
        PdqHash photo = randomHash();
        submitEvidence("low-stored", photo, FLOOR - 1, T0);
        IndexedImage good = submitEvidence("good", photo.flip(1), 90, T0 + 1);
        submitEvidence("low-probe", photo.flip(2), FLOOR - 1, T0 + 2);
        submitEvidence("at-floor", photo.flip(3), FLOOR, T0 + 3);
        harness.processWatermark(T0 + 3);

        assertThat(matchedImageKeys("shop:good")).as("the low-quality photo was not filed").isEmpty();
        assertThat(matchedImageKeys("shop:low-probe")).isEmpty();
        assertThat(resultsFor("shop:low-probe")).hasSize(272);
        assertThat(matchedImageKeys("shop:at-floor")).containsExactly(good.imageKey());
    }

    // ---- retention -------------------------------------------------------------------------

    @Test
    void imagesOlderThanRetentionInEventTimeAreIgnoredAndUnfiled() throws Exception {
        PdqHash photo = randomHash();
        IndexedImage old = submitEvidence("old", photo, 90, T0);
        submitEvidence("at-horizon", photo.flip(10), 90, T0 + RETENTION.toMillis());
        IndexedImage past = submitEvidence("past-horizon", photo.flip(20), 90, T0 + RETENTION.toMillis() + 1);
        harness.processWatermark(T0 + RETENTION.toMillis() + 1);

        assertThat(matchedImageKeys("shop:at-horizon")).containsExactly(old.imageKey());
        assertThat(matchedImageKeys("shop:past-horizon")).containsExactly("shop:at-horizon:img");

        // A late copy, within retention of the old image, shows it was removed, not only skipped:
        // past-horizon probed all 16 keys the old image was filed under.
        submitEvidence("late-copy", photo, 90, T0 + 1);
        assertThat(matchedImageKeys("shop:late-copy")).doesNotContain(old.imageKey())
                .contains(past.imageKey());
    }

    @Test
    void processingTimeTtlDropsImagesNobodyRewrote() throws Exception {
        PdqHash photo = randomHash();
        harness.setStateTtlProcessingTime(0);
        IndexedImage stale = submitEvidence("stale", photo, 90, T0);
        harness.processWatermark(T0);

        harness.setStateTtlProcessingTime(RETENTION.toMillis() - 1);
        IndexedImage fresh = submitEvidence("fresh", photo.flip(1), 90, T0 + 1_000);
        harness.processWatermark(T0 + 1_000);

        harness.setStateTtlProcessingTime(RETENTION.toMillis() + 1);
        submitEvidence("after-ttl", photo.flip(2), 90, T0 + 2_000);
        harness.processWatermark(T0 + 2_000);

        assertThat(matchedImageKeys("shop:fresh")).containsExactly(stale.imageKey());
        assertThat(matchedImageKeys("shop:after-ttl")).containsExactly(fresh.imageKey());
    }

    // ---- catalog ---------------------------------------------------------------------------

    @Test
    void tombstonedListingPhotosNoLongerMatch() throws Exception {
        PdqHash deletedPhoto = randomHash();
        PdqHash keptPhoto = randomHash();
        IndexedImage deleted = publishCatalog("p1", deletedPhoto, T0);
        IndexedImage kept = publishCatalog("p2", keptPhoto, T0);
        deleteCatalog(deleted, T0 + DAY);
        submitEvidence("r1", deletedPhoto.flip(5), 90, T0 + 2 * DAY);
        submitEvidence("r2", keptPhoto.flip(5), 90, T0 + 2 * DAY);
        int beforeWatermark = harness.extractOutputValues().size();
        harness.processWatermark(T0 + 2 * DAY);

        assertThat(beforeWatermark).isZero();
        assertThat(matchedImageKeys("shop:r1")).isEmpty();
        assertThat(matchedImageKeys("shop:r2")).containsExactly(kept.imageKey());
        assertThat(harness.extractOutputValues()).as("deletes emit nothing")
                .allSatisfy(result -> assertThat(result.requestKey()).isNotNull());
    }

    @Test
    void listingPhotoPublishedAfterTheRequestMatchesOnlyWithinTheLookback() throws Exception {
        PdqHash photo = randomHash();
        IndexedImage request = submitEvidence("r1", photo, 90, T0);
        IndexedImage withinLookback = publishCatalog("p1", photo.flip(1), T0 + LOOKBACK.toMillis());
        publishCatalog("p2", photo.flip(2), T0 + LOOKBACK.toMillis() + 1);
        harness.processWatermark(T0 + LOOKBACK.toMillis() + 1);

        Map<String, Set<String>> catalogHits = catalogMatches();
        assertThat(catalogHits).containsOnlyKeys(withinLookback.imageKey());
        assertThat(catalogHits.get(withinLookback.imageKey()))
                .as("listing photos are not compared with each other").containsExactly(request.imageKey());
    }

    @Test
    void evidenceFindsListingPhotosOfAnyAgeWithinRetention() throws Exception {
        PdqHash photo = randomHash();
        IndexedImage listing = publishCatalog("p1", photo, T0);
        submitEvidence("r1", photo.flip(9), 90, T0 + 20 * DAY);
        harness.processWatermark(T0 + 20 * DAY);

        assertThat(matchedImageKeys("shop:r1")).containsExactly(listing.imageKey());
        assertThat(matchesOf("shop:r1")).extracting(match -> match.matched().origin())
                .containsOnly(ImageOrigin.CATALOG);
        assertThat(catalogMatches()).as("the listing came first and matched nothing").isEmpty();
    }

    // ---- event-time ordering ---------------------------------------------------------------

    @Test
    void arrivalOrderDoesNotChangeTheResults() throws Exception {
        List<ImageProbe> probes = scenario();

        List<ProbeResult> inOrder = runInEventTimeOrder(probes);
        List<ProbeResult> shuffledOnce = runShuffled(probes, new Random(1));
        List<ProbeResult> shuffledTwice = runShuffled(probes, new Random(2));

        assertThat(inOrder).filteredOn(result -> !result.matches().isEmpty()).hasSizeGreaterThan(20);
        assertThat(shuffledOnce).containsExactlyInAnyOrderElementsOf(inOrder);
        assertThat(shuffledTwice).containsExactlyInAnyOrderElementsOf(inOrder);
    }

    @Test
    void nothingIsLeftPendingOnceTheWatermarkPasses() throws Exception {
        List<ImageProbe> probes = scenario();
        for (ImageProbe probe : probes) {
            harness.processElement(probe, probe.image().occurredAt());
        }
        long last = probes.stream().mapToLong(probe -> probe.image().occurredAt()).max().orElseThrow();

        assertThat(harness.numEventTimeTimers()).isPositive();
        assertThat(pendingKeys()).isPositive();
        harness.processWatermark(last);

        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(pendingKeys()).isZero();
        assertThat(harness.extractOutputValues()).isNotEmpty();
    }

    /**
     * Three families of near-duplicates, evidence and catalog, several images sharing a
     * timestamp, one tombstone: enough that order-dependent code would give different answers.
     */
    private List<ImageProbe> scenario() {
        List<ImageProbe> probes = new ArrayList<>();
        for (int family = 0; family < 3; family++) {
            PdqHash base = randomHash();
            for (int member = 0; member < 4; member++) {
                long at = T0 + member / 2 * 1_000L;
                PdqHash hash = spreadFlips(base, member * 9, member);
                String requestId = "f" + family + "m" + member;
                probes.addAll(ImageProbe.fanOut(evidence("shop", requestId, "p" + member, hash, 90, at),
                        "shop:" + requestId, RADIUS));
            }
            IndexedImage listing = catalog("c" + family, base.flip(family), T0 + 500);
            probes.addAll(ImageProbe.fanOut(listing, null, RADIUS));
            if (family == 1) {
                probes.addAll(ImageProbe.fanOutDelete(withTime(listing, T0 + 700)));
            }
        }
        return probes;
    }

    private List<ProbeResult> runInEventTimeOrder(List<ImageProbe> probes) throws Exception {
        Map<Long, List<ImageProbe>> byTime = new TreeMap<>();
        probes.forEach(probe -> byTime.computeIfAbsent(probe.image().occurredAt(), t -> new ArrayList<>()).add(probe));
        try (var ordered = newHarness()) {
            for (Map.Entry<Long, List<ImageProbe>> moment : byTime.entrySet()) {
                for (ImageProbe probe : moment.getValue()) {
                    ordered.processElement(probe, moment.getKey());
                }
                ordered.processWatermark(moment.getKey());
            }
            return ordered.extractOutputValues();
        }
    }

    private List<ProbeResult> runShuffled(List<ImageProbe> probes, Random order) throws Exception {
        List<ImageProbe> shuffled = new ArrayList<>(probes);
        Collections.shuffle(shuffled, order);
        try (var disordered = newHarness()) {
            for (ImageProbe probe : shuffled) {
                disordered.processElement(probe, probe.image().occurredAt());
            }
            disordered.processWatermark(Long.MAX_VALUE);
            return disordered.extractOutputValues();
        }
    }

    private long pendingKeys() {
        return harness.getOperator().getKeyedStateBackend()
                .getKeys("pending-by-event-time", VoidNamespace.INSTANCE).count();
    }

    // ---- fixtures --------------------------------------------------------------------------

    private PdqHash randomHash() {
        return new PdqHash(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
    }

    /** {@code distance} flips spread as evenly as possible over the 16 slots. */
    private static PdqHash spreadFlips(PdqHash hash, int distance, int offset) {
        PdqHash flipped = hash;
        for (int slot = 0; slot < 16; slot++) {
            int bitsInSlot = distance / 16 + (slot < distance % 16 ? 1 : 0);
            for (int k = 0; k < bitsInSlot; k++) {
                flipped = flipped.flip(slot * 16 + (offset + k) % 16);
            }
        }
        return flipped;
    }

    private static IndexedImage evidence(
            String platform, String requestId, String person, PdqHash hash, int quality, long at) {
        return IndexedImage.of(ImageOrigin.EVIDENCE, platform + ":" + requestId + ":img", person, platform,
                hash, quality, at);
    }

    private static IndexedImage catalog(String productId, PdqHash hash, long at) {
        return IndexedImage.of(ImageOrigin.CATALOG, "shop:m1:" + productId + ":img", "shop:m1:" + productId,
                "shop", hash, 90, at);
    }

    private static IndexedImage withTime(IndexedImage image, long at) {
        return IndexedImage.of(image.origin(), image.imageKey(), image.ownerKey(), image.platform(), image.hash(),
                image.quality(), at);
    }

    private IndexedImage submitEvidence(String requestId, PdqHash hash, int quality, long at) throws Exception {
        IndexedImage image = evidence("shop", requestId, "person-" + requestId, hash, quality, at);
        submit(image, "shop:" + requestId);
        return image;
    }

    private IndexedImage publishCatalog(String productId, PdqHash hash, long at) throws Exception {
        IndexedImage image = catalog(productId, hash, at);
        submit(image, null);
        return image;
    }

    private void deleteCatalog(IndexedImage image, long at) throws Exception {
        for (ImageProbe probe : ImageProbe.fanOutDelete(withTime(image, at))) {
            harness.processElement(probe, at);
        }
    }

    private void submit(IndexedImage image, String requestKey) throws Exception {
        for (ImageProbe probe : ImageProbe.fanOut(image, requestKey, RADIUS)) {
            harness.processElement(probe, image.occurredAt());
        }
    }

    private List<ProbeResult> resultsFor(String requestKey) {
        return harness.extractOutputValues().stream()
                .filter(result -> requestKey.equals(result.requestKey()))
                .toList();
    }

    private List<ImageMatch> matchesOf(String requestKey) {
        return resultsFor(requestKey).stream().flatMap(result -> result.matches().stream()).toList();
    }

    private Set<String> matchedImageKeys(String requestKey) {
        return matchesOf(requestKey).stream().map(match -> match.matched().imageKey()).collect(Collectors.toSet());
    }

    /** Listing image key to the evidence image keys its catalog probes reported. */
    private Map<String, Set<String>> catalogMatches() {
        return harness.extractOutputValues().stream()
                .filter(result -> result.requestKey() == null)
                .collect(Collectors.groupingBy(result -> result.probe().imageKey(), TreeMap::new,
                        Collectors.flatMapping(result -> result.matches().stream()
                                .map(match -> match.matched().imageKey()), Collectors.toSet())));
    }
}
