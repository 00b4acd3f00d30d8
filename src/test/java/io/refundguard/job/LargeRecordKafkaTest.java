package io.refundguard.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.refundguard.events.DeadLetter;
import io.refundguard.events.TestEvents;
import io.refundguard.job.config.ConfigLoader;
import io.refundguard.job.config.RefundGuardConfig;
import io.refundguard.local.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record just under the broker's size limit must not stop the job: written whole in base64 its
 * dead letter would exceed the producer's request limit, the sink would fail on it, and the job
 * would restart from the same offset forever.
 */
class LargeRecordKafkaTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    /** The broker accepts up to message.max.bytes (1048588 by default) per batch, headers included. */
    private static final int JUST_UNDER_THE_BROKER_LIMIT = 1_040_000;

    @TempDir
    Path dir;

    @Test
    void aRecordJustUnderTheBrokerLimitIsDeadLetteredBoundedAndTheNextRecordIsProcessed() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"), 0)) {
            RefundGuardConfig config = ConfigLoader.load(List.of(
                    "kafka.bootstrapServers=" + broker.bootstrapServers(), "flink.checkpointInterval=1s",
                    KafkaTestIo.CATALOG_IDLE_AFTER));
            broker.createTopics(Topics.all(config, List.of("tb")), 1);
            JobClient job = KafkaTestIo.startJob(config, dir.resolve("checkpoints"), null);
            try {
                byte[] huge = "x".repeat(JUST_UNDER_THE_BROKER_LIMIT).getBytes(StandardCharsets.UTF_8);
                KafkaTestIo.publish(broker, config.topics().refundEvents(), List.of(
                        new String(huge, StandardCharsets.UTF_8),
                        TestEvents.request("tb", "after-the-big-one").person("big").json()));

                List<JsonNode> verdicts = KafkaTestIo.read(broker, "refund-verdicts", 1, "verdicts",
                        v -> v.get("requestId").asText().equals("after-the-big-one"));
                assertThat(verdicts).as("verdict of the next record; job status %s", job.getJobStatus().get()).hasSize(1);

                JsonNode dead = KafkaTestIo.read(broker, "refund-events-dlq", 1, "dlq", d -> true).get(0);
                int kept = config.input().deadLetterValueBytes();
                assertThat(dead.get("reason").asText()).startsWith("record is " + JUST_UNDER_THE_BROKER_LIMIT + " bytes");
                assertThat(dead.get("truncated").asBoolean()).isTrue();
                assertThat(dead.get("valueBytes").asInt()).isEqualTo(JUST_UNDER_THE_BROKER_LIMIT);
                assertThat(dead.get("valueSha256").asText())
                        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(huge)));
                byte[] prefix = Base64.getDecoder().decode(dead.get("value").asText());
                assertThat(prefix).hasSize(kept).containsExactly(java.util.Arrays.copyOf(huge, kept));
                assertThat(kept).isLessThan(JUST_UNDER_THE_BROKER_LIMIT);
            } finally {
                KafkaTestIo.cancel(job);
            }
        }
    }

    @Test
    void aConfigurationWhoseDeadLettersMightNotFitARequestIsRefusedAtStart() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigLoader.load(List.of("input.deadLetterValueBytes=800000")))
                .isInstanceOf(io.refundguard.job.config.ConfigException.class)
                .hasMessageStartingWith("input.deadLetterValueBytes: 800000 bytes make dead letters of up to")
                .hasMessageContaining("more than kafka.maxRequestSize (1048576)");
        assertThat(ConfigLoader.load(List.of("input.deadLetterValueBytes=800000", "kafka.maxRequestSize=2097152"))
                .kafka().maxRequestSize()).isEqualTo(2097152);
    }

    @Test
    void aKeyIsKeptUpToItsBound() {
        byte[] key = "k".repeat(5000).getBytes(StandardCharsets.UTF_8);
        DeadLetter letter = DeadLetter.of("refund-events", 0, 7, 1L, key, new byte[] {1, 2}, "why", 2L).bounded(1);
        assertThat(Base64.getDecoder().decode(letter.key())).hasSize(DeadLetter.MAX_KEY_BYTES);
        assertThat(Base64.getDecoder().decode(letter.value())).containsExactly(1);
        assertThat(letter.keyBytes()).isEqualTo(5000);
        assertThat(letter.valueBytes()).isEqualTo(2);
        assertThat(letter.truncated()).isTrue();
    }
}
