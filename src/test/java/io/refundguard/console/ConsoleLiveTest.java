package io.refundguard.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.refundguard.local.SharedBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Live mode against a real Kafka broker on 127.0.0.1: cases come from the alert and verdict topics
 * (committed records only), a platform's analyst from its view topics, and a decision becomes
 * outcome events on refund-events, once, surviving a restart.
 */
class ConsoleLiveTest {
    @RegisterExtension
    static final SharedBroker KAFKA = new SharedBroker();
    static final List<String> PLATFORMS = List.of("tb", "jd", "pdd", "dy");

    @TempDir
    Path dir;
    ConsoleServer server;
    final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /** Topics named per test, so tests share the broker but not their records. */
    static LiveConfig config(String prefix) {
        return new LiveConfig(KAFKA.broker().bootstrapServers(), Map.of(), prefix + "-alerts", prefix + "-verdicts",
                prefix + "-events", false, PLATFORMS);
    }

    static void createTopics(LiveConfig config) {
        List<String> names = new ArrayList<>(List.of(config.alerts(), config.verdicts(), config.refundEvents()));
        for (String p : PLATFORMS) {
            names.add(config.alerts() + "." + p);
            names.add(config.verdicts() + "." + p);
        }
        KAFKA.broker().createTopics(names, 2);
    }

