package io.refundguard.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.refundguard.events.TestEvents;
import io.refundguard.job.config.ConfigLoader;
import io.refundguard.job.config.ControlRecords;
import io.refundguard.job.config.RefundGuardConfig;
import io.refundguard.local.KafkaBroker;
import io.refundguard.patterns.RuleSets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live rules through the real {@code detector-control} topic: a rule set published as a control
 * record decides the events from its effective time on and names its version; records that are
 * not valid rule sets go to the dead-letter topic with their reason, and the running rules stay.
 */
class LiveRulesKafkaTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path dir;

    @Test
    void aPublishedRuleSetDecidesFromItsEffectiveTimeAndInvalidOnesAreDeadLettered() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"), 0)) {
            RefundGuardConfig config = ConfigLoader.load(List.of(
                    "kafka.bootstrapServers=" + broker.bootstrapServers(),
                    "flink.checkpointInterval=1s",
                    "eventTime.wallClockFallback=0s",
                    KafkaTestIo.CATALOG_IDLE_AFTER));
            broker.createTopics(Topics.all(config, List.of("tb", "jd", "pdd")), 2);
            String v1 = config.rules().version();

            String lower = ControlRecords.encode(RuleSets.withRepeatRefunder(config.rules(), "live-2", 3),
                    TestEvents.T0.plusDays(10));
            String longerRing = lower.replace("\"version\":\"live-2\"", "\"version\":\"live-3\"")
                    .replace("\"sharedAttributeRing\":{\"window\":\"30d\"", "\"sharedAttributeRing\":{\"window\":\"90d\"");
            assertThat(longerRing).contains("\"window\":\"90d\"");
            KafkaTestIo.publish(broker, config.topics().control(), List.of(lower, "{not json", longerRing));

            List<String> events = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String platform = i % 2 == 0 ? "tb" : "jd";
                events.add(TestEvents.request(platform, "BEFORE" + i).person("early").after(Duration.ofDays(1 + i)).json());
                events.add(TestEvents.request(platform, "AFTER" + i).person("late").after(Duration.ofDays(11 + i)).json());
            }
            KafkaTestIo.publish(broker, config.topics().refundEvents(), events);
            KafkaTestIo.publishToPartitions(broker, config.topics().refundEvents(), List.of(
                    TestEvents.request("pdd", "TAIL0").person("tail0").after(Duration.ofDays(30)).json(),
                    TestEvents.request("pdd", "TAIL1").person("tail1").after(Duration.ofDays(30)).json()));

            JobClient job = KafkaTestIo.startJob(config, dir.resolve("checkpoints"), null);
            try {
                List<JsonNode> verdicts = KafkaTestIo.read(broker, config.topics().verdicts(), 6, "verdicts",
                        v -> !v.get("requestId").asText().startsWith("TAIL"));
                assertThat(verdicts).hasSize(6).allSatisfy(v -> assertThat(v.get("ruleSetVersion").asText())
                        .as(v.get("requestId").asText())
                        .isEqualTo(v.get("requestId").asText().startsWith("BEFORE") ? v1 : "live-2"));

                List<JsonNode> alerts = KafkaTestIo.read(broker, config.topics().alerts(), 1, "alerts", a -> true);
                assertThat(alerts).singleElement().satisfies(a -> {
                    assertThat(a.get("pattern").asText()).isEqualTo("REPEAT_REFUNDER");
                    assertThat(a.get("trigger").get("requestId").asText()).isEqualTo("AFTER2");
                    assertThat(a.get("ruleSetVersion").asText()).isEqualTo("live-2");
                });

                List<JsonNode> deadLetters = KafkaTestIo.read(broker, config.topics().deadLetters(), 2, "dlq", d -> true);
                assertThat(deadLetters).hasSize(2).allSatisfy(d ->
                        assertThat(d.get("topic").asText()).isEqualTo(config.topics().control()));
                assertThat(deadLetters).extracting(d -> d.get("reason").asText())
                        .anySatisfy(reason -> assertThat(reason).startsWith("not valid JSON"))
                        .anySatisfy(reason -> assertThat(reason).contains("rules.sharedAttributeRing.window", "90d", "30d"));
                assertThat(deadLetters).extracting(d -> new String(Base64.getDecoder().decode(d.get("value").asText()),
                        StandardCharsets.UTF_8)).contains("{not json", longerRing);
            } finally {
                KafkaTestIo.cancel(job);
            }
        }
    }

}
