package io.refundguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.refundguard.alerts.OutputJson;
import io.refundguard.job.JobHarness;
import io.refundguard.job.config.RefundGuardConfig;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backtest over generated multi-platform traffic with planted fraud: the detector must find
 * exactly the planted persons, give every request one verdict, dead-letter exactly the malformed
 * records, drop exactly the redeliveries, and give the same alert ids at parallelism 1 and 4.
 */
class ReplayTest {
    @TempDir
    static Path dir;

    static SampleTraffic.GroundTruth truth;
    static Path events;
    static ReplayCommand.Summary atParallelism1;
    static ReplayCommand.Summary atParallelism4;
    static final RefundGuardConfig CONFIG = JobHarness.config();

    @BeforeAll
    static void replayTwice() throws Exception {
        events = dir.resolve("traffic.jsonl");
        try (BufferedWriter out = Files.newBufferedWriter(events, StandardCharsets.UTF_8)) {
            truth = new SampleTraffic(7, 1500).write(out);
        }
        atParallelism1 = ReplayCommand.replay(CONFIG, events, dir.resolve("p1"), 1);
        atParallelism4 = ReplayCommand.replay(CONFIG, events, dir.resolve("p4"), 4);
    }

    @Test
    void flagsExactlyThePlantedSerialRefunders() throws IOException {
        assertThat(truth.serialRefunders()).isNotEmpty();
        assertThat(subjectsOf(dir.resolve("p1"), "REPEAT_REFUNDER")).isEqualTo(truth.serialRefunders());
    }

    @Test
    void flagsExactlyThePersonsWithConfirmedFraudAboveTheFirstTier() throws IOException {
        assertThat(truth.fraudAboveTier()).isNotEmpty();
        assertThat(subjectsOf(dir.resolve("p1"), "AMOUNT_TIER")).isEqualTo(truth.fraudAboveTier());
    }

    @Test
    void everyRequestGetsExactlyOneVerdict() throws IOException {
        List<JsonNode> verdicts = read(dir.resolve("p1/verdicts.jsonl"));
        Set<String> keys = verdicts.stream()
                .map(v -> v.get("platform").asText() + ":" + v.get("requestId").asText())
                .collect(Collectors.toSet());
        assertThat(verdicts).hasSize((int) truth.requests());
        assertThat(keys).hasSize((int) truth.requests());
    }

    @Test
    void deadLettersExactlyTheMalformedRecordsAndDropsExactlyTheRedeliveries() throws IOException {
        assertThat(atParallelism1.rejected()).isEqualTo(truth.badRecords());
        assertThat(read(dir.resolve("p1/dlq.jsonl"))).hasSize((int) truth.badRecords())
                .allSatisfy(letter -> assertThat(letter.get("reason").asText()).isNotBlank());
        assertThat(atParallelism1.deduplicated()).isEqualTo(truth.duplicates());
        assertThat(atParallelism1.recordsRead()).isEqualTo(truth.events() + truth.duplicates() + truth.badRecords());
    }

    @Test
    void parallelismFourGivesTheSameAlertIdsAsParallelismOne() throws IOException {
        Set<String> one = alertIds(dir.resolve("p1"));
        Set<String> four = alertIds(dir.resolve("p4"));
        assertThat(one).isNotEmpty().isEqualTo(four);
        assertThat(atParallelism4.alertsByPattern()).isEqualTo(atParallelism1.alertsByPattern());
    }

    @Test
    void aSecondReplayGivesTheSameAlertIds() throws Exception {
        ReplayCommand.replay(CONFIG, events, dir.resolve("again"), 2);
        assertThat(alertIds(dir.resolve("again"))).isEqualTo(alertIds(dir.resolve("p1")));
    }

    private static Set<String> subjectsOf(Path out, String pattern) throws IOException {
        return read(out.resolve("alerts.jsonl")).stream()
                .filter(a -> a.get("pattern").asText().equals(pattern))
                .map(a -> a.get("subject").get("key").asText())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> alertIds(Path out) throws IOException {
        return read(out.resolve("alerts.jsonl")).stream()
                .map(a -> a.get("alertId").asText())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        if (!Files.exists(file)) {
            return nodes;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            nodes.add(OutputJson.mapper().readTree(line));
        }
        return nodes;
    }
}
