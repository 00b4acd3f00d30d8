package io.refundguard.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.refundguard.events.TestEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Coordinated patterns end to end: a 7-person device ring and a 40-request burst against one
 * quiet merchant in 90 minutes, next to near misses that must stay quiet: a household sharing an
 * address, and a busy merchant with a steady rate.
 */
class RingAndBurstJobTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    @TempDir
    static Path dir;

    static List<JsonNode> alerts;
    static List<JsonNode> verdicts;
    static int requests;

    @BeforeAll
    static void run() throws Exception {
        List<String> events = new ArrayList<>();
        // Busy merchant: 12 distinct buyers an hour, steadily, for four days before everything else.
        for (int h = 0; h < 96; h++) {
            for (int i = 0; i < 12; i++) {
                events.add(TestEvents.request("jd", "BUSY-" + h + "-" + i).person("busy-buyer-" + h + "-" + i)
                        .merchant("BIGSHOP", "P" + (i % 6)).after(Duration.ofMinutes(h * 60L + i * 5)).json());
            }
        }
        // A ring: 7 persons, one device, one refund each, over 10 days.
        for (int p = 0; p < 7; p++) {
            events.add(TestEvents.request(p % 2 == 0 ? "tb" : "pdd", "RING" + p).person("ring-member-" + p)
                    .device("ring-phone").merchant("M" + p, "P" + p).after(Duration.ofDays(4 + p)).json());
        }
        // A household: 3 persons at one address.
        for (int p = 0; p < 3; p++) {
            events.add(TestEvents.request("tb", "HOUSE" + p).person("family-" + p).address("home")
                    .merchant("H" + p, "P" + p).after(Duration.ofDays(5 + p)).json());
        }
        // A burst: 40 distinct persons against one quiet merchant within 90 minutes.
        for (int i = 0; i < 40; i++) {
            events.add(TestEvents.request("dy", "BURST" + i).person("burst-" + i).merchant("QUIET", "X1")
                    .after(Duration.ofDays(12).plusMinutes(i * 2L)).json());
        }
        requests = events.size();
        events.sort(java.util.Comparator.comparing(json -> json.substring(json.indexOf("occurredAt"))));
        var out = JobHarness.run(JobHarness.config(), 2, dir, events);
        alerts = JobHarness.of(out, OutputKind.ALERT, null);
        verdicts = JobHarness.of(out, OutputKind.VERDICT, null);
    }

    @Test
    void raisesTheRingAndTheBurstAndNothingForHouseholdsOrSteadyMerchants() {
        // A merchant first seen at 12 buyers an hour looks like a burst against the default
        // baseline (no history) in its first hours; once its own baseline formed it is quiet.
        long afterWarmUp = TestEvents.T0.plusHours(12).toInstant().toEpochMilli();
        assertThat(alerts.stream().filter(a -> a.get("subject").get("key").asText().contains("BIGSHOP")))
                .allSatisfy(a -> assertThat(java.time.OffsetDateTime.parse(a.get("eventTime").asText())
                        .toInstant().toEpochMilli()).isLessThan(afterWarmUp));
        Set<String> subjects = alerts.stream()
                .filter(a -> !a.get("subject").get("key").asText().contains("BIGSHOP"))
                .map(a -> a.get("pattern").asText() + " " + a.get("subject").get("kind").asText() + ":"
                        + a.get("subject").get("key").asText().replaceAll(":[0-9a-f]{64}$", ":<hash>"))
                .collect(Collectors.toSet());
        assertThat(subjects).containsExactlyInAnyOrder(
                "SHARED_ATTRIBUTE_RING ATTRIBUTE:device:<hash>",
                "MERCHANT_BURST MERCHANT:merchant:dy:QUIET",
                "MERCHANT_BURST MERCHANT:product:dy:QUIET:X1");
    }

    @Test
    void theRingIsOneCaseThatEscalatesToCriticalWithAllSevenPersons() {
        List<JsonNode> ring = alerts.stream().filter(a -> a.get("pattern").asText().equals("SHARED_ATTRIBUTE_RING")).toList();
        JsonNode last = ring.get(ring.size() - 1);
        assertThat(last.get("severity").asText()).isEqualTo("CRITICAL");
        assertThat(last.get("requests")).hasSize(7);
        assertThat(ring).extracting(a -> a.get("subject").get("key").asText()).containsOnly(last.get("subject").get("key").asText());
    }

    @Test
    void everyRequestGetsExactlyOneVerdict() {
        assertThat(verdicts).hasSize(requests);
        assertThat(verdicts.stream().map(v -> v.get("requestId").asText()).distinct()).hasSize(requests);
        assertThat(verdicts.stream().filter(v -> v.get("requestId").asText().startsWith("HOUSE")))
                .allSatisfy(v -> assertThat(v.get("riskScore").asInt()).isZero());
        assertThat(verdicts.stream().filter(v -> v.get("requestId").asText().equals("RING6")))
                .singleElement().satisfies(v -> assertThat(v.get("reasons").toString()).contains("SHARED_ATTRIBUTE_RING"));
    }
}
