package io.refundguard.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.local.KafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsumeCommandTest {
    @TempDir
    static Path brokerDir;

    private static KafkaBroker broker;

    private ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start(brokerDir, 0);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void printsOnlyCommittedRecordsAndStopsWhenNoneArrive() {
        broker.createTopics(List.of("decisions"), 1);
        try (KafkaProducer<String, String> producer = transactionalProducer("consume-test")) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("decisions", "{\"n\":1}"));
            producer.send(new ProducerRecord<>("decisions", "{\"n\":2,\"note\":\"ü\"}"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("decisions", "{\"n\":\"aborted\"}"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("decisions", "{\"n\":3}"));
            producer.commitTransaction();
        }

        int exit = consume("--topic", "decisions", "--from-beginning", "--timeout", "2s");

        assertThat(exit).isZero();
        assertThat(out()).isEqualTo("{\"n\":1}\n{\"n\":2,\"note\":\"ü\"}\n{\"n\":3}\n");
        assertThat(err()).isEqualTo("consumed 3 records from decisions\n");
    }

    @Test
    void stopsAfterMaxAndAGroupResumesAfterWhatWasPrinted() {
        broker.createTopics(List.of("alerts"), 1);
        publish("alerts", "a1", "a2", "a3", "a4", "a5");

        assertThat(consume("--topic", "alerts", "--from-beginning", "--max", "2", "--group", "ops")).isZero();
        assertThat(out()).isEqualTo("a1\na2\n");

        reset();
        // The group's committed offset wins over --from-beginning.
        assertThat(consume("--topic", "alerts", "--from-beginning", "--max", "2", "--group", "ops")).isZero();
        assertThat(out()).isEqualTo("a3\na4\n");

        reset();
        // Without a group nothing was committed on its behalf: it starts from the beginning.
        assertThat(consume("--topic", "alerts", "--from-beginning", "--max", "1")).isZero();
        assertThat(out()).isEqualTo("a1\n");
    }

    @Test
    void readsWhatPublishWrote() {
        broker.createTopics(List.of("roundtrip"), 2);
        java.io.ByteArrayInputStream stdin =
                new java.io.ByteArrayInputStream("{\"platform\":\"tb\",\"requestId\":\"R1\"}\nnot json\n".getBytes(UTF_8));
        int published = PublishCommand.run(List.of("--bootstrap-servers", broker.bootstrapServers(), "--topic",
                "roundtrip", "--key-field", "platform,requestId", "-"), stdin,
                new PrintStream(new ByteArrayOutputStream(), true, UTF_8), new PrintStream(errBytes, true, UTF_8));
        assertThat(published).isZero();

        assertThat(consume("--topic", "roundtrip", "--from-beginning", "--max", "2")).isZero();
        assertThat(out().lines()).containsExactlyInAnyOrder("{\"platform\":\"tb\",\"requestId\":\"R1\"}", "not json");
    }

    @Test
    void aMissingTopicIsReportedInOneLine() {
        int exit = consume("--topic", "no-such-topic", "--timeout", "1s");

        assertThat(exit).isEqualTo(2);
        assertThat(err()).isEqualTo("consume: topic no-such-topic does not exist at " + broker.bootstrapServers() + "\n");
    }

    @Test
    void anUnreachableBrokerIsReportedInOneLine() throws Exception {
        String nobody = "127.0.0.1:" + PublishCommandTest.closedPort();

        int exit = ConsumeCommand.run(List.of("--bootstrap-servers", nobody, "--topic", "t"), out(outBytes),
                out(errBytes));

        assertThat(exit).isEqualTo(2);
        assertThat(out()).isEmpty();
        assertThat(err()).startsWith("consume: cannot reach a Kafka broker at " + nobody).hasLineCount(1);
    }

    @Test
    void mistakesInTheFlagsAreUsageErrors() {
        assertThat(ConsumeCommand.run(List.of("--topic", "t"), out(outBytes), out(errBytes))).isEqualTo(2);
        assertThat(err()).startsWith("consume: missing --bootstrap-servers\nusage: consume ");

        reset();
        assertThat(consume("--topic", "t", "--timeout", "soon")).isEqualTo(2);
        assertThat(err()).startsWith("consume: --timeout expects a positive duration");

        reset();
        assertThat(consume("--topic", "t", "--max", "0")).isEqualTo(2);
        assertThat(err()).startsWith("consume: --max expects a positive number");

        reset();
        assertThat(consume("--topic", "t", "--follow")).isEqualTo(2);
        assertThat(err()).startsWith("consume: unknown option --follow");
    }

    private int consume(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("--bootstrap-servers", broker.bootstrapServers()));
        all.addAll(List.of(args));
        return ConsumeCommand.run(all, out(outBytes), out(errBytes));
    }

    private void reset() {
        outBytes = new ByteArrayOutputStream();
        errBytes = new ByteArrayOutputStream();
    }

    private static PrintStream out(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, UTF_8);
    }

    private String out() {
        return outBytes.toString(UTF_8);
    }

    private String err() {
        return errBytes.toString(UTF_8);
    }

    private static void publish(String topic, String... values) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(topic, value));
            }
        }
    }

    private static KafkaProducer<String, String> transactionalProducer(String id) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }
}
