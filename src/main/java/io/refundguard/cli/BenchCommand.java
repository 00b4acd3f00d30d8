package io.refundguard.cli;

import io.refundguard.settings.Durations;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench index|latency ...}: measurements a user can rerun on their own machine. Each prints
 * a table for people and, as its last line, one JSON object for scripts.
 */
@Command(name = "bench", sortOptions = false, subcommands = {BenchCommand.Index.class, BenchCommand.Latency.class},
        description = {
        "Measure the photo index or the live verdict latency on this machine (a table, then one JSON line).",
        "Each prints a table for people and, as its last line, one JSON object for scripts."})
public final class BenchCommand extends CliCommand {
    @Override
    public Integer call() {
        throw new UsageException("which benchmark? index or latency");
    }

    @Command(name = "index", sortOptions = false, description = {
            "The photo index operator on a local Flink with RocksDB.",
            "Files N random PDQ hashes, then answers M exact-within-radius lookups (half of them near a stored "
            + "hash); prints lookups per second, state bytes per stored hash (last checkpoint) and how many "
            + "answers equal a brute-force scan (exit status 1 if any does not). Large N needs heap: e.g. "
            + "REFUNDGUARD_JAVA_OPTS=-Xmx6g for 10000000."})
    static final class Index extends CliCommand {
        @Option(names = "--stored", paramLabel = "N", description = "Stored hashes (default 2000000).")
        private long stored = 2_000_000;

        @Option(names = "--lookups", paramLabel = "M", description = "Lookups (default 10000).")
        private int lookups = 10_000;

        @Option(names = "--parallelism", paramLabel = "P", description = "Default 2.")
        private int parallelism = 2;

        @Option(names = "--seed", paramLabel = "S", description = "Default 1.")
        private int seed = 1;

        @Option(names = "--work-dir", paramLabel = "DIR", description = "Default: a new temporary directory.")
        private Path workDir;

        @Override
        public Integer call() throws Exception {
            positive("--stored", stored);
            positive("--lookups", lookups);
            positive("--parallelism", parallelism);
            Path work = workDir != null ? workDir : Files.createTempDirectory("refundguard-bench-index");
            return index(stored, lookups, parallelism, seed, work, out());
        }
    }

    @Command(name = "latency", sortOptions = false, description = {
            "The production job live: publish-to-verdict latency.",
            "Embedded broker on 127.0.0.1, Kafka in and out, exactly-once, state and checkpoints as configured: "
            + "publishes R refund requests per second for S seconds after a W-second warm-up at the same rate, "
            + "reads refund-verdicts read_committed and prints the latency (p50/p90/p99/max), the checkpoints "
            + "and the CPU it cost. --set changes any setting, e.g. --set flink.checkpointInterval=1s. Exit "
            + "status 1 when a request got no verdict or more than one."})
    static final class Latency extends CliCommand {
        @Option(names = "--rate", required = true, paramLabel = "R", description = "Requests per second.")
        private int rate;

        @Option(names = "--seconds", required = true, paramLabel = "S", description = "Measured seconds.")
        private int seconds;

        @Option(names = "--warmup", paramLabel = "W", description = "Warm-up seconds (default 15).")
        private int warmup = 15;

        @Mixin
        private ConfigOptions configOptions;

        @Override
        public Integer call() throws Exception {
            positive("--rate", rate);
            positive("--seconds", seconds);
            if (warmup < 0) {
                throw new UsageException("--warmup expects 0 or more, got " + warmup);
            }
            return latency(new LatencyBench.Settings(rate, seconds, warmup, configOptions.file(),
                    configOptions.settings()), out());
        }
    }

    private static void positive(String flag, long value) {
        if (value < 1) {
            throw new UsageException(flag + " expects a positive number, got " + value);
        }
    }

