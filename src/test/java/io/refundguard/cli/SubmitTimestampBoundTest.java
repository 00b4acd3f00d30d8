package io.refundguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.refundguard.local.KafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code submit} refuses to start the job on a refund-events topic whose producers choose their
 * records' timestamps without a bound: the job's future-skew guard trusts that timestamp.
 */
class SubmitTimestampBoundTest {
    @TempDir
    Path dir;

    private HttpServer flink;

    /** Enough of a Flink REST endpoint to pass submit's first check; uploads fail with 404. */
    @BeforeEach
    void startFakeFlink() throws Exception {
        flink = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        flink.createContext("/", exchange -> {
            boolean overview = exchange.getRequestURI().getPath().equals("/overview");
            byte[] body = (overview ? "{}" : "{\"errors\":[\"not here\"]}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(overview ? 200 : 404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        flink.start();
    }

    @AfterEach
    void stopFakeFlink() {
        flink.stop(0);
    }

    private record Run(int code, String err) {}

    private Run submit(KafkaBroker broker, String... extra) {
        // Its own pom as the jar: the real one only exists after `package`, which runs after the tests.
        List<String> args = new ArrayList<>(List.of("submit", "--rest", "http://127.0.0.1:" + flink.getAddress().getPort(),
                "--jar", "pom.xml", "--set", "kafka.bootstrapServers=" + broker.bootstrapServers()));
        args.addAll(List.of(extra));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aTopicKeepingUnboundedProducerTimestampsIsRefusedUnlessAccepted() {
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"), 0)) {
            // Neither LogAppendTime nor a bound: what a Kafka 3 broker gives by default.
            broker.createTopics(List.of("refund-events"), 1, Map.of("refund-events",
                    Map.of("message.timestamp.type", "CreateTime", "message.timestamp.after.max.ms", Long.toString(Long.MAX_VALUE))));

            Run refused = submit(broker);
            assertThat(refused.code()).isEqualTo(1);
            assertThat(refused.err()).contains("submit: topic refund-events keeps producer timestamps"
                    + " (message.timestamp.type=CreateTime) up to " + Long.MAX_VALUE + " ms ahead of the broker's clock,"
                    + " more than input.maxFutureSkew (3600000 ms)")
                    .contains("kafka-configs.sh --bootstrap-server " + broker.bootstrapServers()
                            + " --alter --entity-type topics --entity-name refund-events"
                            + " --add-config message.timestamp.type=LogAppendTime")
                    .contains("--allow-producer-timestamps")
                    .doesNotContain("uploading");

            Run accepted = submit(broker, "--allow-producer-timestamps");
            assertThat(accepted.err()).contains("warning: topic refund-events keeps producer timestamps")
                    .as("went on to upload the jar").contains("uploading pom.xml failed");
        }
    }

    @Test
    void topicsSubmitCreatesAreStampedByTheBroker() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"), 0)) {
            Run run = submit(broker, "--set", "input.perPlatformTopics=true");

            assertThat(run.err()).contains("created topics").contains("refund-events.tb")
                    .doesNotContain("keeps producer timestamps").contains("uploading pom.xml failed");
            assertThat(timestampType(broker, "refund-events.tb")).isEqualTo("LogAppendTime");
            assertThat(timestampType(broker, "refund-verdicts.tb")).as("outputs keep the default").isEqualTo("CreateTime");
        }
    }

    private static String timestampType(KafkaBroker broker, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            return admin.describeConfigs(List.of(resource)).all().get(20, TimeUnit.SECONDS).get(resource)
                    .get("message.timestamp.type").value();
        }
    }
}
