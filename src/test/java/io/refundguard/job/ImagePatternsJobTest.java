package io.refundguard.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refundguard.events.TestEvents;
import io.refundguard.images.PdqHash;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image patterns end to end, over a data set with exactly known fraud: one fake photo shared by
 * three persons on three platforms, one person reusing a photo on two platforms, doctored listing
 * photos (one published only after the request), AI-labelled evidence, and honest buyers whose
 * own photos of the same product differ. Exactly those alerts, and nothing for the honest.
 */
class ImagePatternsJobTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    @TempDir
    static Path dir;

    static final Random RANDOM = new Random(2026);
    static final PdqHash SHARED = random();
    static final PdqHash SELF = random();
    static final PdqHash LISTING = random();
    static final PdqHash LATE_LISTING = random();
    static List<JsonNode> alerts;
    static List<JsonNode> verdicts;

    static final String D1_URI = "https://img.tb.example/evidence/D1-d1.jpg";
    static final String D2_URI = "https://img.jd.example/evidence/D2-d2.jpg";

    @BeforeAll
    static void run() throws Exception {
        List<String> events = new ArrayList<>();
        // Shared fake photo: persons A, B, C on tb, jd, pdd, each copy recompressed (a few bits off).
        events.add(request("tb", "A1", "A", 1).merchant("M1", "P1").image("a", flip(SHARED, 0, 3), 90).json());
        events.add(request("jd", "B1", "B", 2).merchant("M2", "P2").image("b", flip(SHARED, 40, 6), 88).json());
        events.add(request("pdd", "C1", "C", 3).merchant("M3", "P3").image("c", flip(SHARED, 100, 9), 85).json());
        // One person, one photo, two platforms, two orders.
        events.add(linked(request("tb", "D1", "D", 4).image("d1", SELF.toHex(), 92), D1_URI).json());
        events.add(linked(request("jd", "D2", "D", 5).image("d2", flip(SELF, 7, 3), 90), D2_URI).json());
        // The merchant's listing photo with damage painted on.
        events.add(request("tb", "E1", "E", 6).merchant("M9", "P9").image("e", flip(LISTING, 200, 5), 80).json());
        // Evidence first; the listing photo it came from is published two days later.
        events.add(request("jd", "F1", "F", 7).merchant("M7", "P7").image("f", flip(LATE_LISTING, 11, 4), 80).json());
        // AI-labelled (GB 45438-2025 implicit label "1") and C2PA generative evidence.
        events.add(withProvenance(request("tb", "G1", "G", 8).image("g", random().toHex(), 90), aigcLabel("1")).json());
        events.add(withProvenance(request("dy", "H1", "H", 9).image("h", random().toHex(), 90), c2paTrained()).json());
        // AI-labelled evidence on four requests 40 days apart: 4 x 900 CNY suspect, above 3,000.
        for (int i = 0; i < 4; i++) {
            events.add(withProvenance(request(i % 2 == 0 ? "tb" : "jd", "K" + i, "K", 10 + 40 * i).amount("900.00")
                    .image("k" + i, random().toHex(), 90), aigcLabel("2")).json());
        }
        // Honest buyers of the merchant's product: their own photos, all different.
        for (int i = 0; i < 5; i++) {
            events.add(request(i % 2 == 0 ? "tb" : "jd", "HON" + i, "honest" + i, 12 + i).merchant("M9", "P9")
                    .image("h" + i, random().toHex(), 90).json());
        }
        List<String> catalog = List.of(
                listing("tb", "M9", "P9", "main", LISTING, -10),
                listing("jd", "M7", "P7", "main", LATE_LISTING, 9));

        var out = JobHarness.run(JobHarness.config(), 2, dir, events, catalog);
        alerts = JobHarness.of(out, OutputKind.ALERT, null);
        verdicts = JobHarness.of(out, OutputKind.VERDICT, null);
    }

    @Test
    void raisesExactlyTheExpectedAlerts() {
        Map<String, List<String>> byPattern = new TreeMap<>();
        for (JsonNode alert : alerts) {
            byPattern.computeIfAbsent(alert.get("pattern").asText(), p -> new ArrayList<>())
                    .add(alert.get("trigger").get("requestId").asText() + "/" + alert.get("severity").asText());
        }
        assertThat(byPattern).containsOnlyKeys("IMAGE_REUSE", "CATALOG_IMAGE_MATCH", "AI_GENERATED_EVIDENCE", "AMOUNT_TIER");
        assertThat(byPattern.get("IMAGE_REUSE")).containsExactlyInAnyOrder("B1/HIGH", "C1/CRITICAL", "D2/HIGH");
        assertThat(byPattern.get("CATALOG_IMAGE_MATCH")).containsExactlyInAnyOrder("E1/CRITICAL", "F1/CRITICAL");
        // K's requests are 40 days apart, beyond the 7-day cooldown: each is alerted again.
        assertThat(byPattern.get("AI_GENERATED_EVIDENCE")).containsExactlyInAnyOrder(
                "G1/CRITICAL", "H1/CRITICAL", "K0/HIGH", "K1/HIGH", "K2/HIGH", "K3/HIGH");
        assertThat(byPattern.get("AMOUNT_TIER")).containsExactly("K3/HIGH");
    }

    @Test
    void aReusedPhotoCarriesTheLinksOfBothPhotosForTheReviewer() {
        JsonNode reuse = alerts.stream()
                .filter(a -> a.get("pattern").asText().equals("IMAGE_REUSE")
                        && a.get("trigger").get("requestId").asText().equals("D2"))
                .findFirst().orElseThrow();
        JsonNode reused = reuse.get("details").get("reused").get(0);
        assertThat(reused.get("imageId").asText()).isEqualTo("d2");
        assertThat(reused.get("evidenceUri").asText()).isEqualTo(D2_URI);
        assertThat(reused.get("earlierImageId").asText()).isEqualTo("d1");
        assertThat(reused.get("earlierUri").asText()).as("from the person's history").isEqualTo(D1_URI);
    }

    /** The platform's link to the request's last photo, next to its fingerprint. */
    static TestEvents.Request linked(TestEvents.Request request, String uri) {
        JsonNode images = request.node().get("evidence");
        ((ObjectNode) images.get(images.size() - 1)).put("uri", uri);
        return request;
    }

    @Test
    void aSharedPhotoIsOneCaseThatGrowsNotOneAlertPerPair() {
        List<JsonNode> shared = alerts.stream()
                .filter(a -> a.get("subject").get("kind").asText().equals("IMAGE"))
                .toList();
        assertThat(shared).hasSize(2);
        assertThat(shared).extracting(a -> a.get("subject").get("key").asText()).containsOnly(
                shared.get(0).get("subject").get("key").asText());
        JsonNode grown = shared.stream().filter(a -> a.get("severity").asText().equals("CRITICAL")).findFirst().orElseThrow();
        assertThat(grown.get("requests")).hasSize(3);
        assertThat(grown.get("platforms")).extracting(JsonNode::asText).containsExactly("jd", "pdd", "tb");
        assertThat(grown.get("details").get("persons").asInt()).isEqualTo(3);
    }

    @Test
    void listingMatchesNameTheListingPhotoAndTheDistance() {
        JsonNode doctored = alerts.stream()
                .filter(a -> a.get("pattern").asText().equals("CATALOG_IMAGE_MATCH")
                        && a.get("trigger").get("requestId").asText().equals("E1"))
                .findFirst().orElseThrow();
        JsonNode match = doctored.get("details").get("listingMatches").get(0);
        assertThat(match.get("listingImage").asText()).isEqualTo("tb:M9:P9:main");
        assertThat(match.get("distance").asInt()).isEqualTo(5);
        assertThat(match.get("merchantsOwnProductPhoto").asBoolean()).isTrue();

        JsonNode late = alerts.stream()
                .filter(a -> a.get("pattern").asText().equals("CATALOG_IMAGE_MATCH")
                        && a.get("trigger").get("requestId").asText().equals("F1"))
                .findFirst().orElseThrow();
        assertThat(late.get("details").get("listingMatches").get(0).get("listingPublishedAfterRequest").asBoolean()).isTrue();
    }

    @Test
    void honestBuyersGetNoAlertAndAllowVerdicts() {
        assertThat(alerts).noneMatch(a -> a.toString().contains("HON"));
        List<JsonNode> honest = verdicts.stream().filter(v -> v.get("requestId").asText().startsWith("HON")).toList();
        assertThat(honest).hasSize(5).allSatisfy(v -> {
            assertThat(v.get("riskScore").asInt()).isZero();
            assertThat(v.get("recommendedAction").asText()).isEqualTo("ALLOW");
        });
    }

    @Test
    void everyRequestGetsOneVerdictCarryingItsImageReasons() {
        Map<String, JsonNode> byRequest = verdicts.stream()
                .collect(Collectors.toMap(v -> v.get("requestId").asText(), v -> v));
        assertThat(byRequest).hasSize(verdicts.size()).hasSize(18);
        assertThat(reasons(byRequest.get("C1"))).contains("IMAGE_REUSE");
        assertThat(reasons(byRequest.get("E1"))).contains("CATALOG_IMAGE_MATCH");
        assertThat(byRequest.get("E1").get("recommendedAction").asText()).isEqualTo("REJECT_AND_REPORT");
        assertThat(reasons(byRequest.get("G1"))).contains("AI_GENERATED_EVIDENCE");
        assertThat(reasons(byRequest.get("K3"))).contains("AI_GENERATED_EVIDENCE", "AMOUNT_TIER");
        // The first use of the shared photo had nothing to match yet.
        assertThat(byRequest.get("A1").get("riskScore").asInt()).isZero();
    }

    private static List<String> reasons(JsonNode verdict) {
        List<String> codes = new ArrayList<>();
        verdict.get("reasons").forEach(r -> codes.add(r.get("pattern").asText()));
        return codes;
    }

    private static TestEvents.Request request(String platform, String requestId, String person, int day) {
        return TestEvents.request(platform, requestId).person(person).after(Duration.ofDays(day));
    }

    private static TestEvents.Request withProvenance(TestEvents.Request request, ObjectNode provenance) {
        ((ObjectNode) request.node().get("evidence").get(0)).set("provenance", provenance);
        return request;
    }

    private static ObjectNode aigcLabel(String label) {
        ObjectNode provenance = TestEvents.JSON.createObjectNode();
        ObjectNode aigc = provenance.putObject("aigc");
        aigc.put("label", label);
        aigc.put("contentProducer", "001191110108MA01KP2T8U00000");
        return provenance;
    }

    private static ObjectNode c2paTrained() {
        ObjectNode provenance = TestEvents.JSON.createObjectNode();
        ObjectNode c2pa = provenance.putObject("c2pa");
        c2pa.put("present", true);
        c2pa.putArray("digitalSourceTypes").add("http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia");
        return provenance;
    }

    private static String listing(String platform, String merchant, String product, String imageId, PdqHash hash, int day) {
        ObjectNode json = TestEvents.JSON.createObjectNode();
        json.put("platform", platform);
        json.put("merchantId", merchant);
        json.put("productId", product);
        json.put("imageId", imageId);
        json.put("pdq", hash.toHex());
        json.put("pdqQuality", 95);
        json.put("occurredAt", TestEvents.at(Duration.ofDays(day)));
        return json.toString();
    }

    private static PdqHash random() {
        return new PdqHash(RANDOM.nextLong(), RANDOM.nextLong(), RANDOM.nextLong(), RANDOM.nextLong());
    }

    /** A copy with {@code count} bits flipped, spread from {@code from}: a recompressed or doctored copy. */
    private static String flip(PdqHash hash, int from, int count) {
        PdqHash copy = hash;
        for (int i = 0; i < count; i++) {
            copy = copy.flip((from + i * 17) % 256);
        }
        return copy.toHex();
    }
}
