package io.refundguard.job;

import io.refundguard.alerts.OutputJson;
import io.refundguard.job.config.ConfigLoader;
import io.refundguard.job.config.RefundGuardConfig;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        Path events = dir.resolve("events-" + System.nanoTime() + ".jsonl");
        Files.write(events, lines, StandardCharsets.UTF_8);
        Path catalog = null;
        if (catalogLines != null) {
            catalog = dir.resolve("catalog-" + System.nanoTime() + ".jsonl");
            Files.write(catalog, catalogLines, StandardCharsets.UTF_8);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        RefundGuardJob job = new RefundGuardJob(config, FileIo.sources(events, catalog, config.input()), outputs -> {});
        List<OutboundRecord> out = new ArrayList<>();
        try (CloseableIterator<OutboundRecord> it = job.outputs(env).executeAndCollect()) {
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
