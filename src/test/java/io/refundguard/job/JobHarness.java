package io.refundguard.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.refundguard.alerts.Assessment;
import io.refundguard.alerts.OutputJson;
import io.refundguard.job.config.ConfigLoader;
import io.refundguard.job.config.RefundGuardConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/** Runs the real job graph over JSON lines on the test MiniCluster and collects what it publishes. */
public final class JobHarness {
    private JobHarness() {}

    public static RefundGuardConfig config(String... overrides) {
        List<String> all = new ArrayList<>(List.of("eventTime.wallClockFallback=0s", "flink.stateBackend=hashmap"));
        all.addAll(List.of(overrides));
        return ConfigLoader.load(all);
    }

    public static List<OutboundRecord> run(RefundGuardConfig config, int parallelism, Path dir, List<String> lines)
            throws Exception {
        return run(config, parallelism, dir, lines, null);
    }

    /** @param catalogLines listing photos (catalog-images records), or null for no catalog input */
    public static List<OutboundRecord> run(RefundGuardConfig config, int parallelism, Path dir, List<String> lines,
            List<String> catalogLines) throws Exception {
        return collect(job(config, dir, lines, catalogLines).outputs(environment(parallelism)));
    }

    /** The assessments behind the verdicts, as the pattern operators send them to the verdict assembler. */
    public static List<Assessment> assessments(RefundGuardConfig config, int parallelism, Path dir, List<String> lines,
            List<String> catalogLines) throws Exception {
        return collect(job(config, dir, lines, catalogLines).graph(environment(parallelism)).assessments());
    }

    private static RefundGuardJob job(RefundGuardConfig config, Path dir, List<String> lines, List<String> catalogLines)
            throws IOException {
        Path events = dir.resolve("events-" + System.nanoTime() + ".jsonl");
        Files.write(events, lines, StandardCharsets.UTF_8);
        Path catalog = null;
        if (catalogLines != null) {
            catalog = dir.resolve("catalog-" + System.nanoTime() + ".jsonl");
            Files.write(catalog, catalogLines, StandardCharsets.UTF_8);
        }
        return new RefundGuardJob(config, FileIo.sources(events, catalog, config.input()), outputs -> {});
    }

    private static StreamExecutionEnvironment environment(int parallelism) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(FlinkSetup.pipeline());
        env.setParallelism(parallelism);
        return env;
    }

    private static <T> List<T> collect(DataStream<T> stream) throws Exception {
        List<T> out = new ArrayList<>();
        try (CloseableIterator<T> it = stream.executeAndCollect()) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    public static List<JsonNode> of(List<OutboundRecord> records, OutputKind kind, String platform) throws IOException {
        List<JsonNode> result = new ArrayList<>();
        for (OutboundRecord r : records) {
            if (r.kind() == kind && java.util.Objects.equals(r.platform(), platform)) {
                result.add(OutputJson.mapper().readTree(r.value()));
            }
        }
        return result;
    }
}
