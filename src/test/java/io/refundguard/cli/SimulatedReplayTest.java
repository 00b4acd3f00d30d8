package io.refundguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.refundguard.cli.simulate.Label;
import io.refundguard.cli.simulate.RandomPhotos;
import io.refundguard.cli.simulate.SimulatedTraffic;
import io.refundguard.cli.simulate.Thresholds;
import io.refundguard.cli.simulate.TrafficWriter;
import io.refundguard.job.JobHarness;
import io.refundguard.job.config.RefundGuardConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Simulated traffic with a photo on every request, through the real job ({@code replay}): every
 * planted case is alerted under the pattern and subject its label names, and no honest near-miss
 * is. Sixteen days, so the steady merchant's volume can grow past the burst floor without
 * outrunning its own baseline.
 */
class SimulatedReplayTest {
    @TempDir
    static Path dir;

    static final RefundGuardConfig CONFIG = JobHarness.config();
    static List<Label> labels;
    static SimulatedTraffic.Counts counts;
    static ReplayCommand.Summary summary;
    static List<JsonNode> alerts;

    @BeforeAll
    static void simulateAndReplay() throws Exception {
        long start = SimulateCommand.FIXED_START;
        SimulatedTraffic traffic = SimulatedTraffic.generate(
                new SimulatedTraffic.Settings(11, 2000, 4000, 16, start, 1), Thresholds.of(CONFIG), new RandomPhotos(11));
        Path events = dir.resolve("events.jsonl");
        Path catalog = dir.resolve("catalog.jsonl");
        TrafficWriter writer = new TrafficWriter(traffic);
        try (OutputStream out = Files.newOutputStream(events)) {
            writer.writeEvents(lines(out));
        }
        try (OutputStream out = Files.newOutputStream(catalog)) {
            writer.writeCatalog(lines(out));
        }
        labels = traffic.labels();
        counts = traffic.counts();
        summary = ReplayCommand.replay(CONFIG, events, catalog, dir.resolve("out"), 2);
        alerts = ReplayTest.read(dir.resolve("out/alerts.jsonl"));
    }

    private static TrafficWriter.Sink lines(OutputStream out) {
        return (key, record) -> {
            out.write(record);
            out.write('\n');
        };
    }

    @Test
    void everyRecordIsUsedEveryRequestGetsAVerdictAndRedeliveriesAreDropped() throws IOException {
        assertThat(summary.rejected()).isZero();
        assertThat(summary.recordsRead()).isEqualTo(counts.records());
        assertThat(summary.deduplicated()).isEqualTo(counts.redelivered()).isPositive();
        assertThat(summary.outputLines().get("verdicts")).isEqualTo(counts.requests());
    }

    @Test
    void repeatRefundersAndAmountTiersAreExactlyThePlantedPersons() {
        assertThat(subjects("REPEAT_REFUNDER", a -> true)).isNotEmpty().isEqualTo(labelled(true, "REPEAT_REFUNDER"));
        assertThat(subjects("REPEAT_REFUNDER", a -> true)).doesNotContainAnyElementsOf(labelled(false, "REPEAT_REFUNDER"));
        assertThat(labelled(false, "REPEAT_REFUNDER")).isNotEmpty();
        assertThat(subjects("AMOUNT_TIER", a -> true)).isNotEmpty().isEqualTo(labelled(true, "AMOUNT_TIER"));
    }

    @Test
    void ringsAndBurstsAreExactlyThePlantedOnesNotTheHouseholdOrTheSteadyMerchant() {
        assertThat(subjects("SHARED_ATTRIBUTE_RING", a -> true)).isNotEmpty()
                .isEqualTo(labelled(true, "SHARED_ATTRIBUTE_RING"));
        assertThat(labelled(false, "SHARED_ATTRIBUTE_RING")).isNotEmpty()
                .doesNotContainAnyElementsOf(subjects("SHARED_ATTRIBUTE_RING", a -> true));
        assertThat(subjects("MERCHANT_BURST", a -> true)).isNotEmpty().isEqualTo(labelled(true, "MERCHANT_BURST"));
        assertThat(labelled(false, "MERCHANT_BURST")).hasSize(1)
                .doesNotContainAnyElementsOf(subjects("MERCHANT_BURST", a -> true));
        Label steady = labels.stream().filter(l -> !l.isFraud() && l.pattern().equals("MERCHANT_BURST")).findFirst()
                .orElseThrow();
        int busiest = Integer.parseInt(steady.what().replaceAll(".*up to (\\d+) distinct persons.*", "$1"));
        assertThat(busiest).as("the steady merchant passes the floor, so staying quiet means something")
                .isGreaterThanOrEqualTo(CONFIG.rules().merchantBurst().floor());
    }

    @Test
    void reusedPhotosAreAlertedPerPersonAndPerSharedPhoto() {
        assertThat(subjects("IMAGE_REUSE", a -> a.get("subject").get("kind").asText().equals("IDENTITY")))
                .isNotEmpty().isEqualTo(labelled(true, "IMAGE_REUSE"));
        List<Label> shared = labels.stream()
                .filter(l -> l.pattern().equals("IMAGE_REUSE") && l.subjectKind().equals("IMAGE")).toList();
        assertThat(shared).isNotEmpty().allSatisfy(label -> assertThat(alerts).anySatisfy(alert -> {
            assertThat(alert.get("pattern").asText()).isEqualTo("IMAGE_REUSE");
            assertThat(alert.get("subject").get("kind").asText()).isEqualTo("IMAGE");
            assertThat(requestsOf(alert)).containsAll(label.requests());
        }));
    }

    @Test
    void doctoredListingPhotosAndGeneratedPhotosAreAlertedAndTheNearMissPhotosAreNot() {
        assertThat(triggers("CATALOG_IMAGE_MATCH")).isNotEmpty().isEqualTo(requestsOf(true, "CATALOG_IMAGE_MATCH"));
        Set<String> nearMisses = requestsOf(false, "CATALOG_IMAGE_MATCH");
        assertThat(nearMisses).isNotEmpty();
        for (JsonNode alert : alerts) {
            assertThat(requestsOf(alert)).doesNotContainAnyElementsOf(nearMisses);
        }
        assertThat(triggers("AI_GENERATED_EVIDENCE")).isNotEmpty().isEqualTo(requestsOf(true, "AI_GENERATED_EVIDENCE"));
    }

    private static Set<String> subjects(String pattern, Predicate<JsonNode> which) {
        return alerts.stream().filter(a -> a.get("pattern").asText().equals(pattern)).filter(which)
                .map(a -> a.get("subject").get("key").asText()).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> triggers(String pattern) {
        return alerts.stream().filter(a -> a.get("pattern").asText().equals(pattern))
                .map(a -> a.get("trigger").get("platform").asText() + ":" + a.get("trigger").get("requestId").asText())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> labelled(boolean fraud, String pattern) {
        return labels.stream().filter(l -> l.isFraud() == fraud && l.pattern().equals(pattern) && l.subjectKey() != null)
                .map(Label::subjectKey).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> requestsOf(boolean fraud, String pattern) {
        return labels.stream().filter(l -> l.isFraud() == fraud && l.pattern().equals(pattern))
                .flatMap(l -> l.requests().stream()).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> requestsOf(JsonNode alert) {
        Set<String> keys = new HashSet<>();
        alert.get("requests").forEach(r -> keys.add(r.get("platform").asText() + ":" + r.get("requestId").asText()));
        return keys;
    }
}
