package io.refundguard.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refundguard.events.TestEvents;
import io.refundguard.images.PdqHash;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One seller across platforms, end to end: a ring files 36 refund-only claims in 90 minutes
 * against one seller's shops on four platforms, nine a shop. With the seller's
 * {@code merchantIdentityHash} that is one MERCHANT_BURST about the seller; the same ring against
 * shops sent without one stays under every shop's floor, and a burst at one shop without an
 * identity alerts per shop as before.
 */
class SellerAcrossPlatformsJobTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    private static final String[] PLATFORMS = {"tb", "jd", "pdd", "dy"};
    private static final String SELLER = TestEvents.sellerHash("acme");
    private static final Random RANDOM = new Random(14);
    private static final PdqHash SELLERS_LISTING = new PdqHash(RANDOM.nextLong(), RANDOM.nextLong(), RANDOM.nextLong(), RANDOM.nextLong());
    private static final PdqHash OTHERS_LISTING = new PdqHash(RANDOM.nextLong(), RANDOM.nextLong(), RANDOM.nextLong(), RANDOM.nextLong());
    private static final PdqHash SELLERS_OTHER_LISTING =
            new PdqHash(RANDOM.nextLong(), RANDOM.nextLong(), RANDOM.nextLong(), RANDOM.nextLong());

    @TempDir
    static Path dir;

    static List<JsonNode> alerts;
    static List<JsonNode> jdAlerts;
    static List<JsonNode> verdicts;
    static int requests;

    @BeforeAll
    static void run() throws Exception {
        List<String> events = new ArrayList<>();
        ring(events, "LINKED", "acme", Duration.ZERO);
        ring(events, "UNLINKED", null, Duration.ofDays(2));
        // 40 claims at one shop without an identity, as before: a burst of that shop.
        for (int i = 0; i < 40; i++) {
            events.add(TestEvents.request("dy", "SHOP" + i).person("shop-" + i).merchant("QUIET", "X1")
                    .after(Duration.ofDays(4).plusMinutes(i * 2L)).json());
        }
        // Evidence copied from listing photos: of the same seller on jd, of another seller on pdd.
        // Each evidence photo copies a listing photo of its own, so no two requests share a photo.
        List<String> catalog = List.of(
                listing("jd", "LINKED-jd", "acme", "L1", SELLERS_LISTING),
                listing("jd", "LINKED-jd", "acme", "L2", SELLERS_OTHER_LISTING),
                listing("pdd", "OTHER-pdd", "other", "L1", OTHERS_LISTING));
        events.add(TestEvents.request("tb", "COPY1").person("copy-1").merchant("LINKED-tb", "P1").seller("acme")
                .image("e1", flip(SELLERS_LISTING), 90).after(Duration.ofDays(6)).json());
        events.add(TestEvents.request("tb", "COPY2").person("copy-2").merchant("LINKED-tb", "P1").seller("acme")
                .image("e2", flip(OTHERS_LISTING), 90).after(Duration.ofDays(6).plusHours(1)).json());
        events.add(TestEvents.request("tb", "COPY3").person("copy-3").merchant("PLAIN-tb", "P1")
                .image("e3", flip(SELLERS_OTHER_LISTING), 90).after(Duration.ofDays(6).plusHours(2)).json());
        // A photo too featureless to match, and nothing else.
        events.add(TestEvents.request("jd", "BLUR1").person("blur-1").merchant("PLAIN-jd", "P1")
                .image("b1", TestEvents.hash("pdq:blurred"), 20).after(Duration.ofDays(7)).json());
        requests = events.size();
        events.sort(Comparator.comparing(json -> json.substring(json.indexOf("occurredAt"))));
        var out = JobHarness.run(JobHarness.config(), 2, dir, events, catalog);
        alerts = JobHarness.of(out, OutputKind.ALERT, null);
        jdAlerts = JobHarness.of(out, OutputKind.ALERT, "jd");
        verdicts = JobHarness.of(out, OutputKind.VERDICT, null);
    }

    private static String listing(String platform, String merchant, String seller, String product, PdqHash hash) {
        ObjectNode json = TestEvents.JSON.createObjectNode();
        json.put("platform", platform);
        json.put("merchantId", merchant);
        json.put("merchantIdentityHash", TestEvents.sellerHash(seller));
        json.put("productId", product);
        json.put("imageId", "main");
        json.put("pdq", hash.toHex());
        json.put("pdqQuality", 95);
        json.put("occurredAt", TestEvents.at(Duration.ofDays(-10)));
        return json.toString();
    }

    /** A doctored copy: a few bits of the hash flipped. */
    private static String flip(PdqHash hash) {
        PdqHash copy = hash;
        for (int i = 0; i < 6; i++) {
            copy = copy.flip(i * 37);
        }
        return copy.toHex();
    }

    /** 36 claims by distinct persons within 90 minutes, in turn at the shops {@code <prefix>-<platform>}. */
    private static void ring(List<String> events, String prefix, String seller, Duration start) {
        for (int i = 0; i < 36; i++) {
            String platform = PLATFORMS[i % PLATFORMS.length];
            TestEvents.Request request = TestEvents.request(platform, prefix + i).person(prefix + "-buyer-" + i)
                    .merchant(prefix + "-" + platform, "P1").after(start.plusSeconds(150L * i));
            events.add((seller == null ? request : request.seller(seller)).json());
        }
    }

    @Test
    void theLinkedRingIsOneBurstOfTheSellerAndNothingElseAlerts() {
        assertThat(alerts.stream().map(a -> a.get("pattern").asText()).distinct())
                .containsExactlyInAnyOrder("MERCHANT_BURST", "CATALOG_IMAGE_MATCH");
        assertThat(alerts.stream().filter(a -> a.get("pattern").asText().equals("MERCHANT_BURST")).map(a -> a.get("pattern").asText() + " " + a.get("subject").get("kind").asText()
                + ":" + a.get("subject").get("key").asText()).collect(Collectors.toList()))
                .containsExactlyInAnyOrder(
                        "MERCHANT_BURST MERCHANT:" + SELLER,
                        "MERCHANT_BURST MERCHANT:merchant:dy:QUIET",
                        "MERCHANT_BURST MERCHANT:product:dy:QUIET:X1");
        JsonNode burst = alerts.stream().filter(a -> a.get("subject").get("key").asText().equals(SELLER))
                .findFirst().orElseThrow();
        assertThat(burst.get("platforms")).extracting(JsonNode::asText).containsExactly("dy", "jd", "pdd", "tb");
        assertThat(burst.get("requests")).hasSize(20)
                .allSatisfy(r -> assertThat(r.get("requestId").asText()).startsWith("LINKED"));
        JsonNode details = burst.get("details");
        assertThat(details.get("merchantIdentityHash").asText()).isEqualTo(SELLER);
        assertThat(details.get("requestsByPlatform").toString()).isEqualTo("{\"dy\":5,\"jd\":5,\"pdd\":5,\"tb\":5}");
        assertThat(details.has("merchantId")).isFalse();
    }

    @Test
    void evidenceCopiedFromTheSellersOwnListingOnAnotherPlatformIsItsOwnPhoto() {
        assertThat(alerts.stream().filter(a -> a.get("pattern").asText().equals("CATALOG_IMAGE_MATCH"))
                .map(a -> a.get("trigger").get("requestId").asText() + "/" + a.get("severity").asText()
                        + "/" + a.get("details").path("sameSeller").asBoolean()))
                // The seller's jd listing photo as evidence against its tb shop: its own photo
                // (sameSellerSeverity, CRITICAL); another seller's listing, or a shop without an
                // identity, as before: another shop's listing (HIGH).
                .containsExactlyInAnyOrder("COPY1/CRITICAL/true", "COPY2/HIGH/false", "COPY3/HIGH/false");
        JsonNode own = alerts.stream().filter(a -> a.get("trigger").get("requestId").asText().equals("COPY1"))
                .findFirst().orElseThrow();
        JsonNode match = own.get("details").get("listingMatches").get(0);
        assertThat(match.get("listingImage").asText()).isEqualTo("jd:LINKED-jd:L1:main");
        assertThat(match.get("sellersOwnPhoto").asBoolean()).isTrue();
        assertThat(match.get("merchantsOwnProductPhoto").asBoolean()).isFalse();
    }

    @Test
    void aFeaturelessPhotoAloneAsksForALivePhoto() {
        JsonNode blurred = verdicts.stream().filter(v -> v.get("requestId").asText().equals("BLUR1")).findFirst().orElseThrow();
        assertThat(blurred.get("reasons")).extracting(r -> r.get("pattern").asText()).containsExactly("EVIDENCE_LOW_QUALITY");
        assertThat(blurred.get("recommendedAction").asText()).isEqualTo("REQUEST_LIVE_CAPTURE");
    }

    @Test
    void eachPlatformsViewShowsItsOwnClaimsInFullAndTheOthersAsCounts() {
        JsonNode view = jdAlerts.stream().filter(a -> a.get("subject").get("key").asText().equals(SELLER))
                .findFirst().orElseThrow();
        assertThat(view.get("requests")).hasSize(5).allSatisfy(r -> assertThat(r.get("platform").asText()).isEqualTo("jd"));
        assertThat(view.get("otherPlatforms")).extracting(p -> p.get("platform").asText() + "=" + p.get("requestCount").asInt())
                .containsExactly("dy=5", "pdd=5", "tb=5");
        assertThat(view.toString()).doesNotContain("LINKED0").doesNotContain("LINKED-buyer-0");
    }

    @Test
    void theSellersClaimsFromTheTwentiethOnCarryTheBurstAndTheUnlinkedOnesNothing() {
        assertThat(verdicts).hasSize(requests);
        for (JsonNode v : verdicts) {
            String id = v.get("requestId").asText();
            boolean burst = v.get("reasons").toString().contains("MERCHANT_BURST");
            if (id.startsWith("LINKED")) {
                assertThat(burst).as(id).isEqualTo(Integer.parseInt(id.substring("LINKED".length())) >= 19);
            } else if (id.startsWith("UNLINKED") || id.startsWith("SHOP")) {
                assertThat(burst).as(id).isEqualTo(id.startsWith("SHOP") && Integer.parseInt(id.substring(4)) >= 19);
            }
            if (id.startsWith("UNLINKED")) {
                assertThat(v.get("reasons")).as(id).isEmpty();
            }
        }
    }
}
