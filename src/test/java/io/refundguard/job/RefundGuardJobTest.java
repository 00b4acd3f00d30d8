package io.refundguard.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.refundguard.events.TestEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The whole job graph on a MiniCluster, over small hand-made streams. */
class RefundGuardJobTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    @TempDir
    Path dir;

    @Test
    void serialRefunderAcrossPlatformsIsFlaggedAndEscalates() throws Exception {
        List<String> lines = new ArrayList<>();
        String[] platforms = {"tb", "jd", "pdd", "tb", "jd", "pdd", "tb", "jd"};
        for (int i = 0; i < platforms.length; i++) {
            lines.add(TestEvents.request(platforms[i], "R" + i).person("serial").amount("300.00").after(Duration.ofDays(i)).json());
        }
        var out = JobHarness.run(JobHarness.config(), 2, dir, lines);

        List<JsonNode> alerts = JobHarness.of(out, OutputKind.ALERT, null);
        assertThat(alerts).extracting(a -> a.get("severity").asText()).containsExactlyInAnyOrder("HIGH", "CRITICAL");
        JsonNode first = alerts.stream().filter(a -> a.get("severity").asText().equals("HIGH")).findFirst().orElseThrow();
        assertThat(first.get("trigger").get("requestId").asText()).isEqualTo("R3");
        assertThat(first.get("requests")).hasSize(4);
        assertThat(first.get("platforms")).extracting(JsonNode::asText).containsExactly("jd", "pdd", "tb");
        assertThat(first.get("subject").get("kind").asText()).isEqualTo("IDENTITY");
        assertThat(first.get("amountTotal").asText()).isEqualTo("1200.00");
        assertThat(first.get("legalTier").asText()).isEqualTo("ADMINISTRATIVE");
        assertThat(JobHarness.of(out, OutputKind.VERDICT, null)).hasSize(8);
    }

    @Test
    void redeliveredRequestsAreCountedOnce() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String request = TestEvents.request("tb", "R" + i).person("honest").after(Duration.ofDays(i)).json();
            // Three deliveries of each of three requests would be nine "requests" if counted.
            lines.add(request);
            lines.add(request);
            lines.add(request);
        }
        var out = JobHarness.run(JobHarness.config(), 2, dir, lines);

        assertThat(JobHarness.of(out, OutputKind.ALERT, null)).isEmpty();
        assertThat(JobHarness.of(out, OutputKind.VERDICT, null)).hasSize(3)
                .allSatisfy(v -> assertThat(v.get("recommendedAction").asText()).isEqualTo("ALLOW"));
    }

    @Test
    void heavyReturnAndRefundUsersAreNotRepeatRefunders() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            lines.add(TestEvents.request(i % 2 == 0 ? "tb" : "jd", "R" + i).person("returner").returnAndRefund()
                    .after(Duration.ofDays(i)).json());
        }
        var out = JobHarness.run(JobHarness.config(), 2, dir, lines);

        assertThat(JobHarness.of(out, OutputKind.ALERT, null)).isEmpty();
        assertThat(JobHarness.of(out, OutputKind.VERDICT, null)).hasSize(12);
    }

    @Test
    void badRecordsAreDeadLetteredAndTheJobKeepsGoing() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            lines.add(TestEvents.request("tb", "R" + i).person("serial").after(Duration.ofDays(i)).json());
            lines.add("{\"schemaVersion\":1,\"type\":\"REFUND_REQUESTED\"");
            lines.add("[\"an array\"]");
        }
        var out = JobHarness.run(JobHarness.config(), 2, dir, lines);

        List<JsonNode> dead = JobHarness.of(out, OutputKind.DEAD_LETTER, null);
        assertThat(dead).hasSize(8);
        assertThat(dead).extracting(d -> d.get("reason").asText())
                .contains("expected a JSON object, got an array")
                .anySatisfy(reason -> assertThat(reason).startsWith("not valid JSON"));
        // Events after the bad records were still processed: the fourth request fires the alert.
        assertThat(JobHarness.of(out, OutputKind.ALERT, null)).hasSize(1);
    }

    @Test
    void confirmedFraudAboveTheFirstTierRaisesAmountTier() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            lines.add(TestEvents.request("tb", "R" + i).person("fraudster").amount("1100.00").after(Duration.ofDays(i)).json());
            lines.add(TestEvents.outcome("tb", "R" + i, "FRAUD", Duration.ofDays(i + 5)));
        }
        var out = JobHarness.run(JobHarness.config(), 2, dir, lines);

        List<JsonNode> alerts = JobHarness.of(out, OutputKind.ALERT, null);
        assertThat(alerts).singleElement().satisfies(alert -> {
            assertThat(alert.get("pattern").asText()).isEqualTo("AMOUNT_TIER");
            assertThat(alert.get("legalTier").asText()).isEqualTo("LARGE");
            assertThat(alert.get("amountTotal").asText()).isEqualTo("3300.00");
            // The third confirmation is what crosses 3,000: it is the trigger.
            assertThat(alert.get("trigger").get("eventId").asText()).isEqualTo("tb-R2-outcome");
        });
    }

    @Test
    void aDecisionWhoseRequestNeverCameIsDeadLetteredNotDropped() throws Exception {
        var out = JobHarness.run(JobHarness.config(), 2, dir,
                List.of(TestEvents.decided("tb", "ghost", "APPROVED", true, Duration.ZERO)));

        assertThat(JobHarness.of(out, OutputKind.DEAD_LETTER, null)).singleElement()
                .satisfies(d -> assertThat(d.get("reason").asText()).contains("no REFUND_REQUESTED"));
    }

    @Test
    void eachInvolvedPlatformGetsItsOwnViewWithoutForeignIds() throws Exception {
        List<String> lines = new ArrayList<>();
        String[] platforms = {"tb", "jd", "pdd", "tb"};
        for (int i = 0; i < platforms.length; i++) {
            lines.add(TestEvents.request(platforms[i], "REQ-" + platforms[i] + "-" + i).person("serial")
                    .account("ACCT-" + platforms[i]).after(Duration.ofDays(i)).json());
        }
        var out = JobHarness.run(JobHarness.config(), 2, dir, lines);

        for (String platform : List.of("tb", "jd", "pdd")) {
            List<JsonNode> view = JobHarness.of(out, OutputKind.ALERT, platform);
            assertThat(view).hasSize(1);
            String json = view.get(0).toString();
            for (String other : List.of("tb", "jd", "pdd")) {
                if (!other.equals(platform)) {
                    assertThat(json).doesNotContain("REQ-" + other).doesNotContain("ACCT-" + other);
                }
            }
            assertThat(view.get(0).get("otherPlatforms")).hasSize(2);
        }
    }
}
