package io.refundguard.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refundguard.events.TestEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * AUTOMATIC_APPROVAL_AFTER_HOLD through the whole job: AI-labelled evidence gets a hold or reject
 * verdict, and the platform approves it automatically anyway. Exactly those requests are reported,
 * once each, on the full topic and on their platform's view; manual approvals and honest requests
 * approved automatically are not.
 */
class AutomaticApprovalJobTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    private static final String PATTERN = "AUTOMATIC_APPROVAL_AFTER_HOLD";

    @TempDir
    static Path dir;

    static List<OutboundRecord> out;
    static List<JsonNode> reports;

    @BeforeAll
    static void run() throws Exception {
        List<String> events = new ArrayList<>();
        // Label "1": CRITICAL, 80 points, REJECT_AND_REPORT; approved automatically, twice.
        events.add(aiLabelled("tb", "G1", "G", "1"));
        events.add(decided("tb", "G1", "APPROVED", true, "tb-G1-auto-1", 2, "129.00"));
        events.add(decided("tb", "G1", "APPROVED", true, "tb-G1-auto-2", 5, null));
        // Label "2": HIGH, 60 points, HOLD_FOR_MANUAL_REVIEW; approved automatically for less.
        events.add(aiLabelled("jd", "H1", "H", "2"));
        events.add(decided("jd", "H1", "APPROVED", true, "jd-H1-auto", 1, "100.00"));
        // Held, and a person approved it: the platform's review did its job.
        events.add(aiLabelled("pdd", "M1", "M", "2"));
        events.add(decided("pdd", "M1", "APPROVED", false, "pdd-M1-manual", 3, null));
        // Honest: ALLOW, approved automatically, as it should be.
        events.add(TestEvents.request("tb", "HON1").person("honest").image("hon", TestEvents.hash("image:hon"), 90).json());
        events.add(decided("tb", "HON1", "APPROVED", true, "tb-HON1-auto", 1, null));

        out = JobHarness.run(JobHarness.config(), 2, dir, events);
        reports = reportsIn(null);
    }

    @Test
    void eachRequestApprovedAutomaticallyAfterAHoldIsReportedOnce() throws Exception {
        assertThat(reports).extracting(a -> a.at("/trigger/requestId").asText() + "/" + a.get("severity").asText())
                .containsExactlyInAnyOrder("G1/CRITICAL", "H1/HIGH");
        JsonNode g1 = report("G1");
        assertThat(g1.at("/trigger/eventId").asText()).isEqualTo("tb-G1-auto-1");
        assertThat(g1.at("/subject/kind").asText()).isEqualTo("IDENTITY");
        assertThat(g1.at("/subject/key").asText()).isEqualTo(TestEvents.hash("person:G"));
        assertThat(g1.get("recommendedAction").asText()).isEqualTo("HOLD_FOR_MANUAL_REVIEW");
        assertThat(g1.at("/details/verdictAction").asText()).isEqualTo("REJECT_AND_REPORT");
        assertThat(g1.at("/details/riskScore").asInt()).isEqualTo(80);
        assertThat(g1.at("/details/reasons/0").asText()).isEqualTo("AI_GENERATED_EVIDENCE");
        // The verdict's alert ids are the AI alert the same request raised.
        JsonNode aiAlert = JobHarness.of(out, OutputKind.ALERT, null).stream()
                .filter(a -> a.get("pattern").asText().equals("AI_GENERATED_EVIDENCE")
                        && a.at("/trigger/requestId").asText().equals("G1"))
                .findFirst().orElseThrow();
        assertThat(g1.at("/details/alertIds")).extracting(JsonNode::asText).containsExactly(aiAlert.get("alertId").asText());

        JsonNode h1 = report("H1");
        assertThat(h1.get("requests")).hasSize(1);
        assertThat(h1.at("/requests/0/accountId").asText()).isEqualTo("acct-H1");
        assertThat(h1.at("/requests/0/amount").asText()).isEqualTo("100.00");
        assertThat(h1.at("/details/requestedAmount").asText()).isEqualTo("129.00");
        assertThat(h1.get("eventTime").asText()).isEqualTo("2026-11-01T11:00:00.000+08:00");
    }

    @Test
    void theReportReachesOnlyItsOwnPlatformsView() throws Exception {
        assertThat(reportsIn("tb")).extracting(a -> a.at("/trigger/requestId").asText()).containsExactly("G1");
        assertThat(reportsIn("jd")).extracting(a -> a.at("/trigger/requestId").asText()).containsExactly("H1");
        assertThat(reportsIn("pdd")).isEmpty();
        assertThat(reportsIn("tb").get(0).get("alertId")).isEqualTo(report("G1").get("alertId"));
    }

    @Test
    void everyRequestStillHasExactlyOneVerdict() throws Exception {
        assertThat(JobHarness.of(out, OutputKind.VERDICT, null))
                .extracting(v -> v.get("requestId").asText())
                .containsExactlyInAnyOrder("G1", "H1", "M1", "HON1");
    }

    private static JsonNode report(String requestId) {
        return reports.stream().filter(a -> a.at("/trigger/requestId").asText().equals(requestId)).findFirst().orElseThrow();
    }

    private static List<JsonNode> reportsIn(String platform) throws Exception {
        return JobHarness.of(out, OutputKind.ALERT, platform).stream()
                .filter(a -> a.get("pattern").asText().equals(PATTERN))
                .toList();
    }

    private static String aiLabelled(String platform, String requestId, String person, String label) {
        TestEvents.Request request = TestEvents.request(platform, requestId).person(person)
                .image("img-" + requestId, TestEvents.hash("image:" + requestId), 90);
        ObjectNode aigc = ((ObjectNode) request.node().get("evidence").get(0)).putObject("provenance").putObject("aigc");
        aigc.put("label", label);
        return request.json();
    }

    /** @param paid the amount paid out, or null when the decision does not say */
    private static String decided(String platform, String requestId, String decision, boolean automatic, String eventId,
            int hours, String paid) {
        ObjectNode json = TestEvents.base(eventId, "REFUND_DECIDED", platform, requestId, TestEvents.at(Duration.ofHours(hours)));
        json.put("decision", decision);
        json.put("automatic", automatic);
        if (paid != null) {
            json.put("amount", paid);
            json.put("currency", "CNY");
        }
        return json.toString();
    }
}
