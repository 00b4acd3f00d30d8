package io.refundguard.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refundguard.alerts.Assessment;
import io.refundguard.events.TestEvents;
import io.refundguard.images.PdqHash;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the verdict counts on, through the whole graph: every request gets exactly as many
 * assessments as each of them says to expect (the plan, summed over the assessors' declared keys),
 * whatever reaches which operator. A pattern operator wired by other keys than its assessor
 * declares, or one the plan does not know, fails here.
 */
class AssessmentPlanJobTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final PdqHash PHOTO = new PdqHash(0x1234_5678_9abc_def0L, 0x0fed_cba9_8765_4321L, 0x1111_2222_3333_4444L,
            0x5555_6666_7777_8888L);
    private static final PdqHash LISTING = new PdqHash(0x0123_4567_89ab_cdefL, 0x7edc_ba98_7654_3210L, 0x2222_4444_6666_8888L,
            0x1357_9bdf_2468_ace0L);

    @TempDir
    static Path dir;

    static Map<String, List<Assessment>> byRequest;

    @BeforeAll
    static void run() throws Exception {
        List<String> events = List.of(
                // Every key there is: the person, a photo, four link attributes, merchant and product.
                request("ALL", "ann", 1).device("d1").payment("c1").address("a1").phone("t1")
                        .image("all", PHOTO.toHex(), 90).json(),
                // The same photo and device from someone else: one cluster, one ring.
                request("SHARE", "bob", 2).device("d1").merchant("M2", "P2").image("share", PHOTO.flip(3).toHex(), 90)
                        .json(),
                // A return: no ring, no burst, but its photo is indexed.
                request("RETURN", "cat", 3).device("d2").returnAndRefund().image("return", PHOTO.flip(90).toHex(), 90)
                        .json(),
                // Nothing but the person, its merchant and its product.
                request("PLAIN", "dan", 4).json(),
                // A photo that a listing published later matches: the late match is an alert, not an assessment.
                request("LATE", "eve", 5).merchant("M7", "P7").image("late", LISTING.flip(11).toHex(), 90).json(),
                TestEvents.decided("tb", "ALL", "APPROVED", true, Duration.ofDays(6)),
                TestEvents.outcome("tb", "PLAIN", "FRAUD", Duration.ofDays(7)),
                // Bob's erasure retracts his request from the cluster, the ring and the bursts: no assessments.
                TestEvents.erased("tb", TestEvents.hash("person:bob"), Duration.ofDays(8)));
        List<String> catalog = List.of(listing("M7", "P7", LISTING, 9));

        byRequest = JobHarness.assessments(JobHarness.config(), 2, dir, events, catalog).stream()
                .collect(Collectors.groupingBy(Assessment::requestId));
    }

    @Test
    void everyRequestGetsExactlyTheAssessmentsItsPlanExpects() {
        assertThat(byRequest).containsOnlyKeys("ALL", "SHARE", "RETURN", "PLAIN", "LATE");
        byRequest.forEach((request, assessments) -> assertThat(assessments).as(request)
                .allSatisfy(a -> assertThat(a.expected()).isEqualTo(assessments.size())));
    }

    @Test
    void thePlanCountsEachAssessorsKeys() {
        // person + cluster + rings + merchant and product
        assertThat(byRequest.get("ALL")).hasSize(1 + 1 + 4 + 2);
        assertThat(byRequest.get("SHARE")).hasSize(1 + 1 + 1 + 2);
        assertThat(byRequest.get("RETURN")).hasSize(1 + 1);
        assertThat(byRequest.get("PLAIN")).hasSize(1 + 2);
        assertThat(byRequest.get("LATE")).hasSize(1 + 1 + 2);
    }

    private static TestEvents.Request request(String requestId, String person, int day) {
        return TestEvents.request("tb", requestId).person(person).after(Duration.ofDays(day));
    }

    private static String listing(String merchant, String product, PdqHash hash, int day) {
        ObjectNode json = TestEvents.JSON.createObjectNode();
        json.put("platform", "tb");
        json.put("merchantId", merchant);
        json.put("productId", product);
        json.put("imageId", "main");
        json.put("pdq", hash.toHex());
        json.put("pdqQuality", 95);
        json.put("occurredAt", TestEvents.at(Duration.ofDays(day)));
        return json.toString();
    }
}
