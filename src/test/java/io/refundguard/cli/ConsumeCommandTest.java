package io.refundguard.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.local.SharedBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ConsumeCommandTest {
    @RegisterExtension
    static final SharedBroker KAFKA = new SharedBroker();

    private ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    @Test
    void printsOnlyCommittedRecordsAndStopsWhenNoneArrive() {
        KAFKA.broker().createTopics(List.of("decisions"), 1);
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
        assertThat(err()).endsWith("consumed 3 records from decisions\n");
    }

    @Test
    void stopsAfterMaxAndAGroupResumesAfterWhatWasPrinted() {
        KAFKA.broker().createTopics(List.of("alerts"), 1);
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
        KAFKA.broker().createTopics(List.of("roundtrip"), 2);
        java.io.ByteArrayInputStream stdin =
                new java.io.ByteArrayInputStream("{\"platform\":\"tb\",\"requestId\":\"R1\"}\nnot json\n".getBytes(UTF_8));
        int published = Main.run(List.of("publish", "--bootstrap-servers", KAFKA.broker().bootstrapServers(), "--topic",
                "roundtrip", "--key-field", "platform,requestId", "-"), stdin,
                new PrintStream(new ByteArrayOutputStream(), true, UTF_8), new PrintStream(errBytes, true, UTF_8));
        assertThat(published).isZero();

        assertThat(consume("--topic", "roundtrip", "--from-beginning", "--max", "2")).isZero();
        assertThat(out().lines()).containsExactlyInAnyOrder("{\"platform\":\"tb\",\"requestId\":\"R1\"}", "not json");
    }

    @Test
    void followsTheTopicUntilInterruptedAndSaysSo() throws Exception {
        KAFKA.broker().createTopics(List.of("follow"), 1);
        publish("follow", "f1", "f2");
        AtomicInteger exit = new AtomicInteger(-1);
        Thread following = new Thread(() -> exit.set(consume("--topic", "follow", "--from-beginning")));
        following.start();
        awaitLines(2);

        // Longer than any idle time it could have stopped after (it was 10 s), then more records:
        // a follower prints them too.
        Thread.sleep(11_000);
        assertThat(following.isAlive()).isTrue();
        publish("follow", "f3");
        awaitLines(3);
        following.interrupt(); // what Ctrl-C does, through the shutdown hook's wakeup()
        following.join(30_000);

        assertThat(following.isAlive()).isFalse();
        assertThat(exit.get()).isZero();
        assertThat(out()).isEqualTo("f1\nf2\nf3\n");
        assertThat(err().lines().toList()).containsExactly(
                "reading follow at " + KAFKA.broker().bootstrapServers() + " from the beginning; stops on Ctrl-C",
                "consumed 3 records from follow");
    }

    @Test
    void stopsAfterMaxRecordsOrAfterTheTimeout() {
        KAFKA.broker().createTopics(List.of("bounded"), 1);
        publish("bounded", "b1", "b2", "b3");

        assertThat(consume("--topic", "bounded", "--from-beginning", "--max-records", "2")).isZero();
        assertThat(out()).isEqualTo("b1\nb2\n");
        assertThat(err()).contains("stops after 2 records or on Ctrl-C").endsWith("consumed 2 records from bounded\n");

        reset();
        assertThat(consume("--topic", "bounded", "--from-beginning", "--timeout", "1s")).isZero();
        assertThat(out()).isEqualTo("b1\nb2\nb3\n");
        assertThat(err()).contains("stops after 1s without a record or on Ctrl-C")
                .endsWith("consumed 3 records from bounded\n");
    }

    @Test
    void theConfiguredBrokerIsTheDefault() throws Exception {
        KAFKA.broker().createTopics(List.of("configured"), 1);
        publish("configured", "c1");

        // No --bootstrap-servers: kafka.bootstrapServers of the settings, here changed by --set.
        int exit = Main.run(List.of("consume", "--set", "kafka.bootstrapServers=" + KAFKA.broker().bootstrapServers(),
                "--topic", "configured", "--from-beginning", "--max-records", "1"), out(outBytes), out(errBytes));

        assertThat(exit).as(err()).isZero();
        assertThat(out()).isEqualTo("c1\n");
        assertThat(err()).startsWith("reading configured at " + KAFKA.broker().bootstrapServers());
    }

    private void awaitLines(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (out().lines().count() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(out().lines()).hasSize(count);
    }

    @Test
    void aMissingTopicIsReportedInOneLine() {
        int exit = consume("--topic", "no-such-topic", "--timeout", "1s");

        assertThat(exit).isEqualTo(2);
        assertThat(err()).isEqualTo("refundguard consume: topic no-such-topic does not exist at " + KAFKA.broker().bootstrapServers() + "\n");
    }

    @Test
    void anUnreachableBrokerIsReportedInOneLine() throws Exception {
        String nobody = "127.0.0.1:" + PublishCommandTest.closedPort();

        int exit = Main.run(List.of("consume", "--bootstrap-servers", nobody, "--topic", "t"), out(outBytes),
                out(errBytes));

        assertThat(exit).isEqualTo(2);
        assertThat(out()).isEmpty();
        assertThat(err()).startsWith("refundguard consume: cannot reach a Kafka broker at " + nobody).hasLineCount(1);
    }

    @Test
    void mistakesInTheFlagsAreUsageErrors() {
        assertThat(Main.run(List.of("consume", "--from-beginning"), out(outBytes), out(errBytes))).isEqualTo(2);
        assertThat(err()).isEqualTo("refundguard consume: missing --topic\nSee `refundguard consume --help`.\n");

        reset();
        assertThat(consume("--topic", "t", "--timeout", "soon")).isEqualTo(2);
        assertThat(err()).startsWith("refundguard consume: --timeout expects a positive duration");

        reset();
        assertThat(consume("--topic", "t", "--max", "0")).isEqualTo(2);
        assertThat(err()).startsWith("refundguard consume: --max expects a positive number");

        reset();
        assertThat(consume("--topic", "t", "--follow")).isEqualTo(2);
        assertThat(err()).startsWith("refundguard consume: unknown option --follow");
    }

    private int consume(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("consume", "--bootstrap-servers", KAFKA.broker().bootstrapServers()));
        all.addAll(List.of(args));
        return Main.run(all, out(outBytes), out(errBytes));
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
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.broker().bootstrapServers());
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(topic, value));
            }
        }
    }

    private static KafkaProducer<String, String> transactionalProducer(String id) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.broker().bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }
}
