package io.refundguard.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerTest {
    @TempDir
    Path tmp;

    @Test
    void transactionsCommitAndAbortOnASingleBroker() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka"), 0)) {
            broker.createTopics(List.of("refunds", "decisions"), 2);
            // Creating again must be harmless: `local` creates its topics on every start.
            broker.createTopics(List.of("refunds", "decisions"), 2);

            try (KafkaProducer<String, String> producer = transactionalProducer(broker, "tx-test")) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("decisions", "k", "committed-1"));
                producer.send(new ProducerRecord<>("decisions", "k", "committed-2"));
                producer.commitTransaction();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("decisions", "k", "aborted"));
                producer.flush();
                producer.abortTransaction();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("decisions", "k", "committed-3"));
                producer.commitTransaction();
            }

            assertThat(readAll(broker, "decisions", "read_committed", 3))
                    .containsExactly("committed-1", "committed-2", "committed-3");
            // The aborted record did reach the log: read_committed filtered it out, it was not lost.
            assertThat(readAll(broker, "decisions", "read_uncommitted", 4))
                    .containsExactly("committed-1", "committed-2", "aborted", "committed-3");
            assertThat(describe(broker, "refunds").partitions()).hasSize(2);
        }
    }

    @Test
    void topicsRecordsAndCommittedOffsetsSurviveARestart() throws Exception {
        Path dataDir = tmp.resolve("kafka");
        TopicPartition partition = new TopicPartition("orders", 0);
        String clusterId;
        try (KafkaBroker broker = KafkaBroker.start(dataDir, 0, Map.of("num.partitions", "2"))) {
            clusterId = broker.clusterId();
            broker.createTopics(List.of("orders"), 3);
            try (KafkaProducer<String, String> producer = producer(broker)) {
                for (int i = 1; i <= 5; i++) {
                    producer.send(new ProducerRecord<>("orders", 0, "k", "order-" + i));
                }
                // A topic the broker creates on first use gets the overridden partition count.
                producer.send(new ProducerRecord<>("auto-created", "k", "v"));
                producer.flush();
            }
            try (KafkaConsumer<String, String> consumer = consumer(broker, "read_committed", "billing")) {
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                List<String> seen = poll(consumer, 5);
                assertThat(seen).hasSize(5);
                consumer.commitSync(Map.of(partition, new OffsetAndMetadata(3)));
            }
        }

        try (KafkaBroker broker = KafkaBroker.start(dataDir, 0)) {
            assertThat(broker.clusterId()).isEqualTo(clusterId);
            assertThat(describe(broker, "orders").partitions()).hasSize(3);
            assertThat(describe(broker, "auto-created").partitions()).hasSize(2);
            try (Admin admin = admin(broker)) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("billing")
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                assertThat(committed.get(partition).offset()).isEqualTo(3);
                assertThat(admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS)).isEqualTo(clusterId);
            }
            try (KafkaConsumer<String, String> consumer = consumer(broker, "read_committed", "billing")) {
                consumer.subscribe(List.of("orders"));
                assertThat(poll(consumer, 2)).containsExactly("order-4", "order-5");
            }
        }
        assertThat(Files.readString(dataDir.resolve(KafkaBroker.CLUSTER_ID_FILE)).trim()).isEqualTo(clusterId);
    }

    @Test
    void aPortInUseIsReportedInOneClearLine() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> KafkaBroker.start(tmp.resolve("kafka"), port))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("port " + port + " on 127.0.0.1 is in use")
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    void aSecondBrokerOnTheSameDirectoryIsRefusedAndTheFirstKeepsWorking() throws Exception {
        Path dataDir = tmp.resolve("kafka");
        try (KafkaBroker broker = KafkaBroker.start(dataDir, 0)) {
            assertThatThrownBy(() -> KafkaBroker.start(dataDir, 0))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("the Kafka data directory " + dataDir + " is in use by another running broker;"
                            + " stop it or use another directory");

            broker.createTopics(List.of("still-there"), 1);
            assertThat(describe(broker, "still-there").partitions()).hasSize(1);
        }
        // Closing released the directory.
        try (KafkaBroker again = KafkaBroker.start(dataDir, 0)) {
            assertThat(describe(again, "still-there").partitions()).hasSize(1);
        }
    }

    @Test
    void aDataDirectoryThatIsAFileIsReportedInOneClearLine() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");

        assertThatThrownBy(() -> KafkaBroker.start(file, 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("is not a directory");
    }

    @Test
    void aDirectoryOfAnotherClusterIsRefusedRatherThanReformatted() throws Exception {
        Path dataDir = tmp.resolve("kafka");
        try (KafkaBroker broker = KafkaBroker.start(dataDir, 0)) {
            broker.createTopics(List.of("kept"), 1);
        }
        Files.writeString(dataDir.resolve(KafkaBroker.CLUSTER_ID_FILE), "AAAAAAAAAAAAAAAAAAAAAA\n");

        assertThatThrownBy(() -> KafkaBroker.start(dataDir, 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(dataDir.toString())
                .hasMessageNotContaining("\n");
        assertThat(Files.exists(dataDir.resolve(KafkaBroker.LOG_DIR_NAME).resolve("kept-0"))).isTrue();
    }

    private static TopicDescription describe(KafkaBroker broker, String topic) throws Exception {
        try (Admin admin = admin(broker)) {
            return admin.describeTopics(Set.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
        }
    }

    private static List<String> readAll(KafkaBroker broker, String topic, String isolation, int expected) {
        try (KafkaConsumer<String, String> consumer = consumer(broker, isolation, null)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<String> values = poll(consumer, expected);
            // Anything beyond what we expect would show up within a few more polls.
            values.addAll(poll(consumer, 0));
            return values;
        }
    }

    /** Polls until {@code expected} records arrived, then a little longer to catch extras. */
    private static List<String> poll(KafkaConsumer<String, String> consumer, int expected) {
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int quietPolls = 0;
        while (System.nanoTime() < deadline && (values.size() < expected || quietPolls < 3)) {
            int before = values.size();
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                values.add(record.value());
            }
            quietPolls = values.size() == before && values.size() >= expected ? quietPolls + 1 : 0;
        }
        return values;
    }

    private static KafkaProducer<String, String> producer(KafkaBroker broker) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static KafkaProducer<String, String> transactionalProducer(KafkaBroker broker, String id) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(KafkaBroker broker, String isolation, String group) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        if (group != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    private static Admin admin(KafkaBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }
}
