package io.refundguard.images.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.events.LocalFeatures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The acceptance bar on a grid small enough for CI: every edit kind at full strength on every
 * listing photo with two seeds, every pair of edit kinds on four photos, and the honest pairs.
 * {@link CopyDetectionStudy} runs the full grid.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CopyDetectorTest {
    private static final long[] SEEDS = {21, 22};
    private static final List<String> PAIR_PHOTOS = List.of("photos/astronaut.png", "photos/coffee.png",
            "photos/motorcycle_left.png", "pdq/images/dih/bridge-1-original.jpg");

    private final CopyDetector detector = new CopyDetector();
    private final FeatureCache features = new FeatureCache(HonestPairs::image);
    private final Map<DoctoredCopies.Edit, List<CopyOutcome>> singles = new LinkedHashMap<>();
    private final Map<String, List<CopyOutcome>> pairs = new LinkedHashMap<>();

    @BeforeAll
    void doctorAndCompare() {
        for (DoctoredCopies.Edit edit : DoctoredCopies.Edit.values()) {
            for (String photo : RealPhotos.LISTINGS) {
                for (long seed : SEEDS) {
                    singles.computeIfAbsent(edit, k -> new ArrayList<>()).add(outcome(photo, List.of(edit), seed));
                }
            }
        }
        for (List<DoctoredCopies.Edit> pair : DoctoredCopies.pairs()) {
            for (String photo : PAIR_PHOTOS) {
                CopyOutcome o = outcome(photo, pair, 31);
                pairs.computeIfAbsent(o.copy().label(), k -> new ArrayList<>()).add(o);
            }
        }
    }

    private CopyOutcome outcome(String photo, List<DoctoredCopies.Edit> edits, long seed) {
        DoctoredCopies.Copy copy = DoctoredCopies.make(RealPhotos.load(photo), edits, 1.0, seed);
        LocalFeatures listing = features.get("photo:" + photo);
        return CopyOutcome.of(copy, detector.compare(listing, FeatureExtractor.extract(copy.image())), listing.width(),
                listing.height());
    }

    @Test
    void catchesEveryEditKind() {
        for (Map.Entry<DoctoredCopies.Edit, List<CopyOutcome>> e : singles.entrySet()) {
            assertThat(caught(e.getValue())).as("%s, missed: %s", e.getKey(), missed(e.getValue()))
                    .isGreaterThanOrEqualTo(0.95);
        }
    }

    @Test
    void catchesPairsOfEdits() {
        List<CopyOutcome> all = new ArrayList<>();
        pairs.values().forEach(all::addAll);
        assertThat(caught(all)).as("missed: %s", missed(all)).isGreaterThanOrEqualTo(0.95);
        for (Map.Entry<String, List<CopyOutcome>> e : pairs.entrySet()) {
            assertThat(caught(e.getValue())).as("%s, missed: %s", e.getKey(), missed(e.getValue())).isGreaterThanOrEqualTo(0.75);
        }
    }

    @Test
    void findsTheDamageWhereItWasPainted() {
        for (DoctoredCopies.Edit edit : List.of(DoctoredCopies.Edit.CRACK, DoctoredCopies.Edit.STAIN, DoctoredCopies.Edit.TEAR,
                DoctoredCopies.Edit.GENERATIVE_FILL)) {
            List<CopyOutcome> located = singles.get(edit).stream().filter(o -> o.regionHit() != null).toList();
            assertThat(located).as(edit.name()).isNotEmpty();
            assertThat(located.stream().filter(CopyOutcome::regionHit).count()).as("%s: a region on the damage", edit)
                    .isGreaterThanOrEqualTo(Math.round(0.9 * located.size()));
            assertThat(located.stream().mapToDouble(CopyOutcome::regionPrecision).average().orElse(0))
                    .as("%s: changed area on the damage", edit).isGreaterThanOrEqualTo(0.6);
        }
    }

    @Test
    void reportsTheKindsOfChange() {
        for (DoctoredCopies.Edit edit : List.of(DoctoredCopies.Edit.CROP, DoctoredCopies.Edit.SCREENSHOT,
                DoctoredCopies.Edit.CRACK, DoctoredCopies.Edit.STAIN, DoctoredCopies.Edit.TEAR)) {
            List<CopyOutcome> judged = singles.get(edit).stream().filter(o -> o.kindsOk() != null).toList();
            assertThat(judged.stream().filter(CopyOutcome::kindsOk).count()).as("%s reported as %s", edit,
                    CopyOutcome.expectedKinds(List.of(edit))).isGreaterThanOrEqualTo(Math.round(0.9 * judged.size()));
        }
        for (CopyOutcome o : singles.get(DoctoredCopies.Edit.REENCODE)) {
            if (o.comparison().copy()) {
                assertThat(o.comparison().kinds()).as("a re-save changes nothing").isEmpty();
            }
        }
    }

    @Test
    void reportsTheTransform() {
        for (CopyOutcome o : singles.get(DoctoredCopies.Edit.MIRROR)) {
            assertThat(o.comparison().transform().mirrored()).isTrue();
        }
        for (CopyOutcome o : singles.get(DoctoredCopies.Edit.ROTATE)) {
            java.awt.geom.AffineTransform t = o.copy().listingToEvidence();
            double trueDegrees = -Math.toDegrees(Math.atan2(t.getShearY(), t.getScaleX()));
            if (o.comparison().copy()) {
                assertThat(o.comparison().transform().rotationDegrees()).isCloseTo(trueDegrees, org.assertj.core.data.Offset.offset(1.0));
                assertThat(o.comparison().transform().mirrored()).isFalse();
            }
        }
        List<CopyOutcome> all = new ArrayList<>();
        singles.values().forEach(all::addAll);
        for (CopyOutcome o : all) {
            if (o.comparison().copy()) {
                assertThat(o.transformError()).as("%s corner error", o.copy().label()).isLessThan(0.02);
            }
        }
    }

    @Test
    void differentPhotosAreNeverCopies() {
        for (HonestPairs.Pair pair : HonestPairs.differentPhotos()) {
            Comparison c = detector.compare(features.get(pair.listingKey()), features.get(pair.evidenceKey()));
            assertThat(c.copy()).as("%s: %s", pair.label(), c).isFalse();
        }
    }

    @Test
    void anotherPhotoOfTheSameProductIsNotACopy() {
        for (HonestPairs.Pair pair : HonestPairs.sameProduct(4, false)) {
            Comparison c = detector.compare(features.get(pair.listingKey()), features.get(pair.evidenceKey()));
            assertThat(c.copy()).as("%s: %s", pair.label(), c).isFalse();
        }
    }

    /** Re-saved, cropped, resized or mirrored; screenshots in {@link #theOtherMotorcycleViewInAScreenshotIsNotACopy}. */
    @Test
    void theOtherMotorcycleViewIsNotACopyEvenReEdited() {
        for (DoctoredCopies.Edit edit : List.of(DoctoredCopies.Edit.REENCODE, DoctoredCopies.Edit.CROP,
                DoctoredCopies.Edit.RESIZE, DoctoredCopies.Edit.MIRROR)) {
            for (String[] lr : new String[][] {{RealPhotos.MOTORCYCLE_LEFT, RealPhotos.MOTORCYCLE_RIGHT},
                    {RealPhotos.MOTORCYCLE_RIGHT, RealPhotos.MOTORCYCLE_LEFT}}) {
                DoctoredCopies.Copy copy = DoctoredCopies.make(RealPhotos.load(lr[1]), edit, 1.0, 5);
                Comparison c = detector.compare(features.get("photo:" + lr[0]), FeatureExtractor.extract(copy.image()));
                assertThat(c.copy()).as("%s vs %s %s: %s", lr[0], edit, lr[1], c).isFalse();
            }
        }
    }

    /**
     * The other side of the motorcycle in a phone screenshot: shown small, a few loose keypoints
     * fit one similarity and half the thumbnail cells agree by chance (the study's seed 1).
     */
    @Test
    void theOtherMotorcycleViewInAScreenshotIsNotACopy() {
        for (String[] lr : new String[][] {{RealPhotos.MOTORCYCLE_LEFT, RealPhotos.MOTORCYCLE_RIGHT},
                {RealPhotos.MOTORCYCLE_RIGHT, RealPhotos.MOTORCYCLE_LEFT}}) {
            for (long seed : new long[] {1, 5}) {
                DoctoredCopies.Copy copy = DoctoredCopies.make(RealPhotos.load(lr[1]), DoctoredCopies.Edit.SCREENSHOT, 1.0, seed);
                Comparison c = detector.compare(features.get("photo:" + lr[0]), FeatureExtractor.extract(copy.image()));
                assertThat(c.copy()).as("%s vs SCREENSHOT %s #%d: %s", lr[0], lr[1], seed, c).isFalse();
            }
        }
    }

    /**
     * Second shots in the same studio that the study found passing as copies: the backdrop's
     * pixels repeat, the product moved (PHONE #7), or a few loose keypoints on the backdrop and
     * chance agreement (BOOK #10).
     */
    @Test
    void anotherShotInTheSameStudioIsNotACopy() {
        for (Object[] shot : new Object[][] {{SameProductPhotos.Kind.PHONE, 7L}, {SameProductPhotos.Kind.BOOK, 10L}}) {
            SameProductPhotos.Kind kind = (SameProductPhotos.Kind) shot[0];
            long product = (Long) shot[1];
            String one = HonestPairs.productKey(kind, product, 1, true);
            String two = HonestPairs.productKey(kind, product, 2, true);
            for (String[] pair : new String[][] {{one, two}, {two, one}}) {
                Comparison c = detector.compare(features.get(pair[0]), features.get(pair[1]));
                assertThat(c.copy()).as("%s #%d %s vs %s: %s", kind, product, pair[0], pair[1], c).isFalse();
            }
        }
    }

    @Test
    void aCopyOfOneListingIsNotACopyOfAnother() {
        for (DoctoredCopies.Edit edit : DoctoredCopies.Edit.values()) {
            DoctoredCopies.Copy copy = DoctoredCopies.make(RealPhotos.load(RealPhotos.LISTINGS.get(0)), edit, 1.0, SEEDS[0]);
            LocalFeatures evidence = FeatureExtractor.extract(copy.image());
            for (String other : RealPhotos.LISTINGS.subList(1, RealPhotos.LISTINGS.size())) {
                assertThat(detector.compare(features.get("photo:" + other), evidence).copy()).as("%s vs %s", other, edit)
                        .isFalse();
            }
        }
    }

    @Test
    void isDeterministicAndThreadSafe() throws Exception {
        LocalFeatures listing = features.get("photo:photos/astronaut.png");
        LocalFeatures evidence = FeatureExtractor.extract(
                DoctoredCopies.make(RealPhotos.load("photos/astronaut.png"), DoctoredCopies.Edit.STAIN, 1.0, 1).image());
        Comparison first = detector.compare(listing, evidence);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Comparison>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> detector.compare(listing, evidence)));
            }
            for (Future<Comparison> result : results) {
                assertThat(result.get()).isEqualTo(first);
            }
        } finally {
            pool.shutdown();
        }
    }

    private static double caught(List<CopyOutcome> outcomes) {
        return outcomes.stream().filter(o -> o.comparison().copy()).count() / (double) outcomes.size();
    }

    private static List<String> missed(List<CopyOutcome> outcomes) {
        return outcomes.stream().filter(o -> !o.comparison().copy())
                .map(o -> o.copy().label() + " seed " + o.copy().seed() + ": " + o.comparison().reason()).toList();
    }
}
