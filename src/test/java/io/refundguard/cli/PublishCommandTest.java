package io.refundguard.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.local.SharedBroker;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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

class PublishCommandTest {
    @RegisterExtension
    static final SharedBroker KAFKA = new SharedBroker();

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, UTF_8);

    @Test
    void publishesEveryNonEmptyLineInOrderWithKeysFromTheGivenFields() throws Exception {
        KAFKA.broker().createTopics(List.of("refunds-keys"), 1);
        byte[] notUtf8 = {'{', '"', (byte) 0xFF, '"', '}'};
        Path first = tmp.resolve("first.jsonl");
        Files.write(first, concat(
                "{\"platform\":\"tb\",\"requestId\":\"R1\",\"amount\":12.5}\n".getBytes(UTF_8),
                "\n   \n".getBytes(UTF_8),
                "this is not json\r\n".getBytes(UTF_8),
                "{\"platform\":\"jd\",\"requestId\":7}".getBytes(UTF_8)));
        Path second = tmp.resolve("second.jsonl");
        Files.write(second, concat(
                "{\"platform\":\"pdd\"}\n".getBytes(UTF_8),
                "{\"platform\":\"tb\",\"requestId\":\"R2\"} trailing\n".getBytes(UTF_8),
                notUtf8,
                "\n".getBytes(UTF_8)));

        int exit = Main.run(List.of("publish", "--bootstrap-servers", KAFKA.broker().bootstrapServers(), "--topic",
                "refunds-keys", "--key-field", "platform,requestId", first.toString(), second.toString()), out, err);

        assertThat(exit).isZero();
        assertThat(err()).isEmpty();
        assertThat(out()).isEqualTo("published 6 records to refunds-keys at " + KAFKA.broker().bootstrapServers()
                + " (4 without a key: not a JSON object or missing platform,requestId)\n");
        List<ConsumerRecord<String, byte[]>> records = readAll("refunds-keys", 6);
        assertThat(records).extracting(ConsumerRecord::key)
                .containsExactly("tb:R1", null, "jd:7", null, null, null);
        assertThat(records).extracting(r -> new String(r.value(), UTF_8)).startsWith(
                "{\"platform\":\"tb\",\"requestId\":\"R1\",\"amount\":12.5}",
                "this is not json",
                "{\"platform\":\"jd\",\"requestId\":7}",
                "{\"platform\":\"pdd\"}",
                "{\"platform\":\"tb\",\"requestId\":\"R2\"} trailing");
        // Invalid UTF-8 reaches the topic byte for byte, for the detector to dead-letter.
        assertThat(records.get(5).value()).isEqualTo(notUtf8);
    }

    @Test
    void readsStandardInputForADash() throws Exception {
        InputStream stdin = new ByteArrayInputStream("{\"a\":1}\n{\"a\":2}\n".getBytes(UTF_8));

        int exit = Main.run(List.of("publish", "--bootstrap-servers=" + KAFKA.broker().bootstrapServers(),
                "--topic=refunds-stdin", "-"), stdin, out, err);

        assertThat(exit).isZero();
        assertThat(out()).startsWith("published 2 records to refunds-stdin");
        // The topic did not exist: the broker created it with its default of 4 partitions.
        assertThat(readAll("refunds-stdin", 2)).extracting(r -> new String(r.value(), UTF_8))
                .containsExactlyInAnyOrder("{\"a\":1}", "{\"a\":2}");
    }

    @Test
    void theBrokerOfTheConfigFileIsTheDefault() throws Exception {
        String settings = Files.readString(Path.of("config/refundguard.yaml"), UTF_8);
        assertThat(settings).contains("bootstrapServers: \"127.0.0.1:9092\"");
        Path config = Files.writeString(tmp.resolve("refundguard.yaml"), settings.replace(
                "bootstrapServers: \"127.0.0.1:9092\"", "bootstrapServers: \"" + KAFKA.broker().bootstrapServers() + "\""));
        InputStream stdin = new ByteArrayInputStream("{\"a\":1}\n".getBytes(UTF_8));

        int exit = Main.run(List.of("publish", "--config", config.toString(), "--topic", "refunds-config", "-"),
                stdin, out, err);

        assertThat(exit).as(err()).isZero();
        assertThat(out()).isEqualTo("published 1 record to refunds-config at " + KAFKA.broker().bootstrapServers() + "\n");
        assertThat(readAll("refunds-config", 1)).extracting(r -> new String(r.value(), UTF_8)).containsExactly("{\"a\":1}");
    }

    @Test
    void aMissingFlagIsAUsageError() {
        int exit = Main.run(List.of("publish", "--bootstrap-servers", KAFKA.broker().bootstrapServers(), "x.jsonl"), out, err);

        assertThat(exit).isEqualTo(2);
        assertThat(out()).isEmpty();
        assertThat(err()).isEqualTo("refundguard publish: missing --topic\nSee `refundguard publish --help`.\n");
    }

    @Test
    void anUnreadableFileIsReportedBeforeAnythingIsSent() throws Exception {
        Path good = Files.writeString(tmp.resolve("good.jsonl"), "{\"a\":1}\n");
        Path missing = tmp.resolve("missing.jsonl");

        int exit = Main.run(List.of("publish", "--bootstrap-servers", KAFKA.broker().bootstrapServers(), "--topic",
                "refunds-unread", good.toString(), missing.toString()), out, err);

        assertThat(exit).isEqualTo(2);
        assertThat(err()).isEqualTo("refundguard publish: cannot read " + missing + ": no such file\n");
        try (Admin admin = admin()) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain("refunds-unread");
        }
    }

    @Test
    void anUnreachableBrokerIsReportedInOneLine() throws Exception {
        Path file = Files.writeString(tmp.resolve("one.jsonl"), "{\"a\":1}\n");
        String nobody = "127.0.0.1:" + closedPort();

        int exit = Main.run(List.of("publish", "--bootstrap-servers", nobody, "--topic", "t", file.toString()),
                out, err);

        assertThat(exit).isEqualTo(2);
        assertThat(out()).isEmpty();
        assertThat(err()).startsWith("refundguard publish: cannot reach a Kafka broker at " + nobody).hasLineCount(1);
    }

    @Test
    void aMalformedAddressIsAUsageError() {
        int exit = Main.run(List.of("publish", "--bootstrap-servers", "localhost", "--topic", "t", "-"), out, err);

        assertThat(exit).isEqualTo(2);
        assertThat(err()).startsWith("refundguard publish: --bootstrap-servers expects HOST:PORT");
    }

    private String out() {
        return outBytes.toString(UTF_8);
    }

    private String err() {
        return errBytes.toString(UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        Arrays.stream(parts).forEach(all::writeBytes);
        return all.toByteArray();
    }

    static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            return socket.getLocalPort();
        }
    }

    private static Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.broker().bootstrapServers());
        return Admin.create(props);
    }

    /** Every record of the topic, in partition order, once {@code expected} have arrived. */
    private static List<ConsumerRecord<String, byte[]>> readAll(String topic, int expected) throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.broker().bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (Admin admin = admin();
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
            // One more look: a record beyond the expected ones would be a duplicate or a stray.
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            return records;
        }
    }
}
