package io.refundguard.cli;

import io.refundguard.settings.Durations;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code bench index|latency ...}: measurements a user can rerun on their own machine. Each prints
 * a table for people and, as its last line, one JSON object for scripts.
 */
public final class BenchCommand {
    static final String USAGE = """
            usage: refundguard bench index [--stored N] [--lookups M] [--parallelism P] [--seed S] [--work-dir DIR]
                   refundguard bench latency --rate R --seconds S [--warmup W] [--config FILE] [--set key=value]...
              index   the photo index operator on a local Flink with RocksDB: files N random PDQ hashes
                      (default 2000000), then answers M exact-within-radius lookups (default 10000, half of
                      them near a stored hash); prints lookups per second, state bytes per stored hash (last
                      checkpoint) and how many answers equal a brute-force scan. Large N needs heap: e.g.
                      REFUNDGUARD_JAVA_OPTS=-Xmx6g for 10000000.
              latency the production job live (embedded broker on 127.0.0.1, Kafka in and out, exactly-once,
                      state and checkpoints as configured): publishes R refund requests per second for S
                      seconds after a W-second warm-up at the same rate (default 15), reads refund-verdicts
                      read_committed and prints the publish-to-verdict latency (p50/p90/p99/max), the
                      checkpoints and the CPU it cost. --set changes any setting, e.g.
                      --set flink.checkpointInterval=1s. Exit status 1 when a request got no verdict or
                      more than one.""";

    private BenchCommand() {}

    public static int run(List<String> args, PrintStream out) throws Exception {
        if (args.isEmpty()) {
            throw new UsageException("which benchmark? index or latency");
        }
        return switch (args.get(0)) {
            case "index" -> index(args.subList(1, args.size()), out);
            case "latency" -> latency(args.subList(1, args.size()), out);
            default -> throw new UsageException("unknown benchmark \"" + args.get(0) + "\"; expected index or latency");
        };
    }

    private static int index(List<String> args, PrintStream out) throws Exception {
        Flags flags = Flags.parse(args, Set.of("--stored", "--lookups", "--parallelism", "--seed", "--work-dir"), Set.of());
        long stored = positive(flags, "--stored", 2_000_000);
        int lookups = (int) positive(flags, "--lookups", 10_000);
        int parallelism = (int) positive(flags, "--parallelism", 2);
        long seed = flags.intValue("--seed", 1);
        Path work = flags.has("--work-dir") ? Path.of(flags.required("--work-dir"))
                : Files.createTempDirectory("refundguard-bench-index");
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

    private static int latency(List<String> args, PrintStream out) throws Exception {
        Flags flags = Flags.parse(args, Set.of("--rate", "--seconds", "--warmup", "--config"), Set.of());
        if (!flags.has("--rate") || !flags.has("--seconds")) {
            throw new UsageException("latency needs --rate R and --seconds S");
        }
        int rate = (int) positive(flags, "--rate", 0);
        int seconds = (int) positive(flags, "--seconds", 0);
        int warmup = flags.has("--warmup") ? (int) notNegative(flags, "--warmup") : 15;
        LatencyBench.Settings settings = new LatencyBench.Settings(rate, seconds, warmup, flags.configFile(), flags.settings());
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

    private static long notNegative(Flags flags, String flag) {
        String text = flags.get(flag);
        try {
            long value = Long.parseLong(text);
            if (value < 0) {
                throw new UsageException(flag + " expects 0 or more, got " + text);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " expects a whole number, got \"" + text + "\"");
        }
    }

    private static long positive(Flags flags, String flag, long fallback) {
        String text = flags.get(flag);
        if (text == null) {
            return fallback;
        }
        try {
            long value = Long.parseLong(text.replace("_", ""));
            if (value < 1) {
                throw new UsageException(flag + " expects a positive number, got " + text);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " expects a whole number, got \"" + text + "\"");
        }
    }
}
