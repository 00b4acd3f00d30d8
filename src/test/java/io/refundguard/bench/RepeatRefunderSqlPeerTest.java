package io.refundguard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refundguard.cli.simulate.Label;
import io.refundguard.cli.simulate.RandomPhotos;
import io.refundguard.cli.simulate.SimulatedTraffic;
import io.refundguard.cli.simulate.Thresholds;
import io.refundguard.cli.simulate.TrafficWriter;
import io.refundguard.job.config.ConfigLoader;
import io.refundguard.job.config.RefundGuardConfig;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's SQL peer does the work it is credited with: it finds every planted serial
 * refunder, and anyone else only through a redelivered request (it does not deduplicate).
 */
class RepeatRefunderSqlPeerTest {
    @TempDir
    Path dir;

    @Test
    void findsThePlantedSerialRefundersAndOthersOnlyThroughRedeliveries() throws Exception {
        RefundGuardConfig config = ConfigLoader.load(List.of());
        long start = OffsetDateTime.parse("2026-10-01T00:00:00+08:00").toInstant().toEpochMilli();
        SimulatedTraffic traffic = SimulatedTraffic.generate(new SimulatedTraffic.Settings(3, 600, 2400, 30, start, 0),
                Thresholds.of(config), new RandomPhotos(3));
        Path events = dir.resolve("events.jsonl");
        try (OutputStream out = Files.newOutputStream(events)) {
            new TrafficWriter(traffic).writeEvents((key, record) -> {
                out.write(record);
                out.write('\n');
            });
        }

        RepeatRefunderSqlPeer.Result result = RepeatRefunderSqlPeer.run(events, dir.resolve("out"), 2,
                Duration.ofDays(30), 4);

        ObjectMapper json = new ObjectMapper();
        Set<String> matched = new TreeSet<>();
        try (var parts = Files.list(dir.resolve("out"))) {
            for (Path part : parts.toList()) {
                for (String line : Files.readAllLines(part)) {
                    matched.add(json.readTree(line).get("person").asText());
                }
            }
        }
        Set<String> planted = traffic.labels().stream()
                .filter(l -> l.isFraud() && l.pattern().equals("REPEAT_REFUNDER")).map(Label::subjectKey)
                .collect(Collectors.toSet());
        Set<String> seen = new HashSet<>();
        Set<String> redelivered = new HashSet<>();
        for (String line : Files.readAllLines(events)) {
            JsonNode event = json.readTree(line);
            if (event.get("type").asText().equals("REFUND_REQUESTED") && !seen.add(event.get("eventId").asText())) {
                JsonNode buyer = event.get("buyer");
                redelivered.add(buyer.has("identityHash") ? buyer.get("identityHash").asText()
                        : event.get("platform").asText() + ":" + buyer.get("accountId").asText());
            }
        }
        assertThat(result.matches()).isPositive();
        assertThat(matched).containsAll(planted);
        Set<String> others = new TreeSet<>(matched);
        others.removeAll(planted);
        assertThat(redelivered).containsAll(others);
    }
}
