package io.refundguard.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refundguard.local.SharedBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code simulate} through the command line: files, labels, and publishing at a rate to a real broker. */
class SimulateCommandTest {
    @RegisterExtension
    static final SharedBroker KAFKA = new SharedBroker();

    @TempDir
    Path tmp;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, UTF_8);

    @Test
    void writesTheFilesAndASummaryAndTheSameFilesAgainForTheSameSeed() throws Exception {
        List<String> args = List.of("simulate", "--out", tmp.resolve("a/events.jsonl").toString(),
                "--catalog-out", tmp.resolve("a/catalog.jsonl").toString(), "--labels", tmp.resolve("a/labels.jsonl").toString(),
                "--persons", "300", "--requests", "900", "--days", "7", "--start", "2026-11-01", "--seed", "5");
        assertThat(Main.run(args, out, err)).isZero();
        String summary = outBytes.toString(UTF_8);
        assertThat(summary).contains("Simulated 7 days from 2026-11-01T00:00+08:00, seed 5")
                .containsPattern("refund requests +900")
                .containsPattern("persons +300")
                .contains("MERCHANT_BURST", "SHARED_ATTRIBUTE_RING", "CATALOG_IMAGE_MATCH");
        List<String> events = Files.readAllLines(tmp.resolve("a/events.jsonl"));
        assertThat(summary).containsPattern("event records +" + events.size());
        assertThat(Files.readAllLines(tmp.resolve("a/labels.jsonl"))).isNotEmpty()
                .allSatisfy(line -> assertThat(JSON.readTree(line).get("truth").asText()).isIn("FRAUD", "HONEST"));

        List<String> again = new ArrayList<>(args);
        again.replaceAll(a -> a.replace(tmp.resolve("a").toString(), tmp.resolve("b").toString()));
        assertThat(Main.run(again, out, err)).isZero();
        assertThat(Files.readAllLines(tmp.resolve("b/events.jsonl"))).isEqualTo(events);
        assertThat(Files.readAllLines(tmp.resolve("b/catalog.jsonl")))
                .isEqualTo(Files.readAllLines(tmp.resolve("a/catalog.jsonl")));
    }

    @Test
    void publishesCatalogAndEventsWithTheContractKeysAtTheRequestedRate() throws Exception {
        KAFKA.broker().createTopics(List.of("sim-events", "sim-catalog"), 2);
        Path file = tmp.resolve("events.jsonl");
        int rate = 2000;
        long began = System.nanoTime();
        int exit = Main.run(List.of("simulate", "--bootstrap-servers", KAFKA.broker().bootstrapServers(), "--rate",
                Integer.toString(rate), "--out", file.toString(), "--persons", "200", "--requests", "500", "--days", "5",
                "--start", "fixed", "--set", "topics.refundEvents=sim-events", "--set", "topics.catalogImages=sim-catalog"),
                out, err);
        double seconds = (System.nanoTime() - began) / 1e9;

        assertThat(exit).as(errBytes.toString(UTF_8)).isZero();
        List<String> lines = Files.readAllLines(file);
        List<ConsumerRecord<String, byte[]>> events = readAll("sim-events", lines.size());
        assertThat(events).hasSize(lines.size());
        for (ConsumerRecord<String, byte[]> record : events) {
            JsonNode event = JSON.readTree(record.value());
            assertThat(record.key()).isEqualTo(event.get("platform").asText() + ":" + event.get("requestId").asText());
        }
        assertThat(events.stream().map(r -> new String(r.value(), UTF_8)).sorted().toList())
                .isEqualTo(lines.stream().sorted().toList());
        String catalogCount = outBytes.toString(UTF_8).replaceAll("(?s).*listing photos \\(catalog\\) +(\\d+).*", "$1");
        List<ConsumerRecord<String, byte[]>> listings = readAll("sim-catalog", Integer.parseInt(catalogCount));
        assertThat(listings).hasSize(Integer.parseInt(catalogCount)).isNotEmpty();
        for (ConsumerRecord<String, byte[]> record : listings) {
            JsonNode listing = JSON.readTree(record.value());
            assertThat(record.key()).isEqualTo(String.join(":", listing.get("platform").asText(),
                    listing.get("merchantId").asText(), listing.get("productId").asText(), listing.get("imageId").asText()));
        }
        // Paced: every record (listings first, then events) at the requested rate, not faster.
        assertThat(seconds).isGreaterThan((lines.size() + listings.size()) / (double) rate * 0.9);
    }

    @Test
    void aBrokerThatIsNotThereIsOneLineNotAStackTrace() throws Exception {
        int exit = Main.run(List.of("simulate", "--bootstrap-servers", "127.0.0.1:" + PublishCommandTest.closedPort(),
                "--persons", "200", "--requests", "400"), out, err);
        assertThat(exit).isEqualTo(2);
        assertThat(errBytes.toString(UTF_8)).startsWith("refundguard simulate: cannot reach a Kafka broker at 127.0.0.1:")
                .doesNotContain("\tat ");
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(String topic, int expected) throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.broker().bootstrapServers());
        Properties adminProps = new Properties();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.broker().bootstrapServers());
        try (Admin admin = Admin.create(adminProps);
                KafkaConsumer<String, byte[]> consumer =
                        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = admin.describeTopics(Set.of(topic)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(topic).partitions().stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            return records;
        }
    }
}
