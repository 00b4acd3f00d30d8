package io.refundguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.refundguard.alerts.OutputJson;
import io.refundguard.events.DeduplicateEvents;
import io.refundguard.job.FileIo;
import io.refundguard.job.FlinkSetup;
import io.refundguard.job.RefundGuardJob;
import io.refundguard.job.ReplayStateBackend;
import io.refundguard.job.ReplayStateEstimate;
import io.refundguard.job.RouteRejected;
import io.refundguard.job.config.FlinkSettings;
import io.refundguard.job.config.RefundGuardConfig;
import io.refundguard.job.config.RuleSetLimits;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code replay --events FILE --out DIR}: the backtest. The production job graph over a bounded
 * JSON-lines file, on a local MiniCluster, with a summary an analyst can compare between rule
 * changes. Deterministic: the same input gives the same alert ids.
 */
@Command(name = "replay", sortOptions = false, description = {
        "Run the detector over a JSON-lines file and write alerts, verdicts and dead letters.",
        "Runs the detector over a JSON-lines file of refund events (and, optionally, of catalog-images "
        + "listing photos and of detector-control rule sets, as `refundguard rules` writes them) and "
        + "writes DIR/alerts.jsonl, DIR/verdicts.jsonl, DIR/dlq.jsonl (and per-platform views), then "
        + "prints a summary."})
public final class ReplayCommand extends CliCommand {
    @Option(names = "--events", required = true, paramLabel = "FILE", description = "Refund events, JSON lines.")
    private Path events;

    @Option(names = "--catalog", paramLabel = "FILE", description = "catalog-images records, JSON lines.")
    private Path catalog;

    @Option(names = "--control", paramLabel = "FILE",
            description = "detector-control records (rule sets), JSON lines.")
    private Path control;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the outputs go.")
    private Path outDir;

    @Option(names = "--parallelism", paramLabel = "N", description = "Default: replay.parallelism (2).")
    private Integer parallelism;

    @Mixin
    private ConfigOptions configOptions;

    /** What a replay produced. */
    public record Summary(long recordsRead, long rejected, long deduplicated, Map<String, Long> outputLines,
            Map<String, Long> alertsByPattern, Duration elapsed, ReplayStateBackend stateBackend) {}

    @Override
    public Integer call() throws Exception {
        existing("--events", events);
        existing("--catalog", catalog);
        existing("--control", control);
        RefundGuardConfig config = configOptions.load();
        int p = parallelism != null ? parallelism : config.replay().parallelism();
        if (p < 1) {
            throw new UsageException("--parallelism must be at least 1");
        }
        // One scan of the input serves both the heap size and the backend (it reads every byte).
        String configured = config.replay().stateBackend();
        ReplayStateEstimate estimate = ReplayStateBackend.AUTO.equals(configured)
                ? ReplayStateEstimate.scan(events, catalog) : null;
        OptionalLong heap = sizedHeap(config, estimate);
        if (heap.isPresent()) {
            return ReplayHeap.restart(heap.getAsLong(), spec.root().commandLine().getParseResult().originalArgs());
        }
        Summary summary = replay(config, events, catalog, control, outDir, p,
                ReplayStateBackend.choose(configured, estimate, Runtime.getRuntime().maxMemory()));
        print(summary, outDir, out());
        return 0;
    }

    /**
     * A heap to restart with when the launcher's default one is too small for this input.
     *
     * @param estimate the input's state estimate, null unless the backend is {@code auto}
     */
    private OptionalLong sizedHeap(RefundGuardConfig config, ReplayStateEstimate estimate) {
        if (estimate == null || !ReplayHeap.launcherDefaultHeap()) {
            return OptionalLong.empty();
        }
        long maxHeap = Runtime.getRuntime().maxMemory();
        long available = ReplayHeap.availableMemory();
        OptionalLong heap = ReplayHeap.sizeFor(config.replay(), estimate, maxHeap, available, true);
        if (heap.isPresent()) {
            err().println(ReplayHeap.describe(estimate, maxHeap, heap.getAsLong(), available,
                    config.replay().maxHeapShareOfMemory()));
        }
        return heap;
    }

    private static void existing(String flag, Path file) {
        if (file != null && !Files.isRegularFile(file)) {
            throw new UsageException(flag + ": no such file: " + file);
        }
    }

    public static Summary replay(RefundGuardConfig config, Path events, Path outDir, int parallelism) throws Exception {
        return replay(config, events, null, outDir, parallelism);
    }

    /** @param catalog listing photos as JSON lines, or null */
    public static Summary replay(RefundGuardConfig config, Path events, Path catalog, Path outDir, int parallelism)
            throws Exception {
        return replay(config, events, catalog, null, outDir, parallelism);
    }

