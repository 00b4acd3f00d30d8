package io.refundguard.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.refundguard.alerts.OutputJson;
import io.refundguard.events.TestEvents;
import io.refundguard.job.config.ConfigLoader;
import io.refundguard.job.config.RefundGuardConfig;
import io.refundguard.local.KafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production path against a real KRaft broker: Kafka source, RocksDB state, checkpoints, the
 * exactly-once Kafka sink, and consumers that only see committed transactions.
 */
class KafkaEndToEndTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path dir;

    @Test
    void alertsVerdictsAndDeadLettersArriveCommittedOnTheirTopics() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"), 0)) {
            RefundGuardConfig config = ConfigLoader.load(List.of(
                    "kafka.bootstrapServers=" + broker.bootstrapServers(),
                    "flink.checkpointInterval=1s",
                    "flink.stateBackend=rocksdb",
                    KafkaTestIo.CATALOG_IDLE_AFTER));
            broker.createTopics(Topics.all(config, List.of("tb", "jd", "pdd")), 2);

            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.configure(FlinkSetup.configuration(config.flink(), "rocksdb", dir.resolve("checkpoints"), null));
            env.setParallelism(2);
            new RefundGuardJob(config, KafkaIo.sources(config), KafkaIo.sinks(config, true)).wire(env);
            JobClient job = env.executeAsync(RefundGuardJob.JOB_NAME);
            try {
                publish(broker, config);

                List<JsonNode> alerts = read(broker, "refund-alerts", 1);
                assertThat(alerts).as("alerts after 180 s; job status %s", job.getJobStatus().get()).isNotEmpty();
                assertThat(alerts).singleElement().satisfies(alert -> {
                    assertThat(alert.get("pattern").asText()).isEqualTo("REPEAT_REFUNDER");
                    assertThat(alert.get("platforms")).hasSize(3);
                });
                assertThat(read(broker, "refund-alerts.jd", 1)).singleElement()
                        .satisfies(view -> assertThat(view.get("otherPlatforms")).hasSize(2));
                assertThat(read(broker, "refund-verdicts", 4)).hasSize(4);
                assertThat(read(broker, "refund-verdicts.tb", 2)).hasSize(2);
                assertThat(read(broker, "refund-events-dlq", 1)).singleElement()
                        .satisfies(d -> assertThat(d.get("reason").asText()).startsWith("not valid JSON"));
            } finally {
                KafkaTestIo.cancel(job);
            }
        }
    }

    private static void publish(KafkaBroker broker, RefundGuardConfig config) {
        Properties props = new Properties();
        props.put("bootstrap.servers", broker.bootstrapServers());
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            String[] platforms = {"tb", "jd", "pdd", "tb"};
            for (int i = 0; i < platforms.length; i++) {
                String request = TestEvents.request(platforms[i], "K" + i).person("kafka-serial")
                        .after(Duration.ofDays(i)).json();
                producer.send(new ProducerRecord<>(config.topics().refundEvents(), platforms[i] + ":K" + i, request));
                if (i == 1) {
                    // A redelivery: must not count as a fifth request.
                    producer.send(new ProducerRecord<>(config.topics().refundEvents(), platforms[i] + ":K" + i, request));
                }
            }
            producer.send(new ProducerRecord<>(config.topics().refundEvents(), "bad", "{\"truncated\":"));
            producer.flush();
        }
    }

    /**
     * Reads until {@code expected} records arrived, then a little longer for extras. The deadline is
     * generous because a loaded 2-core machine starts a MiniCluster with RocksDB slowly.
     */
    private static List<JsonNode> read(KafkaBroker broker, String topic, int expected) throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", broker.bootstrapServers());
        props.put("group.id", "test-" + topic + "-" + System.nanoTime());
        props.put("auto.offset.reset", "earliest");
        props.put("isolation.level", "read_committed");
        List<JsonNode> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            long settleUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settleUntil)) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    records.add(OutputJson.mapper().readTree(record.value()));
                }
                if (records.size() >= expected && settleUntil == Long.MAX_VALUE) {
                    // Duplicates would show up within the next checkpoints.
                    settleUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                }
            }
        }
        return records;
    }
}