    /** The sample replay folder's lines, to the topics the detector would have written them to, in one transaction. */
    static void publishSample(LiveConfig config, ReplayFolder folder, String transactionalId, boolean commit) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.broker().bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            folder.lines().forEach((file, lines) -> {
                String topic = file.startsWith("alerts") ? config.alerts() + file.substring("alerts".length())
                        : config.verdicts() + file.substring("verdicts".length());
                lines.forEach(line -> producer.send(new ProducerRecord<>(topic, line)));
            });
            producer.flush();
            if (commit) {
                producer.commitTransaction();
            } else {
                producer.abortTransaction();
            }
        }
    }

    ConsoleServer open(LiveConfig config) throws Exception {
        CommandLine.Model.CommandSpec spec = new CommandLine(new ConsoleCommand(ConsoleApiTest.ENV)).getCommandSpec();
        return ConsoleCommand.openLive(config, dir.resolve("journal.jsonl"), Path.of("config/console.yaml"), null,
                ConsoleApiTest.ENV, ConsoleApiTest.CLOCK, spec).start("127.0.0.1", 0);
    }

    JsonNode get(String path, String user, String password) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", ConsoleApiTest.basic(user, password)).build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? ConsoleApiTest.json(response) : null;
    }

    int status(String path, String user, String password) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", ConsoleApiTest.basic(user, password)).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    HttpResponse<String> decide(String alertId, String user, String password, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/cases/" + alertId
                        + "/disposition")).header("Authorization", ConsoleApiTest.basic(user, password))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Every committed record of the topic, read from the beginning to its current end. */
    static List<ConsumerRecord<String, String>> readAll(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.broker().bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> ends = consumer.endOffsets(parts);
            while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    @Test
    void casesComeFromTheTopicsAndAnAnalystSeesOnlyItsView() throws Exception {
        LiveConfig config = config("views");
        createTopics(config);
        publishSample(config, ReplayFolder.sample(), "views-detector", true);
        ReplayFolder aborted = new ReplayFolder();
        aborted.alert("a-aborted", "REPEAT_REFUNDER", "LOW", "IDENTITY", "cc".repeat(32),
                List.of(new ReplayFolder.Request("tb", "T-9", "tb_u_9", "1.00", "2026-11-30T08:00:00.000+08:00")),
                "ADMINISTRATIVE", Map.of(), "2026-11-22.1", 10);
        publishSample(config, aborted, "views-detector", false);

        server = open(config);

        // Read committed: the aborted transaction's alert is no case.
        assertThat(ConsoleApiTest.ids(get("/api/cases", "admin", "admin-secret")))
                .containsExactly(ReplayFolder.REPEAT, ReplayFolder.AI_JD, ReplayFolder.REUSE_TB);
        assertThat(get("/api/cases/" + ReplayFolder.REPEAT, "admin", "admin-secret").path("verdict").path("riskScore").asInt())
                .isEqualTo(82);
        assertThat(ConsoleApiTest.ids(get("/api/cases", "tb", "tb-secret"))).containsExactly(ReplayFolder.REPEAT, ReplayFolder.REUSE_TB);
        assertThat(status("/api/cases/" + ReplayFolder.AI_JD, "tb", "tb-secret")).isEqualTo(404);
        JsonNode tbView = get("/api/cases/" + ReplayFolder.REPEAT, "tb", "tb-secret");
        assertThat(tbView.toString()).contains("T-8810").doesNotContain("J-5521", "2611140190534");
        assertThat(ConsoleApiTest.ids(get("/api/cases", "jd", "jd-secret"))).containsExactly(ReplayFolder.REPEAT, ReplayFolder.AI_JD);

        // Followed after start: a new alert on tb's view and the operator's becomes a case without a restart.
        ReplayFolder later = new ReplayFolder();
        later.alert("a-later", "REPEAT_REFUNDER", "MEDIUM", "IDENTITY", "dd".repeat(32),
                List.of(new ReplayFolder.Request("tb", "T-10", "tb_u_10", "5.00", "2026-12-01T08:00:00.000+08:00")),
                "ADMINISTRATIVE", Map.of(), "2026-11-22.1", 30);
        publishSample(config, later, "views-detector", true);
        List<String> tbCases = List.of();
        for (int i = 0; i < 150 && !tbCases.contains("a-later"); i++) {
            Thread.sleep(100);
            tbCases = ConsoleApiTest.ids(get("/api/cases", "tb", "tb-secret"));
        }
        assertThat(tbCases).containsExactly("a-later", ReplayFolder.REPEAT, ReplayFolder.REUSE_TB);
        assertThat(ConsoleApiTest.ids(get("/api/cases", "jd", "jd-secret"))).doesNotContain("a-later");
    }

    @Test
    void aDecisionIsPublishedOnceToRefundEventsAndSurvivesARestart() throws Exception {
        LiveConfig config = config("decide");
        createTopics(config);
        publishSample(config, ReplayFolder.sample(), "decide-detector", true);
        server = open(config);

        String body = "{\"verdict\":\"FRAUD\",\"note\":\"generated photo\"}";
        assertThat(decide(ReplayFolder.AI_JD, "jd", "jd-secret", body).statusCode()).isEqualTo(200);
        assertThat(decide(ReplayFolder.AI_JD, "jd", "jd-secret", body).statusCode()).isEqualTo(200);
        assertThat(decide(ReplayFolder.AI_JD, "tb", "tb-secret", body).statusCode()).isEqualTo(404);

        List<ConsumerRecord<String, String>> events = readAll(config.refundEvents());
        assertThat(events).hasSize(1);
        assertThat(events.get(0).key()).isEqualTo("jd:J-7001");
        JsonNode event = ReplayFolder.MAPPER.readTree(events.get(0).value());
        assertThat(event.path("type").asText()).isEqualTo("REFUND_OUTCOME");
        assertThat(event.path("verdict").asText()).isEqualTo("FRAUD");
        assertThat(event.path("source").asText()).isEqualTo("console:jd");
        assertThat(event.path("eventId").asText())
                .isEqualTo(DecisionLog.outcomeEventId(ReplayFolder.AI_JD, "jd", "J-7001", Disposition.FRAUD));

        server.close();
        server = open(config);
        JsonNode decided = get("/api/cases/" + ReplayFolder.AI_JD, "admin", "admin-secret");
        assertThat(decided.path("status").asText()).isEqualTo("decided");
        assertThat(decided.path("decisions").get(0).path("note").asText()).isEqualTo("generated photo");
        // The operator agreeing after the restart: the same event id, not sent again.
        assertThat(decide(ReplayFolder.AI_JD, "admin", "admin-secret", "{\"verdict\":\"FRAUD\"}").statusCode()).isEqualTo(200);
        assertThat(readAll(config.refundEvents())).hasSize(1);
    }
}