    private static int index(long stored, int lookups, int parallelism, long seed, Path work, PrintStream out)
            throws Exception {
        IndexBench.Result r = IndexBench.run(stored, lookups, parallelism, seed, work);
        out.printf(Locale.ROOT, "  %-40s %16s%n", "what", "value");
        out.printf(Locale.ROOT, "  %-40s %16d%n", "stored hashes", r.stored());
        out.printf(Locale.ROOT, "  %-40s %16d%n", "lookups (radius 31)", r.lookups());
        out.printf(Locale.ROOT, "  %-40s %16d%n", "parallelism", r.parallelism());
        out.printf(Locale.ROOT, "  %-40s %16.1f%n", "load, seconds", r.loadSeconds());
        out.printf(Locale.ROOT, "  %-40s %16.2f%n", "lookups, seconds", r.lookupSeconds());
        out.printf(Locale.ROOT, "  %-40s %16.0f%n", "lookups per second", r.lookupsPerSecond());
        out.printf(Locale.ROOT, "  %-40s %16d%n", "index state, bytes (last checkpoint)", r.stateBytes());
        out.printf(Locale.ROOT, "  %-40s %16.1f%n", "state bytes per stored hash", r.bytesPerHash());
        out.printf(Locale.ROOT, "  %-40s %16d%n", "matches found", r.matchesFound());
        out.printf(Locale.ROOT, "  %-40s %10d of %3d%n", "answers equal to brute force", r.equalToBruteForce(), r.verified());
        out.printf(Locale.ROOT, "{\"stored\": %d, \"lookups\": %d, \"lookupsPerSecond\": %.0f, \"bytesPerHash\": %.1f, "
                + "\"equalToBruteForce\": %d, \"verified\": %d, \"parallelism\": %d}%n", r.stored(), r.lookups(),
                r.lookupsPerSecond(), r.bytesPerHash(), r.equalToBruteForce(), r.verified(), r.parallelism());
        return r.equalToBruteForce() == r.verified() ? 0 : 1;
    }

    private static int latency(LatencyBench.Settings settings, PrintStream out) throws Exception {
        Path work = Files.createTempDirectory("refundguard-bench-latency");
        LatencyBench.Result r;
        try {
            r = LatencyBench.run(settings, work);
        } finally {
            LatencyBench.deleteRecursively(work);
        }
        LatencyBench.Checkpoints c = r.checkpoints();
        out.printf(Locale.ROOT, "  %-44s %14s%n", "what", "value");
        out.printf(Locale.ROOT, "  %-44s %14d%n", "rate, requests per second", r.rate());
        out.printf(Locale.ROOT, "  %-44s %14.1f%n", "achieved publish rate", r.publishedPerSecond());
        out.printf(Locale.ROOT, "  %-44s %14d%n", "requests published (measured)", r.events());
        out.printf(Locale.ROOT, "  %-44s %14d%n", "requests with exactly one verdict", r.answered() - r.duplicates());
        out.printf(Locale.ROOT, "  %-44s %14d%n", "requests without a verdict", r.missing());
        out.printf(Locale.ROOT, "  %-44s %14d%n", "duplicate verdicts", r.duplicates());
        out.printf(Locale.ROOT, "  %-44s %14d%n", "latency p50, ms", r.p50Ms());
        out.printf(Locale.ROOT, "  %-44s %14d%n", "latency p90, ms", r.p90Ms());
        out.printf(Locale.ROOT, "  %-44s %14d%n", "latency p99, ms", r.p99Ms());
        out.printf(Locale.ROOT, "  %-44s %14d%n", "latency max, ms", r.maxMs());
        out.printf(Locale.ROOT, "  %-44s %14s%n", "checkpoint interval", Durations.format(r.checkpointInterval()));
        out.printf(Locale.ROOT, "  %-44s %14s%n", "state backend, parallelism", r.stateBackend() + ", " + r.parallelism());
        out.printf(Locale.ROOT, "  %-44s %14d%n", "checkpoints completed", c.completed());
        out.printf(Locale.ROOT, "  %-44s %14d%n", "checkpoints failed", c.failed());
        out.printf(Locale.ROOT, "  %-44s %14d%n", "checkpoint duration p50, ms", c.p50DurationMs());
        out.printf(Locale.ROOT, "  %-44s %14d%n", "checkpoint duration max, ms", c.maxDurationMs());
        out.printf(Locale.ROOT, "  %-44s %14s%n", "phases p50: barrier, align, sync, async, ms",
                c.p50BarrierDelayMs() + ", " + c.p50AlignmentMs() + ", " + c.p50SyncMs() + ", " + c.p50AsyncMs());
        out.printf(Locale.ROOT, "  %-44s %14d%n", "checkpointed bytes per checkpoint (avg)", c.avgCheckpointedBytes());
        out.printf(Locale.ROOT, "  %-44s %14d%n", "state bytes (last checkpoint)", c.stateBytes());
        out.printf(Locale.ROOT, "  %-44s %14.2f%n", "CPU cores used (whole process)", r.coresUsed());
        out.printf(Locale.ROOT, "  %-44s %6.2f, %5.2f%n", "load average, before and after", r.loadBefore(), r.loadAfter());
        out.printf(Locale.ROOT, "{\"rate\": %d, \"events\": %d, \"p50Ms\": %d, \"p99Ms\": %d, \"maxMs\": %d}%n",
                r.rate(), r.events(), r.p50Ms(), r.p99Ms(), r.maxMs());
        return r.complete() ? 0 : 1;
    }
}
