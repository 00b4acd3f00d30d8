package io.refundguard.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.refundguard.alerts.OutputJson;
import io.refundguard.job.config.RefundGuardConfig;
import io.refundguard.local.KafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishing to and reading from the real test broker, as a platform and an alert consumer would. */
final class KafkaTestIo {
    private KafkaTestIo() {}

    /** Unkeyed records, spread over the topic's partitions by the producer. */
    /**
     * These tests publish nothing to catalog-images, and its empty partitions hold the watermark
     * back for eventTime.idleness (30 s by default) before they count as idle: 10 s is enough for
     * a loaded machine to fetch the other topics' first records.
     */
    static final String CATALOG_IDLE_AFTER = "eventTime.idleness=10s";

    static void publish(KafkaBroker broker, String topic, List<String> values) {
        try (KafkaProducer<String, String> producer = producer(broker)) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(topic, null, value));
            }
            producer.flush();
        }
    }

    /** One record per value to partitions 0, 1, ..., e.g. so every partition's watermark moves. */
    static void publishToPartitions(KafkaBroker broker, String topic, List<String> values) {
        try (KafkaProducer<String, String> producer = producer(broker)) {
            for (int partition = 0; partition < values.size(); partition++) {
                producer.send(new ProducerRecord<>(topic, partition, null, values.get(partition)));
            }
            producer.flush();
        }
    }

    /** Committed records (read_committed) matching {@code wanted}, until {@code expected} or 180 s. */
    static List<JsonNode> read(KafkaBroker broker, String topic, int expected, String group, Predicate<JsonNode> wanted)
            throws Exception {
        return read(broker, topic, expected, group, wanted, Duration.ofSeconds(180));
    }

    /** Everything committed to the topic within a few seconds: for a topic whose writer has stopped. */
    static List<JsonNode> readAll(KafkaBroker broker, String topic, String group) throws Exception {
        return read(broker, topic, Integer.MAX_VALUE, group, r -> true, Duration.ofSeconds(5));
    }

    private static List<JsonNode> read(KafkaBroker broker, String topic, int expected, String group,
            Predicate<JsonNode> wanted, Duration patience) throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", broker.bootstrapServers());
        props.put("group.id", group);
        props.put("auto.offset.reset", "earliest");
        props.put("isolation.level", "read_committed");
        List<JsonNode> records = new ArrayList<>();
        long deadline = System.nanoTime() + patience.toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (records.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    JsonNode value = OutputJson.mapper().readTree(record.value());
                    if (wanted.test(value)) {
                        records.add(value);
                    }
                }
            }
        }
        return records;
    }

    /** The production job graph on Kafka and RocksDB, exactly-once, at parallelism 2, optionally from a savepoint. */
    static JobClient startJob(RefundGuardConfig config, Path checkpoints, String savepoint) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(FlinkSetup.configuration(config.flink(), "rocksdb", checkpoints, savepoint));
        env.setParallelism(2);
        new RefundGuardJob(config, KafkaIo.sources(config), KafkaIo.sinks(config, true)).wire(env);
        return env.executeAsync(RefundGuardJob.JOB_NAME);
    }

    /**
     * Cancels the job and waits until it has stopped. {@code cancel()} returns once the cancellation
     * is accepted; a test that then closes its broker leaves the sink's producers to abort their
     * transactions against no broker, each blocking for its {@code max.block.ms} (60 s) while the
     * MiniCluster shuts down.
     */
    static void cancel(JobClient job) throws Exception {
        job.cancel().get();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!job.getJobStatus().get().isGloballyTerminalState() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private static KafkaProducer<String, String> producer(KafkaBroker broker) {
        Properties props = new Properties();
        props.put("bootstrap.servers", broker.bootstrapServers());
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }
}