    /** @param control rule sets as JSON lines (detector-control records), or null */
    public static Summary replay(RefundGuardConfig config, Path events, Path catalog, Path control, Path outDir,
            int parallelism) throws Exception {
        // The replay's MiniCluster runs in this JVM, so its heap is what the state may use.
        return replay(config, events, catalog, control, outDir, parallelism, ReplayStateBackend.choose(
                config.replay().stateBackend(), events, catalog, Runtime.getRuntime().maxMemory()));
    }

    private static Summary replay(RefundGuardConfig config, Path events, Path catalog, Path control, Path outDir,
            int parallelism, ReplayStateBackend backend) throws Exception {
        // Replay runs far faster than the wall clock, so the live wall-clock floor must be off.
        RefundGuardConfig replayConfig = config
                .withEventTime(config.eventTime().withoutWallClockFallback())
                .withFlink(new FlinkSettings(parallelism, Duration.ZERO, backend.backend(),
                        config.flink().bufferTimeout(), config.flink().watermarkInterval(), config.flink().configuration()));
        prepare(outDir);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                FlinkSetup.configuration(replayConfig.flink(), backend.backend(), null, null));
        env.configure(FlinkSetup.configuration(replayConfig.flink(), backend.backend(), null, null));
        env.setParallelism(parallelism);
        long start = System.nanoTime();
        JobExecutionResult result = new RefundGuardJob(replayConfig, config.replay().stateTtl(),
                FileIo.sources(events, catalog, control, replayConfig.input(),
                        new RuleSetLimits(replayConfig.rules(), replayConfig.state().personHistoryTtl())),
                FileIo.sinks(outDir)).execute(env);
        Map<String, Long> lines = FileIo.mergeParts(outDir);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        return new Summary(
                counter(result, RouteRejected.recordsRead(RouteRejected.EVENTS)),
                counter(result, RouteRejected.recordsRejected(RouteRejected.EVENTS)),
                counter(result, DeduplicateEvents.DUPLICATES),
                lines,
                alertsByPattern(outDir.resolve("alerts.jsonl")),
                elapsed,
                backend);
    }

    private static void prepare(Path outDir) throws IOException {
        Files.createDirectories(outDir);
        for (String stale : List.of("parts")) {
            Path dir = outDir.resolve(stale);
            if (Files.isDirectory(dir)) {
                try (var files = Files.list(dir)) {
                    for (Path file : files.toList()) {
                        Files.delete(file);
                    }
                }
            }
        }
        try (var files = Files.list(outDir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".jsonl") && (name.startsWith("alerts") || name.startsWith("verdicts") || name.startsWith("dlq"))) {
                    Files.delete(file);
                }
            }
        }
    }

    private static long counter(JobExecutionResult result, String name) {
        Object value = result.getAllAccumulatorResults().get(name);
        return value instanceof Number n ? n.longValue() : 0;
    }

    private static Map<String, Long> alertsByPattern(Path alerts) throws IOException {
        Map<String, Long> counts = new TreeMap<>();
        if (!Files.exists(alerts)) {
            return counts;
        }
        try (BufferedReader reader = Files.newBufferedReader(alerts, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                JsonNode alert = OutputJson.mapper().readTree(line);
                counts.merge(alert.get("pattern").asText(), 1L, Long::sum);
            }
        }
        return counts;
    }

    static void print(Summary s, Path outDir, PrintStream out) {
        double seconds = Math.max(s.elapsed().toMillis(), 1) / 1000.0;
        out.println("Replay finished in " + String.format("%.1f", seconds) + " s  ->  " + outDir.toAbsolutePath());
        out.println("  state: " + s.stateBackend().reason());
        out.println();
        out.printf("  %-34s %12s%n", "what", "count");
        out.printf("  %-34s %12d%n", "records read", s.recordsRead());
        out.printf("  %-34s %12d%n", "rejected (dlq.jsonl)", s.rejected());
        out.printf("  %-34s %12d%n", "dead letters in all (incl. orphans)", s.outputLines().getOrDefault("dlq", 0L));
        out.printf("  %-34s %12d%n", "duplicates dropped", s.deduplicated());
        out.printf("  %-34s %12d%n", "verdicts", s.outputLines().getOrDefault("verdicts", 0L));
        out.printf("  %-34s %12d%n", "alerts", s.outputLines().getOrDefault("alerts", 0L));
        s.alertsByPattern().forEach((pattern, count) -> out.printf("    %-32s %12d%n", pattern, count));
        out.printf("  %-34s %12.0f%n", "records per second", s.recordsRead() / seconds);
    }
}
