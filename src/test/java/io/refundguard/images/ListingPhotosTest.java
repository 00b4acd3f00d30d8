package io.refundguard.images;

import static io.refundguard.events.TestEvents.hash;
import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.events.CatalogImage;
import io.refundguard.events.LocalFeatures;
import io.refundguard.eventtime.StateTtl;
import io.refundguard.images.compare.FeatureExtractor;
import io.refundguard.images.index.IndexEntry;
import io.refundguard.images.index.IndexLookup;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The listing photos of one product: versions for the photo index, and the local comparison of
 * each evidence photo naming the product with its newest photos, in event time.
 */
class ListingPhotosTest {
    private static final String PRODUCT = "tb:M1:P1";
    private static final long T0 = 1_790_000_000_000L;
    private static LocalFeatures coffee;
    private static LocalFeatures croppedCoffee;
    private static LocalFeatures chelsea;
    private static LocalFeatures rocket;

    private KeyedOneInputStreamOperatorTestHarness<String, ListingInput, IndexEntry> harness;

    @BeforeAll
    static void features() throws IOException {
        BufferedImage photo = photo("coffee.png");
        coffee = FeatureExtractor.extract(photo);
        croppedCoffee = FeatureExtractor.extract(crop(photo, 0.2));
        chelsea = FeatureExtractor.extract(photo("chelsea.png"));
        rocket = FeatureExtractor.extract(photo("rocket.jpg"));
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private void open(int maxListingPhotos) throws Exception {
        ImageSettings settings = new ImageSettings(31, 50, Duration.ofDays(90), Duration.ofDays(730), Duration.ofDays(2),
                maxListingPhotos);
        harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                new ListingPhotos(settings, StateTtl.PROCESSING_TIME)), ListingInput::productKey, Types.STRING);
        harness.open();
    }

    @Test
    void aCroppedCopyOfTheProductsPhotoIsACopyAndAnotherPhotoIsNot() throws Exception {
        open(20);
        listing("main", "pdq:a", coffee, 0);
        query("R1", 10, croppedCoffee, chelsea);
        harness.processWatermark(T0 + 10);

        List<ProbeResult> answers = answers();
        assertThat(answers).extracting(ProbeResult::probeId)
                .containsExactly("tb:R1:e0" + ListingPhotos.PROBE_SUFFIX, "tb:R1:e1" + ListingPhotos.PROBE_SUFFIX);
        ProbeResult copy = answers.get(0);
        assertThat(copy.requestKey()).isEqualTo("tb:R1");
        assertThat(copy.comparedWith()).containsExactly("tb:M1:P1:main");
        assertThat(copy.matches()).singleElement().satisfies(match -> {
            assertThat(match.matched().imageKey()).isEqualTo("tb:M1:P1:main");
            assertThat(match.distance()).as("evidence sent without a hash").isEqualTo(-1);
            assertThat(match.copy().listingWidth()).isEqualTo(coffee.width());
            assertThat(match.copy().changes()).contains("CROPPED");
        });
        ProbeResult honest = answers.get(1);
        assertThat(honest.comparedWith()).containsExactly("tb:M1:P1:main");
        assertThat(honest.matches()).isEmpty();
    }

    @Test
    void eachNewVersionReplacesTheOneFiledBeforeAndATombstoneEndsIt() throws Exception {
        open(20);
        String first = hash("pdq:first");
        String second = hash("pdq:second");
        harness.processElement(ListingInput.of(new CatalogImage("tb", "M1", "P1", "main", first, 100, T0, false)), T0);
        harness.processElement(ListingInput.of(new CatalogImage("tb", "M1", "P1", "main", second, 100, T0 + 5, false)), T0 + 5);
        harness.processElement(ListingInput.of(new CatalogImage("tb", "M1", "P1", "main", null, 0, T0 + 9, true)), T0 + 9);
        harness.processWatermark(T0 + 9);

        List<IndexEntry> entries = harness.extractOutputValues();
        assertThat(entries).extracting(IndexEntry::remove, e -> e.image().w0(), IndexEntry::at).containsExactly(
                org.assertj.core.groups.Tuple.tuple(false, indexedW0(first), T0),
                org.assertj.core.groups.Tuple.tuple(true, indexedW0(first), T0 + 5),
                org.assertj.core.groups.Tuple.tuple(false, indexedW0(second), T0 + 5),
                org.assertj.core.groups.Tuple.tuple(true, indexedW0(second), T0 + 9));
        // Each filed version is also looked up: evidence submitted before it may be its copy.
        assertThat(harness.getSideOutput(ListingPhotos.LOOKUPS)).extracting(r -> r.getValue().image().w0())
                .containsExactly(indexedW0(first), indexedW0(second));

        query("R2", 20, croppedCoffee);
        harness.processWatermark(T0 + 20);
        assertThat(answers()).singleElement().satisfies(a -> assertThat(a.comparedWith()).isEmpty());
    }

    @Test
    void comparesOnlyWithTheNewestPhotosUpToTheLimit() throws Exception {
        open(2);
        listing("old", "pdq:old", coffee, 0);
        listing("newer", "pdq:newer", chelsea, 1);
        listing("newest", "pdq:newest", rocket, 2);
        query("R3", 10, croppedCoffee);
        harness.processWatermark(T0 + 10);

        // The coffee photo is the oldest of three and the limit is two: not compared, not found.
        assertThat(answers()).singleElement().satisfies(a -> {
            assertThat(a.comparedWith()).containsExactly("tb:M1:P1:newest", "tb:M1:P1:newer");
            assertThat(a.matches()).isEmpty();
        });
    }

    @Test
    void aListingPublishedAfterTheRequestIsNotComparedWithIt() throws Exception {
        open(20);
        query("R4", 5, croppedCoffee);
        listing("main", "pdq:late", coffee, 10);
        harness.processWatermark(T0 + 10);

        assertThat(answers()).singleElement().satisfies(a -> assertThat(a.comparedWith()).isEmpty());
    }

    private void listing(String imageId, String pdqSeed, LocalFeatures features, long at) throws Exception {
        CatalogImage listing = new CatalogImage("tb", "M1", "P1", imageId, hash(pdqSeed), 100, T0 + at, false)
                .fingerprinted(hash(pdqSeed), 100, features);
        harness.processElement(ListingInput.of(listing), T0 + at);
    }

    private void query(String requestId, long at, LocalFeatures... photos) throws Exception {
        List<ListingQuery.Photo> sent = new java.util.ArrayList<>();
        for (int i = 0; i < photos.length; i++) {
            IndexedImage image = new IndexedImage(ImageOrigin.EVIDENCE, "tb:" + requestId + ":e" + i, "person-1", "tb",
                    0, 0, 0, 0, 0, T0 + at);
            sent.add(new ListingQuery.Photo(image, photos[i]));
        }
        ListingQuery query = new ListingQuery("tb:" + requestId, PRODUCT, T0 + at, requestId, List.copyOf(sent));
        harness.processElement(ListingInput.of(query), T0 + at);
    }

    private List<ProbeResult> answers() {
        return harness.getSideOutput(ListingPhotos.ANSWERS) == null ? List.of()
                : harness.getSideOutput(ListingPhotos.ANSWERS).stream().map(StreamRecord::getValue).toList();
    }

    private static long indexedW0(String pdq) {
        return CatalogProbes.indexed(new CatalogImage("tb", "M1", "P1", "x", pdq, 100, T0, false)).w0();
    }

    static BufferedImage photo(String name) throws IOException {
        try (InputStream in = ListingPhotosTest.class.getResourceAsStream("/photos/" + name)) {
            return ImageIO.read(in);
        }
    }

    /** The middle of the photo, {@code cut} of each side removed. */
    static BufferedImage crop(BufferedImage photo, double cut) {
        int x = (int) (photo.getWidth() * cut);
        int y = (int) (photo.getHeight() * cut);
        BufferedImage out = new BufferedImage(photo.getWidth() - 2 * x, photo.getHeight() - 2 * y, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(photo, -x, -y, null);
        g.dispose();
        return out;
    }
}
