package io.refundguard.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refundguard.events.Evidence;
import io.refundguard.events.TestEvents;
import io.refundguard.images.EvidenceFingerprinter;
import io.refundguard.images.PhotoAllowList;
import io.refundguard.job.config.RefundGuardConfig;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Doctored listing photos through the whole job, on real photographs: the merchant's photo cropped
 * and painted with a crack, far beyond PDQ's radius, is a CRITICAL listing match that says where
 * it was painted; honest photos of the same products (another viewpoint of the motorcycle, a
 * different photo) and a listing-less request stay quiet; a copy of an allow-listed stock photo
 * is no match at all. The photos are fingerprinted exactly as `fingerprint` does it.
 */
class ListingCopyJobTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    @TempDir
    static Path dir;

    static final EvidenceFingerprinter FINGERPRINTER = new EvidenceFingerprinter();
    // Links next to fingerprints: the detector fetches nothing (a pdq is there), it only passes them on.
    static final String EVIDENCE_URI = "https://img.tb.example/evidence/D1-e1.jpg";
    static final String LISTING_URI = "https://img.tb.example/listing/M1-COFFEE-main.jpg";
    static List<JsonNode> alerts;
    static List<JsonNode> verdicts;
    static int[] crackBox;
    static Evidence coffeeListing;

    @BeforeAll
    static void run() throws Exception {
        BufferedImage coffee = photo("coffee.png");
        BufferedImage cracked = copy(coffee);
        crackBox = paintCrack(cracked);
        BufferedImage doctored = crop(cracked, 0.2, 0.0, 0.05, 0.15);
        coffeeListing = fingerprint("main", coffee);

        List<String> catalog = List.of(
                withUri(listing("M1", "COFFEE", coffeeListing, -5), LISTING_URI),
                listing("M2", "BIKE", fingerprint("main", photo("motorcycle_left.png")), -5),
                listing("M3", "STOCK", fingerprint("main", photo("rocket.jpg")), -5));
        List<String> events = new ArrayList<>();
        events.add(request("D1", "doctor", "M1", "COFFEE", 1, linked(fingerprint("e1", doctored), EVIDENCE_URI)));
        events.add(request("H1", "honest-rider", "M2", "BIKE", 2, fingerprint("e2", photo("motorcycle_right.png"))));
        events.add(request("H2", "honest-cat", "M1", "COFFEE", 3, fingerprint("e3", photo("chelsea.png"))));
        events.add(request("S1", "stock-user", "M3", "STOCK", 4, fingerprint("e4", crop(photo("rocket.jpg"), 0.1, 0.1, 0.1, 0.1))));

        String stockPdq = fingerprint("x", photo("rocket.jpg")).pdq();
        RefundGuardConfig base = JobHarness.config();
        RefundGuardConfig config = base.withRules(base.rules().withPhotoAllowList(new PhotoAllowList(31,
                List.of(new PhotoAllowList.AllowedPhoto("pdq:" + stockPdq, "stock rocket")))));
        var out = JobHarness.run(config, 2, dir, events, catalog);
        alerts = JobHarness.of(out, OutputKind.ALERT, null);
        verdicts = JobHarness.of(out, OutputKind.VERDICT, null);
        assertThat(JobHarness.of(out, OutputKind.DEAD_LETTER, null)).as("dead letters").isEmpty();
    }

    @Test
    void theCroppedAndPaintedListingPhotoIsACriticalMatchThatSaysWhereItWasPainted() {
        JsonNode alert = single("CATALOG_IMAGE_MATCH");
        assertThat(alert.get("severity").asText()).isEqualTo("CRITICAL");
        assertThat(alert.get("trigger").get("requestId").asText()).isEqualTo("D1");
        JsonNode match = alert.get("details").get("listingMatches").get(0);
        assertThat(match.get("matchedBy").asText()).isEqualTo("LOCAL_COMPARISON");
        assertThat(match.get("merchantsOwnProductPhoto").asBoolean()).isTrue();
        assertThat(match.get("listingSize").get("width").asInt()).isEqualTo(600);
        assertThat(match.get("changes")).extracting(JsonNode::asText).contains("CONTENT_ADDED", "CROPPED");
        assertThat(match.get("changedShare").asDouble()).isBetween(0.001, 0.25);
        // Some changed region lies on the painted crack, in the listing photo's pixels.
        boolean onTheCrack = false;
        for (JsonNode box : match.get("changedRegions")) {
            int x = box.get("x").asInt();
            int y = box.get("y").asInt();
            onTheCrack |= x < crackBox[2] && x + box.get("width").asInt() > crackBox[0]
                    && y < crackBox[3] && y + box.get("height").asInt() > crackBox[1];
        }
        assertThat(onTheCrack).as("regions %s vs crack %s", match.get("changedRegions"), List.of(crackBox[0], crackBox[1],
                crackBox[2], crackBox[3])).isTrue();
        assertThat(verdict("D1").get("recommendedAction").asText()).isEqualTo("REJECT_AND_REPORT");
    }

    @Test
    void theMatchCarriesTheLinksOfTheEvidenceAndTheListingPhoto() {
        JsonNode match = single("CATALOG_IMAGE_MATCH").get("details").get("listingMatches").get(0);
        assertThat(match.get("imageId").asText()).isEqualTo("e1");
        assertThat(match.get("evidenceUri").asText()).isEqualTo(EVIDENCE_URI);
        assertThat(match.get("listingUri").asText()).isEqualTo(LISTING_URI);
    }

    @Test
    void honestPhotosOfTheSameProductsAndAnAllowListedStockPhotoRaiseNothing() {
        for (String honest : List.of("H1", "H2", "S1")) {
            assertThat(alerts).as("alerts triggered by %s", honest)
                    .noneMatch(a -> a.get("trigger").get("requestId").asText().equals(honest));
            assertThat(verdict(honest).get("reasons")).as("reasons of %s", honest).isEmpty();
        }
        assertThat(alerts).hasSize(1);
    }

    private static JsonNode single(String pattern) {
        List<JsonNode> found = alerts.stream().filter(a -> a.get("pattern").asText().equals(pattern)).toList();
        assertThat(found).as("alerts %s", alerts).hasSize(1);
        return found.get(0);
    }

    private static JsonNode verdict(String requestId) {
        return verdicts.stream().filter(v -> v.get("requestId").asText().equals(requestId)).findFirst().orElseThrow();
    }

    static BufferedImage photo(String name) throws IOException {
        try (InputStream in = ListingCopyJobTest.class.getResourceAsStream("/photos/" + name)) {
            return ImageIO.read(in);
        }
    }

    static BufferedImage copy(BufferedImage image) {
        BufferedImage copy = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = copy.createGraphics();
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return copy;
    }

    /** A dark jagged crack across the middle; returns its box {x0, y0, x1, y1}. */
    static int[] paintCrack(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(20, 15, 10));
        g.setStroke(new BasicStroke(4f));
        int w = image.getWidth();
        int h = image.getHeight();
        int[] xs = {w * 35 / 100, w * 42 / 100, w * 47 / 100, w * 55 / 100, w * 61 / 100};
        int[] ys = {h * 40 / 100, h * 48 / 100, h * 45 / 100, h * 56 / 100, h * 60 / 100};
        g.drawPolyline(xs, ys, xs.length);
        g.dispose();
        return new int[] {xs[0], h * 40 / 100, xs[4], h * 60 / 100};
    }

    static BufferedImage crop(BufferedImage image, double left, double top, double right, double bottom) {
        int x = (int) (image.getWidth() * left);
        int y = (int) (image.getHeight() * top);
        int w = image.getWidth() - x - (int) (image.getWidth() * right);
        int h = image.getHeight() - y - (int) (image.getHeight() * bottom);
        return copy(image.getSubimage(x, y, w, h));
    }

    static Evidence fingerprint(String imageId, BufferedImage image) throws Exception {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", png);
        return FINGERPRINTER.fingerprint(imageId, png.toByteArray());
    }

    static String request(String requestId, String person, String merchant, String product, int day, Evidence evidence) {
        ObjectNode json = TestEvents.request("tb", requestId).person(person).after(Duration.ofDays(day))
                .merchant(merchant, product).node();
        ArrayNode items = json.putArray("evidence");
        items.add(TestEvents.JSON.valueToTree(evidence));
        return json.toString();
    }

    static Evidence linked(Evidence photo, String uri) {
        return new Evidence(photo.imageId(), photo.sha256(), uri, photo.pdq(), photo.pdqQuality(), photo.provenance(),
                photo.localFeatures(), null);
    }

    static String withUri(String listingJson, String uri) throws IOException {
        ObjectNode json = (ObjectNode) TestEvents.JSON.readTree(listingJson);
        json.put("uri", uri);
        return json.toString();
    }

    static String listing(String merchant, String product, Evidence photo, int day) {
        ObjectNode json = TestEvents.JSON.createObjectNode();
        json.put("platform", "tb");
        json.put("merchantId", merchant);
        json.put("productId", product);
        json.put("imageId", photo.imageId());
        json.put("pdq", photo.pdq());
        json.put("pdqQuality", photo.pdqQuality());
        json.set("localFeatures", TestEvents.JSON.valueToTree(photo.localFeatures()));
        json.put("occurredAt", TestEvents.at(Duration.ofDays(day)));
        return json.toString();
    }
}
