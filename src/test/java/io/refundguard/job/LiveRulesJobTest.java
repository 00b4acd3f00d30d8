package io.refundguard.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.refundguard.events.DecodedCatalogImage;
import io.refundguard.events.DecodedEvent;
import io.refundguard.events.TestEvents;
import io.refundguard.job.config.RefundGuardConfig;
import io.refundguard.patterns.DecodedRuleSetUpdate;
import io.refundguard.patterns.RuleSetUpdate;
import io.refundguard.patterns.RuleSets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rule change published mid-stream, through the whole graph: REPEAT_REFUNDER's threshold drops
 * from 4 to 3 requests on day 10. Three requests before then stay quiet, three after alert, and
 * every alert and verdict names the version that decided it, the same at parallelism 1 and 4.
 */
class LiveRulesJobTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    private static final String V1 = JobHarness.config().rules().version();
    private static final String V2 = "live-test-2";

    @TempDir
    static Path dir;

    static List<OutboundRecord> atOne;
    static List<OutboundRecord> atFour;

    @BeforeAll
    static void run() throws Exception {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            events.add(TestEvents.request(i % 2 == 0 ? "tb" : "jd", "BEFORE" + i).person("early")
                    .after(Duration.ofDays(1 + i)).json());
            events.add(TestEvents.request(i % 2 == 0 ? "tb" : "jd", "AFTER" + i).person("late")
                    .after(Duration.ofDays(11 + i)).json());
        }
        events.sort(java.util.Comparator.comparing(json -> json.substring(json.indexOf("occurredAt"))));
        RefundGuardConfig config = JobHarness.config();
        RuleSetUpdate lower = new RuleSetUpdate(RuleSets.withRepeatRefunder(config.rules(), V2, 3),
                TestEvents.T0.plusDays(10).toInstant().toEpochMilli());
        atOne = run(config, 1, events, lower);
        atFour = run(config, 4, events, lower);
    }

    private static List<OutboundRecord> run(RefundGuardConfig config, int parallelism, List<String> lines,
            RuleSetUpdate update) throws Exception {
        Path events = dir.resolve("events-" + parallelism + ".jsonl");
        Files.write(events, lines, StandardCharsets.UTF_8);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(FlinkSetup.pipeline());
        env.setParallelism(parallelism);
        Sources sources = new WithUpdates(FileIo.sources(events, null, config.input()), update);
        List<OutboundRecord> out = new ArrayList<>();
        try (CloseableIterator<OutboundRecord> it =
                new RefundGuardJob(config, sources, records -> {}).outputs(env).executeAndCollect()) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    /** File input plus one rule-set update on the control input, a separate source as in production. */
    private record WithUpdates(Sources files, RuleSetUpdate update) implements Sources {
        @Override
        public DataStream<DecodedEvent> refundEvents(StreamExecutionEnvironment env, WatermarkStrategy<DecodedEvent> wm) {
            return files.refundEvents(env, wm);
        }

        @Override
        public Optional<DataStream<DecodedCatalogImage>> catalogImages(StreamExecutionEnvironment env,
                WatermarkStrategy<DecodedCatalogImage> wm) {
            return files.catalogImages(env, wm);
        }

        @Override
        public Optional<DataStream<DecodedRuleSetUpdate>> ruleSetUpdates(StreamExecutionEnvironment env,
                WatermarkStrategy<DecodedRuleSetUpdate> wm) {
            return Optional.of(env.fromData(List.of(DecodedRuleSetUpdate.ok(update)),
                            TypeInformation.of(DecodedRuleSetUpdate.class))
                    .assignTimestampsAndWatermarks(wm));
        }
    }

    @Test
    void theLowerThresholdAlertsOnlyOnRequestsFromItsEffectiveTimeOnAndNamesItsVersion() throws Exception {
        List<JsonNode> alerts = JobHarness.of(atOne, OutputKind.ALERT, null);
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.get("pattern").asText()).isEqualTo("REPEAT_REFUNDER");
            assertThat(a.get("trigger").get("requestId").asText()).isEqualTo("AFTER2");
            assertThat(a.get("ruleSetVersion").asText()).isEqualTo(V2);
        });
    }

    @Test
    void everyVerdictNamesTheRuleSetInEffectAtItsRequestsTime() throws Exception {
        List<JsonNode> verdicts = JobHarness.of(atOne, OutputKind.VERDICT, null);
        assertThat(verdicts).hasSize(6).allSatisfy(v -> assertThat(v.get("ruleSetVersion").asText())
                .isEqualTo(v.get("requestId").asText().startsWith("BEFORE") ? V1 : V2));
        assertThat(verdicts).filteredOn(v -> v.get("requestId").asText().equals("AFTER2"))
                .singleElement().satisfies(v -> assertThat(v.get("reasons").toString()).contains("REPEAT_REFUNDER"));
        assertThat(verdicts).filteredOn(v -> v.get("requestId").asText().startsWith("BEFORE"))
                .allSatisfy(v -> assertThat(v.get("riskScore").asInt()).isZero());
    }

    @Test
    void parallelismFourDecidesExactlyAsParallelismOne() throws Exception {
        assertThat(ids(atFour, OutputKind.ALERT, "alertId")).isEqualTo(ids(atOne, OutputKind.ALERT, "alertId"));
        assertThat(decisions(atFour)).isEqualTo(decisions(atOne));
    }

    private static List<String> ids(List<OutboundRecord> out, OutputKind kind, String field) throws Exception {
        return JobHarness.of(out, kind, null).stream().map(n -> n.get(field).asText()).sorted().toList();
    }

    private static List<String> decisions(List<OutboundRecord> out) throws Exception {
        return JobHarness.of(out, OutputKind.VERDICT, null).stream()
                .map(v -> v.get("requestId").asText() + " " + v.get("riskScore").asInt() + " "
                        + v.get("ruleSetVersion").asText())
                .sorted().toList();
    }
}
