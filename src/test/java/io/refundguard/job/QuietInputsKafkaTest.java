package io.refundguard.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.refundguard.events.TestEvents;
import io.refundguard.job.config.ConfigLoader;
import io.refundguard.job.config.RefundGuardConfig;
import io.refundguard.local.KafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live, an input topic nobody writes to must not hold verdicts back: the catalog of listing photos
 * is quiet most of the time. The job runs on the real broker with the wall-clock fallback so long
 * (an hour) that only the refund events themselves can release a verdict within the test; a quiet
 * catalog that held event time back would keep the verdict from ever being published.
 */
class QuietInputsKafkaTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path dir;

    @Test
    void aQuietCatalogTopicDoesNotHoldBackAVerdict() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"), 0)) {
            RefundGuardConfig config = ConfigLoader.load(List.of(
                    "kafka.bootstrapServers=" + broker.bootstrapServers(),
                    "flink.checkpointInterval=1s",
                    "eventTime.wallClockFallback=1h"));
            broker.createTopics(Topics.all(config, List.of("tb")), 2);
            JobClient job = KafkaTestIo.startJob(config, dir.resolve("checkpoints"), null);
            try {
                Instant now = Instant.now();
                KafkaTestIo.publish(broker, "refund-events", List.of(requestAt("QUIET-1", now)));
                // Later requests on every partition move the refund events' watermark past the first.
                KafkaTestIo.publishToPartitions(broker, "refund-events", List.of(
                        requestAt("LATER-0", now.plusSeconds(10)), requestAt("LATER-1", now.plusSeconds(10))));

                List<JsonNode> verdicts = KafkaTestIo.read(broker, "refund-verdicts", 1, "quiet-inputs",
                        v -> v.get("requestId").asText().equals("QUIET-1"));
                assertThat(verdicts).as("the verdict, with catalog-images empty; job status %s", job.getJobStatus().get())
                        .singleElement().satisfies(v -> assertThat(v.get("recommendedAction").asText()).isEqualTo("ALLOW"));
            } finally {
                KafkaTestIo.cancel(job);
            }
        }
    }

    private static String requestAt(String requestId, Instant at) {
        return TestEvents.request("tb", requestId).person("quiet-" + requestId)
                .after(Duration.between(TestEvents.T0.toInstant(), at)).json();
    }
}
