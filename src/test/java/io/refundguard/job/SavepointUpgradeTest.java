package io.refundguard.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.refundguard.events.TestEvents;
import io.refundguard.job.config.ConfigLoader;
import io.refundguard.job.config.RefundGuardConfig;
import io.refundguard.local.KafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upgrade: the running job stops with a savepoint, and a newer build — the same graph plus an
 * operator it did not have — starts from it. The person's history must survive: their fourth
 * request after the upgrade makes them a repeat refunder only if the first three were restored.
 */
class SavepointUpgradeTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path dir;

    @Test
    void personStateSurvivesAStopWithSavepointAndANewerBuildWithAnAddedOperator() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"), 0)) {
            RefundGuardConfig config = ConfigLoader.load(List.of(
                    "kafka.bootstrapServers=" + broker.bootstrapServers(),
                    "flink.checkpointInterval=1s",
                    "flink.stateBackend=rocksdb",
                    KafkaTestIo.CATALOG_IDLE_AFTER));
            broker.createTopics(Topics.all(config, List.of("tb", "jd", "pdd")), 2);

            String[] platforms = {"tb", "jd", "pdd", "tb"};
            publish(broker, config, platforms, 0, 3);
            JobClient before = start(config, null, false);
            List<JsonNode> verdicts = KafkaTestIo.read(broker, "refund-verdicts", 3, "v1", r -> true);
            assertThat(verdicts).hasSize(3);
            String savepoint = before.stopWithSavepoint(false, dir.resolve("savepoints").toUri().toString(),
                    SavepointFormatType.CANONICAL).get(120, TimeUnit.SECONDS);

            JobClient after = start(config, savepoint, true);
            try {
                publish(broker, config, platforms, 3, 4);
                List<JsonNode> alerts = KafkaTestIo.read(broker, "refund-alerts", 1, "a1", r -> true);
                assertThat(alerts).as("the fourth request counts the three restored from the savepoint")
                        .singleElement().satisfies(alert -> {
                            assertThat(alert.get("pattern").asText()).isEqualTo("REPEAT_REFUNDER");
                            assertThat(alert.get("requests")).hasSize(4);
                        });
            } finally {
                KafkaTestIo.cancel(after);
            }
        }
    }

    /** The job; {@code newerBuild} adds a stateful operator the savepoint knows nothing about. */
    private JobClient start(RefundGuardConfig config, String savepoint, boolean newerBuild) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Configuration conf = FlinkSetup.configuration(config.flink(), "rocksdb", dir.resolve("checkpoints"), savepoint);
        env.configure(conf);
        env.setParallelism(2);
        RefundGuardJob job = new RefundGuardJob(config, KafkaIo.sources(config), KafkaIo.sinks(config, true));
        DataStream<OutboundRecord> outputs = job.outputs(env);
        if (newerBuild) {
            outputs = outputs.keyBy(r -> r.kind().name(), Types.STRING)
                    .process(new CountByKind()).uid("added-in-newer-build").name("Added in a newer build");
        }
        KafkaIo.sinks(config, true).write(outputs);
        return env.executeAsync(RefundGuardJob.JOB_NAME);
    }

    /** A new stateful operator: counts outputs by kind and passes them on unchanged. */
    static final class CountByKind extends KeyedProcessFunction<String, OutboundRecord, OutboundRecord> {
        private transient ValueState<Long> seen;

        @Override
        public void open(OpenContext openContext) {
            seen = getRuntimeContext().getState(new ValueStateDescriptor<>("outputs-seen", Types.LONG));
        }

        @Override
        public void processElement(OutboundRecord record, Context ctx, Collector<OutboundRecord> out) throws Exception {
            Long count = seen.value();
            seen.update(count == null ? 1 : count + 1);
            out.collect(record);
        }
    }

    private static void publish(KafkaBroker broker, RefundGuardConfig config, String[] platforms, int from, int to) {
        Properties props = new Properties();
        props.put("bootstrap.servers", broker.bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int i = from; i < to; i++) {
                String request = TestEvents.request(platforms[i], "U" + i).person("upgraded").after(Duration.ofDays(i)).json();
                producer.send(new ProducerRecord<>(config.topics().refundEvents(), platforms[i] + ":U" + i, request));
            }
            producer.flush();
        }
    }

}
