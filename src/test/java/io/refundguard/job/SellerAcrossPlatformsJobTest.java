package io.refundguard.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.refundguard.events.TestEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
        requests = events.size();
        events.sort(Comparator.comparing(json -> json.substring(json.indexOf("occurredAt"))));
        var out = JobHarness.run(JobHarness.config(), 2, dir, events);
        alerts = JobHarness.of(out, OutputKind.ALERT, null);
        jdAlerts = JobHarness.of(out, OutputKind.ALERT, "jd");
        verdicts = JobHarness.of(out, OutputKind.VERDICT, null);
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
        assertThat(alerts.stream().map(a -> a.get("pattern").asText() + " " + a.get("subject").get("kind").asText()
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
            } else if (id.startsWith("UNLINKED")) {
                assertThat(v.get("reasons")).as(id).isEmpty();
            }
        }
    }
}
